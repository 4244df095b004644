"""The custody state machine of a numbered copy."""

from __future__ import annotations

import enum

from strongroom.domain.errors import IllegalTransition
from strongroom.domain.text import Text, gettext_noop


class CopyState(enum.StrEnum):
    IN_REGISTRY = "in_registry"
    HELD = "held"
    # Dispatched by its holder to a named recipient who has not yet acknowledged it; the
    # sender stays the accountable holder until then.
    IN_HAND_OVER = "in_hand_over"
    # Lent by the registry to a reader (e.g. in its reading room) until a due time; the reader
    # is the accountable holder until the copy is checked in.
    CHECKED_OUT = "checked_out"
    # Put forward for destruction by a destroyer and not yet countersigned by the named witness.
    # Still in the registry, but it may not leave it (nor be put forward again) meanwhile.
    AWAITING_DESTRUCTION = "awaiting_destruction"
    # Carried by an authorised courier from one unit's registry to another's; the courier is
    # its accountable holder until the destination registry receives it.
    IN_TRANSIT = "in_transit"
    MISSING = "missing"
    DESTROYED = "destroyed"

    @property
    def label(self) -> str:
        return "in hand-over" if self is CopyState.IN_HAND_OVER else self.value.replace("_", " ")


class CustodyEvent(enum.StrEnum):
    ISSUE = "issue"
    RETURN = "return"
    DISPATCH = "dispatch"
    ACCEPT = "accept"
    REFUSE = "refuse"
    CANCEL = "cancel"
    CHECK_OUT = "check_out"
    CHECK_IN = "check_in"
    SEND = "send"
    RECEIVE = "receive"
    REPORT_MISSING = "report_missing"
    FIND = "find"
    # Destruction takes two people: the destroyer puts the copy forward, naming a witness; it
    # is destroyed when the witness countersigns, and back in the registry if they refuse or
    # the destroyer withdraws.
    PROPOSE_DESTRUCTION = "propose_destruction"
    DESTROY = "destroy"
    CANCEL_DESTRUCTION = "cancel_destruction"


_TRANSITIONS: dict[tuple[CopyState, CustodyEvent], CopyState] = {
    (CopyState.IN_REGISTRY, CustodyEvent.ISSUE): CopyState.HELD,
    (CopyState.HELD, CustodyEvent.RETURN): CopyState.IN_REGISTRY,
    (CopyState.HELD, CustodyEvent.DISPATCH): CopyState.IN_HAND_OVER,
    # Accepted, the recipient holds it; refused or cancelled, the sender holds it again.
    (CopyState.IN_HAND_OVER, CustodyEvent.ACCEPT): CopyState.HELD,
    (CopyState.IN_HAND_OVER, CustodyEvent.REFUSE): CopyState.HELD,
    (CopyState.IN_HAND_OVER, CustodyEvent.CANCEL): CopyState.HELD,
    # Lent for reading, and checked in again at the registry's desk.
    (CopyState.IN_REGISTRY, CustodyEvent.CHECK_OUT): CopyState.CHECKED_OUT,
    (CopyState.CHECKED_OUT, CustodyEvent.CHECK_IN): CopyState.IN_REGISTRY,
    # A transit: the registry sends it with a courier; the destination registry receives it.
    (CopyState.IN_REGISTRY, CustodyEvent.SEND): CopyState.IN_TRANSIT,
    (CopyState.IN_TRANSIT, CustodyEvent.RECEIVE): CopyState.IN_REGISTRY,
    (CopyState.IN_REGISTRY, CustodyEvent.REPORT_MISSING): CopyState.MISSING,
    (CopyState.HELD, CustodyEvent.REPORT_MISSING): CopyState.MISSING,
    (CopyState.MISSING, CustodyEvent.FIND): CopyState.IN_REGISTRY,
    (CopyState.IN_REGISTRY, CustodyEvent.PROPOSE_DESTRUCTION): CopyState.AWAITING_DESTRUCTION,
    (CopyState.AWAITING_DESTRUCTION, CustodyEvent.DESTROY): CopyState.DESTROYED,
    (CopyState.AWAITING_DESTRUCTION, CustodyEvent.CANCEL_DESTRUCTION): CopyState.IN_REGISTRY,
    # Nothing leaves DESTROYED: a destroyed copy can never change state again.
}

_EXPLANATIONS: dict[CustodyEvent, Text] = {
    CustodyEvent.ISSUE: gettext_noop("only a copy in the registry can be issued"),
    CustodyEvent.RETURN: gettext_noop("only a copy that is held can be returned"),
    CustodyEvent.DISPATCH: gettext_noop("only a copy that is held can be handed over"),
    CustodyEvent.ACCEPT: gettext_noop("only a copy in hand-over can be acknowledged"),
    CustodyEvent.REFUSE: gettext_noop("only a copy in hand-over can be refused"),
    CustodyEvent.CANCEL: gettext_noop("only a copy in hand-over can be called back"),
    CustodyEvent.CHECK_OUT: gettext_noop("only a copy in the registry can be lent for reading"),
    CustodyEvent.CHECK_IN: gettext_noop("only a copy that is checked out can be checked in"),
    CustodyEvent.SEND: gettext_noop("only a copy in the registry can be sent to another unit"),
    CustodyEvent.RECEIVE: gettext_noop("only a copy in transit can be received"),
    CustodyEvent.REPORT_MISSING: gettext_noop(
        "only a copy in the registry or held can be reported missing"
    ),
    CustodyEvent.FIND: gettext_noop("only a missing copy can be found"),
    CustodyEvent.PROPOSE_DESTRUCTION: gettext_noop("only a copy in the registry can be destroyed"),
    CustodyEvent.DESTROY: gettext_noop(
        "only a copy put forward for destruction can be countersigned as destroyed"
    ),
    CustodyEvent.CANCEL_DESTRUCTION: gettext_noop(
        "only a copy awaiting destruction can have its destruction called off"
    ),
}

# The state as a word in a sentence (``CopyState.label``), translatable; the same words as the
# web's labels, so one translation serves both.
_STATE_WORDS: dict[CopyState, Text] = {
    CopyState.IN_REGISTRY: gettext_noop("in registry"),
    CopyState.HELD: gettext_noop("held"),
    CopyState.IN_HAND_OVER: gettext_noop("in hand-over"),
    CopyState.CHECKED_OUT: gettext_noop("checked out"),
    CopyState.AWAITING_DESTRUCTION: gettext_noop("awaiting destruction"),
    CopyState.IN_TRANSIT: gettext_noop("in transit"),
    CopyState.MISSING: gettext_noop("missing"),
    CopyState.DESTROYED: gettext_noop("destroyed"),
}


def next_state(state: CopyState, event: CustodyEvent) -> CopyState:
    """The state after ``event``; raise IllegalTransition with a reason a person understands."""
    try:
        return _TRANSITIONS[(state, event)]
    except KeyError:
        raise IllegalTransition(
            gettext_noop(
                "The copy is %(state)s; %(explanation)s.",
                state=_STATE_WORDS[state],
                explanation=_EXPLANATIONS[event],
            )
        ) from None


def allowed_events(state: CopyState) -> list[CustodyEvent]:
    return [event for (from_state, event) in _TRANSITIONS if from_state is state]
