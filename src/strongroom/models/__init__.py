"""Persistence. Models hold data and tiny derived properties; services do the writing."""

from strongroom.models.alerts import Alert, AlertKind
from strongroom.models.custody import HandOver, HandOverState
from strongroom.models.documents import Copy, Document, DocumentCompartment
from strongroom.models.people import Clearance, Person, Unit
from strongroom.models.transport import CourierAuthorisation, Transit, TransitState

__all__ = [
    "Alert",
    "AlertKind",
    "Clearance",
    "Copy",
    "CourierAuthorisation",
    "Document",
    "DocumentCompartment",
    "HandOver",
    "HandOverState",
    "Person",
    "Transit",
    "TransitState",
    "Unit",
]
