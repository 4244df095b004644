"""C2SP tlog-cosignature (Ed25519 cosignature/v1) and the k-of-n witness policy."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from hypothesis import given
from hypothesis import strategies as st

from strongroom.ledger.checkpoints import Checkpoint, CheckpointError, sign_checkpoint
from strongroom.ledger.cosignatures import (
    CosignatureError,
    WitnessPolicy,
    check_witnesses,
    cosign,
    cosignature_time,
    verify_cosignature,
)
from strongroom.ledger.notes import (
    MAX_TIMESTAMP,
    KeyType,
    Signature,
    Signer,
    Verifier,
    format_note,
    open_note,
    parse_note,
    parse_skey,
    parse_vkey,
)

# The examples of c2sp.org/tlog-cosignature: a checkpoint with the log's signature and a witness's
# cosignature, and the message a witness signs for it.
EXAMPLE_BODY = (
    "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
)
EXAMPLE_NOTE = (
    EXAMPLE_BODY + "\n"
    "\u2014 example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Z"
    "hcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
    "\u2014 witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJ"
    "sX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n"
)
EXAMPLE_TIME = 1679315147
EXAMPLE_MESSAGE = "cosignature/v1\ntime 1679315147\n" + EXAMPLE_BODY
# transparency-dev/formats, note/note_cosigv1_test.go (TestCoSigV1Timestamp): a cosignature and
# its time, and a plain Ed25519 signature, which carries none.
FORMATS_COSIGNATURE = (
    "ZGhGuQAAAABm/qTPeyKXD+R2rzyQsxPiP8mXum7qq/iF0u4vanlqJyocWODBt97w9uL+8qT7S5gxEHWWOworDcFiEBYJ"
    "XORmnFBOBA=="
)
FORMATS_PLAIN = (
    "eQjRQm6eSKzFoiYalgwCPXu2y3ijtg68is9M46JKxuZB+dRfTmeQeDBoXnvxZx2ugnkyV+MUMLXpWs1hPb/W/4xkNQY="
)
# transparency-dev/formats, witness/witness_test.go: a witness key, published as a type-0x01 skey;
# NewSignerForCosignatureV1 uses it as a type-0x04 key, and so does strongroom.
WIT1_SKEY = "PRIVATE+KEY+Wit1+55ee4561+AeadRiG7XM4XiieCHzD8lxysXMwcViy5nYsoXURWGrlE"
# The witness's cosignature of EXAMPLE_BODY at EXAMPLE_TIME, as strongroom makes it. Not a
# published vector: pinned so that the format cannot drift unnoticed.
WIT1_COSIGNATURE = (
    "\u2014 Wit1 mz+y1QAAAABkGFDLM1oW1Cge43o711GHdmI8QPG1MhuOkQO1kJrg6IUc0qRplRuA9XSmt/d3Y7NujslnO7"
    "vHC5/XpLwYsn8xvJ8eAQ==\n"
)
ORIGIN = "strongroom.example/ledger"
ROOT = hashlib.sha256(b"root").digest()


def _key(name: str, n: int, key_type: KeyType = KeyType.COSIGNATURE_V1) -> Signer:
    return Signer(name, key_type, hashlib.sha256(f"{name} {n}".encode()).digest())


@pytest.fixture
def wit1() -> Signer:
    return parse_skey(WIT1_SKEY).as_type(KeyType.COSIGNATURE_V1)


@pytest.fixture
def checkpoint() -> Checkpoint:
    return Checkpoint(ORIGIN, 7, ROOT)


def test_the_cosignature_signs_the_spec_message_and_lays_out_its_bytes(wit1: Signer) -> None:
    signature = cosign(Checkpoint.parse(EXAMPLE_BODY), wit1, EXAMPLE_TIME)
    assert signature.encode() == WIT1_COSIGNATURE
    payload = base64.b64decode(WIT1_COSIGNATURE.split(" ")[2])
    assert len(payload) == 4 + 8 + 64
    assert payload[:4] == wit1.key_id.to_bytes(4, "big")
    assert wit1.key_id == wit1.as_type(KeyType.COSIGNATURE_V1).verifier.key_id == 0x9B3FB2D5
    assert payload[4:12] == EXAMPLE_TIME.to_bytes(8, "big")
    # Checked with the cryptography library alone, over the message exactly as the spec shows it.
    public = Ed25519PublicKey.from_public_bytes(wit1.verifier.public_key)
    public.verify(payload[12:], EXAMPLE_MESSAGE.encode())


def test_the_type_0x04_key_id_is_not_the_type_0x01_one(wit1: Signer) -> None:
    assert parse_skey(WIT1_SKEY).key_id == 0x55EE4561
    digest = hashlib.sha256(b"Wit1\n\x04" + wit1.verifier.public_key).digest()
    assert wit1.key_id == int.from_bytes(digest[:4], "big") != 0x55EE4561


def test_the_spec_example_cosignature_carries_its_time() -> None:
    note = parse_note(EXAMPLE_NOTE)
    witness = note.unverified[1]
    assert (witness.name, witness.key_id, witness.line) == ("witness.example.com/w1", 0x8D66CF3F, 6)
    assert cosignature_time(witness) == EXAMPLE_TIME
    assert Checkpoint.parse(note.text) == Checkpoint.parse(EXAMPLE_BODY)


def test_the_formats_timestamp_vectors() -> None:
    payload = base64.b64decode(FORMATS_COSIGNATURE)
    assert cosignature_time(Signature("w", 0, payload[4:])) == 1727964367
    plain = base64.b64decode(FORMATS_PLAIN)
    with pytest.raises(CosignatureError, match="has 64 bytes after its key ID; an Ed25519 cosig"):
        cosignature_time(Signature("w", 0, plain[4:]))


def test_a_cosignature_verifies_and_gives_its_time(wit1: Signer, checkpoint: Checkpoint) -> None:
    signature = cosign(checkpoint, wit1, 1_700_000_000)
    assert verify_cosignature(checkpoint, signature, wit1.verifier) == 1_700_000_000


def test_a_cosignature_is_a_note_signature_of_type_0x04(
    wit1: Signer, checkpoint: Checkpoint
) -> None:
    log = _key(ORIGIN, 1, KeyType.ED25519)
    signed = sign_checkpoint(checkpoint, log)
    cosigned = format_note(
        checkpoint.format(), [*parse_note(signed).unverified, cosign(checkpoint, wit1, 5)]
    )
    note = open_note(cosigned, [log.verifier, wit1.verifier])
    assert [s.name for s in note.signatures] == [ORIGIN, "Wit1"]
    with pytest.raises(ValueError, match="the signature on line 6 is by the known key 'Wit1"):
        open_note(cosigned.replace(b"\n7\n", b"\n8\n"), [wit1.verifier])


@pytest.mark.parametrize(
    "other",
    [
        Checkpoint(ORIGIN, 8, ROOT),
        Checkpoint(ORIGIN, 7, hashlib.sha256(b"other root").digest()),
        Checkpoint("other.example/ledger", 7, ROOT),
        Checkpoint(ORIGIN, 7, ROOT, ("extension",)),
    ],
)
def test_a_cosignature_of_another_checkpoint_fails(
    wit1: Signer, checkpoint: Checkpoint, other: Checkpoint
) -> None:
    signature = cosign(other, wit1, 1_700_000_000)
    with pytest.raises(
        CosignatureError,
        match=re.escape(
            "the signature is not a valid cosignature by the witness 'Wit1+9b3fb2d5' of the "
            "checkpoint of 'strongroom.example/ledger' at size 7: the Ed25519 signature does not "
            "match the text and the key"
        ),
    ):
        verify_cosignature(checkpoint, signature, wit1.verifier)


def test_a_cosignature_by_another_key_fails(wit1: Signer, checkpoint: Checkpoint) -> None:
    impostor = _key("Wit1", 2)
    with pytest.raises(CosignatureError, match=r"carries key ID [0-9a-f]{8}, not the witness's"):
        verify_cosignature(checkpoint, cosign(checkpoint, impostor, 1), wit1.verifier)
    # The impostor's signature under the witness's key ID still fails the signature check.
    forged = Signature("Wit1", wit1.key_id, cosign(checkpoint, impostor, 1).signature)
    with pytest.raises(CosignatureError, match="the Ed25519 signature does not match"):
        verify_cosignature(checkpoint, forged, wit1.verifier)
    other = _key("Wit2", 1)
    with pytest.raises(CosignatureError, match="it is signed under the name 'Wit2'"):
        verify_cosignature(checkpoint, cosign(checkpoint, other, 1), wit1.verifier)


def test_a_cosignature_under_the_type_0x01_key_id_fails(
    wit1: Signer, checkpoint: Checkpoint
) -> None:
    good = cosign(checkpoint, wit1, 1)
    plain_id = Signature("Wit1", 0x55EE4561, good.signature)
    with pytest.raises(
        CosignatureError,
        match=re.escape(
            "it carries key ID 55ee4561, the ID of the witness's key as a type-0x01 (plain "
            "Ed25519) key; a cosignature carries the type-0x04 ID 9b3fb2d5"
        ),
    ):
        verify_cosignature(checkpoint, plain_id, wit1.verifier)


def test_only_type_0x04_keys_cosign_and_verify(wit1: Signer, checkpoint: Checkpoint) -> None:
    plain = wit1.as_type(KeyType.ED25519)
    with pytest.raises(CosignatureError, match=re.escape("Wit1+55ee4561 has type 0x01; a witness")):
        cosign(checkpoint, plain, 1)
    with pytest.raises(CosignatureError, match="has type 0x01"):
        verify_cosignature(checkpoint, cosign(checkpoint, wit1, 1), plain.verifier)


@pytest.mark.parametrize("time", [-1, MAX_TIMESTAMP + 1, True, 1.5])
def test_cosignature_times_are_posix_seconds_up_to_2_63(
    wit1: Signer, checkpoint: Checkpoint, time: object
) -> None:
    with pytest.raises(CosignatureError, match="POSIX seconds from 0 to 2\\^63-1"):
        # Deliberately not an int: what a careless caller might pass, refused at run time.
        cosign(checkpoint, wit1, time)  # type: ignore[arg-type]


def test_altered_cosignature_bytes_fail(wit1: Signer, checkpoint: Checkpoint) -> None:
    good = cosign(checkpoint, wit1, 1_700_000_000).signature
    later = (1_700_000_001).to_bytes(8, "big") + good[8:]
    cases = {
        "the Ed25519 signature does not match": later,
        "it has 71 bytes after the key ID; a cosignature has 72": good[:-1],
        "its timestamp 9223372036854775808 exceeds 2^63-1": (2**63).to_bytes(8, "big") + good[8:],
    }
    for message, signature in cases.items():
        with pytest.raises(CosignatureError, match=re.escape(message)):
            verify_cosignature(checkpoint, Signature("Wit1", wit1.key_id, signature), wit1.verifier)


@given(
    time=st.integers(0, MAX_TIMESTAMP),
    size=st.integers(0, 2**64 - 1),
    root=st.binary(min_size=32, max_size=32),
    seed=st.binary(min_size=32, max_size=32),
)
def test_cosignatures_round_trip(time: int, size: int, root: bytes, seed: bytes) -> None:
    witness = Signer("witness.example/w", KeyType.COSIGNATURE_V1, seed)
    checkpoint = Checkpoint(ORIGIN, size, root)
    signature = cosign(checkpoint, witness, time)
    line = parse_note(checkpoint.format() + "\n" + signature.encode()).unverified[0]
    assert verify_cosignature(checkpoint, line, witness.verifier) == time


# The witness policy ---------------------------------------------------------------------------


WITNESSES = [_key(f"witness.example/w{i}", 1) for i in range(1, 4)]
POLICY = WitnessPolicy(tuple(w.verifier for w in WITNESSES), threshold=2)


def _cosigned_note(checkpoint: Checkpoint, signers: list[Signer], *extra: Signature) -> bytes:
    log = _key(ORIGIN, 1, KeyType.ED25519)
    signed = parse_note(sign_checkpoint(checkpoint, log))
    cosignatures = [
        cosign(checkpoint, signer, 1_700_000_000 + i) for i, signer in enumerate(signers)
    ]
    note = format_note(checkpoint.format(), [*signed.unverified, *cosignatures])
    # Appended as they come, as anyone can append lines to a note: format_note would keep only
    # the last signature by each key.
    return note + "".join(signature.encode() for signature in extra).encode()


def _forged(checkpoint: Checkpoint, witness: Signer) -> Signature:
    # A line under the witness's name and key ID, signed by someone else's key.
    stolen = cosign(checkpoint, _key(witness.name, 99), 1_700_000_000)
    return Signature(witness.name, witness.key_id, stolen.signature)


@pytest.mark.parametrize(
    ("valid", "forged", "met", "missing"),
    [
        ([], 0, False, ["w1", "w2", "w3"]),
        ([0], 1, False, ["w2", "w3"]),  # k - 1
        ([0, 1], 2, True, ["w3"]),  # k
        ([0, 1, 2], 0, True, []),  # n, and w1 also forged
    ],
)
def test_the_k_of_n_policy(
    checkpoint: Checkpoint, valid: list[int], forged: int, met: bool, missing: list[str]
) -> None:
    signers = [WITNESSES[i] for i in valid]
    note = _cosigned_note(checkpoint, signers, _forged(checkpoint, WITNESSES[forged]))
    verdict = check_witnesses(note, POLICY)
    assert verdict.met is met
    assert [c.name for c in verdict.cosigned] == [w.name for w in signers]
    assert [c.time for c in verdict.cosigned] == [1_700_000_000 + i for i in range(len(valid))]
    assert verdict.missing == tuple(f"witness.example/{name}" for name in missing)
    assert len(verdict.refused) == 1
    assert f"by the witness '{WITNESSES[forged].verifier.label}'" in verdict.refused[0]
    assert "the Ed25519 signature does not match the text and the key" in verdict.refused[0]
    assert verdict.message.startswith(
        f"witness policy {'met' if met else 'NOT met'}: {len(valid)} of 3 witnesses cosigned, "
        "2 required"
    )
    for name in missing:
        assert f"witness.example/{name}" in verdict.message.split("missing ")[1]


def test_the_verdict_message_in_full(checkpoint: Checkpoint) -> None:
    note = _cosigned_note(checkpoint, [WITNESSES[1]])
    assert check_witnesses(note, POLICY).message == (
        "witness policy NOT met: 1 of 3 witnesses cosigned, 2 required; cosigned by "
        "'witness.example/w2'; missing 'witness.example/w1', 'witness.example/w3'"
    )


def test_a_witness_counts_once(checkpoint: Checkpoint) -> None:
    twice = cosign(checkpoint, WITNESSES[0], 1_800_000_000)
    note = _cosigned_note(checkpoint, [WITNESSES[0]], twice)
    verdict = check_witnesses(note, POLICY)
    assert [c.name for c in verdict.cosigned] == ["witness.example/w1"]
    assert not verdict.met


def test_a_cosignature_under_the_plain_key_id_does_not_count(checkpoint: Checkpoint) -> None:
    witness = WITNESSES[0]
    good = cosign(checkpoint, witness, 1)
    plain = Signature(witness.name, witness.as_type(KeyType.ED25519).key_id, good.signature)
    verdict = check_witnesses(_cosigned_note(checkpoint, [WITNESSES[1]], plain), POLICY)
    assert [c.name for c in verdict.cosigned] == ["witness.example/w2"]
    assert "the ID of the witness's key as a type-0x01" in verdict.refused[0]


def test_cosignatures_dated_after_a_limit_do_not_count(checkpoint: Checkpoint) -> None:
    note = _cosigned_note(checkpoint, WITNESSES[:2])
    verdict = check_witnesses(note, POLICY, not_after=1_700_000_000)
    assert [c.name for c in verdict.cosigned] == ["witness.example/w1"]
    assert verdict.refused[0].endswith("is dated 1700000001, after 1700000000")


def test_the_policy_reads_an_opened_note(checkpoint: Checkpoint) -> None:
    note = open_note(
        _cosigned_note(checkpoint, WITNESSES), [_key(ORIGIN, 1, KeyType.ED25519).verifier]
    )
    assert check_witnesses(note, POLICY).met


def test_the_policy_needs_a_checkpoint(checkpoint: Checkpoint) -> None:
    note = format_note("not\na\ncheckpoint\n", [cosign(checkpoint, WITNESSES[0], 1)])
    with pytest.raises(CheckpointError, match="the tree size 'a' is not a decimal number"):
        check_witnesses(note, POLICY)


@pytest.mark.parametrize(
    ("witnesses", "threshold", "message"),
    [
        ([WITNESSES[0].verifier] * 2, 1, "the witness 'witness.example/w1' is listed twice"),
        ([w.verifier for w in WITNESSES], 4, "the threshold 4 is not between 0 and the number"),
        ([w.verifier for w in WITNESSES], -1, "the threshold -1 is not between 0"),
        ([w.verifier for w in WITNESSES], True, "the threshold must be an integer, not True"),
        ([WITNESSES[0].as_type(KeyType.ED25519).verifier], 1, "has type 0x01; a witness cosigns"),
    ],
)
def test_policies_that_cannot_be_made(
    witnesses: list[Verifier], threshold: int, message: str
) -> None:
    with pytest.raises(CosignatureError, match=re.escape(message)):
        WitnessPolicy(tuple(witnesses), threshold)


def test_a_zero_threshold_is_met_by_nothing(checkpoint: Checkpoint) -> None:
    verdict = check_witnesses(_cosigned_note(checkpoint, []), WitnessPolicy((), 0))
    assert verdict.met
    assert verdict.message == "witness policy met: 0 of 0 witnesses cosigned, 0 required"


def test_published_cosignature_vkeys_make_policies() -> None:
    # transparency-dev/formats, note/note_cosigv1_test.go: a native type-0x04 witness key.
    remora = parse_vkey("remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2")
    assert WitnessPolicy((remora,), 1).witnesses == (remora,)
