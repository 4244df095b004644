"""Incidents: something went wrong with a copy, on record for the security officers.

A minimal record for now — what, which copy, whose, when, opened by whom (nobody: the system) —
that the full incident workflow (investigation, findings, outcomes) will build on."""

from __future__ import annotations

import enum
import uuid
from typing import ClassVar

from django.db import models

from strongroom.models.campaigns import CampaignItem
from strongroom.models.documents import Copy
from strongroom.models.people import Person, Unit


class IncidentKind(enum.StrEnum):
    # A campaign copy still out when the grace period after its due-back time ended.
    COPY_NOT_RETURNED = "copy_not_returned"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class IncidentState(enum.StrEnum):
    OPEN = "open"

    @property
    def label(self) -> str:
        return self.value


class Incident(models.Model):
    reference = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=32, choices=[(k.value, k.label) for k in IncidentKind])
    copy = models.ForeignKey(Copy, on_delete=models.PROTECT, related_name="+", db_index=False)
    # The person accountable for the copy when the incident was opened.
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="incidents")
    # The person's unit: its security officers (and those above) see the incident.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    # The campaign copy it is about; one incident per campaign copy, however often the check runs.
    campaign_item = models.OneToOneField(
        CampaignItem, null=True, blank=True, on_delete=models.PROTECT, related_name="incident"
    )
    opened_at = models.DateTimeField()
    # Null when the system opened it (a periodic check).
    opened_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    summary = models.CharField(max_length=500)
    state = models.CharField(
        max_length=16,
        choices=[(s.value, s.label) for s in IncidentState],
        default=IncidentState.OPEN.value,
    )

    class Meta:
        ordering: ClassVar = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return f"incident {self.short_reference}"

    @property
    def short_reference(self) -> str:
        return self.reference.hex[:8].upper()
