"""Units, people and their clearances."""

from __future__ import annotations

import functools
from datetime import date
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.db.models import OuterRef, QuerySet, Subquery

from strongroom.domain import clearance as domain_clearance
from strongroom.domain.clearance import ClearanceStatus, PersonStatus
from strongroom.domain.markings import Marking
from strongroom.models.prepared import PreparedQuery
from strongroom.policy.facts import (
    DUTY_ROLES,
    ActorFacts,
    DelegatedDuty,
    Duty,
    PersonFacts,
    Role,
    UnitFacts,
)


class Unit(models.Model):
    """A node of the organisation tree; ``path`` is the codes from the root, e.g. ``HQ/NORTH``."""

    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=200)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=400, unique=True)
    created_at = models.DateTimeField()
    # The person who supervises the people of this unit: reminders about copies they have not
    # brought back escalate to them. Appointed by a security officer; nobody by default. No
    # index: units are read whole (a few hundred rows), never looked up by their head.
    head = models.ForeignKey(
        "Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )

    class Meta:
        ordering: ClassVar = ["path"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def depth(self) -> int:
        return self.path.count("/")

    def facts(self) -> UnitFacts:
        return UnitFacts(self.path)


class PersonManager(BaseUserManager["Person"]):
    pass


class Person(AbstractBaseUser):
    """An account and the accountable human behind it."""

    username = models.CharField(max_length=64, unique=True)
    full_name = models.CharField(max_length=200)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="people")
    # Sorted, comma-separated Role values: a handful of roles needs no join table.
    roles = models.CharField(max_length=200, default="")
    status = models.CharField(
        max_length=16, choices=[(s.value, s.value) for s in PersonStatus], default="active"
    )
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    objects = PersonManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name"]

    class Meta:
        ordering: ClassVar = ["username"]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.username})"

    @property
    def is_active(self) -> bool:  # type: ignore[override]  # derived from status, not stored
        return self.status == PersonStatus.ACTIVE.value

    @property
    def role_set(self) -> frozenset[Role]:
        return frozenset(Role(r) for r in self.roles.split(",") if r)

    def has_role(self, role: Role) -> bool:
        return role in self.role_set

    def current_clearance(self) -> domain_clearance.Clearance | None:
        """Read fresh each time: a suspension must bite even on an instance loaded earlier."""
        return self._current()[3]

    def _current(self) -> tuple[str, str, str, domain_clearance.Clearance | None]:
        """Status, roles, unit path and clearance as stored now, in one query, for the same
        reason: every decision uses the database's state at that moment."""
        status, roles, unit_path, clearance, _delegated = self._stored(_CURRENT.first(self.pk))
        return status, roles, unit_path, clearance

    def _stored(self, row: tuple[Any, ...] | None) -> _Stored:
        """A row of ``_CURRENT`` (without the key) as ``_current`` gives it, and whether any
        delegation to the person is not revoked."""
        if row is None:  # not saved yet
            return self.status, self.roles, self.unit.path, None, False
        status, roles, unit_path, *stored, delegated = row
        return status, roles, unit_path, _clearance(*stored), delegated is not None

    def facts(self, today: date) -> ActorFacts:
        return self._facts(today, self._stored(_CURRENT.first(self.pk)))

    def facts_with(self, today: date, other: Person) -> tuple[ActorFacts, PersonFacts]:
        """``facts(today)`` and ``other.as_target()``, read in one statement: issuing a copy
        to someone or handing it over to them decides on both."""
        if self.pk is None or other.pk is None:
            return self.facts(today), other.as_target()
        rows = {row[0]: row[1:] for row in _CURRENT_OF_TWO.rows(self.pk, other.pk)}
        return (
            self._facts(today, self._stored(rows.get(self.pk))),
            other._target(other._stored(rows.get(other.pk))),
        )

    def _facts(self, today: date, stored: _Stored) -> ActorFacts:
        status, roles, unit_path, clearance, delegated = stored
        return ActorFacts(
            person_id=self.pk,
            username=self.username,
            unit_path=unit_path,
            roles=_roles(roles),
            status=PersonStatus(status),
            clearance=clearance,
            today=today,
            # The person's own row says whether there is any delegation to read, in the same
            # transaction: most people have none, and then this costs no statement.
            delegations=self._delegations(today) if delegated else (),
        )

    def _delegations(self, today: date) -> tuple[DelegatedDuty, ...]:
        """Duties delegated to this person that are in force today: not revoked, within their
        dates, and whose delegator is still active, still holds the duty by role, is still in
        the unit it was given for, and may still hold its level. What the delegate may do
        under it never exceeds the delegator's own clearance, compartments included."""
        if self.pk is None:
            return ()
        found = []
        for row in _DELEGATIONS.rows(self.pk):
            (duty, delegator, d_status, d_roles, d_unit, path, rank, starts, ends) = row[:9]
            clearance = _clearance(*row[9:])
            held = {Role(r) for r in d_roles.split(",") if r}
            if not (starts <= today <= ends and d_status == PersonStatus.ACTIVE.value):
                continue
            if d_unit != path or not held.intersection(DUTY_ROLES[Duty(duty)]):
                continue
            if clearance is None or clearance.problem(today) or clearance.rank < rank:
                continue
            found.append(
                DelegatedDuty(Duty(duty), delegator, path, rank, ends, clearance.compartments)
            )
        return tuple(found)

    def as_target(self) -> PersonFacts:
        return self._target(self._stored(_CURRENT.first(self.pk)))

    def _target(self, stored: _Stored) -> PersonFacts:
        status, _roles, unit_path, clearance, _delegated = stored
        return PersonFacts(
            person_id=self.pk,
            unit_path=unit_path,
            status=PersonStatus(status),
            clearance=clearance,
        )

    def may_hold(self, marking: Marking, today: date) -> str | None:
        status, _roles, _path, clearance = self._current()
        return domain_clearance.may_hold(PersonStatus(status), clearance, marking, today)


