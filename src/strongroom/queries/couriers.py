"""Reading courier authorisations: a person's own, and those of the units one answers for."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from strongroom.adapters import clock
from strongroom.models import CourierAuthorisation, Person
from strongroom.policy import Role

# The roles that see the authorisations of their units' people (policy: courier:view).
_OVERSEERS = (
    Role.SECURITY_OFFICER,
    Role.ADMINISTRATOR,
    Role.INSPECTOR,
    Role.REGISTRAR,
    Role.CUSTODIAN,
)


def authorisations(actor: Person, *, live_only: bool = True) -> QuerySet[CourierAuthorisation]:
    """Authorisations ``actor`` may see (courier:view), newest first; ``live_only`` leaves out
    the revoked and the expired ones."""
    facts = actor.facts(clock.today())
    found = CourierAuthorisation.objects.select_related("courier__unit", "granted_by", "revoked_by")
    if facts.status.value != "active":
        return found.none()
    visible = Q(courier=actor)
    if facts.roles.intersection(_OVERSEERS):
        visible |= Q(courier__unit__path=facts.unit_path) | Q(
            courier__unit__path__startswith=f"{facts.unit_path}/"
        )
    found = found.filter(visible)
    if live_only:
        found = found.filter(revoked_at__isnull=True, valid_until__gte=facts.today)
    return found


def current_couriers(actor: Person) -> list[CourierAuthorisation]:
    """Authorisations valid today of active people, as far as ``actor`` may see them: whom a
    registry may send with (the form's suggestions; sending checks everything again)."""
    today = clock.today()
    return [
        authorisation
        for authorisation in authorisations(actor).filter(
            valid_from__lte=today, courier__status="active"
        )
    ]


def may_authorise(actor: Person) -> bool:
    """For pages: whether to offer the form at all. courier:authorise decides each case."""
    facts = actor.facts(clock.today())
    return facts.status.value == "active" and facts.has_role(Role.SECURITY_OFFICER)
