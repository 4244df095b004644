"""The custody state machine of a numbered copy, checked against an explicit table."""

from __future__ import annotations

import itertools

import pytest

from strongroom.domain.custody import CopyState, CustodyEvent, allowed_events, next_state
from strongroom.domain.errors import DomainError, IllegalTransition

IN_REGISTRY = CopyState.IN_REGISTRY
HELD = CopyState.HELD
IN_HAND_OVER = CopyState.IN_HAND_OVER
CHECKED_OUT = CopyState.CHECKED_OUT
AWAITING_DESTRUCTION = CopyState.AWAITING_DESTRUCTION
IN_TRANSIT = CopyState.IN_TRANSIT
MISSING = CopyState.MISSING
DESTROYED = CopyState.DESTROYED
HAND_OVER_EVENTS = (
    CustodyEvent.DISPATCH,
    CustodyEvent.ACCEPT,
    CustodyEvent.REFUSE,
    CustodyEvent.CANCEL,
)
CHECK_OUT_EVENTS = (CustodyEvent.CHECK_OUT, CustodyEvent.CHECK_IN)
TRANSIT_EVENTS = (CustodyEvent.SEND, CustodyEvent.RECEIVE)
DESTRUCTION_EVENTS = (
    CustodyEvent.PROPOSE_DESTRUCTION,
    CustodyEvent.DESTROY,
    CustodyEvent.CANCEL_DESTRUCTION,
)
# Every event but those of a hand-over, a check-out, a transit or a destruction.
REGISTRY_EVENTS = (
    CustodyEvent.ISSUE,
    CustodyEvent.RETURN,
    CustodyEvent.REPORT_MISSING,
    CustodyEvent.FIND,
)

# Every (state, event) pair; None where the event must be refused in that state.
EXPECTED: dict[tuple[CopyState, CustodyEvent], CopyState | None] = {
    (IN_REGISTRY, CustodyEvent.ISSUE): HELD,
    (IN_REGISTRY, CustodyEvent.RETURN): None,
    (IN_REGISTRY, CustodyEvent.REPORT_MISSING): MISSING,
    (IN_REGISTRY, CustodyEvent.FIND): None,
    (HELD, CustodyEvent.ISSUE): None,
    (HELD, CustodyEvent.RETURN): IN_REGISTRY,
    (HELD, CustodyEvent.REPORT_MISSING): MISSING,
    (HELD, CustodyEvent.FIND): None,
    (MISSING, CustodyEvent.ISSUE): None,
    (MISSING, CustodyEvent.RETURN): None,
    (MISSING, CustodyEvent.REPORT_MISSING): None,
    (MISSING, CustodyEvent.FIND): IN_REGISTRY,
    # A destroyed copy can never change state again.
    **{(DESTROYED, event): None for event in CustodyEvent},
    # A hand-over: sent by the holder; acknowledged, refused or called back, it is held again
    # (by the recipient, or by the sender).
    (HELD, CustodyEvent.DISPATCH): IN_HAND_OVER,
    (IN_HAND_OVER, CustodyEvent.ACCEPT): HELD,
    (IN_HAND_OVER, CustodyEvent.REFUSE): HELD,
    (IN_HAND_OVER, CustodyEvent.CANCEL): HELD,
    # While in hand-over nothing else may happen to it: it must be resolved first.
    **{
        (IN_HAND_OVER, event): None
        for event in (
            *REGISTRY_EVENTS,
            *CHECK_OUT_EVENTS,
            *TRANSIT_EVENTS,
            *DESTRUCTION_EVENTS,
            CustodyEvent.DISPATCH,
        )
    },
    **{(state, event): None for state in (IN_REGISTRY, MISSING) for event in HAND_OVER_EVENTS},
    **{(HELD, event): None for event in HAND_OVER_EVENTS if event is not CustodyEvent.DISPATCH},
    # A check-out: lent from the registry for reading, and checked in again.
    (IN_REGISTRY, CustodyEvent.CHECK_OUT): CHECKED_OUT,
    (CHECKED_OUT, CustodyEvent.CHECK_IN): IN_REGISTRY,
    (IN_REGISTRY, CustodyEvent.CHECK_IN): None,
    **{
        (state, event): None
        for state in (HELD, MISSING, AWAITING_DESTRUCTION, IN_TRANSIT)
        for event in CHECK_OUT_EVENTS
    },
    # While checked out nothing else may happen to it: it must be checked in first.
    **{(CHECKED_OUT, event): None for event in CustodyEvent if event is not CustodyEvent.CHECK_IN},
    # A transit: the registry sends it with a courier; received, it is in a registry again (the
    # destination's). Only a copy in the registry leaves; only one in transit arrives.
    (IN_REGISTRY, CustodyEvent.SEND): IN_TRANSIT,
    (IN_TRANSIT, CustodyEvent.RECEIVE): IN_REGISTRY,
    **{
        (state, event): None
        for state in (HELD, MISSING, AWAITING_DESTRUCTION)
        for event in TRANSIT_EVENTS
    },
    (IN_REGISTRY, CustodyEvent.RECEIVE): None,
    (IN_TRANSIT, CustodyEvent.SEND): None,
    # While in transit nothing else may happen to it: not issued, returned, handed over, found
    # or destroyed. (A transit that never arrives is raised as an alert; see services.alerts.)
    **{
        (IN_TRANSIT, event): None
        for event in (*REGISTRY_EVENTS, *HAND_OVER_EVENTS, *DESTRUCTION_EVENTS)
    },
    # A destruction: only from the registry, put forward by the destroyer; destroyed when the
    # witness countersigns, back in the registry if they refuse or the destroyer withdraws.
    (IN_REGISTRY, CustodyEvent.PROPOSE_DESTRUCTION): AWAITING_DESTRUCTION,
    (AWAITING_DESTRUCTION, CustodyEvent.DESTROY): DESTROYED,
    (AWAITING_DESTRUCTION, CustodyEvent.CANCEL_DESTRUCTION): IN_REGISTRY,
    # Awaiting destruction it may not leave the registry, nor be put forward again.
    **{
        (AWAITING_DESTRUCTION, event): None
        for event in (*REGISTRY_EVENTS, *HAND_OVER_EVENTS, CustodyEvent.PROPOSE_DESTRUCTION)
    },
    **{(state, CustodyEvent.PROPOSE_DESTRUCTION): None for state in (HELD, MISSING)},
    **{
        (state, event): None
        for state in (IN_REGISTRY, HELD, MISSING)
        for event in (CustodyEvent.DESTROY, CustodyEvent.CANCEL_DESTRUCTION)
    },
}

