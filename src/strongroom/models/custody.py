"""Custody in motion: hand-overs between people (and, later, check-outs and transits)."""

from __future__ import annotations

import enum
from typing import ClassVar

from django.db import models

from strongroom.models.documents import Copy
from strongroom.models.people import Person
from strongroom.models.receipts import Receipted
from strongroom.policy.facts import HandOverFacts


class HandOverState(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REFUSED = "refused"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return self.value


class HandOver(Receipted):
    """A copy sent by its holder to a named recipient, who acknowledges or refuses it.

    Until the recipient acknowledges, the sender stays the copy's accountable holder."""

    # No index of its own: the partial unique constraint below and the copy's history
    # (the ledger) answer every question asked by copy.
    copy = models.ForeignKey(Copy, on_delete=models.PROTECT, related_name="+", db_index=False)
    sender = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    recipient = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        max_length=16,
        choices=[(s.value, s.label) for s in HandOverState],
        default=HandOverState.PENDING.value,
    )
    dispatched_at = models.DateTimeField()
    # The recipient must acknowledge by then, or the hand-over raises an alert.
    due_by = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # Why it was refused or called back; empty when accepted.
    note = models.CharField(max_length=500, blank=True, default="")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering: ClassVar = ["-dispatched_at", "-id"]
        constraints: ClassVar = [
            # A copy is in at most one hand-over at a time.
            models.UniqueConstraint(
                fields=["copy"],
                condition=models.Q(state="pending"),
                name="hand_over_one_pending_per_copy",
            ),
        ]
        indexes: ClassVar = [
            # The periodic check for unacknowledged hand-overs reads only pending ones.
            models.Index(
                fields=["due_by"], condition=models.Q(state="pending"), name="hand_over_due"
            ),
        ]

    def __str__(self) -> str:
        return f"hand-over {self.short_reference}"

    @property
    def hand_over_state(self) -> HandOverState:
        return HandOverState(self.state)

    def facts(self) -> HandOverFacts:
        return HandOverFacts(self.copy.facts(), self.sender_id, self.recipient.as_target())
