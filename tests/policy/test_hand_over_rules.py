"""The hand-over rules with named personas, built from plain facts (no database).

The usual scene: a CONFIDENTIAL copy of an HQ document held by rosa (NORTH staff, cleared
CONFIDENTIAL), handed over to nils (NORTH registrar, cleared SECRET). While pending, the sender
is still the copy's holder.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import timedelta

import pytest

from strongroom.domain.clearance import ClearanceStatus, PersonStatus
from strongroom.policy import Action, ActorFacts, Decision, Denied, Role, decide, require
from strongroom.policy.facts import HandOverFacts, PersonFacts
from tests.policy.test_decide import (
    HQ,
    NORTH,
    TODAY,
    Case,
    allow,
    as_target,
    clearance,
    copy,
    custodian,
    deny,
    departed,
    inspector,
    north_registrar,
    officer,
    person,
    reader,
    registrar,
    worker,
)

HAND_OVER_ACTIONS = [
    Action.HAND_OVER_DISPATCH,
    Action.HAND_OVER_ACCEPT,
    Action.HAND_OVER_REFUSE,
    Action.HAND_OVER_CANCEL,
    Action.HAND_OVER_VIEW,
]


def hand_over(
    banner: str = "CONFIDENTIAL",
    *,
    sender: Callable[[], ActorFacts] = reader,
    recipient: Callable[[], PersonFacts] = lambda: as_target(north_registrar()),
    unit_path: str = HQ,
) -> HandOverFacts:
    """A hand-over of a ``banner`` document of ``unit_path``; the sender holds the copy."""
    sender_id = sender().person_id
    return HandOverFacts(copy(banner, unit_path, holder_id=sender_id), sender_id, recipient())


def to(recipient: PersonFacts) -> HandOverFacts:
    """Rosa's CONFIDENTIAL copy, sent to ``recipient``."""
    return hand_over(recipient=lambda: recipient)


def in_registry() -> HandOverFacts:
    """Rita proposes to hand over a copy nobody holds: it is in the registry."""
    return HandOverFacts(
        copy("CONFIDENTIAL", HQ, holder_id=None), registrar().person_id, as_target(reader())
    )


def nils_with(**changes: object) -> PersonFacts:
    """Nils as a recipient, with his clearance changed as given."""
    nils = as_target(north_registrar())
    assert nils.clearance is not None
    return dataclasses.replace(nils, clearance=dataclasses.replace(nils.clearance, **changes))


def nils_as_actor(**changes: object) -> ActorFacts:
    """Nils acting, with his clearance changed as given (what lapsed while the copy travelled)."""
    nils = north_registrar()
    assert nils.clearance is not None
    return dataclasses.replace(nils, clearance=dataclasses.replace(nils.clearance, **changes))


def suspended(actor: Callable[[], ActorFacts]) -> Callable[[], ActorFacts]:
    return lambda: dataclasses.replace(actor(), status=PersonStatus.SUSPENDED)


NOT_THE_HOLDER = "only the person who holds the copy may hand it over"
NOT_THE_RECIPIENT = "only the recipient named in the hand-over may"


