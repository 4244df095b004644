"""Custody in motion: hand-overs between people, check-outs for reading (and, later, transits)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import ClassVar

from django.db import models

from strongroom.models.documents import Copy
from strongroom.models.people import Person
from strongroom.models.references import Referenced
from strongroom.policy.facts import CheckOutFacts, HandOverFacts


class HandOverState(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REFUSED = "refused"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return self.value


class HandOver(Referenced):
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


class CheckOut(models.Model):
    """A copy lent by the registry to a reader (e.g. in its reading room) until a due time.

    While it is out the reader is the copy's accountable holder; checking it in at the desk
    closes the check-out. Closed ones are kept: they answer "who read this document"."""

    # Indexed: "who read this document" reads every check-out of its copies.
    copy = models.ForeignKey(Copy, on_delete=models.PROTECT, related_name="+")
    # Indexed: "what did this person read".
    reader = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    # The registry's person who lent it: the one an overdue alert goes to.
    lent_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", db_index=False)
    checked_out_at = models.DateTimeField()
    due_back = models.DateTimeField()
    # Where it is read, in a few words: "reading room" unless the registry says otherwise.
    place = models.CharField(max_length=100, default="reading room")
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_in_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering: ClassVar = ["-checked_out_at", "-id"]
        constraints: ClassVar = [
            # A copy is lent to at most one reader at a time.
            models.UniqueConstraint(
                fields=["copy"],
                condition=models.Q(checked_in_at__isnull=True),
                name="check_out_one_open_per_copy",
            ),
        ]
        indexes: ClassVar = [
            # The periodic check for overdue check-outs reads only open ones.
            models.Index(
                fields=["due_back"],
                condition=models.Q(checked_in_at__isnull=True),
                name="check_out_due",
            ),
        ]

    def __str__(self) -> str:
        return f"check-out {self.pk} of copy {self.copy_id}"

    @property
    def is_open(self) -> bool:
        return self.checked_in_at is None

    def overdue_at(self, at: datetime) -> bool:
        """Still out after its due time, as judged at ``at``."""
        return self.checked_in_at is None and self.due_back < at

    def facts(self) -> CheckOutFacts:
        return CheckOutFacts(self.copy.facts(), self.reader.as_target(), self.lent_by_id)
