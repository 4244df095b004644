"""Alerts and the periodic checks that raise them: nothing goes missing silently.

Each check is idempotent (run it twice, or from two workers, and it raises one alert per
stalled thing) and takes the time to judge by, so tests run it with a frozen clock. Checks act
as the system: their ledger entries have no actor.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from django.conf import settings
from django.db import IntegrityError, transaction

from strongroom.adapters import clock, mail
from strongroom.ledger.events import Event
from strongroom.ledger.record import lock_writers, record
from strongroom.models import (
    Alert,
    AlertKind,
    CheckOut,
    HandOver,
    HandOverState,
    Person,
    Transit,
    TransitState,
)

T = TypeVar("T")


def _security_officers_over(person: Person) -> list[str]:
    """Usernames of the active security officers of the person's unit or a unit above it."""
    path = person.unit.path
    ancestors = [path[:i] for i in range(len(path)) if path[i] == "/"] + [path]
    officers = Person.objects.filter(
        unit__path__in=ancestors, status="active", roles__contains="security_officer"
    )
    return [officer.username for officer in officers]


def _raise(
    kind: AlertKind, subject: str, *, responsible: Person, message: str, at: datetime
) -> Alert | None:
    """One new open alert, with its ledger entry; None if one is open already."""
    if Alert.objects.filter(kind=kind.value, subject=subject, cleared_at__isnull=True).exists():
        return None
    try:
        with transaction.atomic():  # a savepoint: a racing worker's alert wins cleanly
            alert = Alert.objects.create(
                kind=kind.value,
                subject=subject,
                responsible=responsible,
                unit=responsible.unit,
                message=message,
                raised_at=at,
            )
    except IntegrityError:
        return None
    record(
        Event.ALERT_RAISED,
        actor=None,
        subject=subject,
        data={
            "alert": alert.pk,
            "kind": kind.value,
            "responsible": responsible.username,
            "unit": responsible.unit.code,
            "message": message,
        },
        at=at,
    )
    notify = [responsible.username, *_security_officers_over(responsible)]
    transaction.on_commit(lambda: mail.send(notify, f"strongroom: {message}", _body(message)))
    return alert


def _body(message: str) -> str:
    return (
        f"{message}\n\nThis alert stays on your strongroom dashboard until what it is about is "
        "resolved.\n"
    )


def clear(subject: str, *, because: str, at: datetime) -> int:
    """Close every open alert about ``subject``; call inside the transaction that resolves it."""
    cleared = 0
    for alert in Alert.objects.filter(subject=subject, cleared_at__isnull=True):
        Alert.objects.filter(pk=alert.pk).update(cleared_at=at, cleared_because=because)
        record(
            Event.ALERT_CLEARED,
            actor=None,
            subject=subject,
            data={"alert": alert.pk, "kind": alert.kind, "because": because},
            at=at,
        )
        cleared += 1
    return cleared


def hand_over_subject(hand_over: HandOver) -> str:
    return f"hand_over:{hand_over.reference}"


def check_out_subject(check_out: CheckOut) -> str:
    return f"check_out:{check_out.pk}"


def transit_subject(transit: Transit) -> str:
    return f"transit:{transit.reference}"


def _open_subjects(kind: AlertKind) -> set[str]:
    return set(
        Alert.objects.filter(kind=kind.value, cleared_at__isnull=True).values_list(
            "subject", flat=True
        )
    )


# Alerts are written in batches, each batch one transaction: a backlog of thousands of stalled
# items is then seconds of work, not one commit per item.
BATCH = 500


def _raise_for(
    kind: AlertKind,
    stalled: Iterable[T],
    *,
    subject: Callable[[T], str],
    responsible: Callable[[T], Person],
    message: Callable[[T], str],
    at: datetime,
) -> int:
    """One alert for each stalled thing that has none open yet, in batched transactions."""
    already = _open_subjects(kind)
    batch = [item for item in stalled if subject(item) not in already]
    raised = 0
    for start in range(0, len(batch), BATCH):
        with transaction.atomic():
            lock_writers()
            for item in batch[start : start + BATCH]:
                alert = _raise(
                    kind, subject(item), responsible=responsible(item), message=message(item), at=at
                )
                raised += alert is not None
    return raised


def _unacknowledged(hand_over: HandOver) -> str:
    return (
        f"Hand-over {hand_over.short_reference} of {hand_over.copy.reference} "
        f"({hand_over.copy.document.short_title}) from {hand_over.sender.username} "
        f"to {hand_over.recipient.username} was not acknowledged by "
        f"{hand_over.due_by:%Y-%m-%d %H:%M} UTC."
    )


