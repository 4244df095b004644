"""Reading hand-overs: one by reference, the lists of a person or a registry, and receipts."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Q, QuerySet

from strongroom.adapters import clock, pdf
from strongroom.domain.errors import InvalidInput, NotFound, not_found_text
from strongroom.domain.text import gettext_noop
from strongroom.models import Copy, HandOver, HandOverState, Person
from strongroom.policy import Action, Denied, Role, decide
from strongroom.policy.querysets import visible_copies
from strongroom.queries.references import by_reference

# What a receipt's QR code carries; the scan fields of the web app accept it as typed by a
# keyboard-wedge scanner.
QR_PREFIX = "strongroom:hand-over:"


def qr_payload(hand_over: HandOver) -> str:
    return f"{QR_PREFIX}{hand_over.reference}"


def _related() -> QuerySet[HandOver]:
    return HandOver.objects.select_related(
        "copy__document__unit",
        "copy__holder",
        "sender__unit",
        "recipient__unit",
        "resolved_by",
    )


def _find(text: str) -> HandOver | None:
    """By full reference, QR payload, or the 8-digit short reference people read out."""
    return by_reference(
        _related(),
        text.strip().lower().removeprefix(QR_PREFIX),
        ambiguous=lambda short: InvalidInput(
            gettext_noop(
                "More than one hand-over starts with %(reference)s; give the full reference.",
                reference=short,
            ),
            field="hand_over",
        ),
        malformed=InvalidInput(
            gettext_noop(
                "%(text)s is not a hand-over reference; use the 8 characters on the receipt "
                "(e.g. 3F2A9C01) or scan its QR code.",
                text=repr(text),
            ),
            field="hand_over",
        ),
    )


def hand_over(actor: Person, reference: str) -> HandOver:
    """One hand-over the actor may see; anything else reads as missing."""
    found = _find(reference)
    shown = reference.strip().upper().removeprefix(QR_PREFIX.upper())
    if found is None:
        raise NotFound(not_found_text(f"hand_over:{shown}"))
    decision = decide(actor.facts(clock.today()), Action.HAND_OVER_VIEW, found.facts())
    if not decision:
        # Named as asked: the full reference must not leak to someone who may not see it.
        raise Denied(Action.HAND_OVER_VIEW, decision, f"hand_over:{shown}")
    return found


class Box(enum.StrEnum):
    INCOMING = "incoming"
    OUTGOING = "outgoing"
    # Every hand-over of the copies a registrar, custodian or security officer answers for.
    UNIT = "unit"


_UNIT_ROLES = (Role.REGISTRAR, Role.CUSTODIAN, Role.SECURITY_OFFICER, Role.INSPECTOR)


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
    elif not facts.roles.intersection(_UNIT_ROLES):
        found = found.none()
    else:
        governed = Q(document__unit__path=facts.unit_path) | Q(
            document__unit__path__startswith=f"{facts.unit_path}/"
        )
        found = found.filter(copy__in=visible_copies(facts, Copy.objects.filter(governed)))
    if pending_only:
        found = found.filter(state=HandOverState.PENDING.value)
    return found


@dataclass(frozen=True)
class Receipt:
    filename: str
    content: bytes


def receipt(actor: Person, reference: str) -> Receipt:
    """The printable receipt of a hand-over, as often as anyone entitled asks for it."""
    found = hand_over(actor, reference)
    return Receipt(
        filename=f"hand-over-{found.short_reference}.pdf",
        content=pdf.render_pdf(
            "strongroom/print/hand_over_receipt.html",
            receipt_context(found, printed_by=actor, printed_at=clock.now()),
        ),
    )


def receipt_context(
    found: HandOver, *, printed_by: Person, printed_at: datetime
) -> dict[str, object]:
    document = found.copy.document
    payload = qr_payload(found)
    return {
        "hand_over": found,
        "copy": found.copy,
        "document": document,
        "banner": document.marking.banner(),
        "qr": pdf.qr_svg_data_uri(payload),
        "qr_payload": payload,
        "printed_by": printed_by,
        "printed_at": printed_at,
        "time_zone": settings.TIME_ZONE,
    }


def pending_for(actor: Person, copy: Copy) -> HandOver | None:
    """The copy's pending hand-over, if there is one and the actor may see it."""
    found = _related().filter(copy=copy, state=HandOverState.PENDING.value).first()
    if found is None:
        return None
    allowed = decide(actor.facts(clock.today()), Action.HAND_OVER_VIEW, found.facts())
    return found if allowed else None
