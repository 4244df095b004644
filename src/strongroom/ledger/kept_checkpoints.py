"""The log's signed checkpoints as the database keeps them (``ledger_checkpoint``), for the
services that sign them and the queries that publish them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from strongroom.ledger.models import Checkpoint


@dataclass(frozen=True)
class Signed:
    """A checkpoint: the tree of the first ``size`` entries, its root, and the signed note."""

    size: int
    root: bytes
    note: bytes
    signed_at: datetime

    @classmethod
    def of(cls, row: Checkpoint) -> Signed:
        return cls(row.size, bytes(row.root), bytes(row.note), row.signed_at)


def latest() -> Signed | None:
    row = Checkpoint.objects.order_by("-size").first()
    return Signed.of(row) if row else None
