"""References that people read out: a UUID, or its first 8 hex digits."""

from __future__ import annotations

import re
import uuid
from typing import Any, TypeVar

from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)

_SHORT = re.compile(r"[0-9a-f]{8}")


def candidates(found: QuerySet[M, Any], raw: str) -> list[M] | None:
    """What ``raw`` (stripped, lower case) names in ``found``, by its ``reference`` field: at
    most two rows for a short reference (more than one means it is ambiguous), at most one for a
    full one; None when ``raw`` is neither."""
    if _SHORT.fullmatch(raw):
        return list(found.filter(reference__startswith=raw)[:2])
    try:
        reference = uuid.UUID(raw)
    except ValueError:
        return None
    return list(found.filter(reference=reference)[:1])


def looks_like(raw: str) -> bool:
    """Whether ``raw`` (stripped, lower case) is shaped like a reference, short or full."""
    if _SHORT.fullmatch(raw):
        return True
    try:
        uuid.UUID(raw)
    except ValueError:
        return False
    return True
