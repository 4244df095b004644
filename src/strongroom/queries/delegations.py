"""Reading delegations: those a person gave or received, and those of a security officer's units."""

from __future__ import annotations

import enum

from django.db.models import Q, QuerySet

from strongroom.adapters import clock
from strongroom.domain.errors import InvalidInput, NotFound, not_found_text
from strongroom.domain.text import gettext_noop
from strongroom.models import Delegation, Person
from strongroom.policy import Action, Denied, Role, decide


class Box(enum.StrEnum):
    RECEIVED = "received"
    GIVEN = "given"
    # Every delegation of the units a security officer governs.
    UNIT = "unit"


def _related() -> QuerySet[Delegation]:
    return Delegation.objects.select_related(
        "delegator__unit", "delegate__unit", "unit", "revoked_by"
    )


def delegations(
    actor: Person, box: Box = Box.RECEIVED, *, in_force_only: bool = False
) -> QuerySet[Delegation]:
    facts = actor.facts(clock.today())
    found = _related()
    if facts.status.value != "active":
        return found.none()
    if box is Box.RECEIVED:
        found = found.filter(delegate=actor)
    elif box is Box.GIVEN:
        found = found.filter(delegator=actor)
    elif facts.roles.intersection({Role.SECURITY_OFFICER, Role.ADMINISTRATOR}):
        found = found.filter(
            Q(unit__path=facts.unit_path) | Q(unit__path__startswith=f"{facts.unit_path}/")
        )
    else:
        found = found.none()
    if in_force_only:
        today = clock.today()
        found = found.filter(revoked_at__isnull=True, starts_on__lte=today, ends_on__gte=today)
    return found


def delegation(actor: Person, number: str | int) -> Delegation:
    """One delegation by its number; one the actor may not see reads as missing."""
    try:
        key = int(number)
    except (TypeError, ValueError):
        raise InvalidInput(
            gettext_noop("%(text)s is not a delegation number.", text=repr(number)),
            field="delegation",
        ) from None
    found = _related().filter(pk=key).first()
    if found is None:
        raise NotFound(not_found_text(f"delegation:{key}"))
    decision = decide(actor.facts(clock.today()), Action.DELEGATION_VIEW, found.facts())
    if not decision:
        raise Denied(Action.DELEGATION_VIEW, decision, f"delegation:{key}")
    return found
