"""Courier authorisations and the packaging rule, as plain Python (no database)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from strongroom.domain.markings import DEFAULT_SCHEME
from strongroom.domain.transport import (
    MAX_WRAPPING,
    CourierAuthorisation,
    authorisation_problem,
    packaging_problem,
)

TODAY = date(2026, 3, 15)
SECRET = DEFAULT_SCHEME.parse("SECRET//ALPHA")
TOP_SECRET = DEFAULT_SCHEME.parse("TOP SECRET")
CONFIDENTIAL = DEFAULT_SCHEME.rank("CONFIDENTIAL")
SECRET_RANK = DEFAULT_SCHEME.rank("SECRET")


def auth(
    level: int = SECRET_RANK,
    *,
    start: int = -10,
    end: int = 10,
    revoked: bool = False,
) -> CourierAuthorisation:
    """An authorisation from ``start`` to ``end`` days from TODAY."""
    return CourierAuthorisation(
        level, TODAY + timedelta(days=start), TODAY + timedelta(days=end), revoked
    )


# --- who may carry ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "authorisations",
    [
        [auth()],
        [auth(DEFAULT_SCHEME.rank("TOP SECRET"))],
        [auth(start=0, end=0)],  # the first and last day both count
        [auth(CONFIDENTIAL), auth()],
        [auth(revoked=True), auth()],
    ],
    ids=["exact-level", "higher-level", "one-day", "one-of-two", "renewed-after-revocation"],
)
def test_a_current_authorisation_reaching_the_level_lets_the_courier_carry(authorisations):
    assert authorisation_problem(authorisations, SECRET, TODAY) is None


@pytest.mark.parametrize(
    ("authorisations", "problem"),
    [
        ([], "no courier authorisation on record"),
        ([auth(CONFIDENTIAL)], "the courier authorisation reaches only CONFIDENTIAL"),
        ([auth(end=-1)], "the courier authorisation expired on 2026-03-14"),
        ([auth(end=-30), auth(end=-2)], "the courier authorisation expired on 2026-03-13"),
        ([auth(start=1)], "the courier authorisation starts on 2026-03-16"),
        ([auth(revoked=True)], "the courier authorisation was revoked"),
        # The nearest thing to a valid one is named: a current but too low one first.
        ([auth(end=-1), auth(CONFIDENTIAL)], "reaches only CONFIDENTIAL"),
        ([auth(revoked=True), auth(end=-1)], "expired on 2026-03-14"),
    ],
    ids=[
        "none",
        "under-level",
        "expired",
        "latest-expiry",
        "not-yet",
        "revoked",
        "current-first",
        "expired-before-revoked",
    ],
)
def test_why_a_courier_may_not_carry(authorisations, problem):
    found = authorisation_problem(authorisations, SECRET, TODAY)
    assert found is not None
    assert problem in str(found)


def test_compartments_are_not_the_authorisations_business():
    """An authorisation is for a level; compartments are checked against the clearance."""
    assert authorisation_problem([auth()], DEFAULT_SCHEME.parse("SECRET//BRAVO"), TODAY) is None


def test_current_means_on_the_day_and_not_revoked():
    assert auth().current(TODAY)
    assert not auth(revoked=True).current(TODAY)
    assert not auth(end=-1).current(TODAY)
    assert not auth(start=1).current(TODAY)


# --- packaging ------------------------------------------------------------------------------

INNER = "opaque envelope marked SECRET, sealed"
OUTER = "plain envelope addressed to the registry of NORTH"


@pytest.mark.parametrize(
    ("inner", "outer", "marking"),
    [
        (INNER, OUTER, SECRET),
        ("Envelope, marked secret//alpha, sealed", OUTER, SECRET),  # any case
        ("sealed box marked TOP SECRET", "crate to the Secretariat", TOP_SECRET),
        ("envelope marked UNCLASSIFIED", "envelope", DEFAULT_SCHEME.parse("UNCLASSIFIED")),
        # The lowest level gives nothing away on the outside.
        (INNER, "unmarked (UNCLASSIFIED) envelope", SECRET),
    ],
    ids=["usual", "any-case", "word-inside-a-word", "unclassified", "lowest-level-outside"],
)
def test_two_layers_inner_marked_outer_unmarked(inner, outer, marking):
    assert packaging_problem(inner, outer, marking) is None


@pytest.mark.parametrize(
    ("inner", "outer", "marking", "field", "message"),
    [
        ("", OUTER, SECRET, "inner_wrapping", "The inner wrapping must be described."),
        (INNER, "", SECRET, "outer_wrapping", "The outer wrapping must be described."),
        (
            "x" * (MAX_WRAPPING + 1),
            OUTER,
            SECRET,
            "inner_wrapping",
            "The inner wrapping may be described in at most 300 characters.",
        ),
        (
            "opaque envelope, sealed",
            OUTER,
            SECRET,
            "inner_wrapping",
            "The inner wrapping must be marked SECRET, as the document is; say so, e.g. "
            "'opaque envelope marked SECRET, sealed'.",
        ),
        (
            "box marked SECRET",
            OUTER,
            TOP_SECRET,
            "inner_wrapping",
            "The inner wrapping must be marked TOP SECRET",
        ),
        (
            INNER,
            "envelope stamped Top Secret",
            SECRET,
            "outer_wrapping",
            "The outer wrapping must show no marking, but it says TOP SECRET;",
        ),
        (
            INNER,
            "CONFIDENTIAL mail",
            SECRET,
            "outer_wrapping",
            "The outer wrapping must show no marking, but it says CONFIDENTIAL;",
        ),
    ],
    ids=[
        "no-inner",
        "no-outer",
        "too-long",
        "inner-unmarked",
        "inner-under-marked",
        "outer-marked",
        "outer-other-level",
    ],
)
def test_packaging_problems_name_the_layer(inner, outer, marking, field, message):
    problem = packaging_problem(inner, outer, marking)
    assert problem is not None
    assert problem.field == field
    assert str(problem.text).startswith(message)
