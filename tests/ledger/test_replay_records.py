"""Replay of the records kept beside the register, without a database: each record is opened once
and changed only while open, by entries about its own copy; anything else contradicts the ledger.
"""

from __future__ import annotations

from typing import Any

import pytest

from strongroom.ledger import replay

AT = "2026-11-22T09:00:00.000000Z"
LATER = "2026-11-23T09:00:00+01:00"


def _state() -> replay.State:
    state = replay.State()
    state.documents["D1"] = {"unit": "HQ", "copy_count": 2}
    for number in (1, 2):
        state.copies[f"copy:D1/{number}"] = ("in_registry", None, "HQ registry", AT, 1)
    return state


def _entry(kind: str, subject: str, actor: str | None = "ann", **data: Any) -> replay.Row:
    moved = {"state": "held", "holder": "ann", "location": "with ann"}
    return {"seq": 7, "at": AT, "actor": actor, "kind": kind, "subject": subject,
            "data": {**moved, **data}}  # fmt: skip


def _dispatched(subject: str = "copy:D1/1") -> replay.Row:
    return _entry("hand_over.dispatched", subject, hand_over="H1", recipient="bob", due_by=LATER)


def test_a_hand_over_is_kept_from_dispatch_to_receipt() -> None:
    state = _state()
    replay.apply(state, _dispatched())
    replay.apply(state, _entry("hand_over.accepted", "copy:D1/1", actor="bob", hand_over="H1"))
    assert state.records["hand_over"]["H1"] == {
        "copy": "D1/1",
        "sender": "ann",
        "recipient": "bob",
        "state": "accepted",
        "dispatched_at": AT,
        "due_by": "2026-11-23T08:00:00.000000Z",  # written with its offset, kept in UTC
        "resolved_at": AT,
        "resolved_by": "bob",
        "note": "",
    }


@pytest.mark.parametrize(
    ("entries", "says"),
    [
        ([_dispatched(), _dispatched()], "hand over H1 is opened twice"),
        (
            [_entry("hand_over.accepted", "copy:D1/1", hand_over="H1")],
            "hand over H1 is changed before it was created",
        ),
        (
            [
                _dispatched(),
                _entry("hand_over.accepted", "copy:D1/1", hand_over="H1"),
                _entry("hand_over.refused", "copy:D1/1", hand_over="H1", reason="no"),
            ],
            "its state is 'accepted', not 'pending'",
        ),
        (
            [_dispatched(), _entry("hand_over.accepted", "copy:D1/2", hand_over="H1")],
            "its copy is 'D1/1', not 'D1/2'",
        ),
        (
            [{**_dispatched(), "data": {**_dispatched()["data"], "due_by": "tomorrow"}}],
            "'tomorrow' is not a time with its offset",
        ),
    ],
    ids=["twice", "never sent", "closed twice", "another copy", "bad time"],
)
def test_a_contradictory_hand_over_is_refused(entries: list[replay.Row], says: str) -> None:
    state = _state()
    with pytest.raises(replay.ReplayError, match=says):
        for body in entries:
            replay.apply(state, body)


def _transit(**changes: Any) -> list[replay.Row]:
    sent = _entry(
        "transit.dispatched", "copy:D1/1", transit="T1", from_unit="HQ", to_unit="NORTH",
        courier="carl", expected_by=LATER, inner_wrapping="in", outer_wrapping="out",
    )  # fmt: skip
    received = _entry(
        "transit.received", "copy:D1/1", transit="T1", from_unit="HQ", courier="carl",
        **{"unit": "NORTH", **changes},
    )  # fmt: skip
    return [sent, received]


def test_a_received_transit_moves_the_copy_to_its_destination_registry() -> None:
    state = _state()
    for body in _transit():
        replay.apply(state, body)
    assert state.records["transit"]["T1"]["state"] == "received"
    assert state.derived()["copy_unit"] == {"D1/1": {"unit": "NORTH"}}


def test_a_transit_received_elsewhere_than_it_was_sent_is_refused() -> None:
    state = _state()
    with pytest.raises(replay.ReplayError, match="its to_unit is 'NORTH', not 'SOUTH'"):
        for body in _transit(unit="SOUTH"):
            replay.apply(state, body)


def _campaign() -> replay.Row:
    return {"seq": 3, "at": AT, "actor": "ann", "kind": "campaign.created",
            "subject": "campaign:C1", "data": {"document": "D1", "title": "course",
            "due_back": LATER, "recipients": ["bob", "cy"], "copies": [1, 2]}}  # fmt: skip


def _campaign_entry(kind: str, **data: Any) -> replay.Row:
    return {"seq": 4, "at": AT, "actor": "ann", "kind": kind, "subject": "campaign:C1",
            "data": data}  # fmt: skip


def test_a_campaign_closes_only_when_every_copy_is_back() -> None:
    state = _state()
    replay.apply(state, _campaign())
    replay.apply(state, _campaign_entry("campaign.copy_returned", copy=1, recipient="bob"))
    with pytest.raises(replay.ReplayError, match=r"still out"):
        replay.apply(state, _campaign_entry("campaign.closed", copies=2))
    replay.apply(state, _campaign_entry("campaign.copy_returned", copy=2, recipient="cy"))
    replay.apply(state, _campaign_entry("campaign.closed", copies=2))
    assert state.records["campaign"]["C1"]["closed_at"] == AT


def test_a_campaign_copy_returned_by_someone_it_was_not_issued_to_is_refused() -> None:
    state = _state()
    replay.apply(state, _campaign())
    with pytest.raises(replay.ReplayError, match="its recipient is 'bob', not 'cy'"):
        replay.apply(state, _campaign_entry("campaign.copy_returned", copy=1, recipient="cy"))


def test_an_alert_is_cleared_only_about_what_it_was_raised_about() -> None:
    state = _state()
    raised = {"seq": 5, "at": AT, "actor": None, "kind": "alert.raised",
              "subject": "hand_over:H1", "data": {"alert": 3, "kind": "overdue",
              "responsible": "ann", "unit": "HQ", "message": "late"}}  # fmt: skip
    replay.apply(state, raised)
    cleared = {**raised, "kind": "alert.cleared", "subject": "hand_over:H2",
               "data": {"alert": 3, "kind": "overdue", "because": "accepted"}}  # fmt: skip
    says = "its subject is 'hand_over:H1', not 'hand_over:H2'"
    with pytest.raises(replay.ReplayError, match=says):
        replay.apply(state, cleared)
    replay.apply(state, {**cleared, "subject": "hand_over:H1"})
    assert state.records["alert"]["3"]["cleared_because"] == "accepted"
