"""Reproducing a document: a request for more copies, decided by a second person, whose approved
copies extend the document's numbering ("copies 8-10 of 10")."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from strongroom.domain.errors import IllegalTransition, InvalidInput
from strongroom.domain.text import Text, gettext_noop


class ReproductionState(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return self.value


# The state as a word in a sentence, translatable.
_STATE_WORDS: dict[ReproductionState, Text] = {
    ReproductionState.PENDING: gettext_noop("pending"),
    ReproductionState.APPROVED: gettext_noop("approved"),
    ReproductionState.REFUSED: gettext_noop("refused"),
    ReproductionState.WITHDRAWN: gettext_noop("withdrawn"),
}


def require_pending(state: ReproductionState, reference: str) -> None:
    """A request is decided (or withdrawn) once, while pending; raise IllegalTransition after."""
    if state is not ReproductionState.PENDING:
        raise IllegalTransition(
            gettext_noop(
                "Reproduction request %(reference)s is already %(state)s.",
                reference=reference,
                state=_STATE_WORDS[state],
            )
        )


@dataclass(frozen=True)
class Numbering:
    """The copies an approval makes: ``first``..``last``, of ``total`` copies afterwards."""

    first: int
    last: int

    @property
    def total(self) -> int:
        return self.last

    @property
    def count(self) -> int:
        return self.last - self.first + 1


def extend(copy_count: int, copies: int, *, most: int) -> Numbering:
    """The numbers ``copies`` new copies take after copies 1..``copy_count``: they continue the
    series, so every copy is still "copy n of m" with one m. No document has more than ``most``.
    """
    if copies < 1:
        raise ValueError("at least one copy")
    if copy_count + copies > most:
        raise InvalidInput(
            gettext_noop(
                "The document has %(count)s copies and no document may have more than "
                "%(most)s; at most %(left)s more can be made.",
                count=copy_count,
                most=most,
                left=max(0, most - copy_count),
            ),
            field="copies",
        )
    return Numbering(copy_count + 1, copy_count + copies)
