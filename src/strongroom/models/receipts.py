"""What every movement with a printed receipt has: a reference for its QR code, and a short form
that people read out."""

from __future__ import annotations

import uuid

from django.db import models


class Receipted(models.Model):
    # What a receipt and its QR code name: not guessable, and no hint of how many there are.
    reference = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)

    class Meta:
        abstract = True

    @property
    def short_reference(self) -> str:
        """The first 8 hex digits: what people read out; the full reference is in the QR."""
        return self.reference.hex[:8].upper()
