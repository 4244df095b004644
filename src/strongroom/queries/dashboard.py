"""Overviews for the start page and the unit tree, narrowed by policy. Never writes."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from strongroom.adapters import clock
from strongroom.domain.custody import CopyState
from strongroom.models import Copy, Document, Person, Unit
from strongroom.policy.querysets import visible_copies
from strongroom.queries import documents as document_queries
from strongroom.queries import people as people_queries


@dataclass(frozen=True)
class Summary:
    """Counts over what the actor may see."""

    documents: int
    in_registry: int
    held: int
    missing: int
    held_by_actor: int


def summary(actor: Person) -> Summary:
    copies = visible_copies(actor.facts(clock.today()), Copy.objects.all())
    by_state = dict(
        copies.order_by().values_list("state").annotate(n=Count("id")).values_list("state", "n")
    )
    return Summary(
        documents=document_queries.register(actor).count(),
        in_registry=by_state.get(CopyState.IN_REGISTRY.value, 0),
        held=by_state.get(CopyState.HELD.value, 0),
        missing=by_state.get(CopyState.MISSING.value, 0),
        held_by_actor=document_queries.held_by(actor, actor).count(),
    )


def recent_registrations(actor: Person, limit: int = 10) -> list[Document]:
    return list(document_queries.register(actor)[:limit])


@dataclass(frozen=True)
class UnitRow:
    unit: Unit
    depth: int
    people: int


def unit_tree(actor: Person) -> list[UnitRow]:
    """The units the actor may see, in tree order (parents before children), with head counts."""
    units = people_queries.units(actor).annotate(people_count=Count("people"))
    return [UnitRow(unit, unit.depth, unit.people_count) for unit in units]
