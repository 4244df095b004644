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
from strongroom.domain.campaigns import Step, days_between
from strongroom.ledger.events import Event
from strongroom.ledger.record import lock_writers, record
from strongroom.models import (
    Alert,
    AlertKind,
    CampaignItem,
    CheckOut,
    Destruction,
    DestructionState,
    HandOver,
    HandOverState,
    Incident,
    Person,
    Transit,
    TransitState,
    Unit,
)
from strongroom.models.campaigns import ladder
from strongroom.services import incidents

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
    kind: AlertKind,
    subject: str,
    *,
    responsible: Person,
    message: str,
    at: datetime,
    notify: Iterable[str] | None = None,
) -> Alert | None:
    """One new open alert, with its ledger entry; None if one is open already.

    It is e-mailed to the usernames in ``notify``: by default the responsible person and the
    security officers of their unit or above."""
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
    if notify is None:
        notify = [responsible.username, *_security_officers_over(responsible)]
    _mail(list(notify), f"strongroom: {message}", _body(message))
    return alert


def _mail(usernames: list[str], subject: str, body: str) -> None:
    """Once the transaction has committed: mail about something that was rolled back would lie."""
    transaction.on_commit(lambda: mail.send(usernames, subject, body))


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
    notify: Callable[[T], Iterable[str]] | None = None,
) -> int:
    """One alert for each stalled thing that has none open yet, in batched transactions.

    ``notify`` names whom to mail when it is more than ``_raise``'s default."""
    already = _open_subjects(kind)
    batch = [item for item in stalled if subject(item) not in already]
    raised = 0
    for start in range(0, len(batch), BATCH):
        with transaction.atomic():
            lock_writers()
            for item in batch[start : start + BATCH]:
                alert = _raise(
                    kind,
                    subject(item),
                    responsible=responsible(item),
                    message=message(item),
                    at=at,
                    notify=None if notify is None else notify(item),
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


def _unwitnessed(destruction: Destruction) -> str:
    return (
        f"Destruction {destruction.short_reference} of {destruction.copy.reference} "
        f"({destruction.copy.document.short_title}), signed by {destruction.destroyer.username} "
        f"on {destruction.proposed_at:%Y-%m-%d %H:%M} UTC, has not been countersigned by its "
        f"witness {destruction.witness.username} within "
        f"{settings.STRONGROOM_DESTRUCTION_WITNESS_DAYS} day(s)."
    )


def _destroyer_witness_and_officers(destruction: Destruction) -> list[str]:
    # The witness is the one whose signature is missing: they hear of it as well.
    destroyer = destruction.destroyer
    return [destroyer.username, destruction.witness.username, *_security_officers_over(destroyer)]


def check_unwitnessed_destructions(*, now: datetime | None = None) -> int:
    """Raise an alert, to the destroyer, for every destruction its witness has neither
    countersigned nor refused within STRONGROOM_DESTRUCTION_WITNESS_DAYS of the destroyer's
    signature. Meanwhile the copy can neither leave the registry nor be destroyed."""
    now = now or clock.now()
    days = settings.STRONGROOM_DESTRUCTION_WITNESS_DAYS
    waiting = (
        Destruction.objects.filter(
            state=DestructionState.PENDING.value, proposed_at__lt=now - timedelta(days=days)
        )
        .select_related("copy__document", "destroyer__unit", "witness")
        .order_by("proposed_at", "id")
    )
    return _raise_for(
        AlertKind.DESTRUCTION_UNWITNESSED,
        waiting.iterator(chunk_size=BATCH),
        subject=lambda destruction: destruction.subject,
        responsible=lambda destruction: destruction.destroyer,
        message=_unwitnessed,
        notify=_destroyer_witness_and_officers,
        at=now,
    )


# -- campaign reminders ---------------------------------------------------------------------

_STEP_KINDS = {
    Step.HOLDER: AlertKind.CAMPAIGN_OVERDUE_HOLDER,
    Step.SUPERVISOR: AlertKind.CAMPAIGN_OVERDUE_SUPERVISOR,
    Step.SECURITY_OFFICER: AlertKind.CAMPAIGN_OVERDUE_SECURITY_OFFICER,
}
# Alert messages and incident summaries are columns of 500 characters.
_MESSAGE_LENGTH = 500


def _upwards(path: str) -> list[str]:
    """``HQ/NORTH/NCITY`` -> the paths of that unit and every unit above it, nearest first."""
    parts = path.split("/")
    return ["/".join(parts[:end]) for end in range(len(parts), 0, -1)]


class _Chain:
    """Who answers for a person: unit heads and security officers by unit, read once a run."""

    def __init__(self) -> None:
        self.heads = {
            unit.path: unit.head
            for unit in Unit.objects.filter(
                head__isnull=False, head__status="active"
            ).select_related("head__unit")
            if unit.head is not None and unit.head.unit_id == unit.pk  # still one of its people
        }
        self.officers: dict[str, list[Person]] = {}
        officers = Person.objects.filter(status="active", roles__contains="security_officer")
        for officer in officers.select_related("unit").order_by("username"):
            self.officers.setdefault(officer.unit.path, []).append(officer)

    def supervisor(self, person: Person) -> Person | None:
        """The head of the person's unit, or of the nearest unit above with a head; never the
        person themselves."""
        for path in _upwards(person.unit.path):
            head = self.heads.get(path)
            if head is not None and head.pk != person.pk:
                return head
        return None

    def security_officers(self, person: Person) -> list[Person]:
        """The active security officers of the person's unit and above, nearest first."""
        return [
            officer
            for path in _upwards(person.unit.path)
            for officer in self.officers.get(path, [])
        ]


def _fit(text: str) -> str:
    return text if len(text) <= _MESSAGE_LENGTH else text[: _MESSAGE_LENGTH - 1] + "…"


def _overdue_copy(item: CampaignItem, holder: Person, now: datetime) -> str:
    campaign, copy = item.campaign, item.copy
    document = campaign.document
    days = days_between(campaign.due_back, now)
    return (
        f"{copy.reference} ({document.short_title}, copy {copy.number} of "
        f"{document.copy_count}) from campaign {campaign.short_reference} was due back by "
        f"{campaign.due_back:%Y-%m-%d %H:%M} UTC ({days} day(s) ago) and {holder.username} "
        f"({holder.unit.code}) still holds it"
    )


def _reminder(
    item: CampaignItem, step: Step, holder: Person, chain: _Chain, now: datetime
) -> tuple[Person, list[str], str]:
    """Who must act on this step, whom to mail, and what the alert says."""
    overdue = _overdue_copy(item, holder, now)
    registry = item.campaign.document.unit.code
    issuer = item.campaign.created_by
    if step is Step.HOLDER:
        message = f"{overdue}; return it to the {registry} registry."
        return holder, [holder.username], message
    if step is Step.SUPERVISOR:
        supervisor = chain.supervisor(holder)
        if supervisor is None:
            message = (
                f"{overdue}. No head is appointed over {holder.unit.code} or any unit above it, "
                "so the campaign's issuer is reminded instead."
            )
            return issuer, [issuer.username], message
        message = f"{overdue}; as {holder.username}'s supervisor, see that it comes back."
        return supervisor, [supervisor.username], message
    officers = chain.security_officers(holder)
    responsible = officers[0] if officers else issuer
    message = f"{overdue}; as security officer, see that it comes back."
    return responsible, [responsible.username, *(o.username for o in officers)], message


def _not_returned(item: CampaignItem, holder: Person, grace: int) -> str:
    campaign, copy = item.campaign, item.copy
    return (
        f"{copy.reference} ({campaign.document.short_title}) issued to "
        f"{item.recipient.username} in campaign {campaign.short_reference} was not returned "
        f"within {grace} day(s) of its due-back time, {campaign.due_back:%Y-%m-%d %H:%M} UTC; "
        f"{holder.username} ({holder.unit.code}) holds it."
    )


def check_campaign_reminders(*, now: datetime | None = None) -> Tally:
    """Escalate every campaign copy still out after its due-back time, one alert per step of
    the ladder reached (holder, supervisor, security officer), and open an incident once the
    grace period is over. Returning the copy clears its alerts (services.custody)."""
    now = now or clock.now()
    rungs = ladder()
    open_alerts = {step: _open_subjects(kind) for step, kind in _STEP_KINDS.items()}
    with_incident = set(
        Incident.objects.filter(campaign_item__returned_at__isnull=True).values_list(
            "campaign_item_id", flat=True
        )
    )
    out = (
        CampaignItem.objects.filter(
            returned_at__isnull=True,
            campaign__due_back__lt=now - timedelta(days=rungs.holder),
        )
        .select_related(
            "campaign__document__unit",
            "campaign__created_by__unit",
            "copy__holder__unit",
            "recipient__unit",
        )
        .order_by("campaign__due_back", "id")
    )
    work: list[tuple[CampaignItem, Step | None]] = []
    for item in out.iterator(chunk_size=BATCH):
        due_back = item.campaign.due_back
        work += [
            (item, step)
            for step in rungs.reached(due_back, now)
            if item.subject not in open_alerts[step]
        ]
        if rungs.grace_over(due_back, now) and item.pk not in with_incident:
            work.append((item, None))  # None: the incident
    if not work:
        return Tally()
    tally = Tally()
    chain = _Chain()
    for start in range(0, len(work), BATCH):
        with transaction.atomic():
            lock_writers()
            for item, step in work[start : start + BATCH]:
                # The accountable holder now (the recipient may have handed it on).
                holder = item.copy.holder or item.recipient
                if step is None:
                    tally += _open_incident(item, holder, chain, rungs.grace, now)
                    continue
                responsible, notify, message = _reminder(item, step, holder, chain, now)
                alert = _raise(
                    _STEP_KINDS[step],
                    item.subject,
                    responsible=responsible,
                    message=_fit(message),
                    at=now,
                    notify=notify,
                )
                tally += Tally(alerts=int(alert is not None))
    return tally


def _open_incident(
    item: CampaignItem, holder: Person, chain: _Chain, grace: int, now: datetime
) -> Tally:
    summary = _fit(_not_returned(item, holder, grace))
    incident = incidents.open_copy_not_returned(item, person=holder, summary=summary, at=now)
    if incident is None:
        return Tally()
    officers = [officer.username for officer in chain.security_officers(holder)]
    subject = f"strongroom: incident {incident.short_reference}: {summary}"
    _mail(officers, subject, f"{summary}\n\nThe incident is on the strongroom incidents list.\n")
    return Tally(incidents=1)


# -- running the checks ---------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    """What a check raised: new alerts, and incidents opened."""

    alerts: int = 0
    incidents: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.alerts + other.alerts, self.incidents + other.incidents)


@dataclass(frozen=True)
class CheckResult:
    name: str
    raised: int
    opened: int = 0


CHECKS: dict[str, Callable[..., int | Tally]] = {
    "unacknowledged hand-overs": check_unacknowledged_hand_overs,
    "overdue check-outs": check_overdue_check_outs,
    "late transits": check_late_transits,
    "receipts not returned": check_unreturned_receipts,
    "campaign reminders": check_campaign_reminders,
    "destructions not witnessed": check_unwitnessed_destructions,
}


def run_checks(*, now: datetime | None = None) -> list[CheckResult]:
    """Every periodic check, once, judged at ``now``."""
    at = now or clock.now()
    results = []
    for name, check in CHECKS.items():
        outcome = check(now=at)
        tally = outcome if isinstance(outcome, Tally) else Tally(alerts=outcome)
        results.append(CheckResult(name, tally.alerts, tally.incidents))
    return results
