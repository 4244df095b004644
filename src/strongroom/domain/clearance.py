"""Clearance: who may hold what. A clearance that has expired, or whose holder was never briefed,
counts as no clearance at all."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from strongroom.domain.markings import Marking
from strongroom.domain.text import Text, gettext_noop


class PersonStatus(enum.StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    DEPARTED = "departed"


class ClearanceStatus(enum.StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    REVOKED = "revoked"


# A status as a word in a sentence, translatable; the same words as the web's labels, so one
# translation serves both.
_STATUS_WORDS: dict[str, Text] = {
    "active": gettext_noop("active"),
    "suspended": gettext_noop("suspended"),
    "departed": gettext_noop("departed"),
    "revoked": gettext_noop("revoked"),
}


def status_word(status: PersonStatus | ClearanceStatus) -> Text:
    return _STATUS_WORDS[status.value]


@dataclass(frozen=True)
class Clearance:
    rank: int
    compartments: frozenset[str]
    status: ClearanceStatus
    expires_on: date | None
    briefed_on: date | None

    def problem_text(self, today: date) -> Text | None:
        """Why this clearance does not count today, or None when it does."""
        if self.status is not ClearanceStatus.ACTIVE:
            return gettext_noop("clearance is %(status)s", status=status_word(self.status))
        if self.briefed_on is None:
            return gettext_noop("no security briefing on record")
        if self.expires_on is not None and self.expires_on < today:
            return gettext_noop("clearance expired on %(date)s", date=self.expires_on.isoformat())
        return None

    def problem(self, today: date) -> str | None:
        """``problem_text`` in English."""
        return _english(self.problem_text(today))


def may_hold_text(
    status: PersonStatus, clearance: Clearance | None, marking: Marking, today: date
) -> Text | None:
    """None when a person in this state may hold material so marked; otherwise the reason not."""
    if status is not PersonStatus.ACTIVE:
        return gettext_noop("the person is %(status)s", status=status_word(status))
    if marking.rank == 0 and not marking.compartments:
        return None
    if clearance is None:
        return gettext_noop("the person holds no clearance")
    problem = clearance.problem_text(today)
    if problem:
        return problem
    if clearance.rank < marking.rank:
        return gettext_noop("clearance does not reach %(level)s", level=marking.level)
    missing = sorted(marking.compartments - clearance.compartments)
    if missing:
        return gettext_noop(
            "not read into compartment(s) %(compartments)s", compartments=", ".join(missing)
        )
    return None


def may_hold(
    status: PersonStatus, clearance: Clearance | None, marking: Marking, today: date
) -> str | None:
    """``may_hold_text`` in English: None when the person may hold it, else the reason not."""
    return _english(may_hold_text(status, clearance, marking, today))


def _english(text: Text | None) -> str | None:
    return None if text is None else str(text)
