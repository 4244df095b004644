"""C2SP tlog-checkpoint bodies (https://c2sp.org/tlog-checkpoint) and their log signature.

A checkpoint body is the note text::

    <origin>
    <tree size, decimal, no leading zero>
    <base64 of the 32-byte RFC 6962 root hash>
    [<extension line>...]

It is signed as a C2SP signed note by the log's Ed25519 key (type 0x01), whose name is the
origin. Plain Python: no Django, no database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from strongroom.ledger.notes import (
    KeyType,
    Note,
    Signer,
    Verifier,
    decode_base64,
    encode_base64,
    open_note,
    sign_note,
)

HASH_BYTES = 32
# RFC 6962 tree sizes are uint64.
MAX_TREE_SIZE = 2**64 - 1

_CONTROL = re.compile(r"[\x00-\x1f]")


class CheckpointError(ValueError):
    """A checkpoint body that is malformed, or a signed checkpoint that is not the log's."""


@dataclass(frozen=True)
class Checkpoint:
    """A log's tree head: its origin, the number of leaves, and the RFC 6962 root hash."""

    origin: str
    size: int
    root_hash: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.origin:
            raise CheckpointError("the origin is empty")
        _check_line(self.origin, "the origin")
        if isinstance(self.size, bool) or not isinstance(self.size, int):
            raise CheckpointError(f"the tree size must be an integer, not {self.size!r}")
        if not 0 <= self.size <= MAX_TREE_SIZE:
            raise CheckpointError(f"the tree size {self.size} is outside 0 to 2^64-1")
        if len(self.root_hash) != HASH_BYTES:
            raise CheckpointError(
                f"the root hash is {len(self.root_hash)} bytes; an RFC 6962 SHA-256 root is "
                f"{HASH_BYTES}"
            )
        object.__setattr__(self, "root_hash", bytes(self.root_hash))
        object.__setattr__(self, "extensions", tuple(self.extensions))
        for number, line in enumerate(self.extensions, 4):
            if not line:
                raise CheckpointError(f"extension line {number} is empty")
            _check_line(line, f"extension line {number}")

    def format(self) -> str:
        """The note text: origin, size and base64 root, each on its own line, then extensions."""
        lines = [self.origin, str(self.size), encode_base64(self.root_hash), *self.extensions]
        return "".join(line + "\n" for line in lines)

    def encode(self) -> bytes:
        return self.format().encode()

    @classmethod
    def parse(cls, text: str | bytes) -> Checkpoint:
        """Parse a checkpoint body strictly, naming the line and what is wrong with it."""
        if isinstance(text, bytes):
            try:
                text = text.decode("utf-8")
            except UnicodeDecodeError as error:
                raise CheckpointError(
                    f"the checkpoint is not valid UTF-8 (byte offset {error.start})"
                ) from None
        if not text.endswith("\n"):
            raise CheckpointError("the checkpoint body must end with a newline")
        lines = text[:-1].split("\n")
        if len(lines) < 3:
            raise CheckpointError(
                "a checkpoint has at least three lines (origin, tree size, root hash); "
                f"this one has {len(lines)}"
            )
        origin, size, root, *extensions = lines
        if not origin:
            raise CheckpointError("the origin (line 1) is empty")
        return cls(origin, parse_tree_size(size), _parse_root(root), tuple(extensions))


def parse_tree_size(text: str) -> int:
    """ASCII decimal with no sign and no leading zero (but "0" for the empty tree)."""
    if not text:
        raise CheckpointError("the tree size (line 2) is empty")
    if text[0] in "+-":
        raise CheckpointError(f"the tree size {text!r} has a sign; it must be only digits")
    if not text.isascii() or not text.isdigit():
        raise CheckpointError(f"the tree size {text!r} is not a decimal number")
    if len(text) > 1 and text[0] == "0":
        raise CheckpointError(f"the tree size {text!r} has a leading zero")
    size = int(text)
    if size > MAX_TREE_SIZE:
        raise CheckpointError(f"the tree size {text} exceeds 2^64-1")
    return size


def _parse_root(text: str) -> bytes:
    if not text:
        raise CheckpointError("the root hash (line 3) is empty")
    root = decode_base64(text, f"the root hash (line 3) {text!r}", CheckpointError)
    if len(root) != HASH_BYTES:
        raise CheckpointError(
            f"the root hash (line 3) decodes to {len(root)} bytes; an RFC 6962 SHA-256 root is "
            f"{HASH_BYTES}"
        )
    return root


def _check_line(value: str, what: str) -> None:
    try:
        value.encode()
    except UnicodeEncodeError as error:
        raise CheckpointError(
            f"{what} holds U+{ord(value[error.start]):04X}, a lone surrogate, which UTF-8 cannot "
            "encode"
        ) from None
    if found := _CONTROL.search(value):
        raise CheckpointError(f"{what} contains the control character U+{ord(found.group()):04X}")


def sign_checkpoint(checkpoint: Checkpoint, log_key: Signer) -> bytes:
    """The checkpoint as a signed note, signed by the log's Ed25519 key named for its origin."""
    _check_log_key(checkpoint, log_key.name, log_key.key_type)
    return sign_note(checkpoint.format(), [log_key])


def open_checkpoint(note: bytes | str, log_key: Verifier) -> tuple[Checkpoint, Note]:
    """Verify the log's signature on a signed checkpoint and parse its body.

    Signature problems raise NoteError (InvalidSignatureError, UnverifiedNoteError) as
    ``open_note`` does; a body that is no checkpoint, or one for another origin than the log
    key's name, raises CheckpointError. Cosignatures stay in the returned note's ``unverified``
    for ``cosignatures.check_witnesses``.
    """
    _check_log_key(None, log_key.name, log_key.key_type)
    opened = open_note(note, [log_key])
    checkpoint = Checkpoint.parse(opened.text)
    if checkpoint.origin != log_key.name:
        raise CheckpointError(
            f"the checkpoint is for the log {checkpoint.origin!r}, but it is signed by the key "
            f"of {log_key.name!r}"
        )
    return checkpoint, opened


def _check_log_key(checkpoint: Checkpoint | None, name: str, key_type: KeyType) -> None:
    if key_type is not KeyType.ED25519:
        raise CheckpointError(
            f"the log key {name!r} has type 0x{key_type:02x}; a log signs checkpoints with an "
            "Ed25519 key of type 0x01"
        )
    if checkpoint is not None and checkpoint.origin != name:
        # tlog-checkpoint: the log's key name SHOULD match the origin line; strongroom insists,
        # so a key can never sign for another log.
        raise CheckpointError(
            f"the log key is named {name!r} but the checkpoint's origin is {checkpoint.origin!r}"
        )
