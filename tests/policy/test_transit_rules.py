"""The transport rules spelled out, with named personas and plain facts (no database).

The usual scene: rita (HQ registrar) sends a SECRET copy to NORTH with carl (HQ custodian,
cleared SECRET//ALPHA, authorised as a courier up to SECRET); nils (NORTH registrar) receives it.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from strongroom.domain.clearance import PersonStatus
from strongroom.policy import Action, CopyFacts, Denied, Role, decide, require
from tests.policy.test_decide import (
    HQ,
    NORTH,
    SOUTH,
    TODAY,
    as_target,
    authorised,
    copy,
    courier_grant,
    custodian,
    document,
    north_registrar,
    officer,
    person,
    reader,
    registrar,
    send,
    transit,
    worker,
)


def south_registrar():
    """Sam: registrar at SOUTH, cleared SECRET."""
    return person(30, "sam", SOUTH, Role.REGISTRAR, cleared="SECRET")


def received_into(unit_path: str, banner: str = "SECRET") -> CopyFacts:
    """A copy of an HQ document that a transit delivered to ``unit_path``'s registry."""
    return CopyFacts(1001, document(banner, HQ), None, unit_path)


# --- the copy's registry, not its document's unit, answers for it -----------------------------


def test_the_destination_registry_handles_a_received_copy():
    in_north = received_into(NORTH)
    assert decide(north_registrar(), Action.COPY_RETURN, in_north)
    # ...and the registries above it still do; one beside it does not.
    assert decide(registrar(), Action.COPY_RETURN, in_north)
    refused = decide(south_registrar(), Action.COPY_RETURN, in_north)
    assert not refused
    assert refused.reason == "the copy belongs to a unit outside yours (HQ/SOUTH)"


def test_a_copy_sent_on_to_south_is_no_longer_norths():
    in_south = received_into(SOUTH)
    onward = send("SECRET", custodian(), to=HQ, unit_path=SOUTH)
    assert decide(south_registrar(), Action.TRANSIT_SEND, onward)
    assert decide(south_registrar(), Action.COPY_RETURN, in_south)
    assert not decide(north_registrar(), Action.COPY_RETURN, in_south)


def test_the_documents_unit_keeps_its_register_whatever_the_copy_does():
    """Corrections stay with the registering unit: the document did not move, a copy did."""
    assert not decide(north_registrar(), Action.DOCUMENT_CORRECT, document("SECRET", HQ))


# --- the courier ------------------------------------------------------------------------------


def test_the_courier_must_be_authorised_on_the_actors_day():
    ending_today = send("SECRET", custodian(), authorisations=(authorised(end=0),))
    assert decide(registrar(), Action.TRANSIT_SEND, ending_today)
    tomorrow = dataclasses.replace(registrar(), today=TODAY + timedelta(days=1))
    late = decide(tomorrow, Action.TRANSIT_SEND, ending_today)
    assert not late
    assert late.reason == (
        "the courier is not authorised to carry SECRET material: the courier authorisation "
        "expired on 2026-03-15"
    )


def test_an_authorisation_not_yet_started_does_not_count():
    decision = decide(
        registrar(),
        Action.TRANSIT_SEND,
        send("SECRET", custodian(), authorisations=(authorised(start=2),)),
    )
    assert not decision
    assert decision.reason.endswith("the courier authorisation starts on 2026-03-17")


def test_a_higher_authorisation_covers_lower_levels():
    confidential = send("CONFIDENTIAL", custodian(), authorisations=(authorised("TOP SECRET"),))
    assert decide(registrar(), Action.TRANSIT_SEND, confidential)


def test_clearance_is_named_before_authorisation():
    """A courier neither cleared nor authorised is refused for the more basic problem."""
    decision = decide(registrar(), Action.TRANSIT_SEND, send("SECRET", worker(), authorisations=()))
    assert decision.reason == (
        "the courier may not hold SECRET material: the person holds no clearance"
    )


def test_a_departed_courier_may_not_carry_even_if_authorised():
    gone = dataclasses.replace(as_target(custodian()), status=PersonStatus.DEPARTED)
    decision = decide(registrar(), Action.TRANSIT_SEND, send("SECRET", gone))
    assert decision.reason == "the courier may not hold SECRET material: the person is departed"


def test_the_sender_may_carry_it_herself_when_authorised():
    herself = send("TOP SECRET", registrar(), authorisations=(authorised("TOP SECRET"),))
    assert decide(registrar(), Action.TRANSIT_SEND, herself)


def test_a_refusal_on_a_visible_copy_names_the_courier_problem():
    with pytest.raises(Denied) as refused:
        require(
            registrar(),
            Action.TRANSIT_SEND,
            send("SECRET", custodian(), authorisations=()),
            "copy:HQ-2026-0001/1",
        )
    assert refused.value.decision.visible is True
    assert refused.value.target_ref == "copy:HQ-2026-0001/1"
    assert "no courier authorisation on record" in refused.value.reason


# --- receiving, confirming, seeing ------------------------------------------------------------


def test_receiving_needs_clearance_for_the_document():
    """A registrar of the destination who may not hold the marking learns nothing of it."""
    decision = decide(north_registrar(), Action.TRANSIT_RECEIVE, transit("TOP SECRET"))
    assert not decision
    assert decision.visible is False


def test_the_parties_see_the_transit_even_without_a_role():
    courier_rosa = transit("CONFIDENTIAL", courier=reader)
    assert decide(reader(), Action.TRANSIT_VIEW, courier_rosa)
    # Without being a party, rosa's role does not reach it.
    assert not decide(reader(), Action.TRANSIT_VIEW, transit("CONFIDENTIAL"))


def test_either_end_of_the_transit_may_see_it():
    to_south = transit(from_path=NORTH, to_path=SOUTH, sender=north_registrar)
    assert decide(south_registrar(), Action.TRANSIT_VIEW, to_south)
    assert decide(north_registrar(), Action.TRANSIT_VIEW, to_south)


def test_security_officers_authorise_couriers_but_carry_nothing_by_their_role():
    assert decide(officer(), Action.COURIER_AUTHORISE, courier_grant(custodian()))
    assert not decide(officer(), Action.TRANSIT_VIEW, transit())
    assert not decide(officer(), Action.DOCUMENT_VIEW, copy("SECRET"))


def test_an_inactive_courier_may_not_view_the_transit():
    suspended = dataclasses.replace(custodian(), status=PersonStatus.SUSPENDED)
    decision = decide(suspended, Action.TRANSIT_VIEW, transit())
    assert decision.reason == "your account is suspended"
