"""Incidents: opened by the system when a rule's time has run out.

A minimal record for now — the full incident workflow (investigation, findings, outcomes, an
accountability record per person) builds on it later.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction

from strongroom.ledger.events import Event
from strongroom.ledger.record import record
from strongroom.models import CampaignItem, Incident, IncidentKind, Person


def open_copy_not_returned(
    item: CampaignItem, *, person: Person, summary: str, at: datetime
) -> Incident | None:
    """An incident about a campaign copy still out after the grace period, against ``person``
    (who holds it). None if one is open already: one incident per campaign copy.

    For the periodic check, inside its transaction; the system opens it, so no actor."""
    if Incident.objects.filter(campaign_item=item).exists():
        return None
    try:
        with transaction.atomic():  # a savepoint: a racing worker's incident wins cleanly
            incident = Incident.objects.create(
                kind=IncidentKind.COPY_NOT_RETURNED.value,
                copy=item.copy,
                person=person,
                unit=person.unit,
                campaign_item=item,
                opened_at=at,
                opened_by=None,
                summary=summary,
            )
    except IntegrityError:
        return None
    record(
        Event.INCIDENT_OPENED,
        actor=None,
        subject=f"incident:{incident.reference}",
        data={
            "kind": incident.kind,
            "copy": item.copy.reference,
            "person": person.username,
            "unit": person.unit.code,
            "campaign": str(item.campaign.reference),
            "summary": summary,
        },
        at=at,
    )
    return incident
