"""One small predicate per rule. Each returns None when satisfied, else the reason it is not."""

from __future__ import annotations

from strongroom.domain.clearance import may_hold
from strongroom.domain.markings import Marking
from strongroom.policy.facts import ActorFacts, PersonFacts, Role

Reason = str | None


def is_active(actor: ActorFacts) -> Reason:
    if actor.status.value != "active":
        return f"your account is {actor.status.value}"
    return None


def cleared_for(actor: ActorFacts, marking: Marking) -> Reason:
    problem = actor.cannot_hold(marking)
    return f"you may not hold {marking.banner()} material: {problem}" if problem else None


def has_any_role(actor: ActorFacts, *roles: Role) -> Reason:
    if actor.roles.intersection(roles):
        return None
    names = " or ".join(role.label for role in roles)
    return f"this needs the role of {names}"


def governs_unit(actor: ActorFacts, unit_path: str, what: str) -> Reason:
    if actor.governs(unit_path):
        return None
    return f"{what} belongs to a unit outside yours ({actor.unit_path})"


def recipient_may_hold(recipient: PersonFacts, marking: Marking, today_actor: ActorFacts) -> Reason:
    problem = may_hold(recipient.status, recipient.clearance, marking, today_actor.today)
    return f"the recipient may not hold {marking.banner()} material: {problem}" if problem else None


def not_self(actor: ActorFacts, person: PersonFacts, what: str) -> Reason:
    if actor.person_id == person.person_id:
        return f"nobody may {what} for themselves"
    return None


def first(*reasons: Reason) -> Reason:
    """The first failing rule, so the refusal names the most basic problem."""
    for reason in reasons:
        if reason:
            return reason
    return None
