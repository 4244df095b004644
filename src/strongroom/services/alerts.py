"""Alerts and the periodic checks that raise them: nothing goes missing silently.

Each check is idempotent (run it twice, or from two workers, and it raises one alert per
stalled thing) and takes the time to judge by, so tests run it with a frozen clock. Checks act
as the system: their ledger entries have no actor.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction

from strongroom.adapters import clock, mail
from strongroom.ledger.events import Event
from strongroom.ledger.record import lock_writers, record
from strongroom.models import (
    Alert,
    AlertKind,
    HandOver,
    HandOverState,
    Person,
    Transit,
    TransitState,
)


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


def _open_subjects(kind: AlertKind) -> set[str]:
    return set(
        Alert.objects.filter(kind=kind.value, cleared_at__isnull=True).values_list(
            "subject", flat=True
        )
    )


# Alerts are written in batches, each batch one transaction: a backlog of thousands of stalled
# items is then seconds of work, not one commit per item.
BATCH = 500


def check_unacknowledged_hand_overs(*, now: datetime | None = None) -> int:
    """Raise an alert, to the sender, for every hand-over not acknowledged by its deadline."""
    now = now or clock.now()
    kind = AlertKind.HAND_OVER_OVERDUE
    already = _open_subjects(kind)
    overdue = (
        HandOver.objects.filter(state=HandOverState.PENDING.value, due_by__lt=now)
        .select_related("copy__document", "sender__unit", "recipient")
        .order_by("due_by", "id")
    )
    batch = [h for h in overdue.iterator(chunk_size=BATCH) if hand_over_subject(h) not in already]
    raised = 0
    for start in range(0, len(batch), BATCH):
        with transaction.atomic():
            lock_writers()
            for hand_over in batch[start : start + BATCH]:
                message = (
                    f"Hand-over {hand_over.short_reference} of {hand_over.copy.reference} "
                    f"({hand_over.copy.document.short_title}) from {hand_over.sender.username} "
                    f"to {hand_over.recipient.username} was not acknowledged by "
                    f"{hand_over.due_by:%Y-%m-%d %H:%M} UTC."
                )
                alert = _raise(
                    kind,
                    hand_over_subject(hand_over),
                    responsible=hand_over.sender,
                    message=message,
                    at=now,
                )
                raised += alert is not None
    return raised


def _raise_all(
    kind: AlertKind, found: list[Transit], message: Callable[[Transit], str], at: datetime
) -> int:
    """One alert per transit in ``found`` to the person who dispatched it, in batches."""
    raised = 0
    for start in range(0, len(found), BATCH):
        with transaction.atomic():
            lock_writers()
            for transit in found[start : start + BATCH]:
                alert = _raise(
                    kind,
                    f"transit:{transit.reference}",
                    responsible=transit.dispatched_by,
                    message=message(transit),
                    at=at,
                )
                raised += alert is not None
    return raised


def _transits(state: TransitState, kind: AlertKind, **before: datetime) -> list[Transit]:
    """Transits in ``state`` with the given time before a moment, without an open alert."""
    already = _open_subjects(kind)
    found = (
        Transit.objects.filter(state=state.value, **{f"{k}__lt": v for k, v in before.items()})
        .select_related("copy__document", "from_unit", "to_unit", "courier", "dispatched_by__unit")
        .order_by(*before, "id")
    )
    return [t for t in found.iterator(chunk_size=BATCH) if f"transit:{t.reference}" not in already]


def check_late_transits(*, now: datetime | None = None) -> int:
    """Raise an alert, to whoever dispatched it, for every transit not received in time."""
    now = now or clock.now()

    def message(transit: Transit) -> str:
        return (
            f"Transit {transit.short_reference} of {transit.copy.reference} "
            f"({transit.copy.document.short_title}) from {transit.from_unit.code} to "
            f"{transit.to_unit.code} with {transit.courier.username} was not received by "
            f"{transit.expected_by:%Y-%m-%d %H:%M} UTC."
        )

    kind = AlertKind.TRANSIT_LATE
    late = _transits(TransitState.IN_TRANSIT, kind, expected_by=now)
    return _raise_all(kind, late, message, now)


def check_unreturned_receipts(*, now: datetime | None = None) -> int:
    """Raise an alert, to whoever dispatched it, for every transit received more than
    STRONGROOM_TRANSIT_RECEIPT_DAYS ago whose receipt the sending registry has not confirmed."""
    now = now or clock.now()
    days = settings.STRONGROOM_TRANSIT_RECEIPT_DAYS

    def message(transit: Transit) -> str:
        assert transit.received_at is not None  # it is received
        return (
            f"The receipt for transit {transit.short_reference} of {transit.copy.reference} "
            f"({transit.copy.document.short_title}), received at {transit.to_unit.code} on "
            f"{transit.received_at:%Y-%m-%d}, has not come back to {transit.from_unit.code} "
            f"within {days} days."
        )

    kind = AlertKind.TRANSIT_RECEIPT_OVERDUE
    overdue = _transits(TransitState.RECEIVED, kind, received_at=now - timedelta(days=days))
    return _raise_all(kind, overdue, message, now)


@dataclass(frozen=True)
class CheckResult:
    name: str
    raised: int


CHECKS = {
    "unacknowledged hand-overs": check_unacknowledged_hand_overs,
    "late transits": check_late_transits,
    "receipts not returned": check_unreturned_receipts,
}


def run_checks(*, now: datetime | None = None) -> list[CheckResult]:
    """Every periodic check, once, judged at ``now``."""
    at = now or clock.now()
    return [CheckResult(name, check(now=at)) for name, check in CHECKS.items()]
