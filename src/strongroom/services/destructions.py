"""Witnessed destruction: the destroyer puts a copy forward, a second person countersigns.

Two people sign every destruction, in two steps, each authenticated on their own:

1. the destroyer — registry staff of the copy's unit — records it: the copy, the method, the
   date, and the witness. The copy is then "awaiting destruction": still in the registry, but it
   can be neither issued nor put forward again;
2. the witness — another person, also eligible for the marking — countersigns, and the copy is
   destroyed for good; or refuses, and it is back in the registry. The destroyer (or the
   registry of the copy's unit) may withdraw it before then.

Both signatories' eligibility is judged again when the witness countersigns. The record is kept
at least ``STRONGROOM_DESTRUCTION_RETENTION_YEARS``; nothing here ever deletes it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from django.conf import settings
from django.utils import timezone

from strongroom.domain.custody import CopyState, CustodyEvent, next_state
from strongroom.domain.destruction import Method, kept_until, method_for
from strongroom.domain.errors import Conflict, IllegalTransition, InvalidInput
from strongroom.domain.text import Text, gettext_noop
from strongroom.ledger.events import Event
from strongroom.ledger.record import record
from strongroom.models import Copy, Destruction, DestructionState, Person
from strongroom.policy import Action
from strongroom.policy.facts import DestructionFacts
from strongroom.services import alerts
from strongroom.services.base import check, now, writes
from strongroom.services.custody import move
from strongroom.services.inputs import text
from strongroom.services.registry import registry_location

MAX_TEXT = 500


def destroyed_location(method: Method) -> str:
    return f"destroyed by {method.label}"


def _destroyed_on(value: date | None, copy: Copy, at: datetime) -> date:
    """The date written on the certificate: today by default; never in the future, and never
    before the copy came into the registry (it was elsewhere then)."""
    today = timezone.localdate(at)
    day = today if value is None else value
    if day > today:
        raise InvalidInput(
            gettext_noop("The date of destruction cannot be in the future."),
            field="destroyed_on",
        )
    arrived = timezone.localdate(copy.since)
    if day < arrived:
        raise InvalidInput(
            gettext_noop(
                "Copy %(copy)s has been in the registry only since %(since)s; it cannot have "
                "been destroyed before then.",
                copy=copy.reference,
                since=arrived.isoformat(),
            ),
            field="destroyed_on",
        )
    return day


@writes
def propose_destruction(
    copy: Copy,
    *,
    witness: Person,
    method: str,
    destroyed_on: date | None = None,
    note: str = "",
    by: Person,
    expected_version: int | None = None,
) -> Destruction:
    """The destroyer's signature: ``copy`` awaits destruction until ``witness`` countersigns."""
    facts = DestructionFacts(copy.facts(), by.as_target(), witness.as_target())
    check(by, Action.DESTRUCTION_PROPOSE, facts, f"copy:{copy.reference}")
    state = next_state(copy.copy_state, CustodyEvent.PROPOSE_DESTRUCTION)
    at = now()
    chosen = method_for(method, copy.document.medium)
    day = _destroyed_on(destroyed_on, copy, at)
    note = text(note, "note", gettext_noop("The note"), required=False, max_length=MAX_TEXT)
    marking = copy.document.marking.banner()
    location = copy.location
    move(
        copy,
        state=state,
        holder=None,
        location=location,
        expected_version=copy.version if expected_version is None else expected_version,
        at=at,
    )
    destruction = Destruction.objects.create(
        copy=copy,
        destroyer=by,
        witness=witness,
        method=chosen.value,
        destroyed_on=day,
        marking=marking,
        note=note,
        proposed_at=at,
    )
    record(
        Event.DESTRUCTION_PROPOSED,
        actor=by,
        subject=f"copy:{copy.reference}",
        data={
            "destruction": str(destruction.reference),
            "witness": witness.username,
            "method": chosen.value,
            "destroyed_on": day.isoformat(),
            "marking": marking,
            "note": note,
            "state": state.value,
            "holder": None,
            "location": location,
        },
        at=at,
    )
    return destruction


_STATE_WORDS: dict[DestructionState, Text] = {
    DestructionState.PENDING: gettext_noop("awaiting the witness"),
    DestructionState.WITNESSED: gettext_noop("witnessed"),
    DestructionState.REFUSED: gettext_noop("refused by the witness"),
    DestructionState.WITHDRAWN: gettext_noop("withdrawn"),
}


def state_words(state: DestructionState) -> Text:
    return _STATE_WORDS[state]


def _pending(destruction: Destruction) -> None:
    if destruction.destruction_state is not DestructionState.PENDING:
        raise IllegalTransition(
            gettext_noop(
                "Destruction %(reference)s is already %(state)s.",
                reference=destruction.short_reference,
                state=_STATE_WORDS[destruction.destruction_state],
            )
        )


