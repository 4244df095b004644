"""C2SP signed notes (https://c2sp.org/signed-note): keys, signing and opening.

A signed note is a text ending in a newline, a blank line, and one or more signature lines
``— <key name> base64(key ID || signature)``. A key is identified by its name and a 4-byte key ID,
SHA-256(name || 0x0A || signature type || public key)[:4]. Two signature types are supported,
both Ed25519: 0x01 (the log signs the note text) and 0x04 (a witness cosignature,
c2sp.org/tlog-cosignature, which signs a timestamped header followed by the note text). The same
Ed25519 key gives a different key ID under each type, so a signature of one kind can never pass
for the other.

Keys travel as text, compatible with golang.org/x/mod/sumdb/note: a verifier key (vkey)
``<name>+<key ID, 8 hex digits>+<base64(type || public key)>`` and a signer key (skey)
``PRIVATE+KEY+<name>+<key ID>+<base64(type || 32-byte seed)>``.

Plain Python: no Django, no database.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import IntEnum
from functools import cached_property

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

# The spec asks verifiers to cap the number of signatures (at no fewer than 16); Go's note package
# stops at 100. The size cap leaves room for 100 post-quantum signatures by unknown keys, which
# must be ignored rather than refused.
MAX_SIGNATURES = 100
MAX_NOTE_BYTES = 1_000_000
# tlog-cosignature: the timestamp "MUST NOT exceed 2^63 - 1".
MAX_TIMESTAMP = 2**63 - 1

SIGNATURE_PREFIX = "\u2014 "  # em dash, space
COSIGNATURE_HEADER = b"cosignature/v1\n"

_ED25519_KEY_BYTES = 32
_ED25519_SIGNATURE_BYTES = 64
_TIMESTAMP_BYTES = 8
_KEY_ID_BYTES = 4
_KEY_ID = re.compile(r"[0-9a-fA-F]{8}")
# Control characters other than newline; the spec forbids them anywhere in a note.
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f]")


class NoteError(ValueError):
    """A note, signature or key that is malformed, or a note that cannot be signed as asked."""


class KeyEncodingError(NoteError):
    """A verifier key (vkey) or signer key (skey) text that is malformed or inconsistent."""


class InvalidSignatureError(NoteError):
    """A signature by a known key that does not verify: the note was altered or forged."""


class UnverifiedNoteError(NoteError):
    """A well-formed note with no signature by any known key; ``note`` holds what was read."""

    def __init__(self, message: str, note: Note) -> None:
        super().__init__(message)
        self.note = note


class KeyType(IntEnum):
    """Signature type identifier bytes (c2sp.org/signed-note, "Signature types")."""

    ED25519 = 0x01
    COSIGNATURE_V1 = 0x04

    @property
    def label(self) -> str:
        return "Ed25519" if self is KeyType.ED25519 else "Ed25519 cosignature/v1"


def _key_type(value: int) -> KeyType:
    try:
        return KeyType(value)
    except ValueError:
        raise KeyEncodingError(
            f"signature type {value!r} is not one strongroom knows: 0x01 (Ed25519) or 0x04 "
            "(Ed25519 cosignature/v1)"
        ) from None


def _check_key(name: str, key_type: int, material: bytes, what: str) -> KeyType:
    check_name(name)
    if len(material) != _ED25519_KEY_BYTES:
        raise KeyEncodingError(
            f"an Ed25519 {what} is {_ED25519_KEY_BYTES} bytes; the key for {name!r} has "
            f"{len(material)}"
        )
    return _key_type(key_type)


def key_id(name: str, key_type: KeyType, public_key: bytes) -> int:
    """SHA-256(name || 0x0A || type || public key)[:4], big-endian, as the spec recommends."""
    digest = hashlib.sha256(name.encode() + b"\n" + bytes([key_type]) + public_key).digest()
    return int.from_bytes(digest[:_KEY_ID_BYTES], "big")


def key_label(name: str, key_id: int) -> str:
    """How a key is named in messages and in vkeys: ``name+c74f20a3``."""
    return f"{name}+{key_id:08x}"


def check_name(name: str) -> None:
    """Key names are non-empty, with no Unicode space and no '+' (signed-note "Format")."""
    if not name:
        raise NoteError("the key name is empty")
    if "+" in name:
        raise NoteError(f"the key name {name!r} contains '+', which separates the parts of a key")
    for char in name:
        if char.isspace():
            raise NoteError(f"the key name {name!r} contains a space (U+{ord(char):04X})")
        # Stricter than the spec, which only forbids spaces: a name with a control character
        # could never appear in a note, which forbids them.
        if char < " " or 0xD800 <= ord(char) <= 0xDFFF:
            raise NoteError(f"the key name {name!r} contains the character U+{ord(char):04X}")


def decode_base64(text: str, what: str, error: type[ValueError] = NoteError) -> bytes:
    """Standard base64 (RFC 4648 §4) with padding, in its one canonical spelling.

    Go's decoder also accepts non-zero padding bits; refusing them means every value has exactly
    one encoding, so a signature cannot be re-spelled to slip past duplicate detection.
    """
    try:
        data = base64.b64decode(text, validate=True)
    except ValueError:  # binascii.Error, or a character outside ASCII
        raise error(
            f"{what} is not base64 (standard alphabet A-Z a-z 0-9 + /, padded with '='): {text!r}"
        ) from None
    if base64.b64encode(data).decode() != text:
        raise error(f"{what} is not canonical base64 (its padding bits are not zero): {text!r}")
    return data


def encode_base64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def cosignature_message(body: bytes, timestamp: int) -> bytes:
    """What a type-0x04 cosignature signs: the header, the time, then the checkpoint body."""
    return COSIGNATURE_HEADER + b"time %d\n" % timestamp + body


@dataclass(frozen=True)
class Verifier:
    """A public key that verifies signatures of one type, under a name."""

    name: str
    key_type: KeyType
    public_key: bytes
    key_id: int = field(init=False)

    def __post_init__(self) -> None:
        key_type = _check_key(self.name, self.key_type, self.public_key, "public key")
        object.__setattr__(self, "key_type", key_type)
        object.__setattr__(self, "key_id", key_id(self.name, self.key_type, self.public_key))

    @property
    def label(self) -> str:
        return key_label(self.name, self.key_id)

    def vkey(self) -> str:
        """The verifier key text, ``<name>+<key ID>+<base64(type || public key)>``."""
        return f"{self.label}+{encode_base64(bytes([self.key_type]) + self.public_key)}"

    def as_type(self, key_type: KeyType) -> Verifier:
        """The same public key under another signature type (and so another key ID)."""
        return replace(self, key_type=key_type)

    def verify(self, text: bytes, signature: bytes) -> bool:
        """Whether ``signature`` (without its key ID) is this key's signature of the note text."""
        return self.failure(text, signature) is None

    def failure(self, text: bytes, signature: bytes) -> str | None:
        """Why ``signature`` is not this key's signature of ``text``, or None when it is."""
        if self.key_type is KeyType.COSIGNATURE_V1:
            expected = _TIMESTAMP_BYTES + _ED25519_SIGNATURE_BYTES
            if len(signature) != expected:
                return (
                    f"it has {len(signature)} bytes after the key ID; a cosignature has "
                    f"{expected} (an 8-byte timestamp and a 64-byte Ed25519 signature)"
                )
            timestamp = int.from_bytes(signature[:_TIMESTAMP_BYTES], "big")
            if timestamp > MAX_TIMESTAMP:
                return f"its timestamp {timestamp} exceeds 2^63-1"
            message = cosignature_message(text, timestamp)
            signature = signature[_TIMESTAMP_BYTES:]
        else:
            if len(signature) != _ED25519_SIGNATURE_BYTES:
                return (
                    f"it has {len(signature)} bytes after the key ID; "
                    f"an Ed25519 signature has {_ED25519_SIGNATURE_BYTES}"
                )
            message = text
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, message)
        except (InvalidSignature, ValueError):
            return "the Ed25519 signature does not match the text and the key"
        return None


