"""The custody state machine of a numbered copy."""

from __future__ import annotations

import enum

from strongroom.domain.errors import IllegalTransition


class CopyState(enum.StrEnum):
    IN_REGISTRY = "in_registry"
    HELD = "held"
    MISSING = "missing"
    DESTROYED = "destroyed"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class CustodyEvent(enum.StrEnum):
    ISSUE = "issue"
    RETURN = "return"
    REPORT_MISSING = "report_missing"
    FIND = "find"
    DESTROY = "destroy"


_TRANSITIONS: dict[tuple[CopyState, CustodyEvent], CopyState] = {
    (CopyState.IN_REGISTRY, CustodyEvent.ISSUE): CopyState.HELD,
    (CopyState.HELD, CustodyEvent.RETURN): CopyState.IN_REGISTRY,
    (CopyState.IN_REGISTRY, CustodyEvent.REPORT_MISSING): CopyState.MISSING,
    (CopyState.HELD, CustodyEvent.REPORT_MISSING): CopyState.MISSING,
    (CopyState.MISSING, CustodyEvent.FIND): CopyState.IN_REGISTRY,
    (CopyState.IN_REGISTRY, CustodyEvent.DESTROY): CopyState.DESTROYED,
}

_EXPLANATIONS: dict[CustodyEvent, str] = {
    CustodyEvent.ISSUE: "only a copy in the registry can be issued",
    CustodyEvent.RETURN: "only a copy that is held can be returned",
    CustodyEvent.REPORT_MISSING: "only a copy in the registry or held can be reported missing",
    CustodyEvent.FIND: "only a missing copy can be found",
    CustodyEvent.DESTROY: "only a copy in the registry can be destroyed",
}


def next_state(state: CopyState, event: CustodyEvent) -> CopyState:
    """The state after ``event``; raise IllegalTransition with a reason a person understands."""
    try:
        return _TRANSITIONS[(state, event)]
    except KeyError:
        raise IllegalTransition(f"The copy is {state.label}; {_EXPLANATIONS[event]}.") from None


def allowed_events(state: CopyState) -> list[CustodyEvent]:
    return [event for (from_state, event) in _TRANSITIONS if from_state is state]
