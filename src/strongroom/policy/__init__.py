"""The one place that decides who may do what: ``decide(actor, action, target)``."""

from strongroom.policy.actions import Action
from strongroom.policy.decisions import Decision, Denied, decide, require
from strongroom.policy.facts import (
    ActorFacts,
    CampaignFacts,
    CopyFacts,
    DocumentFacts,
    IssueFacts,
    PersonFacts,
    Role,
    System,
    UnitFacts,
)

__all__ = [
    "Action",
    "ActorFacts",
    "CampaignFacts",
    "CopyFacts",
    "Decision",
    "Denied",
    "DocumentFacts",
    "IssueFacts",
    "PersonFacts",
    "Role",
    "System",
    "UnitFacts",
    "decide",
    "require",
]