def check_unacknowledged_hand_overs(*, now: datetime | None = None) -> int:
    """Raise an alert, to the sender, for every hand-over not acknowledged by its deadline."""
    now = now or clock.now()
    overdue = (
        HandOver.objects.filter(state=HandOverState.PENDING.value, due_by__lt=now)
        .select_related("copy__document", "sender__unit", "recipient")
        .order_by("due_by", "id")
    )
    return _raise_for(
        AlertKind.HAND_OVER_OVERDUE,
        overdue.iterator(chunk_size=BATCH),
        subject=hand_over_subject,
        responsible=lambda hand_over: hand_over.sender,
        message=_unacknowledged,
        at=now,
    )


def _not_back(check_out: CheckOut) -> str:
    return (
        f"{check_out.copy.reference} ({check_out.copy.document.short_title}), lent to "
        f"{check_out.reader.username} in the {check_out.place} by {check_out.lent_by.username}, "
        f"was due back at {check_out.due_back:%Y-%m-%d %H:%M} UTC and is not checked in."
    )


def check_overdue_check_outs(*, now: datetime | None = None) -> int:
    """Raise an alert, to the person who lent it, for every copy not checked in by its due time."""
    now = now or clock.now()
    overdue = (
        CheckOut.objects.filter(checked_in_at__isnull=True, due_back__lt=now)
        .select_related("copy__document", "lent_by__unit", "reader")
        .order_by("due_back", "id")
    )
    return _raise_for(
        AlertKind.CHECK_OUT_OVERDUE,
        overdue.iterator(chunk_size=BATCH),
        subject=check_out_subject,
        responsible=lambda check_out: check_out.lent_by,
        message=_not_back,
        at=now,
    )


def _transits(state: TransitState, **before: datetime) -> Iterable[Transit]:
    """Transits in ``state`` whose given time is before a moment, the longest waiting first."""
    found = (
        Transit.objects.filter(state=state.value, **{f"{k}__lt": v for k, v in before.items()})
        .select_related("copy__document", "from_unit", "to_unit", "courier", "dispatched_by__unit")
        .order_by(*before, "id")
    )
    return found.iterator(chunk_size=BATCH)


def _late(transit: Transit) -> str:
    return (
        f"Transit {transit.short_reference} of {transit.copy.reference} "
        f"({transit.copy.document.short_title}) from {transit.from_unit.code} to "
        f"{transit.to_unit.code} with {transit.courier.username} was not received by "
        f"{transit.expected_by:%Y-%m-%d %H:%M} UTC."
    )


def check_late_transits(*, now: datetime | None = None) -> int:
    """Raise an alert, to whoever dispatched it, for every transit not received in time."""
    now = now or clock.now()
    return _raise_for(
        AlertKind.TRANSIT_LATE,
        _transits(TransitState.IN_TRANSIT, expected_by=now),
        subject=transit_subject,
        responsible=lambda transit: transit.dispatched_by,
        message=_late,
        at=now,
    )


def _receipt_not_back(transit: Transit) -> str:
    assert transit.received_at is not None  # it is received
    return (
        f"The receipt for transit {transit.short_reference} of {transit.copy.reference} "
        f"({transit.copy.document.short_title}), received at {transit.to_unit.code} on "
        f"{transit.received_at:%Y-%m-%d}, has not come back to {transit.from_unit.code} "
        f"within {settings.STRONGROOM_TRANSIT_RECEIPT_DAYS} days."
    )


def check_unreturned_receipts(*, now: datetime | None = None) -> int:
    """Raise an alert, to whoever dispatched it, for every transit received more than
    STRONGROOM_TRANSIT_RECEIPT_DAYS ago whose receipt the sending registry has not confirmed."""
    now = now or clock.now()
    days = settings.STRONGROOM_TRANSIT_RECEIPT_DAYS
    return _raise_for(
        AlertKind.TRANSIT_RECEIPT_OVERDUE,
        _transits(TransitState.RECEIVED, received_at=now - timedelta(days=days)),
        subject=transit_subject,
        responsible=lambda transit: transit.dispatched_by,
        message=_receipt_not_back,
        at=now,
    )


@dataclass(frozen=True)
class CheckResult:
    name: str
    raised: int


CHECKS = {
    "unacknowledged hand-overs": check_unacknowledged_hand_overs,
    "overdue check-outs": check_overdue_check_outs,
    "late transits": check_late_transits,
    "receipts not returned": check_unreturned_receipts,
}


def run_checks(*, now: datetime | None = None) -> list[CheckResult]:
    """Every periodic check, once, judged at ``now``."""
    at = now or clock.now()
    return [CheckResult(name, check(now=at)) for name, check in CHECKS.items()]
