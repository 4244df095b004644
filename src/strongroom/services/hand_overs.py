"""Hand-overs between people: the holder sends a copy, the recipient acknowledges or refuses it.

Until the recipient acknowledges, the sender stays accountable: the copy is "in hand-over" with
the sender as its holder. The recipient's eligibility is checked when the copy is sent and again
when it is received.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings

from strongroom.domain.custody import CopyState, CustodyEvent, next_state
from strongroom.domain.errors import Conflict, IllegalTransition, InvalidInput
from strongroom.domain.text import gettext_noop
from strongroom.ledger.events import Event
from strongroom.ledger.record import record
from strongroom.models import Copy, HandOver, HandOverState, Person
from strongroom.policy import Action
from strongroom.policy.facts import HandOverFacts
from strongroom.services import alerts
from strongroom.services.base import check, check_with, deadline, now, writes
from strongroom.services.custody import holder_location, move

MAX_NOTE = 500


def _in_hand_over(sender: Person, recipient: Person) -> str:
    return f"in hand-over from {sender.username} to {recipient.username}"


def _due_by(requested: datetime | None, at: datetime) -> datetime:
    hours = settings.STRONGROOM_HAND_OVER_HOURS
    if requested is None:
        return at + timedelta(hours=hours)
    return deadline(requested, at=at, hours=hours, field="due_by")


def _note(value: str, field: str) -> str:
    note = " ".join(value.split())
    if len(note) > MAX_NOTE:
        raise InvalidInput(
            gettext_noop("The reason may be at most %(limit)s characters.", limit=MAX_NOTE),
            field=field,
        )
    return note


@writes
def dispatch_hand_over(
    copy: Copy,
    *,
    to: Person,
    by: Person,
    due_by: datetime | None = None,
    expected_version: int | None = None,
) -> HandOver:
    """The holder sends ``copy`` to ``to``; it stays the sender's until acknowledged."""
    check_with(
        by,
        to,
        Action.HAND_OVER_DISPATCH,
        lambda recipient: HandOverFacts(copy.facts(), by.pk, recipient),
        f"copy:{copy.reference}",
    )
    state = next_state(copy.copy_state, CustodyEvent.DISPATCH)
    at = now()
    deadline = _due_by(due_by, at)
    location = _in_hand_over(by, to)
    move(
        copy,
        state=state,
        holder=by,
        location=location,
        expected_version=copy.version if expected_version is None else expected_version,
        at=at,
    )
    hand_over = HandOver.objects.create(
        copy=copy, sender=by, recipient=to, dispatched_at=at, due_by=deadline
    )
    record(
        Event.HAND_OVER_DISPATCHED,
        actor=by,
        subject=f"copy:{copy.reference}",
        data={
            "hand_over": str(hand_over.reference),
            "recipient": to.username,
            "due_by": deadline.isoformat(),
            "state": state.value,
            "holder": by.username,
            "location": location,
        },
        at=at,
    )
    return hand_over


def _pending(hand_over: HandOver) -> None:
    if hand_over.hand_over_state is not HandOverState.PENDING:
        raise IllegalTransition(
            gettext_noop(
                "Hand-over %(reference)s is already %(state)s.",
                reference=hand_over.short_reference,
                state=_STATE_WORDS[hand_over.hand_over_state],
            )
        )


_STATE_WORDS = {
    HandOverState.PENDING: gettext_noop("pending"),
    HandOverState.ACCEPTED: gettext_noop("acknowledged"),
    HandOverState.REFUSED: gettext_noop("refused"),
    HandOverState.CANCELLED: gettext_noop("called back"),
}