CASES: list[Case] = [
    # hand_over:dispatch — the holder, to an eligible recipient other than themselves.
    allow("rosa to nils", Action.HAND_OVER_DISPATCH, reader, hand_over),
    allow(
        "carl to rita, SECRET//ALPHA",
        Action.HAND_OVER_DISPATCH,
        custodian,
        lambda: hand_over(
            "SECRET//ALPHA", sender=custodian, recipient=lambda: as_target(registrar())
        ),
    ),
    allow(
        "rosa to nils, NORTH document",
        Action.HAND_OVER_DISPATCH,
        reader,
        lambda: hand_over(unit_path=NORTH),
    ),
    deny(
        "carl, copy held by rosa",
        Action.HAND_OVER_DISPATCH,
        custodian,
        hand_over,
        NOT_THE_HOLDER,
    ),
    deny(
        "rita, copy in the registry",
        Action.HAND_OVER_DISPATCH,
        registrar,
        in_registry,
        NOT_THE_HOLDER,
    ),
    deny(
        "rosa to herself",
        Action.HAND_OVER_DISPATCH,
        reader,
        lambda: to(as_target(reader())),
        "a hand-over needs a recipient other than the sender",
    ),
    deny(
        "rosa to wally, never cleared",
        Action.HAND_OVER_DISPATCH,
        reader,
        lambda: to(as_target(worker())),
        "the recipient may not hold CONFIDENTIAL material: the person holds no clearance",
    ),
    deny(
        "rosa to olga, role but no clearance",
        Action.HAND_OVER_DISPATCH,
        reader,
        lambda: to(as_target(officer())),
        "the person holds no clearance",
    ),
    deny(
        "rita to rosa, SECRET",
        Action.HAND_OVER_DISPATCH,
        registrar,
        lambda: hand_over("SECRET", sender=registrar, recipient=lambda: as_target(reader())),
        "the recipient may not hold SECRET material: clearance does not reach SECRET",
    ),
    deny(
        "carl to nils, SECRET//ALPHA",
        Action.HAND_OVER_DISPATCH,
        custodian,
        lambda: hand_over("SECRET//ALPHA", sender=custodian),
        "the recipient may not hold SECRET//ALPHA material: not read into compartment(s) ALPHA",
    ),
    deny(
        "rosa to departed nils",
        Action.HAND_OVER_DISPATCH,
        reader,
        lambda: to(departed(north_registrar())),
        "the recipient may not hold CONFIDENTIAL material: the person is departed",
    ),
    deny(
        "rosa to nils, clearance suspended",
        Action.HAND_OVER_DISPATCH,
        reader,
        lambda: to(nils_with(status=ClearanceStatus.SUSPENDED)),
        "clearance is suspended",
    ),
    deny(
        "rosa to nils, clearance expired",
        Action.HAND_OVER_DISPATCH,
        reader,
        lambda: to(nils_with(expires_on=TODAY - timedelta(days=1))),
        f"clearance expired on {TODAY - timedelta(days=1)}",
    ),
    deny(
        "rosa to nils, never briefed",
        Action.HAND_OVER_DISPATCH,
        reader,
        lambda: to(nils_with(briefed_on=None)),
        "no security briefing on record",
    ),
    deny(
        "wally, SECRET copy he cannot see",
        Action.HAND_OVER_DISPATCH,
        worker,
        lambda: hand_over("SECRET", sender=worker),
        "you may not hold SECRET material",
        visible=False,
    ),
    deny(
        "suspended rosa",
        Action.HAND_OVER_DISPATCH,
        suspended(reader),
        hand_over,
        "suspended",
        visible=False,
    ),
    # hand_over:accept — only the named recipient, still eligible on receipt.
    allow("nils", Action.HAND_OVER_ACCEPT, north_registrar, hand_over),
    allow(
        "rita, SECRET//ALPHA from carl",
        Action.HAND_OVER_ACCEPT,
        registrar,
        lambda: hand_over(
            "SECRET//ALPHA", sender=custodian, recipient=lambda: as_target(registrar())
        ),
    ),
    deny(
        "rosa, the sender",
        Action.HAND_OVER_ACCEPT,
        reader,
        hand_over,
        "only the recipient named in the hand-over may acknowledge it",
    ),
    deny(
        "rita, not named",
        Action.HAND_OVER_ACCEPT,
        registrar,
        hand_over,
        "only the recipient named in the hand-over may acknowledge it",
    ),
    deny(
        "wally, cannot see it",
        Action.HAND_OVER_ACCEPT,
        worker,
        hand_over,
        "the person holds no clearance",
        visible=False,
    ),
    deny(
        "nils, clearance suspended since dispatch",
        Action.HAND_OVER_ACCEPT,
        lambda: nils_as_actor(status=ClearanceStatus.SUSPENDED),
        hand_over,
        "you may not hold CONFIDENTIAL material: clearance is suspended",
    ),
    deny(
        "nils, clearance expired since dispatch",
        Action.HAND_OVER_ACCEPT,
        lambda: nils_as_actor(expires_on=TODAY - timedelta(days=1)),
        hand_over,
        "you may not hold CONFIDENTIAL material: clearance expired on",
    ),
    deny(
        "nils, suspended since dispatch",
        Action.HAND_OVER_ACCEPT,
        suspended(north_registrar),
        hand_over,
        "your account is suspended",
    ),
    deny(
        "nils, SECRET//ALPHA he is not read into",
        Action.HAND_OVER_ACCEPT,
        north_registrar,
        lambda: hand_over("SECRET//ALPHA", sender=custodian),
        "not read into compartment(s) ALPHA",
    ),
    # hand_over:refuse — only the named recipient; being no longer cleared is no obstacle.
    allow("nils", Action.HAND_OVER_REFUSE, north_registrar, hand_over),
    allow(
        "nils, clearance suspended since dispatch",
        Action.HAND_OVER_REFUSE,
        lambda: nils_as_actor(status=ClearanceStatus.SUSPENDED),
        hand_over,
    ),
    deny(
        "rosa, the sender",
        Action.HAND_OVER_REFUSE,
        reader,
        hand_over,
        "only the recipient named in the hand-over may refuse it",
    ),
    deny(
        "carl, not named",
        Action.HAND_OVER_REFUSE,
        custodian,
        hand_over,
        "only the recipient named in the hand-over may refuse it",
    ),
    deny(
        "olga, cannot see it",
        Action.HAND_OVER_REFUSE,
        officer,
        hand_over,
        "the person holds no clearance",
        visible=False,
    ),
    # hand_over:cancel — the sender, or a registrar or custodian over the document's unit.
    allow("rosa, the sender", Action.HAND_OVER_CANCEL, reader, hand_over),
    allow("rita, HQ registrar", Action.HAND_OVER_CANCEL, registrar, hand_over),
    allow("carl, HQ custodian", Action.HAND_OVER_CANCEL, custodian, hand_over),
    allow(
        "rita, NORTH document",
        Action.HAND_OVER_CANCEL,
        registrar,
        lambda: hand_over(unit_path=NORTH),
    ),
    allow(
        "nils, NORTH document, not a party",
        Action.HAND_OVER_CANCEL,
        north_registrar,
        lambda: hand_over(unit_path=NORTH, recipient=lambda: as_target(registrar())),
    ),
    deny(
        "nils, HQ document",
        Action.HAND_OVER_CANCEL,
        north_registrar,
        lambda: hand_over(recipient=lambda: as_target(registrar())),
        "the copy belongs to a unit outside yours (HQ/NORTH)",
    ),
    deny(
        "rosa, the recipient, calls back",
        Action.HAND_OVER_CANCEL,
        reader,
        lambda: hand_over(sender=custodian, recipient=lambda: as_target(reader())),
        "this needs the role of registrar or custodian",
    ),
    deny(
        "ines, inspectors observe",
        Action.HAND_OVER_CANCEL,
        inspector,
        hand_over,
        "this needs the role of registrar or custodian",
    ),
    deny(
        "wally, cannot see it",
        Action.HAND_OVER_CANCEL,
        worker,
        hand_over,
        "the person holds no clearance",
        visible=False,
    ),
    deny(
        "carl, TOP SECRET",
        Action.HAND_OVER_CANCEL,
        custodian,
        lambda: hand_over("TOP SECRET", sender=registrar, recipient=lambda: as_target(inspector())),
        "clearance does not reach TOP SECRET",
        visible=False,
    ),
    deny(
        "suspended rosa",
        Action.HAND_OVER_CANCEL,
        suspended(reader),
        hand_over,
        "suspended",
        visible=False,
    ),
    # hand_over:view — the two parties; registry, custodian, security, inspector of the unit.
    allow("rosa, the sender", Action.HAND_OVER_VIEW, reader, hand_over),
    allow("nils, the recipient", Action.HAND_OVER_VIEW, north_registrar, hand_over),
    allow("rita, HQ registrar", Action.HAND_OVER_VIEW, registrar, hand_over),
    allow("carl, HQ custodian", Action.HAND_OVER_VIEW, custodian, hand_over),
    allow("ines, inspector", Action.HAND_OVER_VIEW, inspector, hand_over),
    allow(
        "nils, recipient no longer cleared",
        Action.HAND_OVER_VIEW,
        lambda: nils_as_actor(status=ClearanceStatus.REVOKED),
        hand_over,
    ),
    deny(
        "wally, cannot see it",
        Action.HAND_OVER_VIEW,
        worker,
        hand_over,
        "the person holds no clearance",
        visible=False,
    ),
    deny(
        "olga, role without clearance",
        Action.HAND_OVER_VIEW,
        officer,
        hand_over,
        "the person holds no clearance",
        visible=False,
    ),
    deny(
        "rosa, cleared staff not a party",
        Action.HAND_OVER_VIEW,
        reader,
        lambda: hand_over(sender=custodian, recipient=lambda: as_target(registrar())),
        "this needs the role of registrar or custodian or security officer or inspector",
        visible=False,
    ),
    deny(
        "nils, HQ document not his",
        Action.HAND_OVER_VIEW,
        north_registrar,
        lambda: hand_over(recipient=lambda: as_target(registrar())),
        "the copy belongs to a unit outside yours (HQ/NORTH)",
        visible=False,
    ),
]


