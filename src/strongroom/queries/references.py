"""Finding a record by the reference people have of it: the full UUID, the text of its QR code
(a receipt's, a certificate's), or the 8 characters people read out.

The one place that knows what a reference looks like, for every kind of record that has one:
hand-overs, reproduction requests, destructions, transits, campaigns. Each caller words its own
"not a reference" and "more than one" messages, so each names what it looks for in a sentence of
its own (and translates well); hidden reads word for word like missing.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Protocol, TypeVar

from django.db.models import Model, QuerySet

from strongroom.adapters import clock
from strongroom.domain.errors import DomainError, NotFound, not_found_text
from strongroom.models import Person
from strongroom.policy import Action, Denied, decide
from strongroom.policy.facts import Target


class Referenced(Protocol):
    """A record with a reference, and the facts the rules judge it by."""

    def facts(self) -> Target: ...


M = TypeVar("M", bound=Model)
R = TypeVar("R", bound=Referenced)
_SHORT = re.compile(r"[0-9a-f]{8}")


def _raw(text: str, qr_prefix: str) -> str:
    return text.strip().lower().removeprefix(qr_prefix) if qr_prefix else text.strip().lower()


def looks_like(text: str, qr_prefix: str = "") -> bool:
    """Whether ``text`` is shaped like a reference: short, full, or (with ``qr_prefix``) the
    text of a QR code."""
    raw = _raw(text, qr_prefix)
    if _SHORT.fullmatch(raw):
        return True
    try:
        uuid.UUID(raw)
    except ValueError:
        return False
    return True


def find(
    records: QuerySet[M],
    text: str,
    *,
    qr_prefix: str = "",
    ambiguous: Callable[[str], DomainError],
    malformed: Callable[[str], DomainError],
) -> M | None:
    """The record of ``records`` whose ``reference`` ``text`` names, or None.

    Raises ``malformed(text)`` when ``text`` is no reference at all, and ``ambiguous(short)``
    (the 8 characters, upper case) when they start more than one record."""
    raw = _raw(text, qr_prefix)
    if _SHORT.fullmatch(raw):
        found = list(records.filter(reference__startswith=raw)[:2])
        if len(found) > 1:
            raise ambiguous(raw.upper())
        return found[0] if found else None
    try:
        reference = uuid.UUID(raw)
    except ValueError:
        raise malformed(text) from None
    return records.filter(reference=reference).first()


def shown(text: str, qr_prefix: str = "") -> str:
    """The reference as asked for, for a "not found" answer: never the full one it matched."""
    return text.strip().upper().removeprefix(qr_prefix.upper())


def visible(
    actor: Person,
    found: R | None,
    text: str,
    *,
    kind: str,
    action: Action,
    qr_prefix: str = "",
) -> R:
    """``found`` (by ``text``) if ``actor`` may ``action`` it: else "not found" for nothing, and
    Denied, naming it as asked (never by the full reference), for something they may not."""
    asked = f"{kind}:{shown(text, qr_prefix)}"
    if found is None:
        raise NotFound(not_found_text(asked))
    decision = decide(actor.facts(clock.today()), action, found.facts())
    if not decision:
        # Named as asked: the full reference must not leak to someone who may not see it.
        raise Denied(action, decision, asked)
    return found
