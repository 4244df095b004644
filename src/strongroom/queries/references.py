"""Finding a record by the reference printed on its paper: the full UUID, the text of its QR
code, or the 8 characters people read out."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Protocol, TypeVar

from django.db.models import Model, QuerySet

from strongroom.adapters import clock
from strongroom.domain.errors import InvalidInput, NotFound, not_found_text
from strongroom.models import Person
from strongroom.policy import Action, Denied, decide
from strongroom.policy.facts import Target


class Referenced(Protocol):
    """A record with a reference on paper, and the facts the rules judge it by."""

    def facts(self) -> Target: ...


M = TypeVar("M", bound=Model)
R = TypeVar("R", bound=Referenced)
_SHORT = re.compile(r"[0-9a-f]{8}")


def find(
    records: QuerySet[M],
    text: str,
    *,
    qr_prefix: str,
    ambiguous: Callable[[str], InvalidInput],
    malformed: Callable[[str], InvalidInput],
) -> M | None:
    """The record of ``records`` whose ``reference`` ``text`` names, or None.

    Raises ``malformed(text)`` when ``text`` is no reference at all, and ``ambiguous(short)``
    when its 8 characters start more than one."""
    raw = text.strip().lower().removeprefix(qr_prefix)
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


def shown(text: str, qr_prefix: str) -> str:
    """The reference as asked for, for a "not found" answer: never the full one it matched."""
    return text.strip().upper().removeprefix(qr_prefix.upper())


def visible(
    actor: Person, found: R | None, text: str, *, kind: str, qr_prefix: str, action: Action
) -> R:
    """``found`` (by ``text``) if ``actor`` may ``action`` it: else "not found" for nothing, and
    Denied, naming it as asked (never by the full reference), for something they may not."""
    asked = f"{kind}:{shown(text, qr_prefix)}"
    if found is None:
        raise NotFound(not_found_text(asked))
    decision = decide(actor.facts(clock.today()), action, found.facts())
    if not decision:
        raise Denied(action, decision, asked)
    return found
