"""Finding a record by the reference people read out: the first 8 hex digits of its UUID (what
a receipt or a board prints), or the whole UUID."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.db.models import Model, QuerySet

from strongroom.domain.errors import DomainError

M = TypeVar("M", bound=Model)
_SHORT = re.compile(r"[0-9a-f]{8}")


def by_reference(
    found: QuerySet[M],
    text: str,
    *,
    ambiguous: Callable[[str], DomainError],
    malformed: DomainError,
) -> M | None:
    """The record of ``found`` whose ``reference`` is ``text``, or None.

    ``ambiguous(short)`` is raised when a short reference matches more than one record;
    ``malformed`` when ``text`` is no reference at all. The caller words both, so each can
    name what it looks for in a sentence of its own."""
    raw = text.strip().lower()
    if _SHORT.fullmatch(raw):
        matches = list(found.filter(reference__startswith=raw)[:2])
        if len(matches) > 1:
            raise ambiguous(raw.upper())
        return matches[0] if matches else None
    try:
        reference = uuid.UUID(raw)
    except ValueError:
        raise malformed from None
    return found.filter(reference=reference).first()
