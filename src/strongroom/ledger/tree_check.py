"""The part of ``strongroom verify`` that checks the Merkle tree and the signed checkpoints.

The tree is rebuilt from the entries' leaf hashes (``merkle.Frontier``, one pass) and compared
with everything stored about it: every node of ``ledger_treenode``, every head of
``ledger_treehead``, and every checkpoint — its root, its note's body, and its signature with the
log's key. A tree or checkpoint that disagrees with the entries is named with what disagrees.
The entries themselves (their bytes, hashes and chain) are the entry scan's to check.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.db import connection

from strongroom.ledger import merkle, tree
from strongroom.ledger.checkpoints import CheckpointError, open_checkpoint
from strongroom.ledger.keys import KeyFileError, read_key_file
from strongroom.ledger.models import Checkpoint, TreeHead, TreeNode
from strongroom.ledger.notes import KeyType, NoteError, Verifier

_NODES = TreeNode._meta.db_table
Node = tuple[int, int, bytes]


def _order(level: int, position: int) -> tuple[int, int]:
    """Where a node comes in the order the tree completes them: after its last leaf, lowest
    level first (the order ``merkle.Frontier.append`` gives them in)."""
    return (position + 1) << level, level


def _stored_nodes() -> Iterator[Node]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT level, position, hash FROM {_NODES} ORDER BY (position + 1) << level, level"
        )
        while chunk := cursor.fetchmany(10_000):
            for level, position, value in chunk:
                yield int(level), int(position), bytes(value)


class _Problems(list[str]):
    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    @property
    def full(self) -> bool:
        return len(self) >= self.limit


def check_tree(*, limit: int = 20) -> list[str]:
    """Every problem with the stored tree and checkpoints, up to ``limit``."""
    problems = _Problems(limit)
    heads = {size: bytes(root) for size, root in TreeHead.objects.values_list("size", "root")}
    signed = [(size, bytes(root), bytes(note)) for size, root, note in
              Checkpoint.objects.values_list("size", "root", "note")]  # fmt: skip
    sizes = sorted(set(heads) | {size for size, _, _ in signed})
    roots = _rebuild(sizes, problems)
    if roots is None:
        return list(problems)
    for size, root in heads.items():
        if roots.get(size) != root:
            problems.append(f"tree head {size}: its root is not the root of entries #1-#{size}")
    _check_checkpoints(signed, roots, problems)
    return list(problems[:limit])


def _rebuild(sizes: list[int], problems: _Problems) -> dict[int, bytes] | None:
    """The roots at ``sizes``, rebuilding the tree as far as the largest and comparing every
    node it completes with the stored ones; None if the entries cannot give those roots."""
    last = sizes[-1] if sizes else 0
    stored = _stored_nodes()
    waiting = next(stored, None)
    frontier = merkle.Frontier()
    roots: dict[int, bytes] = {0: merkle.EMPTY_ROOT}
    stops = iter(sizes)
    stop = next(stops, None)
    try:
        for leaves in tree.leaves_after(0, last):
            while leaves:
                take = len(leaves) if stop is None else min(len(leaves), stop - frontier.size)
                appended = frontier.append(leaves[:take])
                leaves = leaves[take:]
                frontier = appended.frontier
                waiting = _compare_nodes(appended.nodes, waiting, stored, problems)
                while stop is not None and frontier.size == stop:
                    roots[stop] = frontier.root()
                    stop = next(stops, None)
    except LookupError as gap:
        problems.append(f"the tree cannot be rebuilt: {gap}")
        return None
    if frontier.size < last:
        problems.append(f"the tree holds {last} entries, but the ledger has only {frontier.size}")
        return None
    while waiting is not None and not problems.full:
        level, position, _ = waiting
        problems.append(f"tree node ({level}, {position}): not part of the tree of {last} entries")
        waiting = next(stored, None)
    return roots


def _compare_nodes(
    made: dict[merkle.Address, bytes],
    waiting: Node | None,
    stored: Iterator[Node],
    problems: _Problems,
) -> Node | None:
    """Compare the nodes one append completed with the stored ones, in the same order."""
    for (level, position), value in made.items():
        if level == 0:
            continue  # leaves are the entries' own leaf hashes, checked by the entry scan
        expected = _order(level, position)
        while waiting is not None and _order(waiting[0], waiting[1]) < expected:
            if not problems.full:
                problems.append(f"tree node ({waiting[0]}, {waiting[1]}): not part of the tree")
            waiting = next(stored, None)
        if waiting is None or _order(waiting[0], waiting[1]) != expected:
            if not problems.full:
                problems.append(f"tree node ({level}, {position}): missing from the tree table")
            continue
        if waiting[2] != value and not problems.full:
            problems.append(
                f"tree node ({level}, {position}): its hash is not that of the entries below it "
                "(the stored tree was altered)"
            )
        waiting = next(stored, None)
    return waiting


def _check_checkpoints(
    signed: list[tuple[int, bytes, bytes]], roots: dict[int, bytes], problems: _Problems
) -> None:
    if not signed:
        return
    key, why = _log_key()
    for size, root, note in signed:
        if roots.get(size) != root:
            problems.append(f"checkpoint {size}: its root is not the root of entries #1-#{size}")
        if key is None:
            problems.append(f"checkpoint {size}: its signature cannot be checked: {why}")
            continue
        try:
            body, _ = open_checkpoint(note, key)
        except (NoteError, CheckpointError) as error:
            problems.append(
                f"checkpoint {size}: its note does not verify with the log's key: {error}"
            )
            continue
        if (body.size, body.root_hash) != (size, root):
            problems.append(
                f"checkpoint {size}: its signed note is for another tree (size {body.size})"
            )


def _log_key() -> tuple[Verifier | None, str]:
    """The log's public key, read (never created: verifying must not make a key)."""
    path = Path(settings.STRONGROOM_LOG_KEY_FILE)
    try:
        signer = read_key_file(path, key_type=KeyType.ED25519)
    except KeyFileError as error:
        return None, str(error)
    return signer.verifier, ""
