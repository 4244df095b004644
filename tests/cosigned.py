"""A checkpoint kept with witnesses' cosignatures on its note, as the log will keep them once
witnesses cosign (the witness command is built separately): for tests of what carries notes."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from strongroom.adapters import clock
from strongroom.ledger import tree
from strongroom.ledger.checkpoints import Checkpoint as Body
from strongroom.ledger.checkpoints import sign_checkpoint
from strongroom.ledger.cosignatures import cosign
from strongroom.ledger.kept_checkpoints import Signed
from strongroom.ledger.log_key import log_signer
from strongroom.ledger.models import Checkpoint
from strongroom.ledger.notes import KeyType, Signer, format_note, parse_note


def cosigned_checkpoint(witnesses: int) -> Signed:
    """Integrate the ledger and keep its head signed by the log and cosigned by ``witnesses``
    witnesses (witness1.test, witness2.test...)."""
    now = clock.now()
    with transaction.atomic():
        head = tree.integrate(at=now)
        body = Body(settings.STRONGROOM_LOG_ORIGIN, head.size, head.root)
        signed = parse_note(sign_checkpoint(body, log_signer()))
        cosignatures = [
            cosign(
                body,
                Signer.generate(f"witness{n}.test", KeyType.COSIGNATURE_V1),
                int(now.timestamp()),
            )
            for n in range(1, witnesses + 1)
        ]
        note = format_note(signed.text, [*signed.unverified, *cosignatures])
        row = Checkpoint.objects.create(size=head.size, root=head.root, note=note, signed_at=now)
    return Signed.of(row)