def case_id(case: Case) -> str:
    return f"{case.action.value} {'allow' if case.allowed else 'deny'}: {case.name}"


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_decision(case: Case) -> None:
    decision = decide(case.actor(), case.action, case.target())
    assert isinstance(decision, Decision)
    assert decision.allowed is case.allowed, decision.reason
    assert case.reason in decision.reason
    assert decision.visible is case.visible


@pytest.mark.parametrize("action", HAND_OVER_ACTIONS, ids=str)
def test_every_hand_over_action_has_an_allowed_and_a_denied_case(action: Action) -> None:
    outcomes = {case.allowed for case in CASES if case.action is action}
    assert outcomes == {True, False}


def test_every_hand_over_action_is_covered() -> None:
    assert {a for a in Action if a.value.startswith("hand_over:")} == set(HAND_OVER_ACTIONS)


# --- inactive actors -------------------------------------------------------------------------

# Suspension takes effect immediately everywhere (tests/policy/test_decide.py checks the same
# for the other actions): every allowed hand-over case becomes a refusal, refusing and looking
# at one's own hand-over included.
ALLOWED_CASES = [case for case in CASES if case.allowed]


@pytest.mark.parametrize("status", [PersonStatus.SUSPENDED, PersonStatus.DEPARTED])
@pytest.mark.parametrize("case", ALLOWED_CASES, ids=case_id)
def test_an_inactive_actor_is_refused_every_hand_over_action(
    case: Case, status: PersonStatus
) -> None:
    actor = dataclasses.replace(case.actor(), status=status)
    decision = decide(actor, case.action, case.target())
    assert not decision.allowed
    assert status.value in decision.reason


