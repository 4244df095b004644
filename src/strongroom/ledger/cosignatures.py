"""C2SP tlog-cosignature (https://c2sp.org/tlog-cosignature), Ed25519 cosignature/v1, and the
k-of-n witness policy.

A witness that has checked a checkpoint is consistent with everything it saw before signs::

    cosignature/v1
    time <unix seconds>
    <the checkpoint body>

with its Ed25519 key, and the log appends the line ``— <witness name> base64(key ID || timestamp
(8 bytes, big-endian) || signature (64 bytes))`` to the signed checkpoint. The key ID is that of
the witness key under signature type 0x04, never 0x01. Plain Python: no Django, no database.
"""

from __future__ import annotations

from dataclasses import dataclass

from strongroom.ledger.checkpoints import Checkpoint
from strongroom.ledger.notes import (
    MAX_TIMESTAMP,
    KeyType,
    Note,
    Signature,
    Signer,
    Verifier,
    cosignature_message,
    parse_note,
)

_TIMESTAMP_BYTES = 8


class CosignatureError(ValueError):
    """A cosignature that is malformed, is not the witness's, or does not verify."""


def cosign(checkpoint: Checkpoint, witness_key: Signer, time: int) -> Signature:
    """The witness's cosignature of ``checkpoint`` at ``time`` (POSIX seconds)."""
    _check_witness_key(witness_key.name, witness_key.key_type, witness_key.key_id)
    if isinstance(time, bool) or not isinstance(time, int) or not 0 <= time <= MAX_TIMESTAMP:
        raise CosignatureError(f"a cosignature time is POSIX seconds from 0 to 2^63-1, not {time}")
    signed = witness_key.sign(cosignature_message(checkpoint.encode(), time))
    stamped = time.to_bytes(_TIMESTAMP_BYTES, "big") + signed
    return Signature(witness_key.name, witness_key.key_id, stamped)


def cosignature_time(signature: Signature) -> int:
    """The timestamp a cosignature carries (not verified: see ``verify_cosignature``)."""
    if len(signature.signature) != _TIMESTAMP_BYTES + 64:
        raise CosignatureError(
            f"{signature.where} by {signature.label!r} has {len(signature.signature)} bytes "
            "after its key ID; an Ed25519 cosignature has 72 (timestamp and signature)"
        )
    return int.from_bytes(signature.signature[:_TIMESTAMP_BYTES], "big")


def verify_cosignature(checkpoint: Checkpoint, signature: Signature, witness: Verifier) -> int:
    """Check that ``signature`` is ``witness``'s cosignature of ``checkpoint``; its time."""
    _check_witness_key(witness.name, witness.key_type, witness.key_id)
    reason = _mismatch(signature, witness) or witness.failure(
        checkpoint.encode(), signature.signature
    )
    if reason is not None:
        raise CosignatureError(
            f"{signature.where} is not a valid cosignature by the witness {witness.label!r} of "
            f"{_describe(checkpoint)}: {reason}"
        )
    return cosignature_time(signature)


def _mismatch(signature: Signature, witness: Verifier) -> str | None:
    if signature.name != witness.name:
        return f"it is signed under the name {signature.name!r}"
    if signature.key_id == witness.key_id:
        return None
    if signature.key_id == witness.as_type(KeyType.ED25519).key_id:
        return (
            f"it carries key ID {signature.key_id:08x}, the ID of the witness's key as a type-0x01 "
            f"(plain Ed25519) key; a cosignature carries the type-0x04 ID {witness.key_id:08x}"
        )
    return f"it carries key ID {signature.key_id:08x}, not the witness's {witness.key_id:08x}"


def _check_witness_key(name: str, key_type: KeyType, key_id: int) -> None:
    if key_type is not KeyType.COSIGNATURE_V1:
        raise CosignatureError(
            f"the witness key {name}+{key_id:08x} has type 0x{key_type:02x}; a witness "
            "cosigns with a type-0x04 (Ed25519 cosignature/v1) key"
        )


