"""Signed checkpoints: the ledger's Merkle tree head, signed with the log's key.

``sign_checkpoint`` integrates every entry not yet in the tree and signs the new head, in one
transaction; the periodic job calls ``checkpoint_if_due`` every minute, which signs after
``STRONGROOM_CHECKPOINT_ENTRIES`` new entries, or ``STRONGROOM_CHECKPOINT_MINUTES`` after the
last checkpoint if any entry is new. Both are idempotent: with nothing new, nothing is signed.

Signing writes no ledger entry of its own: an entry about a checkpoint would grow the tree it
signs, and the checkpoints are kept for good in their own append-only table. The same holds for
``add_cosignature``, which keeps a witness's cosignature of a checkpoint once it verifies against
that witness's configured key.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction

from strongroom.adapters import clock
from strongroom.domain.errors import InvalidInput
from strongroom.domain.text import gettext_noop
from strongroom.ledger import tree
from strongroom.ledger.checkpoints import Checkpoint as CheckpointBody
from strongroom.ledger.checkpoints import sign_checkpoint as sign_body
from strongroom.ledger.cosignatures import CosignatureError, PolicyVerdict, verify_cosignature
from strongroom.ledger.kept_checkpoints import (
    Signed,
    at_size,
    cosigned_note,
    ed25519_part,
    latest,
    verdict,
    witness_policy,
)
from strongroom.ledger.log_key import log_signer
from strongroom.ledger.models import Checkpoint, Cosignature, LedgerEntry
from strongroom.ledger.notes import NoteError, Signature, Verifier, parse_note, parse_signature_line
from strongroom.ledger.record import lock_writers
from strongroom.models import Person
from strongroom.policy import Action, System, require


def sign_checkpoint(*, by: Person | None = None, at: datetime | None = None) -> Signed | None:
    """Integrate the new entries and sign the tree's head; the latest checkpoint if there is
    nothing new, None if the ledger is empty. ``by``: a person asking for it now (checked);
    None for the periodic job."""
    if by is not None:
        require(by.facts(clock.today()), Action.LEDGER_CHECKPOINT, System(), "ledger")
    when = at or clock.now()
    signer = log_signer()  # before the transaction: a key problem is not a database problem
    with transaction.atomic():
        lock_writers()
        head = tree.integrate(at=when)
        last = latest()
        if head.size == 0 or (last is not None and last.size == head.size):
            return last
        body = CheckpointBody(settings.STRONGROOM_LOG_ORIGIN, head.size, head.root)
        note = sign_body(body, signer)
        row = Checkpoint.objects.create(
            size=head.size, root=head.root, note=note, signed_at=when
        )
        return Signed.of(row)


def checkpoint_if_due(*, at: datetime | None = None) -> Signed | None:
    """Sign when enough entries are new, or some are and the last checkpoint is old enough."""
    when = at or clock.now()
    last = latest()
    newest = LedgerEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    new = newest - (last.size if last else 0)
    if new <= 0:
        return None
    old_enough = last is None or when - last.signed_at >= timedelta(
        minutes=settings.STRONGROOM_CHECKPOINT_MINUTES
    )
    if new < settings.STRONGROOM_CHECKPOINT_ENTRIES and not old_enough:
        return None
    return sign_checkpoint(at=when)


# How far ahead of the log's clock a witness's may be: a cosignature dated later is refused, so
# that a timestamp says when the witness saw the checkpoint, not when it claims it will.
COSIGNATURE_SKEW = timedelta(hours=1)


@dataclass(frozen=True)
class Added:
    """A cosignature the log keeps, whether it is new, and the checkpoint's witness verdict."""

    cosignature: Cosignature
    created: bool
    verdict: PolicyVerdict


def add_cosignature(
    size: int, cosignature: str | bytes, *, by: Person, at: datetime | None = None
) -> Added:
    """Keep a witness's cosignature of the checkpoint of ``size`` entries.

    ``cosignature`` is the signature line the witness made, ``— <witness> <base64>``. It must be
    by a configured witness (``STRONGROOM_WITNESSES``) and verify against that witness's key;
    so sending one grants nothing, and any signed-in person may (``by`` is kept, not checked).
    A witness's second cosignature of the same checkpoint changes nothing: the first is kept
    and returned, so a witness may safely send again."""
    signature = _signature_line(cosignature)
    signed = at_size(size)
    if signed is None:
        raise InvalidInput(
            gettext_noop(
                "The log has no checkpoint of %(size)s entries: cosign a checkpoint it has "
                "published (GET /api/v1/ledger/checkpoint).",
                size=size,
            ),
            field="size",
        )
    witness = _witness(signature)
    body = CheckpointBody.parse(parse_note(signed.note).text)
    try:
        timestamp = verify_cosignature(body, signature, witness)
    except CosignatureError as error:
        raise InvalidInput(
            gettext_noop("The cosignature does not verify: %(problem)s.", problem=str(error)),
            field="cosignature",
        ) from None
    when = at or clock.now()
    if timestamp > when.timestamp() + COSIGNATURE_SKEW.total_seconds():
        raise InvalidInput(
            gettext_noop(
                "The cosignature is dated %(time)s (POSIX seconds), later than now: the "
                "witness's clock is wrong. Set it right and cosign again.",
                time=timestamp,
            ),
            field="cosignature",
        )
    row, created = _keep(signed, signature, timestamp, by=by, at=when)
    return Added(row, created, verdict(cosigned_note(signed)))


def _signature_line(cosignature: str | bytes) -> Signature:
    try:
        line = cosignature.decode() if isinstance(cosignature, bytes) else cosignature
        return parse_signature_line(line)
    except (UnicodeDecodeError, NoteError) as error:
        problem = "it is not UTF-8" if isinstance(error, UnicodeDecodeError) else str(error)
        raise InvalidInput(
            gettext_noop(
                "The cosignature is not a signature line (%(problem)s): send the line the "
                "witness made, an em dash, a space, its name, a space and the base64 signature.",
                problem=problem,
            ),
            field="cosignature",
        ) from None


def _witness(signature: Signature) -> Verifier:
    policy = witness_policy()
    for witness in policy.witnesses:
        if witness.name == signature.name:
            return witness
    known = ", ".join(w.label for w in policy.witnesses)
    raise InvalidInput(
        gettext_noop(
            "%(witness)s is not a witness of this log, which accepts cosignatures only from "
            "the witnesses in STRONGROOM_WITNESSES (%(known)s): its administrator adds the "
            "key that 'strongroom witness --print-key' prints.",
            witness=signature.label,
            known=known or gettext_noop("none yet"),
        ),
        field="cosignature",
    )


def _keep(
    signed: Signed, signature: Signature, timestamp: int, *, by: Person, at: datetime
) -> tuple[Cosignature, bool]:
    same = Cosignature.objects.filter(
        checkpoint_id=signed.size, witness=signature.name, key_id=signature.key_id
    )
    found = same.first()
    if found is not None:
        return found, False
    try:
        with transaction.atomic():  # a savepoint: PostgreSQL aborts a transaction on a conflict
            row = Cosignature.objects.create(
                checkpoint_id=signed.size,
                witness=signature.name,
                key_id=signature.key_id,
                timestamp=timestamp,
                signature=ed25519_part(signature),
                received_at=at,
                submitted_by=by,
            )
    except IntegrityError:
        # The same witness's cosignature arrived a moment ago by another request: keep that one.
        return same.get(), False
    return row, True
