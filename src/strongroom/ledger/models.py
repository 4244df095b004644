"""The ledger's tables: its entries, the Merkle tree over them (RFC 6962), the signed
checkpoints of that tree and the witnesses' cosignatures of them. The database refuses UPDATE
and DELETE on every one of them (see migrations/0002, 0004, 0005 and 0006)."""

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


class TreeNode(models.Model):
    """The hash of one perfect subtree of the ledger's Merkle tree: node (level, position) is
    the root of leaves position*2^level ... (position+1)*2^level - 1 (``ledger.merkle``).

    Level 0 is not stored here: a leaf's hash is its entry's ``leaf_hash`` (leaf i is entry
    i + 1). A node never changes once its last leaf is in the tree, so the table is append-only.
    """

    pk = models.CompositePrimaryKey("level", "position")
    level = models.PositiveSmallIntegerField()
    position = models.BigIntegerField()
    hash = models.BinaryField(max_length=32)

    def __str__(self) -> str:
        return f"node ({self.level}, {self.position})"


class TreeHead(models.Model):
    """The tree after one integration: its size (the entries it holds) and its root. The last
    one says how far the tree has grown; checkpoints sign heads."""

    size = models.BigIntegerField(primary_key=True)
    root = models.BinaryField(max_length=32)
    integrated_at = models.DateTimeField()

    class Meta:
        ordering: ClassVar = ["size"]

    def __str__(self) -> str:
        return f"tree head {self.size}"


class Checkpoint(models.Model):
    """A tree head the log signed: a C2SP signed note over the tlog-checkpoint body (origin,
    size, root). Kept for good, like the heads it signs. The note holds the log's signature
    only: witnesses' cosignatures arrive later, are kept in ``Cosignature``, and are added to
    the note when it is published."""

    size = models.BigIntegerField(primary_key=True)
    root = models.BinaryField(max_length=32)
    note = models.BinaryField()
    signed_at = models.DateTimeField()

    class Meta:
        ordering: ClassVar = ["size"]

    def __str__(self) -> str:
        return f"checkpoint {self.size}"


class Cosignature(models.Model):
    """A witness's C2SP tlog-cosignature of a checkpoint, verified against the witness's
    configured key before it was stored: the line ``— <witness> base64(key ID || timestamp ||
    signature)`` is rebuilt from these columns. One per checkpoint and witness key; kept for good.
    """

    # No index of its own: the unique constraint below leads with it.
    checkpoint = models.ForeignKey(
        Checkpoint,
        on_delete=models.PROTECT,
        related_name="cosignatures",
        db_column="size",
        db_index=False,
    )
    witness = models.CharField(max_length=200)  # its key name (see config.env.MAX_WITNESS_NAME)
    key_id = models.BigIntegerField()  # 32 bits, unsigned: more than an integer column holds
    timestamp = models.BigIntegerField()  # POSIX seconds, as the witness signed it
    signature = models.BinaryField(max_length=64)  # Ed25519, without key ID and timestamp
    received_at = models.DateTimeField()
    # Whose API token brought it: posting grants nothing (the signature is the witness's), but
    # an inspector can tell which account a witness uses.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["checkpoint", "id"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["checkpoint", "witness", "key_id"], name="ledger_cosignature_once_per_key"
            )
        ]

    def __str__(self) -> str:
        return f"cosignature of checkpoint {self.checkpoint_id} by {self.witness}"