@dataclass(frozen=True)
class Signer:
    """A private key that signs under a name; never printed (``repr`` hides the seed)."""

    name: str
    key_type: KeyType
    seed: bytes = field(repr=False)

    def __post_init__(self) -> None:
        key_type = _check_key(self.name, self.key_type, self.seed, "private key (seed)")
        object.__setattr__(self, "key_type", key_type)

    @classmethod
    def generate(cls, name: str, key_type: KeyType = KeyType.ED25519) -> Signer:
        seed = Ed25519PrivateKey.generate().private_bytes_raw()
        return cls(name, key_type, seed)

    @cached_property
    def verifier(self) -> Verifier:
        public = Ed25519PrivateKey.from_private_bytes(self.seed).public_key().public_bytes_raw()
        return Verifier(self.name, self.key_type, public)

    @property
    def key_id(self) -> int:
        return self.verifier.key_id

    def as_type(self, key_type: KeyType) -> Signer:
        return replace(self, key_type=key_type)

    def skey(self) -> str:
        """The signer key text; a secret, for key files only."""
        encoded = encode_base64(bytes([self.key_type]) + self.seed)
        return f"PRIVATE+KEY+{self.verifier.label}+{encoded}"

    def sign(self, message: bytes) -> bytes:
        """The raw Ed25519 signature of ``message``; the caller frames it for its key type."""
        return Ed25519PrivateKey.from_private_bytes(self.seed).sign(message)


