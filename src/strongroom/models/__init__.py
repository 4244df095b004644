"""Persistence. Models hold data and tiny derived properties; services do the writing."""

from strongroom.models.alerts import Alert, AlertKind
from strongroom.models.campaigns import Campaign, CampaignItem
from strongroom.models.custody import HandOver, HandOverState
from strongroom.models.documents import Copy, Document, DocumentCompartment
from strongroom.models.incidents import Incident, IncidentKind, IncidentState
from strongroom.models.people import Clearance, Person, Unit

__all__ = [
    "Alert",
    "AlertKind",
    "Campaign",
    "CampaignItem",
    "Clearance",
    "Copy",
    "Document",
    "DocumentCompartment",
    "HandOver",
    "HandOverState",
    "Incident",
    "IncidentKind",
    "IncidentState",
    "Person",
    "Unit",
]
