"""Persistence. Models hold data and tiny derived properties; services do the writing."""

from strongroom.models.alerts import Alert, AlertKind
from strongroom.models.custody import CheckOut, HandOver, HandOverState
from strongroom.models.documents import Copy, Document, DocumentCompartment
from strongroom.models.people import Clearance, Person, Unit

__all__ = [
    "Alert",
    "AlertKind",
    "CheckOut",
    "Clearance",
    "Copy",
    "Document",
    "DocumentCompartment",
    "HandOver",
    "HandOverState",
    "Person",
    "Unit",
]
