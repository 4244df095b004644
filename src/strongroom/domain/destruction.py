"""Destruction: the methods a records office uses, which fit which medium, and how long the
record of a destruction is kept."""

from __future__ import annotations

import enum
from datetime import date

from strongroom.domain.errors import InvalidInput
from strongroom.domain.text import Text, gettext_noop


class Method(enum.StrEnum):
    SHREDDING = "shredding"
    PULPING = "pulping"
    BURNING = "burning"
    DISINTEGRATION = "disintegration"
    # Magnetic removable media (tapes, disks): the field that holds the data is erased.
    DEGAUSSING = "degaussing"
    # An electronic document: overwritten with an approved tool, on every store that held it.
    SECURE_ERASE = "secure_erase"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


# The method as a word in a sentence, translatable; the same words as the web's labels.
METHOD_WORDS: dict[Method, Text] = {
    Method.SHREDDING: gettext_noop("shredding"),
    Method.PULPING: gettext_noop("pulping"),
    Method.BURNING: gettext_noop("burning"),
    Method.DISINTEGRATION: gettext_noop("disintegration"),
    Method.DEGAUSSING: gettext_noop("degaussing (removable media)"),
    Method.SECURE_ERASE: gettext_noop("secure erase (electronic)"),
}

# Which methods destroy a copy on each medium (the values of models.documents.Medium): paper
# cannot be degaussed, and a file cannot be shredded.
_PHYSICAL = (Method.SHREDDING, Method.PULPING, Method.BURNING, Method.DISINTEGRATION)
METHODS_FOR_MEDIUM: dict[str, tuple[Method, ...]] = {
    "paper": _PHYSICAL,
    "removable_media": (
        Method.DEGAUSSING,
        Method.DISINTEGRATION,
        Method.SHREDDING,
        Method.BURNING,
    ),
    "electronic": (Method.SECURE_ERASE,),
}


def method_for(value: str, medium: str) -> Method:
    """The method named ``value``, if it can destroy a copy on ``medium``; else InvalidInput."""
    try:
        method = Method(value.strip().lower().replace(" ", "_"))
    except ValueError:
        raise InvalidInput(
            gettext_noop(
                "Unknown method of destruction %(value)s; use one of: %(known)s.",
                value=repr(value),
                known=", ".join(m.value for m in Method),
            ),
            field="method",
        ) from None
    fitting = METHODS_FOR_MEDIUM.get(medium, tuple(Method))
    if method not in fitting:
        raise InvalidInput(
            gettext_noop(
                "%(method)s cannot destroy a copy on %(medium)s; use one of: %(known)s.",
                method=METHOD_WORDS[method],
                medium=medium.replace("_", " "),
                known=", ".join(m.value for m in fitting),
            ),
            field="method",
        )
    return method


def kept_until(destroyed_on: date, years: int) -> date:
    """The first day the record of a destruction on ``destroyed_on`` may be let go: ``years``
    later (29 February, in a year without one, gives 28 February)."""
    try:
        return destroyed_on.replace(year=destroyed_on.year + years)
    except ValueError:
        return destroyed_on.replace(year=destroyed_on.year + years, day=28)
