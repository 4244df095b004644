"""The reminder ladder of a campaign copy: which steps are reached when, and the grace period."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from strongroom.domain.campaigns import Ladder, Step, days_between, step_word
from strongroom.domain.errors import InvalidInput

DUE = datetime(2026, 3, 20, 17, 0, tzinfo=UTC)
JUST = timedelta(seconds=1)


def test_defaults_are_holder_at_0_supervisor_at_3_officer_at_7_grace_14():
    ladder = Ladder()
    assert (ladder.holder, ladder.supervisor, ladder.security_officer, ladder.grace) == (
        0,
        3,
        7,
        14,
    )


@pytest.mark.parametrize(
    ("after", "reached"),
    [
        (-timedelta(days=1), []),
        (timedelta(0), []),  # due now: not yet overdue
        (JUST, [Step.HOLDER]),
        (timedelta(days=3), [Step.HOLDER]),
        (timedelta(days=3) + JUST, [Step.HOLDER, Step.SUPERVISOR]),
        (timedelta(days=7), [Step.HOLDER, Step.SUPERVISOR]),
        (timedelta(days=7) + JUST, [Step.HOLDER, Step.SUPERVISOR, Step.SECURITY_OFFICER]),
        (timedelta(days=400), [Step.HOLDER, Step.SUPERVISOR, Step.SECURITY_OFFICER]),
    ],
)
def test_each_step_is_reached_once_its_days_have_passed(after, reached):
    ladder = Ladder()
    assert ladder.reached(DUE, DUE + after) == reached
    assert ladder.highest(DUE, DUE + after) == (reached[-1] if reached else None)


def test_the_grace_period_ends_after_its_days():
    ladder = Ladder(grace=14)
    assert not ladder.grace_over(DUE, DUE + timedelta(days=14))
    assert ladder.grace_over(DUE, DUE + timedelta(days=14) + JUST)


def test_steps_may_share_a_day():
    ladder = Ladder(0, 0, 2, 2)
    assert ladder.reached(DUE, DUE + JUST) == [Step.HOLDER, Step.SUPERVISOR]


@pytest.mark.parametrize(
    ("days", "grace", "words"),
    [
        ((3, 1, 7), 14, "each at least the one before it; not 3,1,7"),
        ((-1, 3, 7), 14, "from 0 up"),
        ((0, 3, 7), 6, "must not end before the last reminder (7 days)"),
    ],
)
def test_a_ladder_out_of_order_is_refused(days, grace, words):
    with pytest.raises(InvalidInput, match=words.replace("(", r"\(").replace(")", r"\)")):
        Ladder(*days, grace)


def test_days_between_counts_whole_days_and_never_below_zero():
    assert days_between(DUE, DUE + timedelta(days=2, hours=23)) == 2
    assert days_between(DUE, DUE - timedelta(days=1)) == 0


def test_every_step_has_words():
    assert [str(step_word(step)) for step in Step] == [
        "the holder",
        "the supervisor",
        "the security officer",
    ]
