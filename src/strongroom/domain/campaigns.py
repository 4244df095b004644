"""Distribution campaigns: when a copy not brought back is escalated, and to whom.

A campaign issues numbered copies to a named list with a due-back time. A copy still out after
that time climbs a ladder of reminders — its holder, then the holder's supervisor, then a
security officer — each rung a number of whole days after the due-back time; after a grace
period an incident is opened. Plain time arithmetic, judged at a given moment, so the periodic
check and the live board agree and tests need no database.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from strongroom.domain.errors import InvalidInput
from strongroom.domain.text import Text, gettext_noop


class Step(enum.StrEnum):
    """A rung of the reminder ladder, lowest first: who is reminded."""

    HOLDER = "holder"
    SUPERVISOR = "supervisor"
    SECURITY_OFFICER = "security_officer"


_STEP_WORDS: dict[Step, Text] = {
    Step.HOLDER: gettext_noop("the holder"),
    Step.SUPERVISOR: gettext_noop("the supervisor"),
    Step.SECURITY_OFFICER: gettext_noop("the security officer"),
}


def step_word(step: Step) -> Text:
    return _STEP_WORDS[step]


@dataclass(frozen=True)
class Ladder:
    """Days after the due-back time at which each step is reached, and when the grace ends."""

    holder: int = 0
    supervisor: int = 3
    security_officer: int = 7
    grace: int = 14

    def __post_init__(self) -> None:
        days = (self.holder, self.supervisor, self.security_officer)
        if min(days) < 0 or list(days) != sorted(days):
            raise InvalidInput(
                gettext_noop(
                    "The reminder days must be whole numbers from 0 up, each at least the one "
                    "before it; not %(days)s.",
                    days=",".join(str(day) for day in days),
                ),
                field="ladder",
            )
        if self.grace < self.security_officer:
            raise InvalidInput(
                gettext_noop(
                    "The grace period (%(grace)s days) must not end before the last reminder "
                    "(%(last)s days).",
                    grace=self.grace,
                    last=self.security_officer,
                ),
                field="grace",
            )

    def days(self, step: Step) -> int:
        return {
            Step.HOLDER: self.holder,
            Step.SUPERVISOR: self.supervisor,
            Step.SECURITY_OFFICER: self.security_officer,
        }[step]

    def reached(self, due_back: datetime, now: datetime) -> list[Step]:
        """Every step reached by ``now``, lowest first: a step is reached once its number of
        days after the due-back time has passed."""
        return [step for step in Step if now > due_back + timedelta(days=self.days(step))]

    def highest(self, due_back: datetime, now: datetime) -> Step | None:
        reached = self.reached(due_back, now)
        return reached[-1] if reached else None

    def grace_over(self, due_back: datetime, now: datetime) -> bool:
        """True once the grace period after the due-back time has passed: open an incident."""
        return now > due_back + timedelta(days=self.grace)


def days_between(start: datetime, end: datetime) -> int:
    """Whole days from ``start`` to ``end`` (0 when ``end`` is not after ``start``)."""
    return max((end - start).days, 0)
