"""Registered documents and their numbered copies."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from strongroom.domain.custody import CopyState
from strongroom.domain.markings import Marking
from strongroom.models.people import Person, Unit
from strongroom.policy.facts import CopyFacts, DocumentFacts


class Medium(models.TextChoices):
    PAPER = "paper", "paper"
    ELECTRONIC = "electronic", "electronic"
    REMOVABLE_MEDIA = "removable_media", "removable media"


class Document(models.Model):
    control_number = models.CharField(max_length=40, unique=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="documents")
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    short_title = models.CharField(max_length=200)
    full_title = models.CharField(max_length=500)
    level = models.PositiveSmallIntegerField(db_index=True)
    # Sorted, "/"-separated codes; compartments are also rows below, for filtering in SQL.
    compartments = models.CharField(max_length=400, blank=True, default="")
    caveats = models.CharField(max_length=400, blank=True, default="")
    originator = models.CharField(max_length=200)
    originator_reference = models.CharField(max_length=200, blank=True, default="")
    received_on = models.DateField()
    pages = models.PositiveIntegerField()
    medium = models.CharField(max_length=20, choices=Medium.choices)
    copy_count = models.PositiveIntegerField()
    registered_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering: ClassVar = ["-registered_at", "-id"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["unit", "year", "sequence"], name="document_sequence"),
        ]

    def __str__(self) -> str:
        return f"{self.control_number} {self.short_title}"

    @property
    def compartment_set(self) -> frozenset[str]:
        return frozenset(c for c in self.compartments.split("/") if c)

    @property
    def caveat_set(self) -> frozenset[str]:
        return frozenset(c for c in self.caveats.split("/") if c)

    @property
    def marking(self) -> Marking:
        scheme = settings.STRONGROOM_MARKING_SCHEME
        return Marking(self.level, self.compartment_set, self.caveat_set, scheme)

    def facts(self) -> DocumentFacts:
        return DocumentFacts(self.pk, self.unit.path, self.marking)


class DocumentCompartment(models.Model):
    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="compartment_rows"
    )
    code = models.CharField(max_length=64)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["document", "code"], name="document_compartment"),
        ]

    def __str__(self) -> str:
        return self.code


class Copy(models.Model):
    """One numbered copy: exactly one state, one accountable holder or the registry, one place."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="copies")
    number = models.PositiveIntegerField()
    state = models.CharField(
        max_length=20, choices=[(s.value, s.label) for s in CopyState], db_index=True
    )
    holder = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="copies_held"
    )
    location = models.CharField(max_length=200)
    since = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering: ClassVar = ["document_id", "number"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["document", "number"], name="copy_number"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"{self.document.control_number}/{self.number}"

    @property
    def label(self) -> str:
        return f"copy {self.number} of {self.document.copy_count}"

    @property
    def copy_state(self) -> CopyState:
        return CopyState(self.state)

    def facts(self) -> CopyFacts:
        return CopyFacts(self.pk, self.document.facts(), self.holder_id)