class Clearance(models.Model):
    """A person's current clearance; its history is in the ledger."""

    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="clearance")
    level = models.PositiveSmallIntegerField()
    # Sorted, "/"-separated compartment codes.
    compartments = models.CharField(max_length=400, blank=True, default="")
    status = models.CharField(
        max_length=16, choices=[(s.value, s.value) for s in ClearanceStatus], default="active"
    )
    granted_by = models.ForeignKey(
        Person, null=True, on_delete=models.PROTECT, related_name="clearances_granted"
    )
    granted_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    briefed_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"clearance of {self.person_id}"

    @property
    def compartment_set(self) -> frozenset[str]:
        return frozenset(c for c in self.compartments.split("/") if c)

    def as_domain(self) -> domain_clearance.Clearance:
        return domain_clearance.Clearance(
            rank=self.level,
            compartments=self.compartment_set,
            status=ClearanceStatus(self.status),
            expires_on=self.expires_on,
            briefed_on=self.briefed_on,
        )

    def marking(self) -> Marking:
        return settings.STRONGROOM_MARKING_SCHEME.marking(
            settings.STRONGROOM_MARKING_SCHEME.level_name(self.level), self.compartment_set
        )


# The two parsers below run on every decision, and their results are immutable values of the
# columns as just read: each distinct stored value is parsed once. Nothing read from the
# database is cached, only what a value means.
@functools.lru_cache(maxsize=1024)
def _roles(stored: str) -> frozenset[Role]:
    return frozenset(Role(r) for r in stored.split(",") if r)


@functools.lru_cache(maxsize=4096)
def _clearance(
    level: int | None,
    compartments: str | None,
    status: str | None,
    expires_on: date | None,
    briefed_on: date | None,
) -> domain_clearance.Clearance | None:
    """A clearance as stored (None when the person has none)."""
    if level is None or status is None:
        return None
    return domain_clearance.Clearance(
        rank=level,
        compartments=frozenset(c for c in (compartments or "").split("/") if c),
        status=ClearanceStatus(status),
        expires_on=expires_on,
        briefed_on=briefed_on,
    )


def _delegations_to(pk: int) -> QuerySet[Any]:
    from strongroom.models.delegations import Delegation  # it refers to Person: import late

    return Delegation.objects.filter(delegate_id=pk, revoked_at__isnull=True).values_list(
        "duty",
        "delegator__username",
        "delegator__status",
        "delegator__roles",
        "delegator__unit__path",
        "unit__path",
        "max_level",
        "starts_on",
        "ends_on",
        "delegator__clearance__level",
        "delegator__clearance__compartments",
        "delegator__clearance__status",
        "delegator__clearance__expires_on",
        "delegator__clearance__briefed_on",
    )


def _current_of(*pks: int) -> QuerySet[Any]:
    """The row of each person with their clearance, and whether any delegation to them is
    not revoked (an index probe; the delegations themselves are read only when there is
    one); first the key, when there is more than one person."""
    from strongroom.models.delegations import Delegation  # it refers to Person: import late

    # A subquery for any one key, not Exists: Exists compiles to a parameter of its own.
    live = Delegation.objects.filter(delegate=OuterRef("pk"), revoked_at__isnull=True)
    delegated = Subquery(live.order_by().values("pk")[:1])
    key = ("id",) if len(pks) > 1 else ()
    return (
        Person.objects.filter(pk__in=pks)
        .annotate(delegated=delegated)
        .order_by()
        .values_list(
            *key,
            "status",
            "roles",
            "unit__path",
            "clearance__level",
            "clearance__compartments",
            "clearance__status",
            "clearance__expires_on",
            "clearance__briefed_on",
            "delegated",
        )
    )


_DELEGATIONS = PreparedQuery(_delegations_to, -1)
_CURRENT = PreparedQuery(_current_of, -1)
_CURRENT_OF_TWO = PreparedQuery(_current_of, -1, -2)
# Status, roles, unit path, clearance, and whether there may be delegations to read.
_Stored = tuple[str, str, str, domain_clearance.Clearance | None, bool]