ALL_PAIRS = list(itertools.product(CopyState, CustodyEvent))


def test_expected_table_covers_every_pair() -> None:
    """A new state or event must be added to the table above before anything else passes."""
    assert set(EXPECTED) == set(ALL_PAIRS)


@pytest.mark.parametrize(("state", "event"), ALL_PAIRS, ids=lambda v: str(v))
def test_transition(state: CopyState, event: CustodyEvent) -> None:
    expected = EXPECTED[(state, event)]
    if expected is None:
        with pytest.raises(IllegalTransition):
            next_state(state, event)
    else:
        assert next_state(state, event) is expected


@pytest.mark.parametrize("state", list(CopyState))
def test_allowed_events_match_the_table(state: CopyState) -> None:
    expected = {event for (s, event), to in EXPECTED.items() if s is state and to is not None}
    events = allowed_events(state)
    assert set(events) == expected
    assert len(events) == len(set(events))


def test_a_copy_is_lent_for_reading_and_checked_in() -> None:
    state = next_state(IN_REGISTRY, CustodyEvent.CHECK_OUT)
    assert state is CHECKED_OUT
    assert allowed_events(state) == [CustodyEvent.CHECK_IN]
    assert next_state(state, CustodyEvent.CHECK_IN) is IN_REGISTRY


def test_a_copy_goes_to_another_registry_and_on() -> None:
    state = IN_REGISTRY
    for event in [
        CustodyEvent.SEND,
        CustodyEvent.RECEIVE,
        CustodyEvent.ISSUE,
        CustodyEvent.RETURN,
        CustodyEvent.SEND,
        CustodyEvent.RECEIVE,
    ]:
        state = next_state(state, event)
    assert state is IN_REGISTRY


def test_destroyed_is_final() -> None:
    assert allowed_events(DESTROYED) == []
    for event in CustodyEvent:
        with pytest.raises(IllegalTransition, match=r"^The copy is destroyed; "):
            next_state(DESTROYED, event)


def test_only_a_countersignature_destroys_a_copy() -> None:
    """No state but "awaiting destruction" leads to "destroyed", and only by DESTROY."""
    into_destroyed = [pair for pair, to in EXPECTED.items() if to is DESTROYED]
    assert into_destroyed == [(AWAITING_DESTRUCTION, CustodyEvent.DESTROY)]


