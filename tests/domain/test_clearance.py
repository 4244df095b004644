"""Clearance: who may hold material of a given marking, on a given day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from strongroom.domain.clearance import Clearance, ClearanceStatus, PersonStatus, may_hold
from strongroom.domain.markings import DEFAULT_SCHEME, Marking

TODAY = date(2026, 3, 15)
YESTERDAY = TODAY - timedelta(days=1)
TOMORROW = TODAY + timedelta(days=1)


def marking(banner: str) -> Marking:
    return DEFAULT_SCHEME.parse(banner)


def clearance(
    banner: str = "TOP SECRET//ALPHA/BRAVO",
    *,
    status: ClearanceStatus = ClearanceStatus.ACTIVE,
    expires_on: date | None = TODAY + timedelta(days=365),
    briefed_on: date | None = TODAY - timedelta(days=30),
) -> Clearance:
    """A clearance reaching the level and compartments of ``banner``; valid today by default."""
    reach = marking(banner)
    return Clearance(reach.rank, reach.compartments, status, expires_on, briefed_on)


ACTIVE = PersonStatus.ACTIVE


def test_active_person_with_sufficient_clearance_may_hold() -> None:
    assert may_hold(ACTIVE, clearance(), marking("SECRET//ALPHA//NO COPY"), TODAY) is None


def test_clearance_at_exactly_the_level_suffices() -> None:
    assert may_hold(ACTIVE, clearance("SECRET"), marking("SECRET"), TODAY) is None


def test_caveats_do_not_need_clearance() -> None:
    assert may_hold(ACTIVE, clearance("SECRET"), marking("SECRET//NO FOREIGN"), TODAY) is None


@pytest.mark.parametrize("status", [PersonStatus.SUSPENDED, PersonStatus.DEPARTED])
@pytest.mark.parametrize("banner", ["UNCLASSIFIED", "SECRET", "TOP SECRET//ALPHA"])
def test_inactive_person_may_hold_nothing(status: PersonStatus, banner: str) -> None:
    """Even unclassified material and even with a perfect clearance."""
    assert may_hold(status, clearance(), marking(banner), TODAY) == f"the person is {status.value}"


def test_no_clearance() -> None:
    assert may_hold(ACTIVE, None, marking("RESTRICTED"), TODAY) == "the person holds no clearance"


def test_unclassified_without_compartments_needs_no_clearance() -> None:
    assert may_hold(ACTIVE, None, marking("UNCLASSIFIED"), TODAY) is None
    assert may_hold(ACTIVE, None, marking("UNCLASSIFIED//NO COPY"), TODAY) is None


@pytest.mark.parametrize(
    "bad",
    [
        clearance(status=ClearanceStatus.REVOKED),
        clearance(status=ClearanceStatus.SUSPENDED),
        clearance(expires_on=YESTERDAY),
        clearance(briefed_on=None),
    ],
)
def test_unclassified_without_compartments_held_even_with_a_void_clearance(
    bad: Clearance,
) -> None:
    assert may_hold(ACTIVE, bad, marking("UNCLASSIFIED"), TODAY) is None


def test_unclassified_in_a_compartment_needs_clearance() -> None:
    assert may_hold(ACTIVE, None, marking("UNCLASSIFIED//ALPHA"), TODAY) == (
        "the person holds no clearance"
    )
    assert (
        may_hold(ACTIVE, clearance("UNCLASSIFIED//ALPHA"), marking("UNCLASSIFIED//ALPHA"), TODAY)
        is None
    )
    assert may_hold(ACTIVE, clearance("SECRET"), marking("UNCLASSIFIED//ALPHA"), TODAY) == (
        "not read into compartment(s) ALPHA"
    )


# --- expiry: a clearance counts through the day it expires, not the day after ----------------


def test_clearance_expiring_today_still_counts() -> None:
    assert may_hold(ACTIVE, clearance(expires_on=TODAY), marking("SECRET"), TODAY) is None


def test_clearance_that_expired_yesterday_does_not_count() -> None:
    assert may_hold(ACTIVE, clearance(expires_on=YESTERDAY), marking("SECRET"), TODAY) == (
        "clearance expired on 2026-03-14"
    )


def test_clearance_expiring_tomorrow_counts() -> None:
    assert may_hold(ACTIVE, clearance(expires_on=TOMORROW), marking("SECRET"), TODAY) is None


def test_clearance_without_expiry_counts() -> None:
    assert may_hold(ACTIVE, clearance(expires_on=None), marking("SECRET"), TODAY) is None


def test_expiry_is_judged_against_the_given_day() -> None:
    held = clearance(expires_on=TODAY)
    assert may_hold(ACTIVE, held, marking("SECRET"), TODAY) is None
    assert may_hold(ACTIVE, held, marking("SECRET"), TOMORROW) == "clearance expired on 2026-03-15"


# --- briefing and clearance status -----------------------------------------------------------


def test_missing_briefing() -> None:
    assert may_hold(ACTIVE, clearance(briefed_on=None), marking("SECRET"), TODAY) == (
        "no security briefing on record"
    )


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (ClearanceStatus.SUSPENDED, "clearance is suspended"),
        (ClearanceStatus.REVOKED, "clearance is revoked"),
    ],
)
def test_suspended_or_revoked_clearance(status: ClearanceStatus, reason: str) -> None:
    assert may_hold(ACTIVE, clearance(status=status), marking("SECRET"), TODAY) == reason


def test_status_is_reported_before_briefing_and_expiry() -> None:
    void = clearance(status=ClearanceStatus.REVOKED, briefed_on=None, expires_on=YESTERDAY)
    assert may_hold(ACTIVE, void, marking("SECRET"), TODAY) == "clearance is revoked"


def test_missing_briefing_is_reported_before_expiry() -> None:
    void = clearance(briefed_on=None, expires_on=YESTERDAY)
    assert may_hold(ACTIVE, void, marking("SECRET"), TODAY) == "no security briefing on record"


def test_problem_is_none_for_a_good_clearance() -> None:
    assert clearance().problem(TODAY) is None
    assert clearance(expires_on=YESTERDAY).problem(TODAY) == "clearance expired on 2026-03-14"


# --- reach: level and compartments -----------------------------------------------------------


@pytest.mark.parametrize(
    ("held", "wanted", "level"),
    [
        ("CONFIDENTIAL", "SECRET", "SECRET"),
        ("SECRET//ALPHA", "TOP SECRET//ALPHA", "TOP SECRET"),
        ("UNCLASSIFIED", "RESTRICTED", "RESTRICTED"),
    ],
)
def test_level_too_low(held: str, wanted: str, level: str) -> None:
    assert may_hold(ACTIVE, clearance(held), marking(wanted), TODAY) == (
        f"clearance does not reach {level}"
    )


def test_level_is_reported_before_compartments() -> None:
    assert may_hold(ACTIVE, clearance("SECRET"), marking("TOP SECRET//CHARLIE"), TODAY) == (
        "clearance does not reach TOP SECRET"
    )


def test_missing_compartment() -> None:
    assert may_hold(ACTIVE, clearance("TOP SECRET//ALPHA"), marking("SECRET//BRAVO"), TODAY) == (
        "not read into compartment(s) BRAVO"
    )


def test_missing_compartments_are_listed_sorted() -> None:
    assert may_hold(
        ACTIVE, clearance("TOP SECRET//BRAVO"), marking("SECRET//CHARLIE/ALPHA/BRAVO"), TODAY
    ) == ("not read into compartment(s) ALPHA, CHARLIE")


def test_all_compartments_needed() -> None:
    assert (
        may_hold(ACTIVE, clearance("SECRET//ALPHA/BRAVO"), marking("SECRET//ALPHA/BRAVO"), TODAY)
        is None
    )
    assert may_hold(ACTIVE, clearance("SECRET//ALPHA"), marking("SECRET//ALPHA/BRAVO"), TODAY) == (
        "not read into compartment(s) BRAVO"
    )
