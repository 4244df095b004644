"""Check-outs: the registry lends a copy for reading until a due time, and checks it in again.

While it is out the reader is the copy's accountable holder and its location says where it is
read ("reading room of HQ, with rosa"). Every check-out is kept, and its ledger entry names the
reader, so "who read this TOP SECRET document" always has an answer
(``queries.check_outs.readers_of``).
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.conf import settings
from django.db.models import F

from strongroom.domain.custody import CustodyEvent, next_state
from strongroom.domain.errors import InvalidInput
from strongroom.domain.text import gettext_noop
from strongroom.ledger.events import Event
from strongroom.ledger.record import record
from strongroom.models import CheckOut, Copy, Person, Unit
from strongroom.policy import Action, CheckOutFacts
from strongroom.services import alerts
from strongroom.services.base import check, check_with, deadline, now, writes
from strongroom.services.custody import move
from strongroom.services.registry import registry_location

DEFAULT_PLACE = "reading room"
MAX_PLACE = 100


def _place(value: str) -> str:
    place = " ".join(value.split()) or DEFAULT_PLACE
    if len(place) > MAX_PLACE:
        raise InvalidInput(
            gettext_noop("The place may be at most %(limit)s characters.", limit=MAX_PLACE),
            field="place",
        )
    return place


def lent_location(place: str, unit: Unit, reader: Person) -> str:
    """Where a lent copy is: ``reading room of HQ, with rosa``."""
    return f"{place} of {unit.code}, with {reader.username}"


def _utc(at: datetime) -> str:
    return at.astimezone(UTC).isoformat()


@writes
def check_out_copy(
    copy: Copy,
    *,
    to: Person,
    by: Person,
    due_back: datetime,
    place: str = "",
    expected_version: int | None = None,
) -> CheckOut:
    """The registry lends ``copy`` to ``to`` for reading until ``due_back``; the reader holds it
    (and answers for it) until it is checked in."""
    check_with(
        by,
        to,
        Action.CHECK_OUT_LEND,
        lambda reader: CheckOutFacts(copy.facts(), reader),
        f"copy:{copy.reference}",
    )
    state = next_state(copy.copy_state, CustodyEvent.CHECK_OUT)
    at = now()
    due = deadline(due_back, at=at, hours=settings.STRONGROOM_CHECK_OUT_HOURS, field="due_back")
    where = _place(place)
    location = lent_location(where, copy.unit, to)
    move(
        copy,
        state=state,
        holder=to,
        location=location,
        expected_version=copy.version if expected_version is None else expected_version,
        at=at,
    )
    check_out = CheckOut.objects.create(
        copy=copy, reader=to, lent_by=by, checked_out_at=at, due_back=due, place=where
    )
    record(
        Event.CHECK_OUT_LENT,
        actor=by,
        subject=f"copy:{copy.reference}",
        data={
            "check_out": check_out.pk,
            # Who read it, by name, whatever the marking: the record "who read a TOP SECRET
            # document" is made of these entries.
            "reader": to.username,
            "place": where,
            "due_back": _utc(due),
            "state": state.value,
            "holder": to.username,
            "location": location,
        },
        at=at,
    )
    return check_out


@writes
def check_in_copy(copy: Copy, *, by: Person, expected_version: int | None = None) -> CheckOut:
    """The reader hands the copy back at the desk; the registry checks it in."""
    check(by, Action.CHECK_OUT_RETURN, copy.facts(), f"copy:{copy.reference}")
    state = next_state(copy.copy_state, CustodyEvent.CHECK_IN)
    at = now()
    location = registry_location(copy.unit)
    # The copy first, conditionally: if it moved since it was read (checked in by someone else a
    # moment ago), this is a Conflict; if it did not, its check-out is still open.
    move(
        copy,
        state=state,
        holder=None,
        location=location,
        expected_version=copy.version if expected_version is None else expected_version,
        at=at,
    )
    check_out = CheckOut.objects.select_related("reader").get(copy=copy, checked_in_at__isnull=True)
    CheckOut.objects.filter(pk=check_out.pk).update(
        checked_in_at=at, checked_in_by=by, version=F("version") + 1
    )
    check_out.checked_in_at, check_out.checked_in_by = at, by
    check_out.version += 1
    check_out.copy = copy
    # An overdue alert about it has done its work.
    alerts.clear(alerts.check_out_subject(check_out), because="returned", at=at)
    record(
        Event.CHECK_OUT_RETURNED,
        actor=by,
        subject=f"copy:{copy.reference}",
        data={
            "check_out": check_out.pk,
            "reader": check_out.reader.username,
            "overdue": at > check_out.due_back,
            "state": state.value,
            "holder": None,
            "location": location,
        },
        at=at,
    )
    return check_out
