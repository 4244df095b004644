"""Reading hand-overs: one by reference, the lists of a person or a registry, and receipts."""

from __future__ import annotations

import enum
from datetime import datetime

from django.db.models import QuerySet

from strongroom.adapters import clock
from strongroom.domain.errors import InvalidInput
from strongroom.domain.text import gettext_noop
from strongroom.models import Copy, HandOver, HandOverState, Person
from strongroom.policy import Action, decide
from strongroom.queries import printing, references
from strongroom.queries.documents import answered_for

# What a receipt's QR code carries; the scan fields of the web app accept it as typed by a
# keyboard-wedge scanner.
QR_PREFIX = "strongroom:hand-over:"


def qr_payload(hand_over: HandOver) -> str:
    return f"{QR_PREFIX}{hand_over.reference}"


def _related() -> QuerySet[HandOver]:
    return HandOver.objects.select_related(
        "copy__document__unit",
        "copy__unit",
        "copy__holder",
        "sender__unit",
        "recipient__unit",
        "resolved_by",
    )


def _find(text: str) -> HandOver | None:
    """By full reference, QR payload, or the 8-digit short reference people read out."""
    return references.find(
        _related(),
        text,
        qr_prefix=QR_PREFIX,
        ambiguous=lambda short: InvalidInput(
            gettext_noop(
                "More than one hand-over starts with %(reference)s; give the full reference.",
                reference=short,
            ),
            field="hand_over",
        ),
        malformed=lambda given: InvalidInput(
            gettext_noop(
                "%(text)s is not a hand-over reference; use the 8 characters on the receipt "
                "(e.g. 3F2A9C01) or scan its QR code.",
                text=repr(given),
            ),
            field="hand_over",
        ),
    )


def hand_over(actor: Person, reference: str) -> HandOver:
    """One hand-over the actor may see; anything else reads as missing."""
    return references.visible(
        actor,
        _find(reference),
        reference,
        kind="hand_over",
        qr_prefix=QR_PREFIX,
        action=Action.HAND_OVER_VIEW,
    )


class Box(enum.StrEnum):
    INCOMING = "incoming"
    OUTGOING = "outgoing"
    # Every hand-over of the copies a registrar, custodian or security officer answers for.
    UNIT = "unit"


def hand_overs(
    actor: Person, box: Box = Box.INCOMING, *, pending_only: bool = False
) -> QuerySet[HandOver]:
    """The actor's incoming or outgoing hand-overs, or their units', newest first."""
    found = _related()
    facts = actor.facts(clock.today())
    if box is Box.INCOMING:
        found = found.filter(recipient=actor)
    elif box is Box.OUTGOING:
        found = found.filter(sender=actor)
    else:
        found = found.filter(copy__in=answered_for(facts))
    if pending_only:
        found = found.filter(state=HandOverState.PENDING.value)
    return found


def receipt(actor: Person, reference: str) -> printing.Printout:
    """The printable receipt of a hand-over, as often as anyone entitled asks for it."""
    found = hand_over(actor, reference)
    return printing.render(
        "strongroom/print/hand_over_receipt.html",
        f"hand-over-{found.short_reference}.pdf",
        receipt_context(found, printed_by=actor, printed_at=clock.now()),
    )


def receipt_context(
    found: HandOver, *, printed_by: Person, printed_at: datetime
) -> dict[str, object]:
    return printing.context(
        found,
        name="hand_over",
        qr_payload=qr_payload(found),
        printed_by=printed_by,
        printed_at=printed_at,
    )


def pending_for(actor: Person, copy: Copy) -> HandOver | None:
    """The copy's pending hand-over, if there is one and the actor may see it."""
    found = _related().filter(copy=copy, state=HandOverState.PENDING.value).first()
    if found is None:
        return None
    allowed = decide(actor.facts(clock.today()), Action.HAND_OVER_VIEW, found.facts())
    return found if allowed else None
