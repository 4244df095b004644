"""The ledger's Merkle tree in the database: integrated in one transaction per batch, append-only,
and every root and proof read with one query, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from strongroom.ledger import merkle, tree
from strongroom.ledger.models import LedgerEntry, TreeHead, TreeNode
from strongroom.services import custody
from tests.conftest import behind_the_triggers_back

AT = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def _leaves() -> list[bytes]:
    return [
        bytes(h) for h in LedgerEntry.objects.order_by("seq").values_list("leaf_hash", flat=True)
    ]


def _integrate(**options: Any) -> tree.Head:
    with transaction.atomic():
        return tree.integrate(at=AT, **options)


def test_an_empty_tree_has_the_empty_root(db: None) -> None:
    assert tree.head() == tree.EMPTY == tree.Head(0, merkle.EMPTY_ROOT)


def test_integrating_puts_every_entry_in_the_tree(history: Any) -> None:
    leaves = _leaves()
    grown = _integrate()
    assert grown == tree.Head(len(leaves), merkle.root(leaves)) == tree.head()
    # Only perfect subtrees above the leaves are stored: 2n - popcount(n) nodes, less n leaves.
    assert TreeNode.objects.count() == len(leaves) - bin(len(leaves)).count("1")
    assert list(TreeHead.objects.values_list("size", flat=True)) == [len(leaves)]
    assert _integrate() == grown  # nothing new: no new head
    assert TreeHead.objects.count() == 1


def test_the_tree_grows_in_batches_and_stays_consistent(org: Any, history: Any) -> None:
    secret, _ = history
    first = _integrate(limit=5)
    assert first.size == 5
    middle = _integrate()
    custody.return_copy(secret.copies.get(number=2), by=org.registrar)
    last = _integrate()
    leaves = _leaves()
    assert last == tree.Head(len(leaves), merkle.root(leaves))
    for old, new in [(first, middle), (middle, last), (first, last)]:
        proof = tree.consistency_proof(old.size, new.size)
        merkle.verify_consistency(old.size, new.size, old.root, new.root, proof)
        assert tree.root_at(old.size) == old.root
    for seq, leaf in enumerate(leaves, start=1):
        proof = tree.inclusion_proof(seq, last.size)
        merkle.verify_inclusion(leaf, seq - 1, last.size, proof, last.root)


def test_a_proof_is_one_query(history: Any) -> None:
    size = _integrate().size
    with CaptureQueriesContext(connection) as queries:
        tree.inclusion_proof(3, size)
    assert len(queries) == 1
    with CaptureQueriesContext(connection) as queries:
        tree.consistency_proof(3, size)
    assert len(queries) == 1


def test_a_proof_beyond_the_integrated_tree_is_refused(history: Any) -> None:
    size = _integrate(limit=4).size
    with pytest.raises(LookupError, match="not integrated that far"):
        tree.consistency_proof(size, size + 4)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE ledger_treenode SET hash = hash WHERE level = 1",
        "DELETE FROM ledger_treenode WHERE level = 1",
        "UPDATE ledger_treehead SET size = size + 1",
        "DELETE FROM ledger_treehead",
    ],
)
def test_the_database_refuses_to_rewrite_the_tree(history: Any, sql: str) -> None:
    _integrate()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)


def test_a_ledger_with_a_gap_is_not_integrated(history: Any) -> None:
    behind_the_triggers_back("DELETE FROM ledger_ledgerentry WHERE seq = 4", [])
    with pytest.raises(LookupError, match="entry #4 is missing from the ledger"):
        _integrate()
    assert tree.head() == tree.EMPTY


# --- strongroom verify checks the tree and the checkpoints -----------------------------------


@pytest.fixture
def signed(org: Any, history: Any, settings: Any, tmp_path: Any) -> Any:
    """A history integrated in three batches and signed twice."""
    from strongroom.services import checkpoints

    settings.STRONGROOM_LOG_KEY_FILE = tmp_path / "log.key"
    settings.STRONGROOM_LOG_ORIGIN = "records.test/strongroom"
    _integrate(limit=3)
    first = checkpoints.sign_checkpoint(by=org.inspector)
    secret, _ = history
    custody.return_copy(secret.copies.get(number=2), by=org.registrar)
    last = checkpoints.sign_checkpoint(by=org.inspector)
    return first, last


def _tree_problems() -> list[str]:
    from strongroom.ledger.verify import verify

    return verify(parallel=False).problems


def test_verify_accepts_an_honest_tree_and_its_checkpoints(signed: Any) -> None:
    assert _tree_problems() == []


@pytest.mark.parametrize(
    ("sql", "says"),
    [
        (
            "UPDATE ledger_treenode SET hash = {zeros} WHERE level = 2 AND position = 0",
            "tree node (2, 0): its hash is not that of the entries below it",
        ),
        (
            "DELETE FROM ledger_treenode WHERE level = 1 AND position = 1",
            "tree node (1, 1): missing from the tree table",
        ),
        (
            "INSERT INTO ledger_treenode (level, position, hash) VALUES (1, 500, {zeros})",
            "tree node (1, 500): not part of the tree",
        ),
        (
            "UPDATE ledger_treehead SET root = {zeros} WHERE size = 3",
            "tree head 3: its root is not the root of entries #1-#3",
        ),
        (
            "UPDATE ledger_checkpoint SET root = {zeros} "
            "WHERE size = (SELECT MIN(size) FROM ledger_checkpoint)",
            "its root is not the root of entries #1-#",
        ),
        (
            "UPDATE ledger_checkpoint SET note = (SELECT note FROM ledger_checkpoint "
            "WHERE size = (SELECT MIN(size) FROM ledger_checkpoint)) "
            "WHERE size = (SELECT MAX(size) FROM ledger_checkpoint)",
            "its signed note is for another tree",
        ),
        (
            "INSERT INTO ledger_treehead (size, root, integrated_at) "
            "SELECT size + 100, root, integrated_at FROM ledger_treehead "
            "WHERE size = (SELECT MAX(size) FROM ledger_treehead)",
            "but the ledger has only",
        ),
    ],
    ids=["node altered", "node removed", "node planted", "head altered", "checkpoint root",
         "note swapped", "head beyond"],
)  # fmt: skip
def test_verify_names_a_tree_or_checkpoint_changed_behind_the_ledger(
    signed: Any, sql: str, says: str
) -> None:
    zeros = (
        "X'" + "00" * 32 + "'" if connection.vendor == "sqlite" else "'\\x" + "00" * 32 + "'::bytea"
    )
    behind_the_tree_triggers_back(sql.format(zeros=zeros))
    problems = _tree_problems()
    assert any(says in problem for problem in problems), problems


def test_a_checkpoint_signed_with_another_key_is_named(signed: Any, settings: Any) -> None:
    from strongroom.ledger.keys import create_key_file

    other = settings.STRONGROOM_LOG_KEY_FILE.with_name("other.key")
    create_key_file(other, "records.test/strongroom")
    settings.STRONGROOM_LOG_KEY_FILE = other  # the key that verifies is not the one that signed
    problems = _tree_problems()
    assert any("its note does not verify with the log's key" in p for p in problems), problems


def behind_the_tree_triggers_back(sql: str) -> None:
    """What an administrator could do to the tree tables: lift the guard, change, restore."""
    import importlib

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
            cursor.execute(sql)
            cursor.execute("SET session_replication_role = DEFAULT")
            return
        tables = ("ledger_treenode", "ledger_treehead", "ledger_checkpoint")
        for table in tables:
            cursor.execute(f"DROP TRIGGER {table}_no_update")
            cursor.execute(f"DROP TRIGGER {table}_no_delete")
        cursor.execute(sql)
        migration = importlib.import_module("strongroom.ledger.migrations.0004_merkle_tree")
        for table in tables:
            for statement in migration._sqlite(table):
                cursor.execute(statement)


def test_verify_names_a_truncated_tail_against_the_signed_tree(signed: Any) -> None:
    """Entries removed from the end leave a consistent chain: the tree and checkpoints that
    already hold them are what show they existed."""
    last = LedgerEntry.objects.order_by("-seq").values_list("seq", flat=True).first()
    behind_the_triggers_back("DELETE FROM ledger_ledgerentry WHERE seq > %s", [last - 2])
    problems = _tree_problems()
    assert f"the tree holds {last} entries, but the ledger has only {last - 2}" in problems


def test_verify_names_two_entries_swapped(signed: Any) -> None:
    bodies = dict(LedgerEntry.objects.filter(seq__in=[5, 6]).values_list("seq", "body"))
    for seq, other in ((5, 6), (6, 5)):
        behind_the_triggers_back(
            "UPDATE ledger_ledgerentry SET body = %s WHERE seq = %s", [bytes(bodies[other]), seq]
        )
    problems = _tree_problems()
    assert "entry #5: its bytes do not match its leaf hash (entry altered)" in problems
    assert "entry #6: its bytes do not match its leaf hash (entry altered)" in problems
