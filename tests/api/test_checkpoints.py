"""The ledger's signed checkpoint, the log's key and proofs against them, through the API."""

from __future__ import annotations

import base64
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from strongroom.ledger import merkle
from strongroom.ledger.checkpoints import open_checkpoint
from strongroom.ledger.models import LedgerEntry
from strongroom.ledger.notes import parse_vkey
from strongroom.services import checkpoints, custody
from tests.api.conftest import error_of
from tests.cosigned import cosigned_checkpoint
from tests.pdfs import text as pdf_text
from tests.pdfs import without_pango

CHECKPOINT = "/api/v1/ledger/checkpoint"
LOG_KEY = "/api/v1/ledger/log-key"
INCLUSION = "/api/v1/ledger/proofs/inclusion"
CONSISTENCY = "/api/v1/ledger/proofs/consistency"


@pytest.fixture(autouse=True)
def log_key_file(settings: Any, tmp_path: Path) -> None:
    settings.STRONGROOM_LOG_KEY_FILE = tmp_path / "log.key"
    settings.STRONGROOM_LOG_ORIGIN = "records.test/strongroom"


def _b64(values: list[str]) -> list[bytes]:
    return [base64.b64decode(v) for v in values]


def test_anyone_signed_in_reads_the_checkpoint_and_checks_it(
    org: Any, history: Any, client_for: Any
) -> None:
    client = client_for(org.worker)
    error_of(client.get(CHECKPOINT), 404, "not_found")  # none signed yet
    checkpoints.sign_checkpoint(by=org.inspector)
    body = client.get(CHECKPOINT).json()
    key = client.get(LOG_KEY).json()
    assert key == {"origin": "records.test/strongroom", "log_key": body["log_key"]}
    checkpoint, _note = open_checkpoint(body["note"], parse_vkey(key["log_key"]))
    assert (checkpoint.size, base64.b64encode(checkpoint.root_hash).decode()) == (
        body["size"],
        body["root_hash"],
    )
    assert body["size"] == LedgerEntry.objects.count()


def test_proofs_verify_against_the_signed_heads(org: Any, history: Any, client_for: Any) -> None:
    first = checkpoints.sign_checkpoint(by=org.inspector)
    secret, _ = history
    custody.return_copy(secret.copies.get(number=2), by=org.registrar)
    last = checkpoints.sign_checkpoint(by=org.inspector)
    assert first is not None and last is not None
    client = client_for(org.reader)
    for seq in (1, first.size, last.size):
        proof = client.get(INCLUSION, {"seq": seq}).json()
        assert (proof["seq"], proof["size"]) == (seq, last.size)
        merkle.verify_inclusion(
            base64.b64decode(proof["leaf_hash"]),
            seq - 1,
            last.size,
            _b64(proof["proof"]),
            last.root,
        )
    older = client.get(INCLUSION, {"seq": 2, "size": first.size}).json()
    assert base64.b64decode(older["root_hash"]) == first.root
    consistency = client.get(CONSISTENCY, {"old": first.size}).json()
    assert base64.b64decode(consistency["new_root"]) == last.root
    merkle.verify_consistency(
        first.size, last.size, first.root, last.root, _b64(consistency["proof"])
    )


@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        (INCLUSION, {}, "seq"),
        (INCLUSION, {"seq": "one"}, "seq"),
        (INCLUSION, {"seq": "-1"}, "seq"),
        (INCLUSION, {"seq": "0"}, "seq"),
        (INCLUSION, {"seq": "5", "size": "4"}, "seq"),
        (INCLUSION, {"seq": "1", "size": "100000"}, "size"),
        (CONSISTENCY, {}, "old"),
        (CONSISTENCY, {"old": "0"}, "old"),
        (CONSISTENCY, {"old": "3", "new": "2"}, "old"),
        (CONSISTENCY, {"old": "1", "new": "x"}, "new"),
    ],
)
def test_a_bad_proof_request_says_what_is_wrong(
    org: Any, history: Any, client_for: Any, url: str, params: dict[str, str], field: str
) -> None:
    checkpoints.sign_checkpoint(by=org.inspector)
    error = error_of(client_for(org.reader).get(url, params), 400, "invalid_input")
    assert list(error["fields"]) == [field], error


def test_before_any_checkpoint_a_proof_needs_its_size(
    org: Any, history: Any, client_for: Any
) -> None:
    error = error_of(client_for(org.reader).get(INCLUSION, {"seq": "1"}), 400, "invalid_input")
    assert "No checkpoint has been signed yet" in error["message"]


# --- the printed checkpoint ---------------------------------------------------------------------

PRINTOUT = "/api/v1/ledger/checkpoint.pdf"


def test_anyone_signed_in_prints_the_checkpoint(org: Any, history: Any, client_for: Any) -> None:
    client = client_for(org.worker)
    error_of(client.get(PRINTOUT, HTTP_ACCEPT="application/pdf"), 404, "not_found")
    signed = checkpoints.sign_checkpoint(by=org.inspector)
    assert signed is not None
    response = client.get(PRINTOUT)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="checkpoint-{signed.size}.pdf"' in response["Content-Disposition"]
    words = pdf_text(response.content)
    assert f"Size (entries) {signed.size}" in words
    assert base64.b64encode(signed.root).decode()[:20] in words.replace(" ", "")
    assert len(PdfReader(BytesIO(response.content)).pages) == 1


def test_the_printed_checkpoint_carries_every_signature_line_on_one_page(
    org: Any, history: Any, client_for: Any
) -> None:
    signed = cosigned_checkpoint(witnesses=8)
    response = client_for(org.worker).get(PRINTOUT)
    assert response.status_code == 200
    assert len(PdfReader(BytesIO(response.content)).pages) == 1
    words = pdf_text(response.content).replace(" ", "")
    for line in signed.note.decode().split("\n\n")[1].splitlines():
        assert line.replace(" ", "")[:40] in words


def test_the_printed_checkpoint_needs_a_signed_in_caller(anonymous: Any, org: Any) -> None:
    error_of(anonymous.get(PRINTOUT), 401, "not_authenticated")


def test_the_printed_checkpoint_without_pango_is_unavailable(
    org: Any, history: Any, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    checkpoints.sign_checkpoint(by=org.inspector)
    without_pango(monkeypatch)
    error = error_of(client_for(org.worker).get(PRINTOUT), 503, "unavailable")
    assert "Install Pango" in error["message"]
