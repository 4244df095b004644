"""The ledger's Merkle tree in the database (RFC 6962; the tree itself is ``ledger.merkle``).

The tree follows the ledger instead of growing with every append, so that recording an entry
stays one insert: ``integrate()`` adds every entry not yet in the tree in one transaction (the
perfect subtrees the new leaves complete, and the new head), as a transparency log integrates
its pending entries before it signs a checkpoint. ``StoredNodes`` answers all the reads of a
root or a proof in one query: leaves are the entries' own ``leaf_hash`` (leaf i is entry i + 1),
higher nodes come from ``ledger_treenode``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import connection

from strongroom.ledger import merkle
from strongroom.ledger.models import LedgerEntry, TreeHead, TreeNode
from strongroom.ledger.record import lock_writers
from strongroom.models.prepared import Statement

_ENTRIES = LedgerEntry._meta.db_table
_NODES = TreeNode._meta.db_table
# A million entries integrated at once (a ledger kept before the tree existed) is a million
# nodes: one prepared statement, not a model instance each.
_INSERT_NODES = Statement(f"INSERT INTO {_NODES} (level, position, hash) VALUES (%s, %s, %s)")
# Leaves read, and nodes written, per round trip while integrating: a million entries at once
# (a ledger kept before the tree existed) must not be held in memory whole.
_CHUNK = 10_000


class StoredNodes:
    """``merkle.NodeReader`` over the database: one query per call."""

    def nodes(self, addresses: Sequence[merkle.Address]) -> list[bytes]:
        leaves = [position + 1 for level, position in addresses if level == 0]
        higher = [(level, position) for level, position in addresses if level > 0]
        parts: list[str] = []
        params: list[int] = []
        if leaves:
            marks = ", ".join(["%s"] * len(leaves))
            parts.append(f"SELECT 0, seq - 1, leaf_hash FROM {_ENTRIES} WHERE seq IN ({marks})")
            params += leaves
        if higher:
            pairs = " OR ".join(["(level = %s AND position = %s)"] * len(higher))
            parts.append(f"SELECT level, position, hash FROM {_NODES} WHERE {pairs}")
            params += [number for address in higher for number in address]
        found: dict[merkle.Address, bytes] = {}
        if parts:
            with connection.cursor() as cursor:
                cursor.execute(" UNION ALL ".join(parts), params)
                for level, position, value in cursor.fetchall():
                    found[(int(level), int(position))] = bytes(value)
        missing = [address for address in addresses if address not in found]
        if missing:
            raise LookupError(f"the tree has no node {missing[0]}: it is not integrated that far")
        return [found[address] for address in addresses]


@dataclass(frozen=True)
class Head:
    """The tree of the first ``size`` entries and its root."""

    size: int
    root: bytes


EMPTY = Head(0, merkle.EMPTY_ROOT)


def head() -> Head:
    """The tree as far as it is integrated."""
    last = TreeHead.objects.order_by("-size").values_list("size", "root").first()
    return Head(last[0], bytes(last[1])) if last else EMPTY


def integrate(*, at: datetime, limit: int | None = None) -> Head:
    """Add the entries not yet in the tree (at most ``limit``), in the caller's transaction.

    Writers are serialised first (``lock_writers``), so two integrations never race, and the
    entries read are exactly those committed before this one."""
    lock_writers()
    start = head()
    frontier = merkle.Frontier.resume(start.size, StoredNodes())
    for leaves in leaves_after(start.size, limit):
        appended = frontier.append(leaves)
        _INSERT_NODES.many(
            [
                (level, position, value)
                for (level, position), value in appended.nodes.items()
                if level > 0  # leaves are the entries' own leaf_hash
            ]
        )
        frontier = appended.frontier
    if frontier.size == start.size:
        return start
    grown = Head(frontier.size, frontier.root())
    TreeHead.objects.create(size=grown.size, root=grown.root, integrated_at=at)
    return grown


def leaves_after(size: int, limit: int | None) -> Iterator[list[bytes]]:
    """The leaf hashes of the entries after the first ``size``, in order, chunk by chunk."""
    last = size + limit if limit is not None else None
    while True:
        upto = size + _CHUNK if last is None else min(size + _CHUNK, last)
        if upto <= size:
            return
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT seq, leaf_hash FROM {_ENTRIES} WHERE seq > %s AND seq <= %s ORDER BY seq",
                [size, upto],
            )
            rows = cursor.fetchall()
        if not rows:
            return
        if rows[-1][0] != size + len(rows):
            # Leaf i must be entry i + 1: a tree over a ledger with a gap would prove nothing.
            missing = next(size + n for n, (seq, _) in enumerate(rows, start=1) if seq != size + n)
            raise LookupError(f"entry #{missing} is missing from the ledger: run strongroom verify")
        yield [bytes(leaf) for _, leaf in rows]
        size += len(rows)


def root_at(size: int) -> bytes:
    """The root of the tree of the first ``size`` entries (integrated that far)."""
    return merkle.root_at(size, StoredNodes())


def inclusion_proof(seq: int, size: int) -> list[bytes]:
    """The audit path of entry ``seq`` in the tree of the first ``size`` entries."""
    return merkle.inclusion_proof(seq - 1, size, StoredNodes())


def consistency_proof(old_size: int, new_size: int) -> list[bytes]:
    """That the tree of ``new_size`` entries extends the tree of ``old_size``."""
    return merkle.consistency_proof(old_size, new_size, StoredNodes())