# --- key rules, spelled out ------------------------------------------------------------------


def test_require_raises_denied_naming_the_target() -> None:
    require(reader(), Action.HAND_OVER_DISPATCH, hand_over(), "copy:HQ-2026-0001/1")
    with pytest.raises(Denied) as refused:
        require(worker(), Action.HAND_OVER_DISPATCH, hand_over(), "copy:HQ-2026-0001/1")
    assert refused.value.action is Action.HAND_OVER_DISPATCH
    assert refused.value.target_ref == "copy:HQ-2026-0001/1"
    assert refused.value.decision.visible is False


def test_the_sender_side_is_judged_before_the_recipient() -> None:
    """Someone who may not see the document learns nothing about the recipient."""
    decision = decide(worker(), Action.HAND_OVER_DISPATCH, to(as_target(worker())))
    assert decision.visible is False
    assert "recipient" not in decision.reason


def test_holding_is_judged_before_eligibility_of_the_recipient() -> None:
    decision = decide(custodian(), Action.HAND_OVER_DISPATCH, to(as_target(worker())))
    assert decision.reason == NOT_THE_HOLDER


def test_recipient_eligibility_is_judged_on_the_senders_day() -> None:
    recipient = nils_with(expires_on=TODAY)
    assert decide(reader(), Action.HAND_OVER_DISPATCH, to(recipient))
    next_day = dataclasses.replace(reader(), today=TODAY + timedelta(days=1))
    late = decide(next_day, Action.HAND_OVER_DISPATCH, to(recipient))
    assert not late
    assert f"clearance expired on {TODAY}" in late.reason


def test_acceptance_judges_the_recipient_as_they_are_now_not_as_when_sent() -> None:
    """The facts taken at dispatch said nils was eligible; his own facts now say otherwise."""
    target = hand_over()
    assert target.recipient.clearance is not None
    lapsed = nils_as_actor(status=ClearanceStatus.REVOKED)
    decision = decide(lapsed, Action.HAND_OVER_ACCEPT, target)
    assert not decision
    assert decision.reason == "you may not hold CONFIDENTIAL material: clearance is revoked"


def test_acceptance_is_for_the_named_recipient_even_if_someone_else_is_cleared() -> None:
    """ines may see everything and answers for HQ, but the copy was sent to nils."""
    decision = decide(inspector(), Action.HAND_OVER_ACCEPT, hand_over())
    assert not decision
    assert decision.visible is True
    assert NOT_THE_RECIPIENT in decision.reason


@pytest.mark.parametrize(
    "actor", [registrar, custodian, inspector, north_registrar], ids=lambda f: f.__name__
)
def test_nobody_but_the_recipient_may_refuse(actor: Callable[[], ActorFacts]) -> None:
    target = hand_over(recipient=lambda: as_target(person(30, "rhea", HQ, Role.STAFF)))
    decision = decide(actor(), Action.HAND_OVER_REFUSE, target)
    assert not decision
    assert decision.reason == "only the recipient named in the hand-over may refuse it"


def test_a_sender_who_lost_sight_of_the_document_may_not_call_it_back() -> None:
    lapsed = dataclasses.replace(reader(), clearance=clearance("CONFIDENTIAL", briefed_on=None))
    decision = decide(lapsed, Action.HAND_OVER_CANCEL, hand_over())
    assert not decision
    assert decision.visible is False


def test_a_party_sees_the_hand_over_without_any_role() -> None:
    """rosa is plain staff: being the sender is reason enough."""
    assert Role.STAFF in reader().roles
    assert decide(reader(), Action.HAND_OVER_VIEW, hand_over())
    assert not decide(reader(), Action.HAND_OVER_VIEW, hand_over(sender=custodian))
