"""The one place that decides who may do what: ``decide(actor, action, target)``."""

from strongroom.policy.actions import Action
from strongroom.policy.decisions import Decision, Denied, decide, require
from strongroom.policy.facts import (
    ActorFacts,
    CheckOutFacts,
    CopyFacts,
    DestructionFacts,
    DocumentFacts,
    IssueFacts,
    PersonFacts,
    ReproductionFacts,
    Role,
    System,
    UnitFacts,
)

__all__ = [
    "Action",
    "ActorFacts",
    "CheckOutFacts",
    "CopyFacts",
    "Decision",
    "Denied",
    "DestructionFacts",
    "DocumentFacts",
    "IssueFacts",
    "PersonFacts",
    "ReproductionFacts",
    "Role",
    "System",
    "UnitFacts",
    "decide",
    "require",
]
