"""Remembering API answers by Idempotency-Key, so that a retried request is never applied twice.

Called by the API inside the same transaction as the change the request makes, after the
writers' lock: the change and the remembered answer commit together, and a concurrent retry
waits and then finds the answer.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from strongroom.adapters import clock
from strongroom.models import IdempotentRequest, Person

KEPT_FOR = timedelta(days=7)


def recall(person: Person, key: str) -> IdempotentRequest | None:
    return IdempotentRequest.objects.filter(person=person, key=key).first()


def remember(
    person: Person, key: str, *, fingerprint: str, status: int, body: bytes, at: datetime
) -> None:
    IdempotentRequest.objects.create(
        person=person, key=key, fingerprint=fingerprint, status=status, body=body, created_at=at
    )


def forget_old(*, now: datetime | None = None) -> int:
    """Forget answers older than a week; a client retries within minutes, not weeks."""
    cutoff = (now or clock.now()) - KEPT_FOR
    deleted, _ = IdempotentRequest.objects.filter(created_at__lt=cutoff).delete()
    return deleted
