"""Carrying copies between units: who may carry them (courier authorisations) and how they must
be wrapped (two layers, the inner one marked, the outer one not)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from strongroom.domain.markings import Marking
from strongroom.domain.text import Text, gettext_noop


@dataclass(frozen=True)
class CourierAuthorisation:
    """A named courier may carry material up to ``rank`` from ``valid_from`` to ``valid_until``
    (both days included), unless it was revoked."""

    rank: int
    valid_from: date
    valid_until: date
    revoked: bool = False

    def current(self, today: date) -> bool:
        return not self.revoked and self.valid_from <= today <= self.valid_until


def authorisation_problem(
    authorisations: Iterable[CourierAuthorisation], marking: Marking, today: date
) -> Text | None:
    """None when one of the courier's authorisations lets them carry ``marking`` today;
    otherwise why not, naming the authorisation that comes closest."""
    known = list(authorisations)
    current = [a for a in known if a.current(today)]
    if any(a.rank >= marking.rank for a in current):
        return None
    if current:
        reach = max(a.rank for a in current)
        return gettext_noop(
            "the courier authorisation reaches only %(level)s",
            level=marking.scheme.level_name(reach),
        )
    future = sorted(a.valid_from for a in known if not a.revoked and a.valid_from > today)
    if future:
        return gettext_noop(
            "the courier authorisation starts on %(date)s", date=future[0].isoformat()
        )
    expired = sorted(a.valid_until for a in known if not a.revoked and a.valid_until < today)
    if expired:
        return gettext_noop(
            "the courier authorisation expired on %(date)s", date=expired[-1].isoformat()
        )
    if known:
        return gettext_noop("the courier authorisation was revoked")
    return gettext_noop("no courier authorisation on record")


# What a packaging description may be at most: a line on a dispatch record, not an essay.
MAX_WRAPPING = 300


@dataclass(frozen=True)
class PackagingProblem:
    field: str  # "inner_wrapping" or "outer_wrapping"
    text: Text


def _mentions(text: str, name: str) -> bool:
    """``name`` as a whole word (or words) of ``text``, in any case."""
    words = r"\s+".join(re.escape(word) for word in name.split())
    return re.search(rf"(?<!\w){words}(?!\w)", text, flags=re.IGNORECASE) is not None


def packaging_problem(inner: str, outer: str, marking: Marking) -> PackagingProblem | None:
    """The handling rule for carrying material out: two layers, the inner one marked with the
    level, the outer one showing no level at all (it must not tell a thief what is inside).

    ``inner`` and ``outer`` are already whitespace-folded. Levels above the lowest count as
    markings on the outer layer; the lowest ("UNCLASSIFIED") gives nothing away."""
    for field, value, what in (
        ("inner_wrapping", inner, gettext_noop("The inner wrapping")),
        ("outer_wrapping", outer, gettext_noop("The outer wrapping")),
    ):
        if not value:
            return PackagingProblem(field, gettext_noop("%(what)s must be described.", what=what))
        if len(value) > MAX_WRAPPING:
            return PackagingProblem(
                field,
                gettext_noop(
                    "%(what)s may be described in at most %(limit)s characters.",
                    what=what,
                    limit=MAX_WRAPPING,
                ),
            )
    if not _mentions(inner, marking.level):
        return PackagingProblem(
            "inner_wrapping",
            gettext_noop(
                "The inner wrapping must be marked %(level)s, as the document is; say so, e.g. "
                "'opaque envelope marked %(level)s, sealed'.",
                level=marking.level,
            ),
        )
    shown = [level for level in marking.scheme.levels[1:] if _mentions(outer, level)]
    if shown:
        return PackagingProblem(
            "outer_wrapping",
            gettext_noop(
                "The outer wrapping must show no marking, but it says %(level)s; describe it "
                "without, e.g. 'plain envelope addressed to the registry'.",
                level=shown[-1],
            ),
        )
    return None
