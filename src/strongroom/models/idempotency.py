"""What the API answered to a request sent with an Idempotency-Key, so a retry is not applied
twice. Transport-level memory, not custody state: it is not in the ledger and is forgotten
after a week."""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from strongroom.models.people import Person


class IdempotentRequest(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", db_index=False)
    key = models.CharField(max_length=200)
    # SHA-256 of method, path and body: the same key with a different request is a mistake.
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.BinaryField()
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["person", "key"], name="idempotency_key_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person_id}:{self.key}"
