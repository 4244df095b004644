"""Reading incidents: the security officers' list."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from strongroom.adapters import clock
from strongroom.models import Incident, Person
from strongroom.policy import Action, UnitFacts, decide


def incidents(actor: Person) -> QuerySet[Incident]:
    """The incidents of the actor's unit and the units below it, newest first, for a security
    officer (``incident:view``); nobody else sees any."""
    facts = actor.facts(clock.today())
    found = Incident.objects.select_related(
        "copy__document", "person", "unit", "campaign_item__campaign", "opened_by"
    )
    # Everything the actor governs is at or below their own unit: if they may not see an
    # incident of their own unit, they may see none.
    if not decide(facts, Action.INCIDENT_VIEW, UnitFacts(facts.unit_path)):
        return found.none()
    return found.filter(
        Q(unit__path=facts.unit_path) | Q(unit__path__startswith=f"{facts.unit_path}/")
    )
