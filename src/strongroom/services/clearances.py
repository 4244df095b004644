"""Granting, changing, suspending, reinstating and revoking clearances."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.conf import settings

from strongroom.domain.clearance import ClearanceStatus, status_word
from strongroom.domain.errors import Conflict, InvalidInput, InvalidMarking
from strongroom.domain.text import gettext_noop
from strongroom.ledger.events import Event
from strongroom.ledger.record import record
from strongroom.models import Clearance, Person
from strongroom.policy import Action
from strongroom.services.base import check, now, writes


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


@writes
def grant_clearance(
    person: Person,
    *,
    level: str,
    compartments: Iterable[str] = (),
    expires_on: date | None,
    briefed_on: date | None,
    by: Person,
) -> Clearance:
    """Grant a clearance, or replace the current one; the new one is active."""
    check(by, Action.CLEARANCE_GRANT, person.as_target(), f"clearance:{person.username}")
    scheme = settings.STRONGROOM_MARKING_SCHEME
    try:
        marking = scheme.marking(level, compartments)
    except InvalidMarking as error:
        raise InvalidInput(error.text, field="level") from None
    at = now()
    if expires_on is not None and expires_on <= at.date():
        raise InvalidInput(
            gettext_noop("The expiry date must be in the future."), field="expires_on"
        )
    if briefed_on is not None and briefed_on > at.date():
        raise InvalidInput(
            gettext_noop("The briefing date cannot be in the future."), field="briefed_on"
        )
    values = {
        "level": marking.rank,
        "compartments": "/".join(sorted(marking.compartments)),
        "status": ClearanceStatus.ACTIVE.value,
        "granted_by": by,
        "granted_on": at.date(),
        "expires_on": expires_on,
        "briefed_on": briefed_on,
    }
    existing = Clearance.objects.filter(person=person).first()
    if existing is None:
        clearance = Clearance.objects.create(person=person, **values)
    else:
        _update(existing, values)
        clearance = existing
    record(
        Event.CLEARANCE_GRANTED,
        actor=by,
        subject=f"clearance:{person.username}",
        data={
            "level": marking.level,
            "compartments": sorted(marking.compartments),
            "status": ClearanceStatus.ACTIVE.value,
            "granted_by": by.username,
            "granted_on": at.date().isoformat(),
            "expires_on": _iso(expires_on),
            "briefed_on": _iso(briefed_on),
        },
        at=at,
    )
    return clearance


def _update(clearance: Clearance, values: dict[str, object]) -> None:
    updated = Clearance.objects.filter(pk=clearance.pk, version=clearance.version).update(
        **values, version=clearance.version + 1
    )
    if not updated:
        raise Conflict(
            gettext_noop("The clearance was changed by someone else; reload and try again.")
        )
    for name, value in values.items():
        setattr(clearance, name, value)
    clearance.version += 1


_FROM = {
    ClearanceStatus.SUSPENDED: (ClearanceStatus.ACTIVE,),
    ClearanceStatus.ACTIVE: (ClearanceStatus.SUSPENDED,),
    ClearanceStatus.REVOKED: (ClearanceStatus.ACTIVE, ClearanceStatus.SUSPENDED),
}
_EVENT = {
    ClearanceStatus.SUSPENDED: (Event.CLEARANCE_SUSPENDED, Action.CLEARANCE_SUSPEND),
    ClearanceStatus.ACTIVE: (Event.CLEARANCE_REINSTATED, Action.CLEARANCE_SUSPEND),
    ClearanceStatus.REVOKED: (Event.CLEARANCE_REVOKED, Action.CLEARANCE_REVOKE),
}


def _set_status(person: Person, status: ClearanceStatus, reason: str, by: Person) -> Clearance:
    event, action = _EVENT[status]
    check(by, action, person.as_target(), f"clearance:{person.username}")
    reason = " ".join(reason.split())
    if not reason:
        raise InvalidInput(gettext_noop("A reason is required."), field="reason")
    clearance = Clearance.objects.filter(person=person).first()
    if clearance is None:
        raise InvalidInput(gettext_noop("%(person)s holds no clearance.", person=person.username))
    current = ClearanceStatus(clearance.status)
    if current not in _FROM[status]:
        words = {
            "person": person.username,
            "status": status_word(current),
            "new_status": status_word(status),
        }
        if current is ClearanceStatus.REVOKED:
            raise InvalidInput(
                gettext_noop(
                    "The clearance of %(person)s is %(status)s; it cannot be made "
                    "%(new_status)s. Grant a new one instead.",
                    **words,
                )
            )
        raise InvalidInput(
            gettext_noop(
                "The clearance of %(person)s is %(status)s; it cannot be made %(new_status)s.",
                **words,
            )
        )
    _update(clearance, {"status": status.value})
    record(
        event,
        actor=by,
        subject=f"clearance:{person.username}",
        data={"status": status.value, "reason": reason},
        at=now(),
    )
    return clearance


@writes
def suspend_clearance(person: Person, *, reason: str, by: Person) -> Clearance:
    return _set_status(person, ClearanceStatus.SUSPENDED, reason, by)


@writes
def reinstate_clearance(person: Person, *, reason: str, by: Person) -> Clearance:
    return _set_status(person, ClearanceStatus.ACTIVE, reason, by)


@writes
def revoke_clearance(person: Person, *, reason: str, by: Person) -> Clearance:
    return _set_status(person, ClearanceStatus.REVOKED, reason, by)
