"""Persistence. Models hold data and tiny derived properties; services do the writing."""

from strongroom.models.alerts import Alert, AlertKind
from strongroom.models.campaigns import Campaign, CampaignItem
from strongroom.models.custody import CheckOut, HandOver, HandOverState
from strongroom.models.delegations import Delegation
from strongroom.models.destructions import Destruction, DestructionState
from strongroom.models.documents import Copy, Document, DocumentCompartment
from strongroom.models.idempotency import IdempotentRequest
from strongroom.models.incidents import Incident, IncidentKind, IncidentState
from strongroom.models.people import Clearance, Person, Unit
from strongroom.models.reproductions import Reproduction
from strongroom.models.transport import CourierAuthorisation, Transit, TransitState

__all__ = [
    "Alert",
    "AlertKind",
    "Campaign",
    "CampaignItem",
    "CheckOut",
    "Clearance",
    "Copy",
    "CourierAuthorisation",
    "Delegation",
    "Destruction",
    "DestructionState",
    "Document",
    "DocumentCompartment",
    "HandOver",
    "HandOverState",
    "IdempotentRequest",
    "Incident",
    "IncidentKind",
    "IncidentState",
    "Person",
    "Reproduction",
    "Transit",
    "TransitState",
    "Unit",
]
