"""Reading transits: one by reference, the lists of a registry (incl. its suspense list), and
receipts."""

from __future__ import annotations

import enum
from datetime import datetime

from django.db.models import Q, QuerySet

from strongroom.adapters import clock
from strongroom.domain.errors import InvalidInput
from strongroom.domain.text import gettext_noop
from strongroom.models import Copy, Person, Transit, TransitState
from strongroom.policy import Action, decide
from strongroom.policy.facts import ActorFacts
from strongroom.policy.querysets import visible_copies
from strongroom.queries import printing, references
from strongroom.queries.documents import UNIT_ROLES

# What a receipt's QR code carries; the scan field of the web app accepts it.
QR_PREFIX = "strongroom:transit:"


def qr_payload(transit: Transit) -> str:
    return f"{QR_PREFIX}{transit.reference}"


def _related() -> QuerySet[Transit]:
    return Transit.objects.select_related(
        "copy__document__unit",
        "copy__unit",
        "copy__holder",
        "from_unit",
        "to_unit",
        "courier__unit",
        "dispatched_by__unit",
        "received_by__unit",
        "receipt_confirmed_by",
    )


def _find(text: str) -> Transit | None:
    """By full reference, QR payload, or the 8-digit short reference people read out."""
    return references.find(
        _related(),
        text,
        qr_prefix=QR_PREFIX,
        ambiguous=lambda short: InvalidInput(
            gettext_noop(
                "More than one transit starts with %(reference)s; give the full reference.",
                reference=short,
            ),
            field="transit",
        ),
        malformed=lambda given: InvalidInput(
            gettext_noop(
                "%(text)s is not a transit reference; use the 8 characters on the receipt "
                "(e.g. 3F2A9C01) or scan its QR code.",
                text=repr(given),
            ),
            field="transit",
        ),
    )


def transit(actor: Person, reference: str) -> Transit:
    """One transit the actor may see; anything else reads as missing."""
    return references.visible(
        actor,
        _find(reference),
        reference,
        kind="transit",
        qr_prefix=QR_PREFIX,
        action=Action.TRANSIT_VIEW,
    )


class Box(enum.StrEnum):
    # Every transit the actor may see: theirs, and those of the registries they answer for.
    ALL = "all"
    # Sent from a registry the actor answers for: the sender's side, with its suspense list.
    OUTGOING = "outgoing"
    # To a registry the actor answers for: what it must receive.
    INCOMING = "incoming"
    # Those the actor carries (or carried) as the courier.
    CARRYING = "carrying"


def _within(prefix: str, facts: ActorFacts) -> Q:
    return Q(**{f"{prefix}__path": facts.unit_path}) | Q(
        **{f"{prefix}__path__startswith": f"{facts.unit_path}/"}
    )


def transits(
    actor: Person, box: Box = Box.ALL, *, suspense: bool = False, late: bool = False
) -> QuerySet[Transit]:
    """Transits the actor may see, newest first, as the same rule as ``transit`` allows.

    ``suspense``: only those whose receipt has not yet come back to the sending registry (in
    transit, or received but not confirmed). ``late``: only those still in transit after their
    expected arrival."""
    facts = actor.facts(clock.today())
    found = _related()
    if facts.status.value != "active":
        return found.none()
    parties = Q(dispatched_by=actor) | Q(courier=actor)
    registry = facts.roles.intersection(UNIT_ROLES)
    if box is Box.CARRYING:
        found = found.filter(courier=actor)
    elif not registry:
        found = found.filter(parties) if box is Box.ALL else found.none()
    else:
        ends = {
            Box.ALL: _within("from_unit", facts) | _within("to_unit", facts),
            Box.OUTGOING: _within("from_unit", facts),
            Box.INCOMING: _within("to_unit", facts),
        }[box]
        answerable = Q(ends, copy__in=visible_copies(facts, Copy.objects.all()))
        found = found.filter(answerable | parties) if box is Box.ALL else found.filter(answerable)
    if suspense:
        found = found.exclude(state=TransitState.RECEIPT_RETURNED.value)
    if late:
        found = found.filter(state=TransitState.IN_TRANSIT.value, expected_by__lt=clock.now())
    return found


def open_for(actor: Person, copy: Copy) -> Transit | None:
    """The copy's transit under way, if there is one and the actor may see it."""
    found = _related().filter(copy=copy, state=TransitState.IN_TRANSIT.value).first()
    if found is None:
        return None
    allowed = decide(actor.facts(clock.today()), Action.TRANSIT_VIEW, found.facts())
    return found if allowed else None


def receipt(actor: Person, reference: str) -> printing.Printout:
    """The transit's printable record and receipt, as often as anyone entitled asks for it."""
    found = transit(actor, reference)
    return printing.render(
        "strongroom/print/transit_receipt.html",
        f"transit-{found.short_reference}.pdf",
        receipt_context(found, printed_by=actor, printed_at=clock.now()),
    )


def receipt_context(
    found: Transit, *, printed_by: Person, printed_at: datetime
) -> dict[str, object]:
    return printing.context(
        found,
        name="transit",
        qr_payload=qr_payload(found),
        printed_by=printed_by,
        printed_at=printed_at,
    )
