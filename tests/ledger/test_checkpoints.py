"""C2SP tlog-checkpoint bodies: format, strict parsing, and the log's signature."""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from strongroom.ledger.checkpoints import (
    MAX_TREE_SIZE,
    Checkpoint,
    CheckpointError,
    open_checkpoint,
    sign_checkpoint,
)
from strongroom.ledger.notes import (
    InvalidSignatureError,
    KeyType,
    Signer,
    UnverifiedNoteError,
    sign_note,
)

# The example of c2sp.org/tlog-checkpoint.
EXAMPLE = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
ROOT = base64.b64decode("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=")
EMPTY_ROOT = hashlib.sha256(b"").digest()
ORIGIN = "strongroom.example/ledger"


def _log_key(name: str = ORIGIN, n: int = 1) -> Signer:
    return Signer(name, KeyType.ED25519, hashlib.sha256(b"log key %d" % n).digest())


def test_the_spec_example_parses_and_formats_back() -> None:
    checkpoint = Checkpoint.parse(EXAMPLE)
    assert checkpoint == Checkpoint("example.com/behind-the-sofa", 20852163, ROOT)
    assert checkpoint.format() == EXAMPLE
    assert Checkpoint.parse(EXAMPLE.encode()) == checkpoint


def test_the_empty_tree_and_extension_lines() -> None:
    empty = Checkpoint(ORIGIN, 0, EMPTY_ROOT, ("ext one", "ext two"))
    text = f"{ORIGIN}\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\next one\next two\n"
    assert empty.format() == text
    assert Checkpoint.parse(text) == empty


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (EXAMPLE[:-1], "the checkpoint body must end with a newline"),
        ("origin\n5\n", "at least three lines (origin, tree size, root hash); this one has 2"),
        ("\n5\n" + EXAMPLE.split("\n")[2] + "\n", "the origin (line 1) is empty"),
        ("o\n\nAAAA\n", "the tree size (line 2) is empty"),
        ("o\n01\nAAAA\n", "the tree size '01' has a leading zero"),
        ("o\n00\nAAAA\n", "the tree size '00' has a leading zero"),
        ("o\n+5\nAAAA\n", "the tree size '+5' has a sign; it must be only digits"),
        ("o\n-1\nAAAA\n", "the tree size '-1' has a sign"),
        ("o\n1.0\nAAAA\n", "the tree size '1.0' is not a decimal number"),
        ("o\n 5\nAAAA\n", "the tree size ' 5' is not a decimal number"),
        ("o\n1_000\nAAAA\n", "the tree size '1_000' is not a decimal number"),
        ("o\n\u0665\nAAAA\n", "the tree size '\u0665' is not a decimal number"),
        (f"o\n{2**64}\nAAAA\n", f"the tree size {2**64} exceeds 2^64-1"),
        ("o\n5\n\n", "the root hash (line 3) is empty"),
        ("o\n5\nnot base64!\n", "the root hash (line 3) 'not base64!' is not base64"),
        ("o\n5\n" + EXAMPLE.split("\n")[2].rstrip("=") + "\n", "is not base64"),
        ("o\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=\n", "is not canonical base64"),
        ("o\n5\n" + base64.b64encode(bytes(31)).decode() + "\n", "decodes to 31 bytes"),
        ("o\n5\n" + base64.b64encode(bytes(33)).decode() + "\n", "decodes to 33 bytes"),
        ("o\n5\n" + base64.urlsafe_b64encode(b"\xff" * 32).decode() + "\n", "is not base64"),
        (EXAMPLE + "\n", "extension line 4 is empty"),
        (EXAMPLE + "ext\n\n", "extension line 5 is empty"),
        ("o\tx\n5\n" + base64.b64encode(ROOT).decode() + "\n", "the origin contains the control"),
        (EXAMPLE + "a\x00b\n", "extension line 4 contains the control character U+0000"),
        (b"\xffo\n5\nAAAA\n", "the checkpoint is not valid UTF-8 (byte offset 0)"),
    ],
)
def test_malformed_checkpoints_are_refused_precisely(text: str | bytes, message: str) -> None:
    with pytest.raises(CheckpointError, match=re.escape(message)):
        Checkpoint.parse(text)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (("", 1, ROOT, ()), "the origin is empty"),
        (("a\nb", 1, ROOT, ()), "the origin contains the control character U+000A"),
        (("o", -1, ROOT, ()), "the tree size -1 is outside 0 to 2^64-1"),
        (("o", 2**64, ROOT, ()), "is outside 0 to 2^64-1"),
        (("o", True, ROOT, ()), "the tree size must be an integer, not True"),
        (("o", 1, ROOT[:31], ()), "the root hash is 31 bytes; an RFC 6962 SHA-256 root is 32"),
        (("o", 1, ROOT, ("",)), "extension line 4 is empty"),
        (("o", 1, ROOT, ("ok", "a\nb")), "extension line 5 contains the control character"),
        (("o\udfff", 1, ROOT, ()), "the origin holds U+DFFF, a lone surrogate"),
    ],
)
def test_checkpoints_that_cannot_be_made(fields: tuple[Any, ...], message: str) -> None:
    with pytest.raises(CheckpointError, match=re.escape(message)):
        Checkpoint(*fields)


