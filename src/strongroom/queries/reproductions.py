"""Reading reproduction records: one by reference, a document's, and the lists of a person's units.

Everyone reads only what ``reproduction:view`` allows: the requester, or whoever answers for the
document's unit, and in either case only while they may see the document itself.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from strongroom.adapters import clock
from strongroom.domain.errors import InvalidInput
from strongroom.domain.reproduction import ReproductionState
from strongroom.domain.text import gettext_noop
from strongroom.models import Document, Person, Reproduction
from strongroom.policy import Action, decide
from strongroom.policy.querysets import visible_documents
from strongroom.queries import references
from strongroom.queries.documents import UNIT_ROLES


def _related() -> QuerySet[Reproduction]:
    return Reproduction.objects.select_related("document__unit", "requested_by__unit", "decided_by")


def _find(text: str) -> Reproduction | None:
    """By full reference, or the 8-character short reference people read out."""
    return references.find(
        _related(),
        text,
        ambiguous=lambda short: InvalidInput(
            gettext_noop(
                "More than one reproduction request starts with %(reference)s; give the full "
                "reference.",
                reference=short,
            ),
            field="reproduction",
        ),
        malformed=lambda given: InvalidInput(
            gettext_noop(
                "%(text)s is not a reproduction reference; use the 8 characters shown with the "
                "request (e.g. 3F2A9C01) or its full reference.",
                text=repr(given),
            ),
            field="reproduction",
        ),
    )


def reproduction(actor: Person, reference: str) -> Reproduction:
    """One reproduction request the actor may see; anything else reads as missing.

    A hidden one raises Denied (visible=False), for the adapter to record and answer "not found".
    """
    return references.visible(
        actor, _find(reference), reference, kind="reproduction", action=Action.REPRODUCTION_VIEW
    )


def of_document(actor: Person, document: Document) -> list[Reproduction]:
    """The document's reproduction requests the actor may see, newest first."""
    facts = actor.facts(clock.today())
    found = _related().filter(document=document)
    return [item for item in found if decide(facts, Action.REPRODUCTION_VIEW, item.facts())]


def reproductions(actor: Person, *, pending_only: bool = False) -> QuerySet[Reproduction]:
    """The reproduction records of the actor's units (for those who answer for them) and the
    actor's own requests, of documents the actor may see, newest first."""
    facts = actor.facts(clock.today())
    mine = Q(requested_by=actor)
    if facts.roles.intersection(UNIT_ROLES):
        mine |= Q(document__unit__path=facts.unit_path) | Q(
            document__unit__path__startswith=f"{facts.unit_path}/"
        )
    found = (
        _related()
        .filter(mine)
        .filter(document__in=visible_documents(facts, Document.objects.all()))
    )
    if pending_only:
        found = found.filter(state=ReproductionState.PENDING.value)
    return found