def _describe(checkpoint: Checkpoint) -> str:
    return f"the checkpoint of {checkpoint.origin!r} at size {checkpoint.size}"


@dataclass(frozen=True)
class WitnessPolicy:
    """At least ``threshold`` of ``witnesses`` (distinct names, type-0x04 keys) must cosign."""

    witnesses: tuple[Verifier, ...]
    threshold: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "witnesses", tuple(self.witnesses))
        names = [w.name for w in self.witnesses]
        for witness in self.witnesses:
            _check_witness_key(witness.name, witness.key_type, witness.key_id)
            if names.count(witness.name) > 1:
                raise CosignatureError(f"the witness {witness.name!r} is listed twice")
        if isinstance(self.threshold, bool) or not isinstance(self.threshold, int):
            raise CosignatureError(f"the threshold must be an integer, not {self.threshold!r}")
        if not 0 <= self.threshold <= len(self.witnesses):
            raise CosignatureError(
                f"the threshold {self.threshold} is not between 0 and the number of witnesses "
                f"({len(self.witnesses)})"
            )


@dataclass(frozen=True)
class Cosigned:
    """A witness's valid cosignature: who, with which key, when, and on which line."""

    name: str
    key_id: int
    time: int
    line: int


@dataclass(frozen=True)
class PolicyVerdict:
    """Which witnesses validly cosigned, who is missing, and what was refused."""

    threshold: int
    witnesses: int
    cosigned: tuple[Cosigned, ...]
    missing: tuple[str, ...]
    # One message per signature line under a policy witness's name that does not count.
    refused: tuple[str, ...]

    @property
    def met(self) -> bool:
        return len(self.cosigned) >= self.threshold

    @property
    def message(self) -> str:
        count = (
            f"{len(self.cosigned)} of {self.witnesses} witnesses cosigned, "
            f"{self.threshold} required"
        )
        parts = [f"witness policy {'met' if self.met else 'NOT met'}: {count}"]
        if self.cosigned:
            parts.append("cosigned by " + ", ".join(repr(c.name) for c in self.cosigned))
        if self.missing:
            parts.append("missing " + ", ".join(repr(name) for name in self.missing))
        return "; ".join(parts + list(self.refused))


def check_witnesses(
    note: bytes | str | Note, policy: WitnessPolicy, *, not_after: int | None = None
) -> PolicyVerdict:
    """Evaluate ``policy`` on a signed checkpoint's cosignatures.

    Each witness counts once, for its first cosignature that verifies. Lines under a witness's
    name that do not verify (forged, for another checkpoint, with the wrong key ID, dated after
    ``not_after`` when given) are not counted and are listed in ``refused``. The log's own
    signature is not checked here: open the note with ``checkpoints.open_checkpoint`` first.
    """
    opened = note if isinstance(note, Note) else parse_note(note)
    checkpoint = Checkpoint.parse(opened.text)
    lines = sorted((*opened.signatures, *opened.unverified), key=lambda s: s.line)
    cosigned: list[Cosigned] = []
    missing: list[str] = []
    refused: list[str] = []
    for witness in policy.witnesses:
        found: Cosigned | None = None
        for signature in (s for s in lines if s.name == witness.name):
            try:
                time = verify_cosignature(checkpoint, signature, witness)
            except CosignatureError as error:
                refused.append(str(error))
                continue
            if not_after is not None and time > not_after:
                refused.append(
                    f"{signature.where} by the witness {witness.label!r} is dated {time}, "
                    f"after {not_after}"
                )
            elif found is None:
                found = Cosigned(witness.name, witness.key_id, time, signature.line)
        if found is None:
            missing.append(witness.name)
        else:
            cosigned.append(found)
    return PolicyVerdict(
        threshold=policy.threshold,
        witnesses=len(policy.witnesses),
        cosigned=tuple(cosigned),
        missing=tuple(missing),
        refused=tuple(refused),
    )