lines = st.text(
    st.characters(exclude_categories=["Cs"], exclude_characters="".join(map(chr, range(32)))),
    min_size=1,
)


@given(
    origin=lines,
    size=st.integers(0, MAX_TREE_SIZE),
    root=st.binary(min_size=32, max_size=32),
    extensions=st.lists(lines, max_size=3).map(tuple),
)
def test_checkpoints_round_trip(
    origin: str, size: int, root: bytes, extensions: tuple[str, ...]
) -> None:
    checkpoint = Checkpoint(origin, size, root, extensions)
    assert Checkpoint.parse(checkpoint.format()) == checkpoint
    assert Checkpoint.parse(checkpoint.encode()).format() == checkpoint.format()


def test_a_signed_checkpoint_opens_to_itself() -> None:
    key = _log_key()
    checkpoint = Checkpoint(ORIGIN, 42, ROOT)
    signed = sign_checkpoint(checkpoint, key)
    assert signed.startswith(checkpoint.encode() + "\n\u2014 strongroom.example/ledger ".encode())
    opened, note = open_checkpoint(signed, key.verifier)
    assert opened == checkpoint
    assert [s.label for s in note.signatures] == [key.verifier.label]


def test_the_log_key_must_be_named_for_the_origin_and_of_type_0x01() -> None:
    with pytest.raises(CheckpointError, match=r"named 'other\.example/log' but the checkpoint's"):
        sign_checkpoint(Checkpoint(ORIGIN, 1, ROOT), _log_key("other.example/log"))
    cosigning = _log_key().as_type(KeyType.COSIGNATURE_V1)
    with pytest.raises(CheckpointError, match="has type 0x04; a log signs checkpoints with an"):
        sign_checkpoint(Checkpoint(ORIGIN, 1, ROOT), cosigning)
    with pytest.raises(CheckpointError, match="has type 0x04"):
        open_checkpoint(b"", cosigning.verifier)


def test_a_checkpoint_for_another_origin_is_refused() -> None:
    key = _log_key("other.example/log")
    signed = sign_note(Checkpoint(ORIGIN, 1, ROOT).format(), [key])
    with pytest.raises(
        CheckpointError,
        match=r"is for the log 'strongroom\.example/ledger', but it is signed by the key of 'other",
    ):
        open_checkpoint(signed, key.verifier)


def test_a_checkpoint_signed_by_another_key_is_refused() -> None:
    signed = sign_checkpoint(Checkpoint(ORIGIN, 1, ROOT), _log_key(n=2))
    with pytest.raises(UnverifiedNoteError, match="none of which is a known verifier"):
        open_checkpoint(signed, _log_key().verifier)


def test_a_rewritten_checkpoint_fails_the_log_signature() -> None:
    key = _log_key()
    signed = sign_checkpoint(Checkpoint(ORIGIN, 41, ROOT), key)
    with pytest.raises(InvalidSignatureError, match="does not match the text and the key"):
        open_checkpoint(signed.replace(b"\n41\n", b"\n42\n"), key.verifier)


def test_a_signed_note_that_is_no_checkpoint_is_refused() -> None:
    key = _log_key()
    signed = sign_note(f"{ORIGIN}\n007\n{base64.b64encode(ROOT).decode()}\n", [key])
    with pytest.raises(CheckpointError, match="the tree size '007' has a leading zero"):
        open_checkpoint(signed, key.verifier)
