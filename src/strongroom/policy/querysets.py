"""The visibility rule of ``decide`` as ORM filters, so lists show exactly what single views allow.

tests/policy/test_querysets.py checks that both agree on every document of a mixed register.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from strongroom.domain.clearance import PersonStatus
from strongroom.models import Copy, Document, DocumentCompartment
from strongroom.policy.facts import ActorFacts


def visible_documents(actor: ActorFacts, documents: QuerySet[Document]) -> QuerySet[Document]:
    if actor.status is not PersonStatus.ACTIVE:
        return documents.none()
    clearance = actor.clearance
    if clearance is None or clearance.problem(actor.today):
        # Anyone active may see unclassified material outside every compartment.
        return documents.filter(level=0, compartments="")
    outside_need_to_know = DocumentCompartment.objects.filter(document=OuterRef("pk")).exclude(
        code__in=sorted(clearance.compartments)
    )
    return documents.filter(level__lte=clearance.rank).exclude(Exists(outside_need_to_know))


def visible_copies(actor: ActorFacts, copies: QuerySet[Copy]) -> QuerySet[Copy]:
    return copies.filter(document__in=visible_documents(actor, Document.objects.all()))
