"""Reading units, people and clearances, narrowed by policy."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from strongroom.adapters import clock
from strongroom.domain.errors import NotFound, not_found_text
from strongroom.models import Clearance, Person, Unit
from strongroom.policy import Action, decide
from strongroom.policy.facts import Target


def units(actor: Person) -> QuerySet[Unit]:
    if not decide(actor.facts(clock.today()), Action.UNIT_VIEW, actor.unit.facts()):
        return Unit.objects.none()
    return Unit.objects.select_related("parent", "head").order_by("path")


def unit(actor: Person, code: str) -> Unit:
    found = units(actor).filter(code=code.strip().upper()).first()
    if found is None:
        raise NotFound(not_found_text(f"unit:{code.strip().upper()}"))
    return found


def people(actor: Person, *, unit_code: str = "", text: str = "") -> QuerySet[Person]:
    if not decide(actor.facts(clock.today()), Action.PERSON_VIEW, actor.as_target()):
        return Person.objects.none()
    found = Person.objects.select_related("unit", "clearance").order_by("username")
    if unit_code:
        found = found.filter(unit__code=unit_code.strip().upper())
    for word in text.split():
        found = found.filter(full_name__icontains=word) | found.filter(username__icontains=word)
    return found


def person(actor: Person, username: str) -> Person:
    found = people(actor).filter(username=username.strip().lower()).first()
    if found is None:
        raise NotFound(not_found_text(f"person:{username.strip().lower()}"))
    return found


def clearance_of(actor: Person, subject: Person) -> Clearance | None:
    """The subject's clearance if the actor may see it, else None (shown as "not shown")."""
    if not decide(actor.facts(clock.today()), Action.CLEARANCE_VIEW, subject.as_target()):
        return None
    return Clearance.objects.filter(person=subject).select_related("granted_by").first()


def units_where(actor: Person, action: Action, units: Iterable[Unit]) -> list[Unit]:
    """Those of ``units`` on which the actor may do ``action`` (the actor read once)."""
    facts = actor.facts(clock.today())
    return [unit for unit in units if decide(facts, action, unit.facts())]


def may(actor: Person, action: Action, target: Target) -> bool:
    """For templates and menus: would ``decide`` allow it? (The service checks again.)"""
    return bool(decide(actor.facts(clock.today()), action, target))