def _resolve(
    hand_over: HandOver,
    *,
    outcome: HandOverState,
    event: CustodyEvent,
    holder: Person,
    by: Person,
    note: str,
    expected_version: int | None,
) -> tuple[CopyState, str, datetime]:
    """Close a pending hand-over and move its copy to ``holder``; both conditionally."""
    _pending(hand_over)
    copy = hand_over.copy
    state = next_state(copy.copy_state, event)
    at = now()
    version = hand_over.version if expected_version is None else expected_version
    closed = HandOver.objects.filter(
        pk=hand_over.pk, state=HandOverState.PENDING.value, version=version
    ).update(state=outcome.value, resolved_at=at, resolved_by=by, note=note, version=version + 1)
    if closed != 1:
        raise Conflict(
            gettext_noop(
                "Hand-over %(reference)s was changed by someone else a moment ago; reload it "
                "and try again.",
                reference=hand_over.short_reference,
            )
        )
    location = holder_location(holder)
    move(copy, state=state, holder=holder, location=location, expected_version=copy.version, at=at)
    # An alert about this hand-over (it was overdue) has done its work.
    alerts.clear(f"hand_over:{hand_over.reference}", because=outcome.value, at=at)
    hand_over.state, hand_over.resolved_at, hand_over.resolved_by = outcome.value, at, by
    hand_over.note, hand_over.version = note, version + 1
    return state, location, at


@writes
def accept_hand_over(
    hand_over: HandOver, *, by: Person, expected_version: int | None = None
) -> HandOver:
    """The recipient signs for the copy; from now on it is theirs."""
    check(by, Action.HAND_OVER_ACCEPT, hand_over.facts(), f"hand_over:{hand_over.reference}")
    state, location, at = _resolve(
        hand_over,
        outcome=HandOverState.ACCEPTED,
        event=CustodyEvent.ACCEPT,
        holder=by,
        by=by,
        note="",
        expected_version=expected_version,
    )
    record(
        Event.HAND_OVER_ACCEPTED,
        actor=by,
        subject=f"copy:{hand_over.copy.reference}",
        data={
            "hand_over": str(hand_over.reference),
            "sender": hand_over.sender.username,
            "state": state.value,
            "holder": by.username,
            "location": location,
        },
        at=at,
    )
    return hand_over


@writes
def refuse_hand_over(
    hand_over: HandOver, *, by: Person, reason: str = "", expected_version: int | None = None
) -> HandOver:
    """The recipient declines the copy; custody returns to the sender."""
    check(by, Action.HAND_OVER_REFUSE, hand_over.facts(), f"hand_over:{hand_over.reference}")
    note = _note(reason, "reason")
    return _back_to_sender(
        hand_over,
        outcome=HandOverState.REFUSED,
        event=CustodyEvent.REFUSE,
        kind=Event.HAND_OVER_REFUSED,
        by=by,
        note=note,
        expected_version=expected_version,
    )


@writes
def cancel_hand_over(
    hand_over: HandOver, *, by: Person, reason: str = "", expected_version: int | None = None
) -> HandOver:
    """The sender (or the registry of the copy's unit) calls the copy back before receipt."""
    check(by, Action.HAND_OVER_CANCEL, hand_over.facts(), f"hand_over:{hand_over.reference}")
    note = _note(reason, "reason")
    return _back_to_sender(
        hand_over,
        outcome=HandOverState.CANCELLED,
        event=CustodyEvent.CANCEL,
        kind=Event.HAND_OVER_CANCELLED,
        by=by,
        note=note,
        expected_version=expected_version,
    )


def _back_to_sender(
    hand_over: HandOver,
    *,
    outcome: HandOverState,
    event: CustodyEvent,
    kind: Event,
    by: Person,
    note: str,
    expected_version: int | None,
) -> HandOver:
    sender = hand_over.sender
    state, location, at = _resolve(
        hand_over,
        outcome=outcome,
        event=event,
        holder=sender,
        by=by,
        note=note,
        expected_version=expected_version,
    )
    record(
        kind,
        actor=by,
        subject=f"copy:{hand_over.copy.reference}",
        data={
            "hand_over": str(hand_over.reference),
            "reason": note,
            "state": state.value,
            "holder": sender.username,
            "location": location,
        },
        at=at,
    )
    return hand_over
