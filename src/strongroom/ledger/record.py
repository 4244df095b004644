"""The only code that appends to the ledger. Call it inside the transaction that changes state,
so the change and its entry commit together or not at all."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection

from strongroom.ledger import entry
from strongroom.ledger.events import Event
from strongroom.ledger.models import LedgerEntry
from strongroom.models import Person

# Any constant shared by all strongroom processes: the key of the PostgreSQL advisory lock.
_WRITER_LOCK = 0x5354524F4E47  # "STRONG"


def lock_writers() -> None:
    """Serialise writers so ledger order is commit order, which replay depends on.

    SQLite already does this: every transaction begins IMMEDIATE and so holds the write lock.
    PostgreSQL has row locks but the ledger tail is one hot spot, so one transaction-scoped
    advisory lock is both simpler and correct.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("ledger writes must happen inside transaction.atomic()")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_WRITER_LOCK])


@dataclass(frozen=True)
class PendingEntry:
    kind: Event
    actor: Person | None
    subject: str
    data: dict[str, Any]
    at: datetime


_COLUMNS = ("seq", "recorded_at", "actor_id", "kind", "subject", "body", "leaf_hash", "chain_hash")


def _table() -> str:
    return connection.ops.quote_name(LedgerEntry._meta.db_table)


def _tail() -> tuple[int, bytes]:
    # Plain SQL: this runs in every write, and compiling the ORM query cost more than running it.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT seq, chain_hash FROM {_table()} ORDER BY seq DESC LIMIT 1")
        last = cursor.fetchone()
    if last is None:
        return 0, entry.GENESIS
    return int(last[0]), bytes(last[1])


def _build(item: PendingEntry, seq: int, previous: bytes) -> LedgerEntry:
    body = entry.canonical_bytes(
        seq=seq,
        at=item.at,
        actor=item.actor.username if item.actor else None,
        kind=item.kind.value,
        subject=item.subject,
        data=item.data,
    )
    leaf = entry.leaf_hash(body)
    return LedgerEntry(
        seq=seq,
        recorded_at=item.at,
        actor=item.actor,
        kind=item.kind.value,
        subject=item.subject,
        body=body,
        leaf_hash=leaf,
        chain_hash=entry.chain_hash(previous, leaf),
    )


def record(
    kind: Event, *, actor: Person | None, subject: str, data: dict[str, Any], at: datetime
) -> LedgerEntry:
    """Append one entry and return it."""
    return record_many([PendingEntry(kind, actor, subject, data, at)])[0]


def record_many(items: Iterable[PendingEntry]) -> Sequence[LedgerEntry]:
    """Append entries in order in one statement; also used for bulk loads (demo, benchmarks)."""
    lock_writers()
    seq, previous = _tail()
    rows: list[LedgerEntry] = []
    for item in items:
        seq += 1
        row = _build(item, seq, previous)
        previous = bytes(row.chain_hash)
        rows.append(row)
    if rows:
        adapt = connection.ops.adapt_datetimefield_value
        placeholders = ", ".join(["%s"] * len(_COLUMNS))
        values: list[Any] = [
            (
                r.seq,
                adapt(r.recorded_at),
                r.actor_id,
                r.kind,
                r.subject,
                r.body,
                r.leaf_hash,
                r.chain_hash,
            )
            for r in rows
        ]
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {_table()} ({', '.join(_COLUMNS)}) VALUES ({placeholders})",
                values,
            )
    return rows
