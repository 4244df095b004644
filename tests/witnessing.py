"""What the witness tests share: witness keys, the log's API answered in-process by the Django
test client, and a log in memory that can show the witness another history."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from rest_framework.test import APIClient

from strongroom.api.tokens import issue_token
from strongroom.ledger import merkle
from strongroom.ledger.checkpoints import Checkpoint, sign_checkpoint
from strongroom.ledger.notes import KeyType, Signer
from strongroom.ledger.witness import HttpError

LOG = "http://testserver/api/v1/"
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


class ClientFetch:
    """The witness's ``fetch`` answered by the Django test client, sending ``token``, as
    ``UrlFetch(token, timeout=...)`` sends it to a server.

    ``asked`` lists every request, as ``GET <path>`` or ``POST <path>``."""

    def __init__(self, token: str, *, timeout: float = 30) -> None:
        self.client = APIClient()
        self.client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        self.asked: list[str] = []

    @classmethod
    def as_(cls, person: Any) -> ClientFetch:
        return cls(issue_token(person))

    def __call__(self, url: str, data: bytes | None = None) -> bytes:
        parts = urlsplit(url)
        assert parts.netloc == "testserver", url
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        self.asked.append(f"{'GET' if data is None else 'POST'} {path}")
        if data is None:
            response = self.client.get(path)
        else:
            response = self.client.post(path, data, content_type="application/json")
        if response.status_code >= 400:
            raise HttpError(response.status_code, response.content)
        return bytes(response.content)


def leaf(text: str) -> bytes:
    return hashlib.sha256(b"\x00" + text.encode()).digest()


class MemoryLog:
    """A log held in memory, signing its checkpoints with ``key``: a stand-in for a log whose
    whole history was rewritten and re-signed, which a witness must catch."""

    def __init__(self, key: Signer, leaves: list[bytes]) -> None:
        self.key = key
        self.nodes = merkle.MemoryNodes()
        appended = merkle.Frontier().append(leaves)
        self.nodes.store(appended.nodes)
        self.size = len(leaves)
        self.root = appended.root
        self.posted: list[dict[str, Any]] = []

    def __call__(self, url: str, data: bytes | None = None) -> bytes:
        parts = urlsplit(url)
        if parts.path.endswith("/ledger/checkpoint") and data is None:
            body = Checkpoint(self.key.name, self.size, self.root)
            return json.dumps({"note": sign_checkpoint(body, self.key).decode()}).encode()
        if parts.path.endswith("/ledger/proofs/consistency"):
            query = parse_qs(parts.query)
            old, new = int(query["old"][0]), int(query["new"][0])
            proof = merkle.consistency_proof(old, new, self.nodes)
            return json.dumps({"proof": [base64.b64encode(h).decode() for h in proof]}).encode()
        if parts.path.endswith("/ledger/checkpoint/cosignatures") and data is not None:
            self.posted.append(json.loads(data))
            return json.dumps({"witnessed": None}).encode()
        raise HttpError(404, b'{"error": {"code": "not_found", "message": "Nothing here."}}')
