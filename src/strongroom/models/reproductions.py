"""Requests to reproduce a document and their decisions: the reproduction records."""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from strongroom.domain.reproduction import ReproductionState
from strongroom.models.documents import Document
from strongroom.models.people import Person
from strongroom.models.references import Referenced
from strongroom.policy.facts import ReproductionFacts


class Reproduction(Referenced):
    """A request for ``count`` more copies of a document, approved or refused by an authority.

    Kept for good, like the ledger's record of it: the handling rules keep reproduction records
    at least two years, and strongroom deletes none."""

    # Indexed: the document's page lists its requests.
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="reproductions")
    requested_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    count = models.PositiveIntegerField()
    reason = models.CharField(max_length=500)
    requested_at = models.DateTimeField()
    state = models.CharField(
        max_length=16,
        choices=[(s.value, s.label) for s in ReproductionState],
        default=ReproductionState.PENDING.value,
    )
    decided_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # Why it was refused or withdrawn, or what the authority added on approval.
    decision_note = models.CharField(max_length=500, blank=True, default="")
    # The copies the approval made, "copies first..last of last"; empty until approved.
    first_number = models.PositiveIntegerField(null=True, blank=True)
    last_number = models.PositiveIntegerField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering: ClassVar = ["-requested_at", "-id"]
        constraints: ClassVar = [
            models.CheckConstraint(condition=models.Q(count__gte=1), name="reproduction_count"),
            # Numbers exactly when approved, and as many as were asked for.
            models.CheckConstraint(
                condition=(
                    models.Q(
                        state="approved",
                        first_number__isnull=False,
                        last_number=models.F("first_number") + models.F("count") - 1,
                    )
                    | (
                        ~models.Q(state="approved")
                        & models.Q(first_number__isnull=True, last_number__isnull=True)
                    )
                ),
                name="reproduction_numbers",
            ),
        ]

    def __str__(self) -> str:
        return f"reproduction {self.short_reference}"

    @property
    def reproduction_state(self) -> ReproductionState:
        return ReproductionState(self.state)

    def facts(self) -> ReproductionFacts:
        return ReproductionFacts(self.document.facts(), self.requested_by_id)
