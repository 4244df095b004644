"""Registered documents and their numbered copies."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import ClassVar

from django.conf import settings
from django.db import connection, models
from django.db.backends.base.base import BaseDatabaseWrapper

from strongroom.domain.custody import CopyState
from strongroom.domain.markings import Marking
from strongroom.models.people import Person, Unit
from strongroom.models.prepared import (
    PreparedInsert,
    PreparedQuery,
    Statement,
    adapt_datetime,
    database,
)
from strongroom.policy.facts import CopyFacts, DocumentFacts


class RowidKey(models.BigAutoField):
    """An automatic key that on SQLite is the table's plain rowid, without AUTOINCREMENT.

    AUTOINCREMENT makes SQLite keep each table's largest key in ``sqlite_sequence`` and
    rewrite that row on every insert: one more page written by every registration. All it
    adds to a rowid is that a key is never used again after the row with the largest key is
    deleted; documents and copies are never deleted, and nothing refers to a compartment row
    by its key. PostgreSQL is unchanged (an identity column).
    """

    def db_type_suffix(self, connection: BaseDatabaseWrapper) -> str | None:
        if connection.vendor == "sqlite":
            return None
        return super().db_type_suffix(connection)


class Medium(models.TextChoices):
    PAPER = "paper", "paper"
    ELECTRONIC = "electronic", "electronic"
    REMOVABLE_MEDIA = "removable_media", "removable media"


class Document(models.Model):
    id = RowidKey(primary_key=True)
    control_number = models.CharField(max_length=40, unique=True)
    # No index of its own: the unique (unit, year, sequence) constraint leads with unit.
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="documents", db_index=False
    )
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    short_title = models.CharField(max_length=200)
    full_title = models.CharField(max_length=500)
    # No index: five levels select too little to be worth a page write on every registration.
    level = models.PositiveSmallIntegerField()
    # Sorted, "/"-separated codes; compartments are also rows below, for filtering in SQL.
    compartments = models.CharField(max_length=400, blank=True, default="")
    caveats = models.CharField(max_length=400, blank=True, default="")
    originator = models.CharField(max_length=200)
    originator_reference = models.CharField(max_length=200, blank=True, default="")
    received_on = models.DateField()
    pages = models.PositiveIntegerField()
    medium = models.CharField(max_length=20, choices=Medium.choices)
    copy_count = models.PositiveIntegerField()
    # No index: nothing looks documents up by registrar, and people are never deleted, so
    # PROTECT needs no lookup either.
    registered_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", db_index=False
    )
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
    id = RowidKey(primary_key=True)
    # No index of its own: the unique (document, code) constraint leads with document.
    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="compartment_rows", db_index=False
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

    id = RowidKey(primary_key=True)
    # No index of its own: the unique (document, number) constraint leads with document.
    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="copies", db_index=False
    )
    number = models.PositiveIntegerField()
    # No index: every custody change moves the state, and an index entry costs a page write
    # each time; lists filter by state after narrowing by document or holder.
    state = models.CharField(max_length=20, choices=[(s.value, s.label) for s in CopyState])
    # Indexed only where set (see Meta): copies in the registry have no holder to look up.
    holder = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="copies_held",
        db_index=False,
    )
    location = models.CharField(max_length=200)
    since = models.DateTimeField()
    # The unit whose registry answers for the copy: its document's unit until a transit
    # delivers it to another unit's registry, which answers for it from then on (issues it,
    # takes it back, sends it on). No index: the copy is always reached another way first.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", db_index=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering: ClassVar = ["document_id", "number"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["document", "number"], name="copy_number"),
        ]
        indexes: ClassVar = [
            models.Index(
                fields=["holder"], condition=models.Q(holder__isnull=False), name="copy_holder"
            ),
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
        return CopyFacts(self.pk, self.document.facts(), self.holder_id, self.unit.path)


_MOVE_COPY = Statement(
    f"UPDATE {Copy._meta.db_table} SET state = %s, holder_id = %s, location = %s, since = %s, "
    "version = version + 1 WHERE id = %s AND version = %s"
)


def move_copy(
    copy_id: int,
    *,
    expected_version: int,
    state: str,
    holder_id: int | None,
    location: str,
    since: datetime,
) -> bool:
    """Move a copy only if nobody moved it since ``expected_version`` was read (SQLite has no
    row locks: this conditional UPDATE is the concurrency control). False when someone did.

    Plain SQL: this runs in every custody change and the ORM's compile cost was most of it."""
    db = database()
    params = [state, holder_id, location, adapt_datetime(since, db), copy_id, expected_version]
    return _MOVE_COPY.count(params, db) == 1


_LAST_SEQUENCE = PreparedQuery(
    lambda unit_id, year: (
        Document.objects.filter(unit_id=unit_id, year=year)
        .order_by("-sequence")
        .values_list("sequence")[:1]
    ),
    # Sentinels must be in range of their columns, or Django compiles the query to nothing.
    987_654_321,
    32_001,
)
_DOCUMENT_FIELDS = (
    "control_number", "unit_id", "year", "sequence", "short_title", "full_title", "level",
    "compartments", "caveats", "originator", "originator_reference", "received_on", "pages",
    "medium", "copy_count", "registered_by_id", "registered_at", "version",
)  # fmt: skip
_INSERT_DOCUMENT = PreparedInsert(Document, _DOCUMENT_FIELDS)
_INSERT_COMPARTMENT = PreparedInsert(DocumentCompartment, ("document_id", "code"))
_INSERT_COPY = PreparedInsert(
    Copy,
    ("document_id", "number", "state", "holder_id", "location", "since", "unit_id", "version"),
)


def next_sequence(unit_id: int, year: int) -> int:
    """The next free sequence number of a unit's register for ``year``."""
    last = _LAST_SEQUENCE.first(unit_id, year)
    return (last[0] if last else 0) + 1


def insert_registration(document: Document, *, location: str) -> Document:
    """Save a new document with its compartment rows and copies 1..n in the registry.

    Prepared statements rather than ``save()``/``bulk_create``: registration is the busiest
    write and the ORM's compile cost was most of its time. Returns ``document`` with its key."""
    document.version = 1
    document.pk = _INSERT_DOCUMENT.one([getattr(document, name) for name in _DOCUMENT_FIELDS])
    document._state.adding = False
    document._state.db = connection.alias
    _INSERT_COMPARTMENT.many([(document.pk, code) for code in sorted(document.compartment_set)])
    insert_copies(
        document.pk,
        range(1, document.copy_count + 1),
        unit_id=document.unit_id,
        location=location,
        since=document.registered_at,
    )
    return document


def insert_copies(
    document_id: int, numbers: Iterable[int], *, unit_id: int, location: str, since: datetime
) -> None:
    """New copies with these numbers, in the registry of ``unit_id`` (the document's unit, for
    a registration or a reproduction) at ``location`` since ``since``."""
    state = CopyState.IN_REGISTRY.value
    _INSERT_COPY.many([(document_id, n, state, None, location, since, unit_id, 1) for n in numbers])
