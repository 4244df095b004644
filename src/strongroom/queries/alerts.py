"""Reading alerts: those a person must act on, and those their security officers watch."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from strongroom.adapters import clock
from strongroom.models import Alert, AlertKind, Destruction, DestructionState, Person
from strongroom.policy import Role


def alerts(actor: Person, *, open_only: bool = True) -> QuerySet[Alert]:
    """The actor's own alerts, those about destructions still waiting for the actor to witness
    them and, for a security officer, those of every unit they govern.

    An inactive person sees none: suspension takes effect everywhere."""
    facts = actor.facts(clock.today())
    found = Alert.objects.select_related("responsible", "unit")
    if facts.status.value != "active":
        return found.none()
    mine = Q(responsible=actor)
    # A late witness sees the alert about the destruction that waits for them: the destroyer
    # answers for it, but the missing signature is theirs.
    awaiting = Destruction.objects.filter(witness=actor, state=DestructionState.PENDING.value)
    subjects = [destruction.subject for destruction in awaiting.only("reference")]
    if subjects:
        mine |= Q(kind=AlertKind.DESTRUCTION_UNWITNESSED.value, subject__in=subjects)
    if facts.has_role(Role.SECURITY_OFFICER):
        mine |= Q(unit__path=facts.unit_path) | Q(unit__path__startswith=f"{facts.unit_path}/")
    found = found.filter(mine)
    if open_only:
        found = found.filter(cleared_at__isnull=True)
    return found