def parse_vkey(vkey: str) -> Verifier:
    """Parse ``<name>+<key ID>+<base64(type || public key)>``, checking the key ID."""
    parts = vkey.split("+", 2)
    if len(parts) != 3:
        raise KeyEncodingError(
            f"a verifier key is <name>+<key ID>+<key>; {vkey!r} has {len(parts)} part(s)"
        )
    name, hex_id, encoded = parts
    key_type, key = _parse_key_parts(name, hex_id, encoded, what="public key", secret=False)
    verifier = Verifier(name, key_type, key)
    _check_key_id(verifier, hex_id)
    return verifier


def parse_skey(skey: str) -> Signer:
    """Parse ``PRIVATE+KEY+<name>+<key ID>+<base64(type || seed)>``, checking the key ID.

    Messages never quote the key material, only the name and key ID.
    """
    parts = skey.split("+", 4)
    if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
        raise KeyEncodingError(
            "a signer key is PRIVATE+KEY+<name>+<key ID>+<key>; this text is not of that form"
        )
    name, hex_id, encoded = parts[2:]
    key_type, seed = _parse_key_parts(name, hex_id, encoded, what="private key", secret=True)
    signer = Signer(name, key_type, seed)
    _check_key_id(signer.verifier, hex_id)
    return signer


def _parse_key_parts(
    name: str, hex_id: str, encoded: str, *, what: str, secret: bool
) -> tuple[KeyType, bytes]:
    try:
        check_name(name)
    except NoteError as error:
        raise KeyEncodingError(str(error)) from None
    if not _KEY_ID.fullmatch(hex_id):
        raise KeyEncodingError(f"the key ID of {name!r} must be 8 hex digits; it is {hex_id!r}")
    if secret:
        key = _decode_secret(encoded, name)
    else:
        key = decode_base64(encoded, f"the {what} of {name!r}", KeyEncodingError)
    if not key:
        raise KeyEncodingError(f"the {what} of {name!r} is empty")
    try:
        key_type = KeyType(key[0])
    except ValueError:
        raise KeyEncodingError(
            f"the {what} of {name!r} has signature type 0x{key[0]:02x}; strongroom knows "
            "0x01 (Ed25519) and 0x04 (Ed25519 cosignature/v1)"
        ) from None
    if len(key) - 1 != _ED25519_KEY_BYTES:
        raise KeyEncodingError(
            f"the {what} of {name!r} has {len(key) - 1} bytes after its type byte; "
            f"an Ed25519 {what} has {_ED25519_KEY_BYTES}"
        )
    return key_type, key[1:]


def _decode_secret(encoded: str, name: str) -> bytes:
    try:
        return decode_base64(encoded, "", KeyEncodingError)
    except KeyEncodingError:
        # The message would quote the secret; say what is wrong without it.
        raise KeyEncodingError(
            f"the private key of {name!r} is not canonical base64 (standard alphabet, padded)"
        ) from None


def _check_key_id(verifier: Verifier, hex_id: str) -> None:
    if int(hex_id, 16) != verifier.key_id:
        raise KeyEncodingError(
            f"the key ID {hex_id} does not match the key: name {verifier.name!r}, type "
            f"0x{verifier.key_type:02x} and this key give {verifier.key_id:08x}"
        )


@dataclass(frozen=True)
class Signature:
    """One signature line: the key's name and ID, and the signature bytes after the ID.

    ``line`` is where the signature was read (1-based line of the note), 0 when it was made here.
    """

    name: str
    key_id: int
    signature: bytes
    line: int = field(default=0, compare=False)

    def __post_init__(self) -> None:
        check_name(self.name)
        if not 0 <= self.key_id < 2**32:
            raise NoteError(f"a key ID is 32 bits; {self.key_id} is not")
        if not self.signature:
            raise NoteError(f"the signature by {self.label!r} is empty")

    @property
    def label(self) -> str:
        return key_label(self.name, self.key_id)

    @property
    def where(self) -> str:
        return f"the signature on line {self.line}" if self.line else "the signature"

    def encode(self) -> str:
        """The signature line, with its trailing newline."""
        payload = self.key_id.to_bytes(_KEY_ID_BYTES, "big") + self.signature
        return f"{SIGNATURE_PREFIX}{self.name} {encode_base64(payload)}\n"