def _resolve(
    destruction: Destruction,
    *,
    outcome: DestructionState,
    event: CustodyEvent,
    location: str,
    by: Person,
    reason: str,
    kept_until: date | None,
    expected_version: int | None,
) -> tuple[CopyState, datetime]:
    """Close a pending destruction and move its copy; both conditionally."""
    _pending(destruction)
    copy = destruction.copy
    state = next_state(copy.copy_state, event)
    at = now()
    version = destruction.version if expected_version is None else expected_version
    closed = Destruction.objects.filter(
        pk=destruction.pk, state=DestructionState.PENDING.value, version=version
    ).update(
        state=outcome.value,
        resolved_at=at,
        resolved_by=by,
        reason=reason,
        kept_until=kept_until,
        version=version + 1,
    )
    if closed != 1:
        raise Conflict(
            gettext_noop(
                "Destruction %(reference)s was changed by someone else a moment ago; reload it "
                "and try again.",
                reference=destruction.short_reference,
            )
        )
    move(copy, state=state, holder=None, location=location, expected_version=copy.version, at=at)
    # An alert that the witness was late has done its work, whichever way it ended.
    alerts.clear(destruction.subject, because=outcome.value, at=at)
    destruction.state, destruction.resolved_at, destruction.resolved_by = outcome.value, at, by
    destruction.reason, destruction.kept_until = reason, kept_until
    destruction.version = version + 1
    return state, at


@writes
def witness_destruction(
    destruction: Destruction, *, by: Person, expected_version: int | None = None
) -> Destruction:
    """The witness's countersignature: the copy is destroyed, and can never change again."""
    check(by, Action.DESTRUCTION_WITNESS, destruction.facts(), destruction.subject)
    method = destruction.destruction_method
    keep = kept_until(destruction.destroyed_on, settings.STRONGROOM_DESTRUCTION_RETENTION_YEARS)
    location = destroyed_location(method)
    state, at = _resolve(
        destruction,
        outcome=DestructionState.WITNESSED,
        event=CustodyEvent.DESTROY,
        location=location,
        by=by,
        reason="",
        kept_until=keep,
        expected_version=expected_version,
    )
    record(
        Event.DESTRUCTION_WITNESSED,
        actor=by,
        subject=f"copy:{destruction.copy.reference}",
        data={
            "destruction": str(destruction.reference),
            "destroyer": destruction.destroyer.username,
            "method": method.value,
            "destroyed_on": destruction.destroyed_on.isoformat(),
            "kept_until": keep.isoformat(),
            "state": state.value,
            "holder": None,
            "location": location,
        },
        at=at,
    )
    return destruction


def _called_off(
    destruction: Destruction,
    *,
    outcome: DestructionState,
    kind: Event,
    by: Person,
    reason: str,
    expected_version: int | None,
) -> Destruction:
    """Refused or withdrawn: the copy is back in its registry, as it was."""
    reason = text(reason, "reason", gettext_noop("A reason"), max_length=MAX_TEXT)
    location = registry_location(destruction.copy.unit)
    state, at = _resolve(
        destruction,
        outcome=outcome,
        event=CustodyEvent.CANCEL_DESTRUCTION,
        location=location,
        by=by,
        reason=reason,
        kept_until=None,
        expected_version=expected_version,
    )
    record(
        kind,
        actor=by,
        subject=f"copy:{destruction.copy.reference}",
        data={
            "destruction": str(destruction.reference),
            "reason": reason,
            "state": state.value,
            "holder": None,
            "location": location,
        },
        at=at,
    )
    return destruction


class CallOffService(Protocol):
    """``refuse_destruction`` and ``withdraw_destruction``, for adapters that treat them alike."""

    def __call__(
        self,
        destruction: Destruction,
        *,
        by: Person,
        reason: str,
        expected_version: int | None = None,
    ) -> Destruction: ...


@writes
def refuse_destruction(
    destruction: Destruction, *, by: Person, reason: str, expected_version: int | None = None
) -> Destruction:
    """The witness will not countersign; the copy goes back to the registry."""
    check(by, Action.DESTRUCTION_REFUSE, destruction.facts(), destruction.subject)
    return _called_off(
        destruction,
        outcome=DestructionState.REFUSED,
        kind=Event.DESTRUCTION_REFUSED,
        by=by,
        reason=reason,
        expected_version=expected_version,
    )


@writes
def withdraw_destruction(
    destruction: Destruction, *, by: Person, reason: str, expected_version: int | None = None
) -> Destruction:
    """The destroyer (or the registry of the copy's unit) takes the proposal back."""
    check(by, Action.DESTRUCTION_WITHDRAW, destruction.facts(), destruction.subject)
    return _called_off(
        destruction,
        outcome=DestructionState.WITHDRAWN,
        kind=Event.DESTRUCTION_WITHDRAWN,
        by=by,
        reason=reason,
        expected_version=expected_version,
    )
