"""The one place that decides who may do what: ``decide(actor, action, target)``."""

from strongroom.policy.actions import Action
from strongroom.policy.decisions import Decision, Denied, decide, require
from strongroom.policy.facts import (
    ActorFacts,
    AuthorisationFacts,
    CampaignFacts,
    CheckOutFacts,
    CopyFacts,
    DestructionFacts,
    DocumentFacts,
    IssueFacts,
    PersonFacts,
    ReproductionFacts,
    Role,
    SendFacts,
    System,
    TransitFacts,
    UnitFacts,
)

__all__ = [
    "Action",
    "ActorFacts",
    "AuthorisationFacts",
    "CampaignFacts",
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
    "SendFacts",
    "System",
    "TransitFacts",
    "UnitFacts",
    "decide",
    "require",
]