@dataclass(frozen=True)
class Note:
    """An opened note: its text, the signatures verified by known keys, and the others."""

    text: str
    signatures: tuple[Signature, ...] = ()
    unverified: tuple[Signature, ...] = ()

    def encode(self) -> bytes:
        """The note as signed, its signature lines in the order they were read."""
        lines = sorted((*self.signatures, *self.unverified), key=lambda s: s.line or MAX_NOTE_BYTES)
        return format_note(self.text, lines)


def check_text(text: str) -> None:
    """A note text: ends in a newline, no control character but newline, within the size cap."""
    if not text.endswith("\n"):
        raise NoteError("the note text must end with a newline")
    _check_characters(text)
    if len(_utf8(text)) > MAX_NOTE_BYTES:
        raise NoteError(f"the note text is larger than {MAX_NOTE_BYTES} bytes")


def _utf8(text: str) -> bytes:
    try:
        return text.encode()
    except UnicodeEncodeError as error:
        raise NoteError(
            f"the note holds U+{ord(text[error.start]):04X}, a lone surrogate, which UTF-8 "
            "cannot encode"
        ) from None


def _check_characters(text: str) -> None:
    if found := _CONTROL.search(text):
        line = text.count("\n", 0, found.start()) + 1
        column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
        raise NoteError(
            f"the note contains the control character U+{ord(found.group()):04X} on line {line}, "
            f"column {column}; newline is the only control character a note may hold"
        )


def format_note(text: str, signatures: Iterable[Signature]) -> bytes:
    """Text, blank line, signature lines; a later signature by the same key replaces an earlier.

    Used to add cosignatures to a signed checkpoint, or to re-emit an opened note.
    """
    check_text(text)
    by_key: dict[tuple[str, int], Signature] = {}
    for signature in signatures:
        by_key.pop((signature.name, signature.key_id), None)
        by_key[(signature.name, signature.key_id)] = signature
    if not by_key:
        raise NoteError("a signed note needs at least one signature")
    if len(by_key) > MAX_SIGNATURES:
        raise NoteError(f"a note may carry at most {MAX_SIGNATURES} signatures, not {len(by_key)}")
    encoded = (text + "\n" + "".join(s.encode() for s in by_key.values())).encode()
    if len(encoded) > MAX_NOTE_BYTES:
        raise NoteError(f"the signed note would be larger than {MAX_NOTE_BYTES} bytes")
    return encoded


def sign_note(note: str | Note, signers: Iterable[Signer]) -> bytes:
    """Sign a text (or re-sign an opened note, keeping its signatures) with type-0x01 keys.

    A new signature replaces an existing one by the same key, as in Go's ``note.Sign``.
    Cosignatures (type 0x04) carry a timestamp and sign a checkpoint: make them with
    ``strongroom.ledger.cosignatures.cosign``.
    """
    existing = note if isinstance(note, Note) else Note(note)
    check_text(existing.text)
    text = existing.text.encode()
    new: list[Signature] = []
    seen: set[tuple[str, int]] = set()
    for signer in signers:
        verifier = signer.verifier
        if signer.key_type is not KeyType.ED25519:
            raise NoteError(
                f"key {verifier.label!r} is a {signer.key_type.label} key (type "
                f"0x{signer.key_type:02x}); sign_note signs with Ed25519 (type 0x01) keys, "
                "cosignatures are made by cosignatures.cosign"
            )
        if (signer.name, verifier.key_id) in seen:
            raise NoteError(f"key {verifier.label!r} is given twice")
        seen.add((signer.name, verifier.key_id))
        new.append(Signature(signer.name, verifier.key_id, signer.sign(text)))
    if not new:
        raise NoteError("sign_note needs at least one signer")
    return format_note(existing.text, (*existing.signatures, *existing.unverified, *new))


def parse_note(note: bytes | str) -> Note:
    """Read a signed note's structure without verifying anything: every signature is unverified.

    Identical repeated signature lines are kept once. Raises NoteError, naming the line, for
    anything the signed-note format does not allow.
    """
    raw = _utf8(note) if isinstance(note, str) else note
    if len(raw) > MAX_NOTE_BYTES:
        raise NoteError(f"the note is {len(raw)} bytes; strongroom reads at most {MAX_NOTE_BYTES}")
    try:
        message = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise NoteError(
            f"the note is not valid UTF-8: byte 0x{raw[error.start]:02x} at offset {error.start}"
        ) from None
    _check_characters(message)
    split = message.rfind("\n\n")
    if split < 0:
        raise NoteError("the note has no blank line between its text and its signatures")
    text, block = message[: split + 1], message[split + 2 :]
    if not block:
        raise NoteError("the note has no signature lines after its last blank line")
    if not block.endswith("\n"):
        raise NoteError("the note's last signature line does not end with a newline")
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise NoteError(
            f"the note has {len(lines)} signature lines; strongroom reads at most {MAX_SIGNATURES}"
        )
    first = text.count("\n") + 2
    signatures: dict[Signature, None] = {}  # an ordered set: repeats of a line are dropped
    for number, line in enumerate(lines, first):
        signatures.setdefault(_parse_signature_line(line, number))
    return Note(text, unverified=tuple(signatures))


