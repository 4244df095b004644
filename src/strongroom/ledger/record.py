"""The only code that appends to the ledger. Call it inside the transaction that changes state,
so the change and its entry commit together or not at all."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper

from strongroom.ledger import entry
from strongroom.ledger.events import Event
from strongroom.ledger.models import LedgerEntry
from strongroom.models import Person
from strongroom.models.prepared import Statement, adapt_datetime, database

# Any constant shared by all strongroom processes: the key of the PostgreSQL advisory lock.
_WRITER_LOCK = 0x5354524F4E47  # "STRONG"
_LOCK = Statement("SELECT pg_advisory_xact_lock(%s)")


def lock_writers(db: BaseDatabaseWrapper | None = None) -> None:
    """Serialise writers so ledger order is commit order, which replay depends on.

    SQLite already does this: every transaction begins IMMEDIATE and so holds the write lock.
    PostgreSQL has row locks but the ledger tail is one hot spot, so one transaction-scoped
    advisory lock is both simpler and correct.
    """
    db = db or connections[DEFAULT_DB_ALIAS]
    if not db.in_atomic_block:
        raise RuntimeError("ledger writes must happen inside transaction.atomic()")
    if db.vendor == "postgresql":
        _LOCK.rows([_WRITER_LOCK], db)


@dataclass(frozen=True)
class PendingEntry:
    kind: Event
    actor: Person | None
    subject: str
    data: dict[str, Any]
    at: datetime


@dataclass(frozen=True, slots=True)
class Appended:
    """What an append produced: the entry's place in the ledger and its two hashes."""

    seq: int
    leaf_hash: bytes
    chain_hash: bytes


_TABLE = LedgerEntry._meta.db_table
_COLUMNS = ("seq", "recorded_at", "actor_id", "kind", "subject", "body", "leaf_hash", "chain_hash")
_TAIL = Statement(f"SELECT seq, chain_hash FROM {_TABLE} ORDER BY seq DESC LIMIT 1")
_INSERT = Statement(
    f"INSERT INTO {_TABLE} ({', '.join(_COLUMNS)}) VALUES ({', '.join(['%s'] * len(_COLUMNS))})"
)


def _tail(db: BaseDatabaseWrapper) -> tuple[int, bytes]:
    last = _TAIL.rows((), db)
    if not last:
        return 0, entry.GENESIS
    return int(last[0][0]), bytes(last[0][1])


def record(
    kind: Event, *, actor: Person | None, subject: str, data: dict[str, Any], at: datetime
) -> Appended:
    """Append one entry."""
    return record_many([PendingEntry(kind, actor, subject, data, at)])[0]


def record_many(items: Iterable[PendingEntry]) -> Sequence[Appended]:
    """Append entries in order in one statement; also used for bulk loads (demo, benchmarks)."""
    # One connection lookup for the lock, the tail, the times and the insert.
    db = database()
    lock_writers(db)
    seq, previous = _tail(db)
    appended: list[Appended] = []
    rows: list[tuple[Any, ...]] = []
    for item in items:
        seq += 1
        actor = item.actor
        body = entry.canonical_bytes(
            seq=seq,
            at=item.at,
            actor=actor.username if actor else None,
            kind=item.kind.value,
            subject=item.subject,
            data=item.data,
        )
        leaf = entry.leaf_hash(body)
        previous = entry.chain_hash(previous, leaf)
        appended.append(Appended(seq, leaf, previous))
        actor_id = actor.pk if actor else None
        rows.append(
            (
                seq,
                adapt_datetime(item.at, db),
                actor_id,
                item.kind.value,
                item.subject,
                body,
                leaf,
                previous,
            )
        )
    _INSERT.many(rows, db)
    return appended
