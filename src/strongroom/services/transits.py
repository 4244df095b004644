"""Transits: a registry sends a copy to another unit's registry with an authorised courier.

The copy leaves the registry in two layers of wrapping (the inner one marked, the outer one not)
and is "in transit", with the courier as its accountable holder, until the destination registry
receives it. From then on that registry answers for the copy, and its receipt goes back to the
sender; the sending registry confirms when it has it. Until then the transit is on the sender's
suspense list. A transit not received by its expected time raises an alert (services.alerts).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings

from strongroom.domain.custody import CustodyEvent, next_state
from strongroom.domain.errors import Conflict, IllegalTransition, InvalidInput
from strongroom.domain.text import gettext_noop
from strongroom.domain.transport import packaging_problem
from strongroom.ledger.events import Event
from strongroom.ledger.record import record
from strongroom.models import Copy, Person, Transit, TransitState, Unit
from strongroom.models.transport import authorisations_of
from strongroom.policy import Action, SendFacts
from strongroom.services import alerts
from strongroom.services.base import check, deadline, now, writes
from strongroom.services.custody import move
from strongroom.services.registry import registry_location


def in_transit_location(from_unit: Unit, to_unit: Unit, courier: Person) -> str:
    return f"in transit from {from_unit.code} to {to_unit.code} with {courier.username}"


def _expected_by(requested: datetime | None, at: datetime) -> datetime:
    hours = settings.STRONGROOM_TRANSIT_HOURS
    if requested is None:
        return at + timedelta(hours=hours)
    return deadline(requested, at=at, hours=hours, field="expected_by")


@writes
def send_copy(
    copy: Copy,
    *,
    to_unit: Unit,
    courier: Person,
    inner_wrapping: str,
    outer_wrapping: str,
    by: Person,
    expected_by: datetime | None = None,
    expected_version: int | None = None,
) -> Transit:
    """Send ``copy`` from the registry that answers for it to ``to_unit``'s, with ``courier``."""
    facts = SendFacts(copy.facts(), to_unit.path, courier.as_target(), authorisations_of(courier))
    check(by, Action.TRANSIT_SEND, facts, f"copy:{copy.reference}")
    from_unit = copy.unit
    if to_unit.pk == from_unit.pk:
        raise InvalidInput(
            gettext_noop(
                "%(copy)s is already in the registry of %(unit)s; choose another unit.",
                copy=copy.reference,
                unit=to_unit.code,
            ),
            field="to_unit",
        )
    state = next_state(copy.copy_state, CustodyEvent.SEND)
    at = now()
    deadline = _expected_by(expected_by, at)
    inner, outer = " ".join(inner_wrapping.split()), " ".join(outer_wrapping.split())
    problem = packaging_problem(inner, outer, copy.document.marking)
    if problem is not None:
        raise InvalidInput(problem.text, field=problem.field)
    location = in_transit_location(from_unit, to_unit, courier)
    move(
        copy,
        state=state,
        holder=courier,
        location=location,
        expected_version=copy.version if expected_version is None else expected_version,
        at=at,
    )
    transit = Transit.objects.create(
        copy=copy,
        from_unit=from_unit,
        to_unit=to_unit,
        courier=courier,
        dispatched_by=by,
        dispatched_at=at,
        expected_by=deadline,
        inner_wrapping=inner,
        outer_wrapping=outer,
    )
    record(
        Event.TRANSIT_DISPATCHED,
        actor=by,
        subject=f"copy:{copy.reference}",
        data={
            "transit": str(transit.reference),
            "from_unit": from_unit.code,
            "to_unit": to_unit.code,
            "courier": courier.username,
            "expected_by": deadline.isoformat(),
            "inner_wrapping": inner,
            "outer_wrapping": outer,
            "state": state.value,
            "holder": courier.username,
            "location": location,
        },
        at=at,
    )
    return transit