def parse_signature_line(line: str) -> Signature:
    """One signature line on its own, ``— <key name> <base64>`` with or without its newline:
    e.g. a witness's cosignature sent to the log, which adds it to the note."""
    text = line.removesuffix("\n")
    _check_characters(text)
    if "\n" in text:
        raise NoteError("a signature line is a single line; this text has several")
    return _parse_signature_line(text, 0)


def _parse_signature_line(line: str, number: int) -> Signature:
    """``number`` is the line's place in its note, for messages; 0 for a line on its own."""
    where = f"line {number}" if number else "the signature line"
    if not line.startswith(SIGNATURE_PREFIX):
        raise NoteError(
            f"{where} should be a signature line, beginning with an em dash (U+2014) and "
            f"a space, but it is {line!r}"
        )
    name, space, encoded = line[len(SIGNATURE_PREFIX) :].partition(" ")
    try:
        check_name(name)
    except NoteError as error:
        raise NoteError(f"{where}: {error}") from None
    if not space or not encoded:
        raise NoteError(f"{where}: the key name {name!r} is not followed by a signature")
    payload = decode_base64(encoded, f"{where}: the signature")
    if len(payload) <= _KEY_ID_BYTES:
        raise NoteError(
            f"{where}: the signature has {len(payload)} bytes; it must be a 4-byte key ID "
            "followed by the signature"
        )
    key = int.from_bytes(payload[:_KEY_ID_BYTES], "big")
    return Signature(name, key, payload[_KEY_ID_BYTES:], line=number)


def open_note(note: bytes | str, known_verifiers: Iterable[Verifier]) -> Note:
    """Read and verify a signed note against the known verifier keys.

    A signature is by a known key when both its name and key ID match one; others are kept,
    unverified, and otherwise ignored (signed-note: "Verifiers MUST ignore signatures from unknown
    keys"). Every signature by a known key must verify, repeats included, or the note is refused
    (InvalidSignatureError); repeats are kept once. A note with no verified signature raises
    UnverifiedNoteError, which carries the note read.
    """
    known = _index(known_verifiers)
    parsed = parse_note(note)
    text = parsed.text.encode()
    verified: dict[tuple[str, int], Signature] = {}
    unverified: list[Signature] = []
    for signature in parsed.unverified:
        candidates = known.get((signature.name, signature.key_id), [])
        if not candidates:
            unverified.append(signature)
            continue
        if len(candidates) > 1:
            raise NoteError(
                f"{signature.where} names key {signature.label!r}, and {len(candidates)} "
                "different known verifier keys have that name and key ID; the list of known "
                "keys is wrong"
            )
        reason = candidates[0].failure(text, signature.signature)
        if reason is not None:
            raise InvalidSignatureError(
                f"{signature.where} is by the known key {signature.label!r} but does not "
                f"verify: {reason}. The note was altered after signing, or the signature is "
                "forged"
            )
        verified.setdefault((signature.name, signature.key_id), signature)
    opened = Note(parsed.text, tuple(verified.values()), tuple(unverified))
    if not verified:
        raise UnverifiedNoteError(_unverified_message(opened, known), opened)
    return opened


def _index(verifiers: Iterable[Verifier]) -> dict[tuple[str, int], list[Verifier]]:
    known: dict[tuple[str, int], list[Verifier]] = {}
    for verifier in verifiers:
        same = known.setdefault((verifier.name, verifier.key_id), [])
        if verifier not in same:
            same.append(verifier)
    return known


def _unverified_message(note: Note, known: dict[tuple[str, int], list[Verifier]]) -> str:
    names = ", ".join(f"{s.label!r} (line {s.line})" for s in note.unverified)
    expected = ", ".join(repr(key_label(*key)) for key in known) or "none"
    return (
        f"the note has no signature by a known key: it is signed by {names}, none of which is a "
        f"known verifier (known: {expected})"
    )
