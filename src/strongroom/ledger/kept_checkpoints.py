"""The log's signed checkpoints as the database keeps them (``ledger_checkpoint``), with the
witnesses' cosignatures of them (``ledger_cosignature``), for the services that sign and
cosign them and the queries that publish them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Q

from strongroom.ledger.cosignatures import PolicyVerdict, WitnessPolicy, check_witnesses
from strongroom.ledger.models import Checkpoint, Cosignature
from strongroom.ledger.notes import Signature, format_note, parse_note, parse_vkey

_TIMESTAMP_BYTES = 8


@dataclass(frozen=True)
class Signed:
    """A checkpoint: the tree of the first ``size`` entries, its root, and the signed note."""

    size: int
    root: bytes
    note: bytes
    signed_at: datetime

    @classmethod
    def of(cls, row: Checkpoint) -> Signed:
        return cls(row.size, bytes(row.root), bytes(row.note), row.signed_at)


def latest() -> Signed | None:
    row = Checkpoint.objects.order_by("-size").first()
    return Signed.of(row) if row else None


def at_size(size: int) -> Signed | None:
    row = Checkpoint.objects.filter(size=size).first()
    return Signed.of(row) if row else None


def witness_policy() -> WitnessPolicy:
    """Which witnesses' cosignatures the log accepts, and how many make a checkpoint witnessed
    (``STRONGROOM_WITNESSES``, ``STRONGROOM_WITNESS_THRESHOLD``; checked at start-up)."""
    return WitnessPolicy(
        tuple(parse_vkey(vkey) for vkey in settings.STRONGROOM_WITNESSES),
        settings.STRONGROOM_WITNESS_THRESHOLD,
    )


def as_signature(row: Cosignature) -> Signature:
    """The stored cosignature as the signature line it was sent as."""
    stamp = row.timestamp.to_bytes(_TIMESTAMP_BYTES, "big")
    return Signature(row.witness, row.key_id, stamp + bytes(row.signature))


def ed25519_part(cosignature: Signature) -> bytes:
    """What ``Cosignature.signature`` keeps: the signature after its timestamp."""
    return cosignature.signature[_TIMESTAMP_BYTES:]


def cosigned_note(signed: Signed) -> bytes:
    """The checkpoint's note with every stored cosignature added after the log's signature, in
    the order they arrived."""
    rows = Cosignature.objects.filter(checkpoint_id=signed.size).order_by("id")
    if not rows:
        return signed.note
    note = parse_note(signed.note)
    return format_note(note.text, [*note.unverified, *(as_signature(row) for row in rows)])


def verdict(note: bytes, policy: WitnessPolicy | None = None) -> PolicyVerdict:
    """Whether the cosignatures on ``note`` meet the witness policy (default: the configured)."""
    return check_witnesses(note, policy or witness_policy())


def latest_witnessed() -> tuple[Signed, bytes] | None:
    """The newest checkpoint whose cosignatures meet the witness policy, with its cosigned note.

    Only checkpoints with at least the threshold's number of cosignatures by configured keys are
    opened, newest first, and each is checked in full (a witness's key may have been replaced
    since it cosigned)."""
    policy = witness_policy()
    if policy.threshold == 0:
        # Nothing is required, so every checkpoint counts: the newest one.
        signed = latest()
        return (signed, cosigned_note(signed)) if signed else None
    by_known_key = Q()
    for witness in policy.witnesses:
        by_known_key |= Q(witness=witness.name, key_id=witness.key_id)
    sizes = (
        Cosignature.objects.filter(by_known_key)
        .values("checkpoint_id")
        .annotate(count=Count("id"))
        .filter(count__gte=policy.threshold)
        .order_by("-checkpoint_id")
        .values_list("checkpoint_id", flat=True)
    )
    for size in sizes.iterator():
        signed = at_size(size)
        assert signed is not None  # a cosignature's checkpoint is protected from deletion
        note = cosigned_note(signed)
        if verdict(note, policy).met:
            return signed, note
    return None