def test_a_copy_goes_round_the_registry() -> None:
    state = IN_REGISTRY
    for event in [
        CustodyEvent.ISSUE,
        CustodyEvent.RETURN,
        CustodyEvent.ISSUE,
        CustodyEvent.REPORT_MISSING,
        CustodyEvent.FIND,
        CustodyEvent.PROPOSE_DESTRUCTION,
        CustodyEvent.CANCEL_DESTRUCTION,
        CustodyEvent.PROPOSE_DESTRUCTION,
        CustodyEvent.DESTROY,
    ]:
        state = next_state(state, event)
    assert state is DESTROYED


DISALLOWED = [pair for pair, to in EXPECTED.items() if to is None]


@pytest.mark.parametrize(("state", "event"), DISALLOWED, ids=lambda v: str(v))
def test_illegal_transition_message_is_human(state: CopyState, event: CustodyEvent) -> None:
    with pytest.raises(IllegalTransition) as caught:
        next_state(state, event)
    message = caught.value.message
    # It says what the copy is now, in words, and ends as a sentence.
    assert message.startswith(f"The copy is {state.label};")
    assert message.endswith(".")
    assert "only a" in message
    # No enum reprs, identifiers or snake_case leak to the reader.
    assert "_" not in message
    assert "CopyState" not in message
    assert "CustodyEvent" not in message
    assert str(caught.value) == message
    assert caught.value.code == "illegal_transition"
    assert isinstance(caught.value, DomainError)


@pytest.mark.parametrize(
    ("state", "event", "message"),
    [
        (HELD, CustodyEvent.ISSUE, "The copy is held; only a copy in the registry can be issued."),
        (
            IN_REGISTRY,
            CustodyEvent.RETURN,
            "The copy is in registry; only a copy that is held can be returned.",
        ),
        (
            DESTROYED,
            CustodyEvent.REPORT_MISSING,
            "The copy is destroyed; only a copy in the registry or held can be reported missing.",
        ),
        (HELD, CustodyEvent.FIND, "The copy is held; only a missing copy can be found."),
        (
            HELD,
            CustodyEvent.CHECK_OUT,
            "The copy is held; only a copy in the registry can be lent for reading.",
        ),
        (
            IN_REGISTRY,
            CustodyEvent.CHECK_IN,
            "The copy is in registry; only a copy that is checked out can be checked in.",
        ),
        (
            CHECKED_OUT,
            CustodyEvent.ISSUE,
            "The copy is checked out; only a copy in the registry can be issued.",
        ),
        (
            HELD,
            CustodyEvent.SEND,
            "The copy is held; only a copy in the registry can be sent to another unit.",
        ),
        (
            IN_TRANSIT,
            CustodyEvent.ISSUE,
            "The copy is in transit; only a copy in the registry can be issued.",
        ),
        (
            IN_TRANSIT,
            CustodyEvent.DISPATCH,
            "The copy is in transit; only a copy that is held can be handed over.",
        ),
        (
            IN_REGISTRY,
            CustodyEvent.RECEIVE,
            "The copy is in registry; only a copy in transit can be received.",
        ),
        (
            HELD,
            CustodyEvent.PROPOSE_DESTRUCTION,
            "The copy is held; only a copy in the registry can be destroyed.",
        ),
        (
            DESTROYED,
            CustodyEvent.PROPOSE_DESTRUCTION,
            "The copy is destroyed; only a copy in the registry can be destroyed.",
        ),
        (
            IN_REGISTRY,
            CustodyEvent.DESTROY,
            "The copy is in registry; only a copy put forward for destruction can be "
            "countersigned as destroyed.",
        ),
        (
            DESTROYED,
            CustodyEvent.CANCEL_DESTRUCTION,
            "The copy is destroyed; only a copy awaiting destruction can have its destruction "
            "called off.",
        ),
        (
            AWAITING_DESTRUCTION,
            CustodyEvent.ISSUE,
            "The copy is awaiting destruction; only a copy in the registry can be issued.",
        ),
    ],
)
def test_illegal_transition_messages(state: CopyState, event: CustodyEvent, message: str) -> None:
    with pytest.raises(IllegalTransition) as caught:
        next_state(state, event)
    assert caught.value.message == message


def test_state_labels_are_words() -> None:
    assert [state.label for state in CopyState] == [
        "in registry",
        "held",
        "in hand-over",
        "checked out",
        "awaiting destruction",
        "in transit",
        "missing",
        "destroyed",
    ]
