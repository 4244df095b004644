"""Units, people and their clearances."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.db.models import FilteredRelation, Q, QuerySet

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
        row = _CURRENT.first(self.pk)
        if row is None:  # not saved yet
            return self.status, self.roles, self.unit.path, None
        status, roles, unit_path, *stored = row
        return status, roles, unit_path, _clearance(*stored)

    def facts(self, today: date) -> ActorFacts:
        """The actor as stored now with the duties delegated to them, in one statement; read
        fresh like ``_current``, so a delegation granted or revoked a moment ago in another
        process counts."""
        rows = _ACTOR.rows(self.pk)
        if not rows:  # not saved yet
            status, roles, unit_path, clearance = self.status, self.roles, self.unit.path, None
        else:
            status, roles, unit_path, *stored = rows[0][:_PERSON_COLUMNS]
            clearance = _clearance(*stored)
        # The join is an outer one: an actor with no delegation has one row, its columns empty.
        granted = [row[_PERSON_COLUMNS:] for row in rows if row[_PERSON_COLUMNS] is not None]
        # Newest first (granted_at, then id, as the delegation list orders them): the first
        # that covers an act is the one it is done under. Sorted here, not by ORDER BY, which
        # costs SQLite a sorter even for the single row most actors have.
        granted.sort(key=lambda delegation: (delegation[1], delegation[0]), reverse=True)
        return ActorFacts(
            person_id=self.pk,
            username=self.username,
            unit_path=unit_path,
            roles=frozenset(Role(r) for r in roles.split(",") if r),
            status=PersonStatus(status),
            clearance=clearance,
            today=today,
            delegations=_delegations([delegation[2:] for delegation in granted], today),
        )

    def as_target(self) -> PersonFacts:
        status, _roles, unit_path, clearance = self._current()
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


def _delegations(rows: list[tuple[Any, ...]], today: date) -> tuple[DelegatedDuty, ...]:
    """Duties delegated to this person that are in force today: not revoked, within their
    dates, and whose delegator is still active, still holds the duty by role, is still in
    the unit it was given for, and may still hold its level. What the delegate may do
    under it never exceeds the delegator's own clearance, compartments included."""
    found = []
    for row in rows:
        (duty, delegator, d_status, d_roles, d_unit, path, rank, starts, ends) = row[:9]
        clearance = _clearance(*row[9:])
        held = {Role(r) for r in d_roles.split(",") if r}
        if not (starts <= today <= ends and d_status == PersonStatus.ACTIVE.value):
            continue
        if d_unit != path or not held.intersection(DUTY_ROLES[Duty(duty)]):
            continue
        if clearance is None or clearance.problem(today) or clearance.rank < rank:
            continue
        found.append(DelegatedDuty(Duty(duty), delegator, path, rank, ends, clearance.compartments))
    return tuple(found)


_PERSON = (
    "status",
    "roles",
    "unit__path",
    "clearance__level",
    "clearance__compartments",
    "clearance__status",
    "clearance__expires_on",
    "clearance__briefed_on",
)
_PERSON_COLUMNS = len(_PERSON)
# Each delegation not revoked: its order (id, granted_at), then what ``_delegations`` reads of
# it, with its delegator as stored now.
_DELEGATION = (
    "id",
    "granted_at",
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


def _actor(pk: int) -> QuerySet[Any]:
    """The person's row beside each delegation to them not revoked, or beside empty columns
    when there is none."""
    live = FilteredRelation("delegations", condition=Q(delegations__revoked_at__isnull=True))
    return (
        Person.objects.filter(pk=pk)
        .annotate(live=live)
        .order_by()
        .values_list(*_PERSON, *(f"live__{name}" for name in _DELEGATION))
    )


_ACTOR = PreparedQuery(_actor, -1)
_CURRENT = PreparedQuery(lambda pk: Person.objects.filter(pk=pk).values_list(*_PERSON), -1)
