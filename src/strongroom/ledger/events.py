"""Ledger event kinds, named ``<noun>.<past-tense verb>``. Keep the members sorted by value."""

from __future__ import annotations

import enum


class Event(enum.StrEnum):
    ACCESS_REFUSED = "access.refused"
    ALERT_CLEARED = "alert.cleared"
    ALERT_RAISED = "alert.raised"
    CAMPAIGN_CLOSED = "campaign.closed"
    CAMPAIGN_CREATED = "campaign.created"
    CLEARANCE_GRANTED = "clearance.granted"
    CLEARANCE_REINSTATED = "clearance.reinstated"
    CLEARANCE_REVOKED = "clearance.revoked"
    CLEARANCE_SUSPENDED = "clearance.suspended"
    COPY_ISSUED = "copy.issued"
    COPY_RETURNED = "copy.returned"
    DOCUMENT_CORRECTED = "document.corrected"
    DOCUMENT_REGISTERED = "document.registered"
    HAND_OVER_ACCEPTED = "hand_over.accepted"
    HAND_OVER_CANCELLED = "hand_over.cancelled"
    HAND_OVER_DISPATCHED = "hand_over.dispatched"
    HAND_OVER_REFUSED = "hand_over.refused"
    INCIDENT_OPENED = "incident.opened"
    PERSON_CHANGED = "person.changed"
    PERSON_CREATED = "person.created"
    PERSON_PASSWORD_SET = "person.password_set"
    PERSON_STATUS_CHANGED = "person.status_changed"
    UNIT_CREATED = "unit.created"
    UNIT_HEAD_SET = "unit.head_set"
