"""Signed checkpoints: the ledger's Merkle tree head, signed with the log's key.

``sign_checkpoint`` integrates every entry not yet in the tree and signs the new head, in one
transaction; the periodic job calls ``checkpoint_if_due`` every minute, which signs after
``STRONGROOM_CHECKPOINT_ENTRIES`` new entries, or ``STRONGROOM_CHECKPOINT_MINUTES`` after the
last checkpoint if any entry is new. Both are idempotent: with nothing new, nothing is signed.

Signing writes no ledger entry of its own: an entry about a checkpoint would grow the tree it
signs, and the checkpoints are kept for good in their own append-only table.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from strongroom.adapters import clock
from strongroom.ledger import tree
from strongroom.ledger.checkpoints import Checkpoint as CheckpointBody
from strongroom.ledger.checkpoints import sign_checkpoint as sign_body
from strongroom.ledger.kept_checkpoints import Signed, latest
from strongroom.ledger.log_key import log_signer
from strongroom.ledger.models import Checkpoint, LedgerEntry
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
