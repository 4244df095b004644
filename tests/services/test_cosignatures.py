"""Witnesses' cosignatures: kept when they verify against a configured witness's key, refused
with what is wrong otherwise, and counted against the k-of-n witness policy."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from strongroom.adapters import clock
from strongroom.domain.errors import InvalidInput
from strongroom.ledger.checkpoints import Checkpoint as CheckpointBody
from strongroom.ledger.cosignatures import cosign
from strongroom.ledger.kept_checkpoints import Signed
from strongroom.ledger.models import Cosignature
from strongroom.ledger.notes import KeyType, Signature, Signer
from strongroom.queries import ledger as ledger_queries
from strongroom.services import checkpoints
from tests.witnessing import ORIGIN, configure_witnesses, grow_ledger, use_test_log, witness_key

NOW = 1_700_000_000


@pytest.fixture(autouse=True)
def log_key_file(settings: Any, tmp_path: Path) -> Path:
    return use_test_log(settings, tmp_path)


@pytest.fixture
def signed(org: Any, history: Any) -> Signed:
    checkpoint = checkpoints.sign_checkpoint(by=org.inspector)
    assert checkpoint is not None
    return checkpoint


def _line(signed: Signed, key: Signer, time: int = NOW) -> str:
    return cosign(CheckpointBody(ORIGIN, signed.size, signed.root), key, time).encode()


W1, W2, W3 = (witness_key(f"witness.test/w{n}") for n in (1, 2, 3))


def test_a_configured_witness_s_cosignature_is_kept_whoever_hands_it_over(
    org: Any, signed: Signed, settings: Any
) -> None:
    configure_witnesses(settings, W1)
    added = checkpoints.add_cosignature(signed.size, _line(signed, W1), by=org.worker)
    assert added.created and added.verdict.met
    row = Cosignature.objects.get()
    assert row == added.cosignature
    assert (row.checkpoint_id, row.witness, row.key_id, row.timestamp, row.submitted_by_id) == (
        signed.size,
        W1.name,
        W1.key_id,
        NOW,
        org.worker.pk,
    )
    assert len(bytes(row.signature)) == 64
    assert row.received_at <= clock.now()
    published = ledger_queries.latest_checkpoint()
    assert published is not None
    assert published.note == signed.note.decode() + _line(signed, W1)
    assert published.witnessed.met and [c.name for c in published.witnessed.cosigned] == [W1.name]


def test_a_second_cosignature_by_the_same_witness_changes_nothing(
    org: Any, signed: Signed, settings: Any
) -> None:
    configure_witnesses(settings, W1)
    first = checkpoints.add_cosignature(signed.size, _line(signed, W1), by=org.worker)
    again = checkpoints.add_cosignature(
        signed.size, _line(signed, W1, NOW + 60).encode(), by=org.inspector
    )
    assert not again.created
    assert again.cosignature == first.cosignature
    assert list(Cosignature.objects.values_list("timestamp", flat=True)) == [NOW]


@pytest.mark.parametrize(
    ("line", "field", "words"),
    [
        ("hello", "cosignature", "should be a signature line, beginning with an em dash"),
        ("\u2014 w1 !!!", "cosignature", "the signature line: the signature is not base64"),
        ("\u2014 w1 AAAA\n\u2014 w2 AAAA", "cosignature", "this text has several"),
        (b"\xff\xfe", "cosignature", "it is not UTF-8"),
    ],
)
def test_what_is_no_signature_line_is_refused(
    org: Any, signed: Signed, settings: Any, line: str | bytes, field: str, words: str
) -> None:
    configure_witnesses(settings, W1)
    with pytest.raises(InvalidInput, match=words) as caught:
        checkpoints.add_cosignature(signed.size, line, by=org.worker)
    assert caught.value.field == field
    assert not Cosignature.objects.exists()


def test_a_cosignature_by_an_unknown_witness_is_refused(
    org: Any, signed: Signed, settings: Any
) -> None:
    configure_witnesses(settings, W1)
    with pytest.raises(InvalidInput, match=r"witness\.test/w2\+[0-9a-f]{8} is not a witness of"):
        checkpoints.add_cosignature(signed.size, _line(signed, W2), by=org.worker)
    configure_witnesses(settings)
    with pytest.raises(InvalidInput, match=r"STRONGROOM_WITNESSES \(none yet\)"):
        checkpoints.add_cosignature(signed.size, _line(signed, W1), by=org.worker)
    assert not Cosignature.objects.exists()


def test_a_cosignature_that_does_not_verify_is_refused(
    org: Any, history: Any, signed: Signed, settings: Any
) -> None:
    configure_witnesses(settings, W1)
    grow_ledger(org, history)
    later = checkpoints.sign_checkpoint(by=org.inspector)
    assert later is not None
    # A cosignature of the later checkpoint, handed in for the earlier one.
    with pytest.raises(InvalidInput, match="the Ed25519 signature does not match") as caught:
        checkpoints.add_cosignature(signed.size, _line(later, W1), by=org.worker)
    assert caught.value.field == "cosignature"
    # The witness's name with another key: a replaced witness key, or an impostor.
    impostor = Signer(W1.name, KeyType.COSIGNATURE_V1, bytes(32))
    with pytest.raises(InvalidInput, match="not the witness's"):
        checkpoints.add_cosignature(signed.size, _line(signed, impostor), by=org.worker)
    # The witness's key as a plain Ed25519 (type 0x01) signature: not a cosignature.
    plain = W1.as_type(KeyType.ED25519)
    body = CheckpointBody(ORIGIN, signed.size, signed.root).encode()
    line = Signature(W1.name, plain.key_id, plain.sign(body)).encode()
    with pytest.raises(InvalidInput, match="the ID of the witness's key as a type-0x01"):
        checkpoints.add_cosignature(signed.size, line, by=org.worker)
    assert not Cosignature.objects.exists()


def test_a_cosignature_of_a_checkpoint_the_log_never_signed_is_refused(
    org: Any, signed: Signed, settings: Any
) -> None:
    configure_witnesses(settings, W1)
    with pytest.raises(InvalidInput, match="The log has no checkpoint of 999 entries") as caught:
        checkpoints.add_cosignature(999, _line(signed, W1), by=org.worker)
    assert caught.value.field == "size"


def test_a_cosignature_dated_in_the_future_is_refused(
    org: Any, signed: Signed, settings: Any
) -> None:
    configure_witnesses(settings, W1)
    ahead = int((clock.now() + timedelta(hours=2)).timestamp())
    with pytest.raises(InvalidInput, match="later than now: the witness's clock is wrong"):
        checkpoints.add_cosignature(signed.size, _line(signed, W1, ahead), by=org.worker)
    assert not Cosignature.objects.exists()


def test_k_of_n_witnesses_and_the_latest_witnessed_checkpoint(
    org: Any, history: Any, signed: Signed, settings: Any
) -> None:
    configure_witnesses(settings, W1, W2, W3, threshold=2)
    assert ledger_queries.latest_witnessed_checkpoint() is None
    one = checkpoints.add_cosignature(signed.size, _line(signed, W1), by=org.worker)
    assert not one.verdict.met and one.verdict.missing == (W2.name, W3.name)
    assert ledger_queries.latest_witnessed_checkpoint() is None
    two = checkpoints.add_cosignature(signed.size, _line(signed, W3), by=org.worker)
    assert two.verdict.met and [c.name for c in two.verdict.cosigned] == [W1.name, W3.name]
    grow_ledger(org, history)
    later = checkpoints.sign_checkpoint(by=org.inspector)
    assert later is not None
    checkpoints.add_cosignature(later.size, _line(later, W2), by=org.worker)
    latest = ledger_queries.latest_checkpoint()
    assert latest is not None and latest.size == later.size and not latest.witnessed.met
    # The newest checkpoint two witnesses vouch for is the earlier one.
    witnessed = ledger_queries.latest_witnessed_checkpoint()
    assert witnessed is not None and witnessed.size == signed.size
    assert witnessed.witnessed.met and witnessed.note.count("\u2014 witness.test/") == 2
    checkpoints.add_cosignature(later.size, _line(later, W1), by=org.worker)
    witnessed = ledger_queries.latest_witnessed_checkpoint()
    assert witnessed is not None and witnessed.size == later.size


def test_a_witness_whose_key_was_replaced_no_longer_counts(
    org: Any, signed: Signed, settings: Any
) -> None:
    configure_witnesses(settings, W1)
    checkpoints.add_cosignature(signed.size, _line(signed, W1), by=org.worker)
    replaced = Signer(W1.name, KeyType.COSIGNATURE_V1, bytes(32))
    configure_witnesses(settings, replaced)
    published = ledger_queries.latest_checkpoint()
    assert published is not None and not published.witnessed.met
    assert published.witnessed.missing == (W1.name,)
    assert ledger_queries.latest_witnessed_checkpoint() is None


def test_with_no_witness_required_the_latest_checkpoint_counts(
    org: Any, signed: Signed, settings: Any
) -> None:
    configure_witnesses(settings, W1, threshold=0)
    witnessed = ledger_queries.latest_witnessed_checkpoint()
    assert witnessed is not None and witnessed.size == signed.size
    assert witnessed.witnessed.met and witnessed.witnessed.missing == (W1.name,)


def test_the_database_refuses_to_rewrite_a_cosignature(
    org: Any, signed: Signed, settings: Any
) -> None:
    configure_witnesses(settings, W1)
    checkpoints.add_cosignature(signed.size, _line(signed, W1), by=org.worker)
    for statement in (
        "UPDATE ledger_cosignature SET timestamp = 0",
        "DELETE FROM ledger_cosignature",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert Cosignature.objects.get().timestamp == NOW
