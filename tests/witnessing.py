"""What the witness tests share: the log's settings, witness keys and a growing ledger."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from strongroom.ledger.notes import KeyType, Signer

ORIGIN = "records.test/strongroom"


def use_test_log(settings: Any, tmp_path: Path) -> Path:
    """The log's name, and its key file in the test's own directory (made on first use)."""
    settings.STRONGROOM_LOG_KEY_FILE = tmp_path / "log.key"
    settings.STRONGROOM_LOG_ORIGIN = ORIGIN
    return Path(settings.STRONGROOM_LOG_KEY_FILE)


def grow_ledger(org: Any, history: Any) -> None:
    """One more entry after ``history``: the registrar takes back the copy the custodian holds."""
    from strongroom.services import custody

    secret, _ = history
    custody.return_copy(secret.copies.get(number=2), by=org.registrar)


def witness_key(name: str = "witness.test/w1", n: int = 1) -> Signer:
    return Signer(name, KeyType.COSIGNATURE_V1, hashlib.sha256(f"{name} {n}".encode()).digest())


def configure_witnesses(settings: Any, *keys: Signer, threshold: int | None = None) -> None:
    settings.STRONGROOM_WITNESSES = tuple(key.verifier.vkey() for key in keys)
    settings.STRONGROOM_WITNESS_THRESHOLD = len(keys) if threshold is None else threshold
