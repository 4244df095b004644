"""Clearance: who may hold what. A clearance that has expired, or whose holder was never briefed,
counts as no clearance at all."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from strongroom.domain.markings import Marking


class PersonStatus(enum.StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    DEPARTED = "departed"


class ClearanceStatus(enum.StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    REVOKED = "revoked"


@dataclass(frozen=True)
class Clearance:
    rank: int
    compartments: frozenset[str]
    status: ClearanceStatus
    expires_on: date | None
    briefed_on: date | None

    def problem(self, today: date) -> str | None:
        """Why this clearance does not count today, or None when it does."""
        if self.status is not ClearanceStatus.ACTIVE:
            return f"clearance is {self.status.value}"
        if self.briefed_on is None:
            return "no security briefing on record"
        if self.expires_on is not None and self.expires_on < today:
            return f"clearance expired on {self.expires_on.isoformat()}"
        return None


def may_hold(
    status: PersonStatus, clearance: Clearance | None, marking: Marking, today: date
) -> str | None:
    """None when a person in this state may hold material so marked; otherwise the reason not."""
    if status is not PersonStatus.ACTIVE:
        return f"the person is {status.value}"
    if marking.rank == 0 and not marking.compartments:
        return None
    if clearance is None:
        return "the person holds no clearance"
    problem = clearance.problem(today)
    if problem:
        return problem
    if clearance.rank < marking.rank:
        return f"clearance does not reach {marking.level}"
    missing = sorted(marking.compartments - clearance.compartments)
    if missing:
        return f"not read into compartment(s) {', '.join(missing)}"
    return None
