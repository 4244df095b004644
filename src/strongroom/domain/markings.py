"""Security markings: an ordered scheme of levels, compartments and handling caveats.

A banner line reads ``LEVEL//COMPARTMENT/COMPARTMENT//CAVEAT/CAVEAT``; empty groups are left out,
so ``SECRET//ALPHA//NO COPY`` and ``TOP SECRET//NO FOREIGN`` are both well formed. Compartments
and caveats share one namespace in a scheme so that every token has exactly one meaning.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from strongroom.domain.errors import InvalidMarking
from strongroom.domain.text import Text, gettext_noop

SEPARATOR = "//"
TOKEN_SEPARATOR = "/"
# The caveat that forbids reproducing a document (handling rules: "a 'no copy' caveat forbids
# it"). A scheme without it has no marking that forbids copying.
NO_COPY = "NO COPY"


@dataclass(frozen=True)
class MarkingScheme:
    """The levels (lowest first), compartments and caveats an organisation uses."""

    levels: tuple[str, ...]
    compartments: frozenset[str] = field(default_factory=frozenset)
    caveats: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if not self.levels:
            raise InvalidMarking(gettext_noop("A marking scheme needs at least one level."))
        names = [*self.levels, *self.compartments, *self.caveats]
        for name in names:
            # The parser folds whitespace, so a name must already be folded to be readable.
            folded = " ".join(name.split())
            if not name or name != folded.upper() or "/" in name:
                raise InvalidMarking(
                    gettext_noop(
                        "Marking name %(name)s must be upper case, not empty, contain no '/' "
                        "and no repeated or unusual spaces.",
                        name=repr(name),
                    )
                )
        if len(set(names)) != len(names):
            raise InvalidMarking(
                gettext_noop("Levels, compartments and caveats must all have distinct names.")
            )

    def rank(self, level: str) -> int:
        try:
            return self.levels.index(level)
        except ValueError:
            raise InvalidMarking(
                gettext_noop(
                    "Unknown level %(level)s; the levels are: %(known)s.",
                    level=repr(level),
                    known=", ".join(self.levels),
                )
            ) from None

    def level_name(self, rank: int) -> str:
        if not 0 <= rank < len(self.levels):
            raise InvalidMarking(gettext_noop("There is no level with rank %(rank)s.", rank=rank))
        return self.levels[rank]

    @property
    def highest_rank(self) -> int:
        return len(self.levels) - 1

    def marking(
        self,
        level: str,
        compartments: Iterable[str] = (),
        caveats: Iterable[str] = (),
    ) -> Marking:
        comps = frozenset(c.strip().upper() for c in compartments if c.strip())
        cavs = frozenset(c.strip().upper() for c in caveats if c.strip())
        unknown_c = sorted(comps - self.compartments)
        if unknown_c:
            raise InvalidMarking(
                gettext_noop(
                    "Unknown compartment(s) %(unknown)s; known: %(known)s.",
                    unknown=", ".join(unknown_c),
                    known=_names(self.compartments),
                )
            )
        unknown_v = sorted(cavs - self.caveats)
        if unknown_v:
            raise InvalidMarking(
                gettext_noop(
                    "Unknown caveat(s) %(unknown)s; known: %(known)s.",
                    unknown=", ".join(unknown_v),
                    known=_names(self.caveats),
                )
            )
        return Marking(self.rank(level.strip().upper()), comps, cavs, self)

    def parse(self, banner: str) -> Marking:
        """Parse a banner line; raise InvalidMarking saying exactly what is wrong."""
        text = " ".join(banner.split()).upper()
        if not text:
            raise InvalidMarking(
                gettext_noop("The marking is empty; start with a level such as 'SECRET'.")
            )
        level, *groups = text.split(SEPARATOR)
        level = level.strip()
        if level not in self.levels:
            raise InvalidMarking(
                gettext_noop(
                    "%(level)s is not a level; a marking starts with one of: %(levels)s.",
                    level=repr(level),
                    levels=", ".join(self.levels),
                )
            )
        compartments: list[str] = []
        caveats: list[str] = []
        seen_caveat = False
        for group in groups:
            tokens = [t.strip() for t in group.split(TOKEN_SEPARATOR)]
            if any(not t for t in tokens):
                raise InvalidMarking(
                    gettext_noop(
                        "Empty group or name in %(banner)s; remove the extra '/'.",
                        banner=repr(banner),
                    )
                )
            for token in tokens:
                if token in self.compartments:
                    if seen_caveat:
                        raise InvalidMarking(
                            gettext_noop(
                                "Compartment %(compartment)s must come before the caveats, "
                                "e.g. SECRET//ALPHA//NO COPY.",
                                compartment=token,
                            )
                        )
                    compartments.append(token)
                elif token in self.caveats:
                    seen_caveat = True
                    caveats.append(token)
                else:
                    raise InvalidMarking(
                        gettext_noop(
                            "%(name)s is neither a compartment (%(compartments)s) "
                            "nor a caveat (%(caveats)s).",
                            name=repr(token),
                            compartments=_names(self.compartments),
                            caveats=_names(self.caveats),
                        )
                    )
        duplicates = {t for t in compartments + caveats if (compartments + caveats).count(t) > 1}
        if duplicates:
            raise InvalidMarking(
                gettext_noop(
                    "%(names)s appears more than once.", names=", ".join(sorted(duplicates))
                )
            )
        return Marking(self.rank(level), frozenset(compartments), frozenset(caveats), self)


def _names(names: Iterable[str]) -> str | Text:
    """The names in order, or the word "none" (translated) when there are none."""
    return ", ".join(sorted(names)) or gettext_noop("none")


@dataclass(frozen=True)
class Marking:
    """A level with its compartments (need-to-know) and handling caveats."""

    rank: int
    compartments: frozenset[str]
    caveats: frozenset[str]
    scheme: MarkingScheme = field(compare=False, repr=False)

    @property
    def level(self) -> str:
        return self.scheme.level_name(self.rank)

    def banner(self) -> str:
        parts = [self.level]
        if self.compartments:
            parts.append(TOKEN_SEPARATOR.join(sorted(self.compartments)))
        if self.caveats:
            parts.append(TOKEN_SEPARATOR.join(sorted(self.caveats)))
        return SEPARATOR.join(parts)

    def __str__(self) -> str:
        return self.banner()

    @property
    def forbids_copying(self) -> bool:
        return NO_COPY in self.caveats

    def dominates(self, other: Marking) -> bool:
        """True when this marking is at least as high and covers every compartment of ``other``."""
        return self.rank >= other.rank and other.compartments <= self.compartments


def highest(markings: Iterable[Marking], scheme: MarkingScheme) -> Marking:
    """The least marking that dominates all given ones: what a page showing them all carries."""
    rank = 0
    compartments: set[str] = set()
    caveats: set[str] = set()
    for marking in markings:
        rank = max(rank, marking.rank)
        compartments |= marking.compartments
        caveats |= marking.caveats
    return Marking(rank, frozenset(compartments), frozenset(caveats), scheme)


DEFAULT_LEVELS = ("UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET", "TOP SECRET")
DEFAULT_COMPARTMENTS = frozenset({"ALPHA", "BRAVO", "CHARLIE"})
DEFAULT_CAVEATS = frozenset({"NO COPY", "NO FOREIGN", "ORIGINATOR CONTROLLED"})
DEFAULT_SCHEME = MarkingScheme(DEFAULT_LEVELS, DEFAULT_COMPARTMENTS, DEFAULT_CAVEATS)
