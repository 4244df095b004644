"""Witnesses hand the log their cosignatures through the API; the checkpoint carries them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from strongroom.ledger.checkpoints import Checkpoint as CheckpointBody
from strongroom.ledger.cosignatures import cosign
from strongroom.ledger.models import Cosignature
from strongroom.services import checkpoints
from tests.api.conftest import error_of
from tests.witnessing import ORIGIN, configure_witnesses, use_test_log, witness_key

CHECKPOINT = "/api/v1/ledger/checkpoint"
COSIGNATURES = "/api/v1/ledger/checkpoint/cosignatures"
W1, W2 = witness_key("witness.test/w1"), witness_key("witness.test/w2")


@pytest.fixture(autouse=True)
def log_key_file(settings: Any, tmp_path: Path) -> Path:
    return use_test_log(settings, tmp_path)


@pytest.fixture
def line(org: Any, history: Any, settings: Any) -> tuple[int, str]:
    configure_witnesses(settings, W1, W2, threshold=1)
    signed = checkpoints.sign_checkpoint(by=org.inspector)
    assert signed is not None
    body = CheckpointBody(ORIGIN, signed.size, signed.root)
    return signed.size, cosign(body, W1, 1_700_000_000).encode().rstrip("\n")


def test_anyone_signed_in_hands_over_a_cosignature_and_it_is_published(
    org: Any, line: tuple[int, str], client_for: Any
) -> None:
    size, cosignature = line
    client = client_for(org.worker)
    before = client.get(CHECKPOINT).json()
    assert before["witnessed"] == {
        "met": False,
        "threshold": 1,
        "witnesses": 2,
        "cosigned": [],
        "missing": [W1.name, W2.name],
    }
    answer = client.post(COSIGNATURES, {"size": size, "cosignature": cosignature}, format="json")
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert {k: body[k] for k in ("size", "witness", "key_id", "time", "cosignature")} == {
        "size": size,
        "witness": W1.name,
        "key_id": f"{W1.key_id:08x}",
        "time": 1_700_000_000,
        "cosignature": cosignature,
    }
    assert body["witnessed"]["met"] is True
    after = client.get(CHECKPOINT).json()
    assert after["note"] == before["note"] + cosignature + "\n"
    assert after["witnessed"]["cosigned"] == [
        {"name": W1.name, "key_id": f"{W1.key_id:08x}", "time": 1_700_000_000}
    ]
    assert after["witnessed"]["missing"] == [W2.name]
    again = client.post(COSIGNATURES, {"size": size, "cosignature": cosignature}, format="json")
    assert again.status_code == 200 and again.json()["received_at"] == body["received_at"]
    assert Cosignature.objects.count() == 1


def test_without_signing_in_nothing_is_handed_over(anonymous: Any, line: tuple[int, str]) -> None:
    size, cosignature = line
    body = {"size": size, "cosignature": cosignature}
    error_of(anonymous.post(COSIGNATURES, body, format="json"), 401, "not_authenticated")
    assert not Cosignature.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "size"),
        ({"size": "many", "cosignature": "x"}, "size"),
        ({"size": 0, "cosignature": "x"}, "size"),
        ({"size": 1}, "cosignature"),
        ({"size": 1, "cosignature": ""}, "cosignature"),
        ({"size": 1, "cosignature": "x", "witness": "w1"}, "witness"),
        ({"size": 1, "cosignature": "not a signature line"}, "cosignature"),
        ({"size": 100000, "cosignature": "VALID"}, "size"),
        ({"size": "SIZE", "cosignature": "\u2014 witness.test/w9 AAAAAAAA"}, "cosignature"),
    ],
)
def test_a_bad_cosignature_says_what_is_wrong(
    org: Any, line: tuple[int, str], client_for: Any, body: dict[str, Any], field: str
) -> None:
    size, cosignature = line
    body = {k: cosignature if v == "VALID" else size if v == "SIZE" else v for k, v in body.items()}
    response = client_for(org.worker).post(COSIGNATURES, body, format="json")
    error = error_of(response, 400, "invalid_input")
    assert field in error["fields"], error
    assert not Cosignature.objects.exists()
