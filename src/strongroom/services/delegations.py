"""Delegating a duty (registering, or handling copies) to an eligible person for a while.

The delegator stays on record and accountable: the delegation is in the ledger, and so is
every act done under it, naming the delegator (``on_behalf_of``). A delegation to someone who
may not hold what it covers is refused and the attempt recorded.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db.models import F

from strongroom.domain.errors import Conflict, IllegalTransition, InvalidInput, InvalidMarking
from strongroom.domain.text import gettext_noop
from strongroom.ledger.events import Event
from strongroom.ledger.record import record
from strongroom.models import Delegation, Person
from strongroom.policy import Action
from strongroom.policy.facts import DelegationFacts, Duty
from strongroom.services.base import check, now, writes

MAX_REASON = 500


def _duty(value: str) -> Duty:
    try:
        return Duty(value)
    except ValueError:
        raise InvalidInput(
            gettext_noop(
                "Unknown duty %(value)s; use one of: %(known)s.",
                value=repr(value),
                known=", ".join(d.value for d in Duty),
            ),
            field="duty",
        ) from None


def _rank(level: str) -> int:
    scheme = settings.STRONGROOM_MARKING_SCHEME
    try:
        return int(scheme.rank(" ".join(level.split()).upper()))
    except InvalidMarking as error:
        raise InvalidInput(error.text, field="level") from None


def _period(starts_on: date, ends_on: date, today: date) -> None:
    longest = settings.STRONGROOM_DELEGATION_MAX_DAYS
    if starts_on < today:
        raise InvalidInput(
            gettext_noop("A delegation cannot start in the past."), field="starts_on"
        )
    if ends_on < starts_on:
        raise InvalidInput(
            gettext_noop("A delegation must end on or after the day it starts."), field="ends_on"
        )
    if ends_on > starts_on + timedelta(days=longest - 1):
        raise InvalidInput(
            gettext_noop(
                "A delegation may last at most %(days)s days; delegate again when it ends.",
                days=longest,
            ),
            field="ends_on",
        )


def _reason(value: str) -> str:
    reason = " ".join(value.split())
    if not reason:
        raise InvalidInput(
            gettext_noop("Give the reason for the delegation; it goes on record."),
            field="reason",
        )
    if len(reason) > MAX_REASON:
        raise InvalidInput(
            gettext_noop("The reason may be at most %(limit)s characters.", limit=MAX_REASON),
            field="reason",
        )
    return reason


@writes
def grant_delegation(
    delegate: Person,
    *,
    duty: str,
    level: str,
    ends_on: date,
    reason: str,
    by: Person,
    starts_on: date | None = None,
) -> Delegation:
    """``by`` hands ``duty`` over their own unit, up to ``level``, to ``delegate``."""
    at = now()
    first_day = starts_on or at.date()
    chosen = _duty(duty)
    rank = _rank(level)
    scheme = settings.STRONGROOM_MARKING_SCHEME
    facts = DelegationFacts(
        delegator_id=by.pk,
        delegate=delegate.as_target(),
        duty=chosen,
        unit_path=by.unit.path,
        marking=scheme.marking(scheme.level_name(rank)),
    )
    check(by, Action.DELEGATION_GRANT, facts, f"person:{delegate.username}")
    _period(first_day, ends_on, at.date())
    delegation = Delegation.objects.create(
        delegator=by,
        delegate=delegate,
        duty=chosen.value,
        unit=by.unit,
        max_level=rank,
        starts_on=first_day,
        ends_on=ends_on,
        reason=_reason(reason),
        granted_at=at,
    )
    record(
        Event.DELEGATION_GRANTED,
        actor=by,
        subject=f"delegation:{delegation.pk}",
        data={
            "delegator": by.username,
            "delegate": delegate.username,
            "duty": chosen.value,
            "unit": by.unit.code,
            "level": scheme.level_name(rank),
            "starts_on": first_day.isoformat(),
            "ends_on": ends_on.isoformat(),
            "reason": delegation.reason,
        },
        at=at,
    )
    return delegation


@writes
def revoke_delegation(
    delegation: Delegation, *, reason: str, by: Person, expected_version: int | None = None
) -> Delegation:
    """End a delegation before its time: the delegator, or a security officer of its unit."""
    check(by, Action.DELEGATION_REVOKE, delegation.facts(), f"delegation:{delegation.pk}")
    if delegation.revoked_at is not None:
        raise IllegalTransition(
            gettext_noop("Delegation %(number)s is already revoked.", number=delegation.pk)
        )
    note = _reason(reason)
    at = now()
    version = delegation.version if expected_version is None else expected_version
    changed = Delegation.objects.filter(
        pk=delegation.pk, version=version, revoked_at__isnull=True
    ).update(revoked_at=at, revoked_by=by, version=F("version") + 1)
    if changed != 1:
        raise Conflict(
            gettext_noop(
                "Delegation %(number)s was changed by someone else a moment ago; reload it "
                "and try again.",
                number=delegation.pk,
            )
        )
    delegation.revoked_at, delegation.revoked_by, delegation.version = at, by, version + 1
    record(
        Event.DELEGATION_REVOKED,
        actor=by,
        subject=f"delegation:{delegation.pk}",
        data={"reason": note},
        at=at,
    )
    return delegation
