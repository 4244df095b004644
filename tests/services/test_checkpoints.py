"""Signed checkpoints: the tree's head signed with the log's key, on demand and by the job."""

from __future__ import annotations

import stat
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from strongroom.adapters import clock
from strongroom.ledger import merkle
from strongroom.ledger.checkpoints import open_checkpoint
from strongroom.ledger.keys import create_key_file
from strongroom.ledger.log_key import LogKeyError, log_verifier
from strongroom.ledger.models import Checkpoint, LedgerEntry
from strongroom.ledger.notes import KeyType
from strongroom.policy import Denied
from strongroom.services import checkpoints, custody


@pytest.fixture(autouse=True)
def log_key(settings: Any, tmp_path: Path) -> Path:
    settings.STRONGROOM_LOG_KEY_FILE = tmp_path / "log.key"
    settings.STRONGROOM_LOG_ORIGIN = "records.test/strongroom"
    return Path(settings.STRONGROOM_LOG_KEY_FILE)


def _leaves() -> list[bytes]:
    return [
        bytes(h) for h in LedgerEntry.objects.order_by("seq").values_list("leaf_hash", flat=True)
    ]


def test_an_inspector_has_the_ledger_signed_now(org: Any, history: Any, log_key: Path) -> None:
    signed = checkpoints.sign_checkpoint(by=org.inspector)
    assert signed is not None
    leaves = _leaves()
    assert (signed.size, signed.root) == (len(leaves), merkle.root(leaves))
    body, note = open_checkpoint(signed.note, log_verifier())
    assert (body.origin, body.size, body.root_hash) == (
        "records.test/strongroom",
        signed.size,
        signed.root,
    )
    assert [s.name for s in note.signatures] == ["records.test/strongroom"]
    # The key was made on first use, owner-only, outside the database.
    assert stat.S_IMODE(log_key.stat().st_mode) == 0o600
    assert Checkpoint.objects.count() == 1


def test_with_nothing_new_nothing_is_signed(org: Any, history: Any) -> None:
    first = checkpoints.sign_checkpoint(by=org.inspector)
    assert checkpoints.sign_checkpoint(by=org.inspector) == first
    assert Checkpoint.objects.count() == 1


def test_an_ordinary_worker_may_not_have_it_signed(org: Any, history: Any) -> None:
    with pytest.raises(Denied):
        checkpoints.sign_checkpoint(by=org.worker)
    assert not Checkpoint.objects.exists()


def test_the_job_signs_after_enough_entries_or_enough_time(
    org: Any, history: Any, settings: Any
) -> None:
    settings.STRONGROOM_CHECKPOINT_ENTRIES = 2
    settings.STRONGROOM_CHECKPOINT_MINUTES = 10
    now = clock.now()
    first = checkpoints.checkpoint_if_due(at=now)  # never signed: due
    assert first is not None
    assert checkpoints.checkpoint_if_due(at=now) is None  # nothing new
    secret, _ = history
    custody.return_copy(secret.copies.get(number=2), by=org.registrar)  # one new entry
    assert checkpoints.checkpoint_if_due(at=now + timedelta(minutes=9)) is None
    later = checkpoints.checkpoint_if_due(at=now + timedelta(minutes=10))
    assert later is not None and later.size == first.size + 1
    custody.issue_copy(secret.copies.get(number=2), to=org.custodian, by=org.registrar)
    custody.return_copy(secret.copies.get(number=2), by=org.registrar)  # two: enough at once
    sooner = checkpoints.checkpoint_if_due(at=now + timedelta(minutes=11))
    assert sooner is not None and sooner.size == later.size + 2
    assert sooner.root == merkle.root(_leaves())


def test_a_key_of_another_log_is_refused_with_what_to_do(
    org: Any, history: Any, log_key: Path
) -> None:
    create_key_file(log_key, "records.other/strongroom", KeyType.ED25519)
    with pytest.raises(LogKeyError, match=r"set STRONGROOM_LOG_ORIGIN=records\.other/strongroom"):
        checkpoints.sign_checkpoint(by=org.inspector)


def test_a_key_others_may_read_is_refused(org: Any, history: Any, log_key: Path) -> None:
    create_key_file(log_key, "records.test/strongroom", KeyType.ED25519)
    log_key.chmod(0o644)
    with pytest.raises(LogKeyError, match="chmod 600"):
        checkpoints.sign_checkpoint(by=org.inspector)


def test_the_database_refuses_to_rewrite_a_checkpoint(org: Any, history: Any) -> None:
    checkpoints.sign_checkpoint(by=org.inspector)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE ledger_checkpoint SET size = size + 1")
