"""Destruction of a copy: proposed by a destroyer, countersigned (or refused) by a witness.

Never deleted: a destroyed copy's register entry and this record are kept at least
``STRONGROOM_DESTRUCTION_RETENTION_YEARS`` (``kept_until``), and in practice for ever, as the
ledger is. Every foreign key protects what it names.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import ClassVar

from django.db import models

from strongroom.domain.destruction import Method
from strongroom.models.documents import Copy
from strongroom.models.people import Person
from strongroom.models.references import Referenced
from strongroom.policy.facts import DestructionFacts


class DestructionState(enum.StrEnum):
    PENDING = "pending"
    WITNESSED = "witnessed"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return self.value


class Destruction(Referenced):
    """The destruction of one copy: its method, its date and its two signatories."""

    copy = models.ForeignKey(Copy, on_delete=models.PROTECT, related_name="+")
    destroyer = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    witness = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    method = models.CharField(max_length=20, choices=[(m.value, m.label) for m in Method])
    destroyed_on = models.DateField()
    # The copy's marking when it was put forward: what the certificate says was destroyed,
    # even if the document is downgraded later.
    marking = models.CharField(max_length=400)
    # The destroyer's own words, e.g. a batch or a bag number; kept on the certificate.
    note = models.CharField(max_length=500, blank=True, default="")
    state = models.CharField(
        max_length=16,
        choices=[(s.value, s.label) for s in DestructionState],
        default=DestructionState.PENDING.value,
    )
    # When the destroyer signed.
    proposed_at = models.DateTimeField()
    # When the witness countersigned or refused, or the proposal was withdrawn; and by whom.
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # Why it was refused or withdrawn; empty when witnessed.
    reason = models.CharField(max_length=500, blank=True, default="")
    # Set when witnessed: the record is kept at least until then.
    kept_until = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering: ClassVar = ["-proposed_at", "-id"]
        constraints: ClassVar = [
            # A copy is put forward for destruction at most once at a time...
            models.UniqueConstraint(
                fields=["copy"],
                condition=models.Q(state="pending"),
                name="destruction_one_pending_per_copy",
            ),
            # ...and destroyed at most once.
            models.UniqueConstraint(
                fields=["copy"],
                condition=models.Q(state="witnessed"),
                name="destruction_one_witnessed_per_copy",
            ),
            models.CheckConstraint(
                condition=~models.Q(destroyer=models.F("witness")),
                name="destruction_two_people",
            ),
        ]
        indexes: ClassVar = [
            # The periodic check for destructions not witnessed in time reads only pending ones.
            models.Index(
                fields=["proposed_at"],
                condition=models.Q(state="pending"),
                name="destruction_awaiting_witness",
            ),
        ]

    def __str__(self) -> str:
        return f"destruction {self.short_reference}"

    @property
    def destruction_state(self) -> DestructionState:
        return DestructionState(self.state)

    @property
    def destruction_method(self) -> Method:
        return Method(self.method)

    @property
    def subject(self) -> str:
        """What its refusals and alerts are about, as the ledger names it."""
        return f"destruction:{self.reference}"

    @property
    def witnessed_at(self) -> datetime | None:
        """When the witness countersigned; None until (or unless) they have."""
        return self.resolved_at if self.state == DestructionState.WITNESSED.value else None

    def facts(self) -> DestructionFacts:
        return DestructionFacts(
            self.copy.facts(), self.destroyer.as_target(), self.witness.as_target()
        )
