"""Remembered API answers are forgotten after a week, and only then."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from strongroom.models import IdempotentRequest
from strongroom.services import idempotency

NOW = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)


def test_answers_older_than_a_week_are_forgotten(org):
    for key, age in (("old", timedelta(days=8)), ("recent", timedelta(days=6))):
        idempotency.remember(
            org.registrar, key, fingerprint="f" * 64, status=200, body=b"{}", at=NOW - age
        )

    assert idempotency.forget_old(now=NOW) == 1

    assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["recent"]
    assert idempotency.recall(org.registrar, "recent") is not None
    assert idempotency.recall(org.registrar, "old") is None
