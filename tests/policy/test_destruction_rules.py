"""The destruction rules with named personas, built from plain facts (no database).

The usual scene: carl (HQ custodian, SECRET ALPHA) puts a copy of an HQ SECRET//ALPHA document
forward for destruction and names rita (HQ registrar, TOP SECRET ALPHA/BRAVO) as his witness.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from strongroom.domain.clearance import ClearanceStatus, PersonStatus
from strongroom.policy import Action, ActorFacts, DestructionFacts, PersonFacts, decide
from tests.policy.test_decide import (
    NORTH,
    as_target,
    clearance,
    custodian,
    departed,
    destruction,
    inspector,
    north_registrar,
    officer,
    reader,
    registrar,
    worker,
)

DESTRUCTION_ACTIONS = [
    Action.DESTRUCTION_PROPOSE,
    Action.DESTRUCTION_WITNESS,
    Action.DESTRUCTION_REFUSE,
    Action.DESTRUCTION_WITHDRAW,
    Action.DESTRUCTION_VIEW,
]


def usual(
    *, witness: Callable[[], ActorFacts | PersonFacts] = registrar, banner: str = "SECRET//ALPHA"
) -> DestructionFacts:
    return destruction(banner, custodian(), witness())


def _reason(actor: ActorFacts, action: Action, target: DestructionFacts) -> str:
    decision = decide(actor, action, target)
    assert not decision, f"{action} was allowed"
    return decision.reason


# --- propose -----------------------------------------------------------------------------------


def test_a_registrar_of_a_unit_above_may_destroy_a_copy_of_a_unit_below() -> None:
    target = destruction("SECRET", registrar(), north_registrar(), unit_path=NORTH)
    assert decide(registrar(), Action.DESTRUCTION_PROPOSE, target)


def test_a_registrar_of_a_unit_below_may_not_destroy_a_copy_of_the_unit_above() -> None:
    target = destruction("SECRET", north_registrar(), registrar())
    reason = _reason(north_registrar(), Action.DESTRUCTION_PROPOSE, target)
    assert reason == "the copy belongs to a unit outside yours (HQ/NORTH)"


@pytest.mark.parametrize(
    ("witness", "problem"),
    [
        (lambda: departed(inspector()), "the person is departed"),
        (
            lambda: as_target(
                dataclasses.replace(
                    inspector(), clearance=clearance("TOP SECRET//ALPHA", briefed_on=None)
                )
            ),
            "no security briefing on record",
        ),
        (
            lambda: as_target(
                dataclasses.replace(
                    inspector(),
                    clearance=clearance("TOP SECRET//ALPHA", status=ClearanceStatus.REVOKED),
                )
            ),
            "clearance is revoked",
        ),
        (lambda: as_target(worker()), "the person holds no clearance"),
    ],
    ids=["departed", "unbriefed", "revoked", "uncleared"],
)
def test_the_witness_must_be_eligible_for_the_marking(
    witness: Callable[[], PersonFacts], problem: str
) -> None:
    reason = _reason(custodian(), Action.DESTRUCTION_PROPOSE, usual(witness=witness))
    assert reason == f"the witness may not hold SECRET//ALPHA material: {problem}"


def test_the_destroyer_is_judged_before_the_witness() -> None:
    """A worker who may not see the document learns nothing about the witness."""
    target = destruction("SECRET", worker(), as_target(worker()))
    decision = decide(worker(), Action.DESTRUCTION_PROPOSE, target)
    assert decision.visible is False
    assert "witness" not in decision.reason


def test_security_staff_may_not_destroy_even_when_cleared() -> None:
    cleared = dataclasses.replace(officer(), clearance=clearance("TOP SECRET//ALPHA"))
    target = destruction("SECRET//ALPHA", cleared, registrar())
    reason = _reason(cleared, Action.DESTRUCTION_PROPOSE, target)
    assert reason == "this needs the role of registrar or custodian"


# --- witness -----------------------------------------------------------------------------------


def test_both_signatories_are_judged_again_at_the_countersignature() -> None:
    assert decide(registrar(), Action.DESTRUCTION_WITNESS, usual())
    suspended = dataclasses.replace(as_target(custodian()), status=PersonStatus.SUSPENDED)
    target = dataclasses.replace(usual(), destroyer=suspended)
    reason = _reason(registrar(), Action.DESTRUCTION_WITNESS, target)
    assert reason == "the destroyer may not hold SECRET//ALPHA material: the person is suspended"


def test_the_witness_must_still_be_read_into_the_compartment() -> None:
    narrowed = dataclasses.replace(registrar(), clearance=clearance("TOP SECRET//BRAVO"))
    reason = _reason(narrowed, Action.DESTRUCTION_WITNESS, usual())
    assert reason == ("you may not hold SECRET//ALPHA material: not read into compartment(s) ALPHA")


def test_nobody_countersigns_their_own_destruction() -> None:
    """Even facts naming one person twice (which the database refuses) are refused here."""
    target = destruction("SECRET//ALPHA", custodian(), custodian())
    reason = _reason(custodian(), Action.DESTRUCTION_WITNESS, target)
    assert reason == "the destroyer and the witness must be two different people"


def test_someone_else_who_may_not_see_the_document_is_told_nothing() -> None:
    decision = decide(worker(), Action.DESTRUCTION_WITNESS, usual())
    assert not decision
    assert decision.visible is False


def test_someone_else_who_may_see_it_is_told_only_the_witness_may() -> None:
    decision = decide(inspector(), Action.DESTRUCTION_WITNESS, usual())
    assert decision.visible is True
    assert decision.reason == "only the witness named in the destruction may countersign it"


# --- refuse, withdraw, view -------------------------------------------------------------------


def test_a_witness_no_longer_cleared_may_refuse_but_not_while_suspended() -> None:
    uncleared = dataclasses.replace(registrar(), clearance=None)
    assert decide(uncleared, Action.DESTRUCTION_REFUSE, usual())
    suspended = dataclasses.replace(registrar(), status=PersonStatus.SUSPENDED)
    assert _reason(suspended, Action.DESTRUCTION_REFUSE, usual()) == "your account is suspended"


def test_the_destroyer_may_withdraw_while_active() -> None:
    assert decide(custodian(), Action.DESTRUCTION_WITHDRAW, usual())
    suspended = dataclasses.replace(custodian(), status=PersonStatus.SUSPENDED)
    assert not decide(suspended, Action.DESTRUCTION_WITHDRAW, usual())


def test_registry_staff_of_another_unit_may_not_withdraw() -> None:
    target = destruction("SECRET", registrar(), inspector())
    assert "belongs to a unit outside yours" in _reason(
        north_registrar(), Action.DESTRUCTION_WITHDRAW, target
    )


def test_its_parties_may_look_even_without_clearance() -> None:
    uncleared = dataclasses.replace(registrar(), clearance=None)
    assert decide(uncleared, Action.DESTRUCTION_VIEW, usual())
    assert decide(custodian(), Action.DESTRUCTION_VIEW, usual())


@pytest.mark.parametrize("outsider", [officer, reader, north_registrar], ids=lambda f: f.__name__)
def test_outsiders_are_told_nothing(outsider: Callable[[], ActorFacts]) -> None:
    decision = decide(outsider(), Action.DESTRUCTION_VIEW, usual(banner="CONFIDENTIAL"))
    assert not decision
    assert decision.visible is False


@pytest.mark.parametrize("action", DESTRUCTION_ACTIONS, ids=str)
def test_a_departed_party_may_do_nothing(action: Action) -> None:
    for party in (custodian, registrar):
        gone = dataclasses.replace(party(), status=PersonStatus.DEPARTED)
        decision = decide(gone, action, usual())
        assert not decision
        assert "departed" in decision.reason
