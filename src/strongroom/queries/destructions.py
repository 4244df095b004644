"""Reading destructions: one by reference, those of a copy, lists, and certificates."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from strongroom.adapters import clock
from strongroom.domain.errors import IllegalTransition, InvalidInput
from strongroom.domain.text import gettext_noop
from strongroom.models import Copy, Destruction, DestructionState, Person
from strongroom.policy import Action, decide
from strongroom.queries import printing, references
from strongroom.queries.documents import answered_for

# What a certificate's QR code carries; the web app's scan field accepts it.
QR_PREFIX = "strongroom:destruction:"


def qr_payload(destruction: Destruction) -> str:
    return f"{QR_PREFIX}{destruction.reference}"


def _related() -> QuerySet[Destruction]:
    return Destruction.objects.select_related(
        "copy__document__unit",
        "copy__unit",
        "copy__holder",
        "destroyer__unit",
        "witness__unit",
        "resolved_by",
    )


def _find(text: str) -> Destruction | None:
    return references.find(
        _related(),
        text,
        qr_prefix=QR_PREFIX,
        ambiguous=lambda short: InvalidInput(
            gettext_noop(
                "More than one destruction starts with %(reference)s; give the full reference.",
                reference=short,
            ),
            field="destruction",
        ),
        malformed=lambda given: InvalidInput(
            gettext_noop(
                "%(text)s is not a destruction reference; use the 8 characters on the certificate "
                "(e.g. 3F2A9C01) or scan its QR code.",
                text=repr(given),
            ),
            field="destruction",
        ),
    )


def destruction(actor: Person, reference: str) -> Destruction:
    """One destruction the actor may see; anything else reads as missing."""
    return references.visible(
        actor,
        _find(reference),
        reference,
        kind="destruction",
        qr_prefix=QR_PREFIX,
        action=Action.DESTRUCTION_VIEW,
    )


def on_record_for(actor: Person, copy: Copy) -> Destruction | None:
    """The copy's pending or witnessed destruction, if there is one and the actor may see it."""
    states = [DestructionState.PENDING.value, DestructionState.WITNESSED.value]
    found = _related().filter(copy=copy, state__in=states).first()
    if found is None:
        return None
    allowed = decide(actor.facts(clock.today()), Action.DESTRUCTION_VIEW, found.facts())
    return found if allowed else None


@dataclass(frozen=True)
class Permitted:
    """What the actor may do to a destruction now, for the buttons to offer (the services
    decide again)."""

    witness: bool = False
    refuse: bool = False
    withdraw: bool = False


def permitted(actor: Person, destruction: Destruction) -> Permitted:
    if destruction.destruction_state is not DestructionState.PENDING:
        return Permitted()
    facts, target = actor.facts(clock.today()), destruction.facts()
    return Permitted(
        witness=bool(decide(facts, Action.DESTRUCTION_WITNESS, target)),
        refuse=bool(decide(facts, Action.DESTRUCTION_REFUSE, target)),
        withdraw=bool(decide(facts, Action.DESTRUCTION_WITHDRAW, target)),
    )


class Box(enum.StrEnum):
    # Those naming the actor as the witness.
    WITNESS = "witness"
    # Those the actor put forward.
    DESTROYER = "destroyer"
    # Every destruction of the copies a registrar, custodian or security officer answers for.
    UNIT = "unit"


def destructions(
    actor: Person, box: Box = Box.WITNESS, *, pending_only: bool = False
) -> QuerySet[Destruction]:
    """Destructions naming the actor as witness or destroyer, or their units', newest first."""
    found = _related()
    facts = actor.facts(clock.today())
    if box is Box.WITNESS:
        found = found.filter(witness=actor)
    elif box is Box.DESTROYER:
        found = found.filter(destroyer=actor)
    else:
        found = found.filter(copy__in=answered_for(facts))
    if pending_only:
        found = found.filter(state=DestructionState.PENDING.value)
    return found


def certificate(actor: Person, reference: str) -> printing.Printout:
    """The certificate of a witnessed destruction, as often as anyone entitled asks for it."""
    found = destruction(actor, reference)
    if found.destruction_state is not DestructionState.WITNESSED:
        raise IllegalTransition(
            gettext_noop(
                "Destruction %(reference)s has not been witnessed; a certificate is issued only "
                "once the witness has countersigned.",
                reference=found.short_reference,
            )
        )
    return printing.render(
        "strongroom/print/destruction_certificate.html",
        f"destruction-{found.short_reference}.pdf",
        certificate_context(found, printed_by=actor, printed_at=clock.now()),
    )


def certificate_context(
    found: Destruction, *, printed_by: Person, printed_at: datetime
) -> dict[str, object]:
    values = printing.context(
        found,
        name="destruction",
        qr_payload=qr_payload(found),
        printed_by=printed_by,
        printed_at=printed_at,
    )
    # What was destroyed was marked so; the document may have been downgraded since.
    banner = values["banner"]
    values["marking_now"] = banner if banner != found.marking else ""
    return values