_STATE_WORDS = {
    TransitState.IN_TRANSIT: gettext_noop("in transit"),
    TransitState.RECEIVED: gettext_noop("received"),
    TransitState.RECEIPT_RETURNED: gettext_noop("closed: its receipt is back with the sender"),
}


def _advance(
    transit: Transit,
    *,
    from_state: TransitState,
    changes: dict[str, object],
    expected_version: int | None,
) -> None:
    """Move the transit on from ``from_state``, only if nobody changed it since it was read."""
    if transit.transit_state is not from_state:
        if from_state is TransitState.RECEIVED and transit.transit_state is TransitState.IN_TRANSIT:
            raise IllegalTransition(
                gettext_noop(
                    "Transit %(reference)s has not been received yet; its receipt comes back "
                    "only after the destination registry has received the copy.",
                    reference=transit.short_reference,
                )
            )
        raise IllegalTransition(
            gettext_noop(
                "Transit %(reference)s is already %(state)s.",
                reference=transit.short_reference,
                state=_STATE_WORDS[transit.transit_state],
            )
        )
    version = transit.version if expected_version is None else expected_version
    changed = Transit.objects.filter(pk=transit.pk, state=from_state.value, version=version).update(
        **changes, version=version + 1
    )
    if changed != 1:
        raise Conflict(
            gettext_noop(
                "Transit %(reference)s was changed by someone else a moment ago; reload it and "
                "try again.",
                reference=transit.short_reference,
            )
        )
    for name, value in changes.items():
        setattr(transit, name, value)
    transit.version = version + 1


@writes
def receive_transit(
    transit: Transit, *, by: Person, expected_version: int | None = None
) -> Transit:
    """The destination registry signs for the copy; it answers for the copy from now on."""
    check(by, Action.TRANSIT_RECEIVE, transit.facts(), alerts.transit_subject(transit))
    copy = transit.copy
    at = now()
    _advance(
        transit,
        from_state=TransitState.IN_TRANSIT,
        changes={"state": TransitState.RECEIVED.value, "received_at": at, "received_by": by},
        expected_version=expected_version,
    )
    state = next_state(copy.copy_state, CustodyEvent.RECEIVE)
    to_unit = transit.to_unit
    location = registry_location(to_unit)
    move(copy, state=state, holder=None, location=location, expected_version=copy.version, at=at)
    Copy.objects.filter(pk=copy.pk).update(unit=to_unit)
    copy.unit = to_unit
    # A late-transit alert has done its work.
    alerts.clear(alerts.transit_subject(transit), because="received", at=at)
    record(
        Event.TRANSIT_RECEIVED,
        actor=by,
        subject=f"copy:{copy.reference}",
        data={
            "transit": str(transit.reference),
            "from_unit": transit.from_unit.code,
            "courier": transit.courier.username,
            "unit": to_unit.code,
            "state": state.value,
            "holder": None,
            "location": location,
        },
        at=at,
    )
    return transit


@writes
def confirm_receipt(
    transit: Transit, *, by: Person, expected_version: int | None = None
) -> Transit:
    """The sending registry has the signed receipt back: the transit leaves its suspense list."""
    check(by, Action.TRANSIT_CONFIRM_RECEIPT, transit.facts(), alerts.transit_subject(transit))
    at = now()
    _advance(
        transit,
        from_state=TransitState.RECEIVED,
        changes={
            "state": TransitState.RECEIPT_RETURNED.value,
            "receipt_returned_at": at,
            "receipt_confirmed_by": by,
        },
        expected_version=expected_version,
    )
    alerts.clear(alerts.transit_subject(transit), because="receipt returned", at=at)
    received_by = transit.received_by
    record(
        Event.TRANSIT_RECEIPT_CONFIRMED,
        actor=by,
        subject=f"copy:{transit.copy.reference}",
        data={
            "transit": str(transit.reference),
            "to_unit": transit.to_unit.code,
            "received_by": received_by.username if received_by else None,
        },
        at=at,
    )
    return transit
