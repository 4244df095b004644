"""What every record people name by a reference has: a UUID (what a QR code carries; not
guessable, and no hint of how many there are) and its first 8 hex digits, which people read out.
Hand-overs, transits, destructions, reproduction requests (and campaigns) share it; the queries
find them all the same way (``strongroom.queries.references``)."""

from __future__ import annotations

import uuid

from django.db import models


class Referenced(models.Model):
    reference = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)

    class Meta:
        abstract = True

    @property
    def short_reference(self) -> str:
        """The first 8 hex digits: what people read out; the full reference is in the QR."""
        return self.reference.hex[:8].upper()
