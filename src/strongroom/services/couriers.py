"""Courier authorisations: who may carry material between facilities, up to which level, when.

A security officer of the courier's unit or above authorises a named person who is cleared for
the level, never themselves, for a period of whole days. A person holds at most one authorisation
that is not yet over at a time; to change it, revoke it and grant another.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings

from strongroom.domain.errors import Conflict, InvalidInput, InvalidMarking
from strongroom.domain.text import gettext_noop
from strongroom.ledger.events import Event
from strongroom.ledger.record import record
from strongroom.models import CourierAuthorisation, Person
from strongroom.models.transport import level_marking
from strongroom.policy import Action, AuthorisationFacts
from strongroom.services.base import check, now, writes

MAX_NOTE = 500


def _rank(level: str) -> int:
    try:
        return int(settings.STRONGROOM_MARKING_SCHEME.rank(" ".join(str(level).split()).upper()))
    except InvalidMarking as error:
        raise InvalidInput(error.text, field="level") from None


def _note(value: str, field: str) -> str:
    note = " ".join(value.split())
    if len(note) > MAX_NOTE:
        raise InvalidInput(
            gettext_noop("The text may be at most %(limit)s characters.", limit=MAX_NOTE),
            field=field,
        )
    return note


def _day(value: object, field: str) -> date:
    if not isinstance(value, date):
        raise InvalidInput(
            gettext_noop("%(value)s is not a date; write it as YYYY-MM-DD.", value=repr(value)),
            field=field,
        )
    return value


def _live(courier: Person, today: date) -> list[CourierAuthorisation]:
    return list(
        CourierAuthorisation.objects.filter(
            courier=courier, revoked_at__isnull=True, valid_until__gte=today
        ).order_by("valid_from", "id")
    )


@writes
def authorise_courier(
    courier: Person,
    *,
    level: str,
    valid_until: date,
    valid_from: date | None = None,
    note: str = "",
    by: Person,
) -> CourierAuthorisation:
    """Authorise ``courier`` to carry material up to ``level`` until ``valid_until``."""
    rank = _rank(level)
    facts = AuthorisationFacts(courier.as_target(), level_marking(rank))
    check(by, Action.COURIER_AUTHORISE, facts, f"courier:{courier.username}")
    at = now()
    today = at.date()
    start = today if valid_from is None else _day(valid_from, "valid_from")
    until = _day(valid_until, "valid_until")
    if start < today:
        raise InvalidInput(
            gettext_noop("The authorisation cannot start in the past."), field="valid_from"
        )
    if until < start:
        raise InvalidInput(
            gettext_noop("The authorisation must end on or after the day it starts."),
            field="valid_until",
        )
    live = _live(courier, today)
    if live:
        raise InvalidInput(
            gettext_noop(
                "%(person)s already holds a courier authorisation until %(date)s; revoke it "
                "before granting another.",
                person=courier.username,
                date=live[-1].valid_until.isoformat(),
            ),
            field="courier",
        )
    text = _note(note, "note")
    authorisation = CourierAuthorisation.objects.create(
        courier=courier,
        level=rank,
        valid_from=start,
        valid_until=until,
        note=text,
        granted_by=by,
        granted_at=at,
    )
    record(
        Event.COURIER_AUTHORISED,
        actor=by,
        subject=f"courier:{courier.username}",
        data={
            "authorisation": authorisation.pk,
            "level": authorisation.level_name,
            "valid_from": start.isoformat(),
            "valid_until": until.isoformat(),
            "note": text,
            "granted_by": by.username,
        },
        at=at,
    )
    return authorisation


@writes
def revoke_courier(courier: Person, *, reason: str, by: Person) -> list[CourierAuthorisation]:
    """Withdraw the courier's authorisation (current, or starting later) at once."""
    check(by, Action.COURIER_REVOKE, courier.as_target(), f"courier:{courier.username}")
    because = _note(reason, "reason")
    if not because:
        raise InvalidInput(gettext_noop("A reason is required."), field="reason")
    at = now()
    live = _live(courier, at.date())
    if not live:
        raise InvalidInput(
            gettext_noop(
                "%(person)s holds no courier authorisation to revoke.", person=courier.username
            ),
            field="courier",
        )
    for authorisation in live:
        version = authorisation.version
        revoked = CourierAuthorisation.objects.filter(
            pk=authorisation.pk, version=version, revoked_at__isnull=True
        ).update(revoked_at=at, revoked_by=by, revoked_because=because, version=version + 1)
        if revoked != 1:
            raise Conflict(
                gettext_noop(
                    "The courier authorisation of %(person)s was changed by someone else a "
                    "moment ago; reload it and try again.",
                    person=courier.username,
                )
            )
        authorisation.revoked_at, authorisation.revoked_by = at, by
        authorisation.revoked_because, authorisation.version = because, version + 1
        record(
            Event.COURIER_REVOKED,
            actor=by,
            subject=f"courier:{courier.username}",
            data={"authorisation": authorisation.pk, "reason": because},
            at=at,
        )
    return live
