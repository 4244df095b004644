"""The ledger table. The database refuses UPDATE and DELETE on it (see migrations/0002)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper


class SequenceField(models.BigIntegerField):
    """A 64-bit sequence number that on SQLite is the table's rowid itself.

    SQLite makes a column the rowid only when it is declared exactly ``INTEGER PRIMARY KEY``
    (``bigint`` gets a separate unique index): one B-tree instead of two, so every append
    writes one page fewer, and a lookup by seq is one search instead of two.
    """

    def db_type(self, connection: BaseDatabaseWrapper) -> str | None:
        if connection.vendor == "sqlite":
            return "integer"
        return super().db_type(connection)


class LedgerEntry(models.Model):
    seq = SequenceField(primary_key=True)
    recorded_at = models.DateTimeField()
    # No index: no query looks entries up by actor, and every append would write a page of
    # one (a person's entries are found, if ever, by a scan); people are never deleted, so
    # PROTECT needs no lookup either.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    kind = models.CharField(max_length=64)
    subject = models.CharField(max_length=200)
    body = models.BinaryField()
    leaf_hash = models.BinaryField(max_length=32)
    chain_hash = models.BinaryField(max_length=32)

    class Meta:
        ordering: ClassVar = ["seq"]
        indexes: ClassVar = [
            models.Index(fields=["subject", "seq"], name="ledger_subject_seq"),
        ]
        verbose_name_plural = "ledger entries"

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind} {self.subject}"

    @property
    def data(self) -> dict[str, object]:
        from strongroom.ledger.entry import parse

        value = parse(bytes(self.body))["data"]
        assert isinstance(value, dict)
        return value
