"""Alerts: something has stalled, and a named person must act on it."""

from __future__ import annotations

import enum
from typing import ClassVar

from django.db import models

from strongroom.models.people import Person, Unit


class AlertKind(enum.StrEnum):
    # A campaign copy still out after its due-back time: one kind per step of the ladder.
    CAMPAIGN_OVERDUE_HOLDER = "campaign_overdue_holder"
    CAMPAIGN_OVERDUE_SUPERVISOR = "campaign_overdue_supervisor"
    CAMPAIGN_OVERDUE_SECURITY_OFFICER = "campaign_overdue_security_officer"
    CHECK_OUT_OVERDUE = "check_out_overdue"
    # A destruction the named witness has not countersigned (nor refused) in time.
    DESTRUCTION_UNWITNESSED = "destruction_unwitnessed"
    HAND_OVER_OVERDUE = "hand_over_overdue"
    TRANSIT_LATE = "transit_late"
    TRANSIT_RECEIPT_OVERDUE = "transit_receipt_overdue"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class Alert(models.Model):
    """Raised by a periodic check, cleared when what it is about is resolved.

    ``responsible`` must act; the security officers of ``unit`` (the responsible person's unit
    or above) see it too. The text names only unclassified things (control numbers, copy
    numbers, short titles, people), so whoever sees the alert may read it."""

    kind = models.CharField(max_length=40, choices=[(k.value, k.label) for k in AlertKind])
    # What it is about, as the ledger names it, e.g. "hand_over:<reference>", "transit:<...>",
    # "destruction:<reference>".
    subject = models.CharField(max_length=200)
    responsible = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="alerts")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    message = models.CharField(max_length=500)
    raised_at = models.DateTimeField()
    cleared_at = models.DateTimeField(null=True, blank=True)
    cleared_because = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        ordering: ClassVar = ["-raised_at", "-id"]
        constraints: ClassVar = [
            # A check run twice (or by two workers) raises one alert, not two.
            models.UniqueConstraint(
                fields=["kind", "subject"],
                condition=models.Q(cleared_at__isnull=True),
                name="alert_one_open_per_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.cleared_at is None
