"""Unit heads: appointed by a security officer, on record, and reproduced by replay."""

from __future__ import annotations

import orjson
import pytest

from strongroom.domain.clearance import PersonStatus
from strongroom.domain.errors import InvalidInput
from strongroom.ledger import replay
from strongroom.ledger.models import LedgerEntry
from strongroom.ledger.verify import verify
from strongroom.models import Unit
from strongroom.policy import Denied
from strongroom.services import people
from tests.conftest import last_entry


def _head(unit):
    return Unit.objects.select_related("head").get(pk=unit.pk).head


def _replayed_heads():
    state = replay.State()
    for entry in LedgerEntry.objects.order_by("seq"):
        replay.apply(state, orjson.loads(bytes(entry.body)))
    return state.unit_heads


def _stored_heads():
    return {
        unit.code: unit.head.username
        for unit in Unit.objects.filter(head__isnull=False).select_related("head")
    }


def test_a_security_officer_appoints_a_head(org):
    people.set_unit_head(org.north, head=org.north_registrar, by=org.officer)

    assert _head(org.north) == org.north_registrar
    entry = last_entry()
    assert (entry.kind, entry.actor, entry.subject, entry.data) == (
        "unit.head_set",
        org.officer,
        "unit:NORTH",
        {"head": "nils"},
    )


def test_the_head_may_be_replaced_and_removed(org):
    people.set_unit_head(org.north, head=org.north_registrar, by=org.officer)
    people.set_unit_head(org.north, head=org.reader, by=org.second_officer)
    assert _head(org.north) == org.reader

    people.set_unit_head(org.north, head=None, by=org.officer)

    assert _head(org.north) is None
    assert last_entry().data == {"head": None}


def test_the_head_must_belong_to_the_unit_itself(org):
    before = last_entry().seq
    with pytest.raises(InvalidInput, match="rita does not belong to NORTH") as invalid:
        people.set_unit_head(org.north, head=org.registrar, by=org.officer)
    assert invalid.value.field == "head"
    assert _head(org.north) is None
    assert last_entry().seq == before


def test_a_suspended_person_may_not_head_a_unit(org):
    people.set_status(org.reader, status=PersonStatus.SUSPENDED, reason="inquiry", by=org.officer)
    with pytest.raises(InvalidInput, match="rosa is suspended and cannot head a unit"):
        people.set_unit_head(org.north, head=org.reader, by=org.officer)


def test_appointing_the_same_head_again_or_removing_nobody_is_refused(org):
    with pytest.raises(InvalidInput, match="NORTH has no head to remove"):
        people.set_unit_head(org.north, head=None, by=org.officer)
    people.set_unit_head(org.north, head=org.north_registrar, by=org.officer)
    with pytest.raises(InvalidInput, match="nils is already the head of NORTH"):
        people.set_unit_head(org.north, head=org.north_registrar, by=org.officer)


@pytest.mark.parametrize("who", ["registrar", "north_registrar"])
def test_only_a_security_officer_appoints_a_head_and_a_refusal_is_recorded(org, who):
    actor = getattr(org, who)
    with pytest.raises(Denied, match="this needs the role of security officer"):
        people.set_unit_head(org.north, head=org.north_registrar, by=actor)
    entry = last_entry()
    assert (entry.kind, entry.actor, entry.subject, entry.data["action"]) == (
        "access.refused",
        actor,
        "unit:NORTH",
        "unit:set_head",
    )
    assert _head(org.north) is None


def test_an_administrator_who_is_no_security_officer_may_not(org):
    admin = people.create_person(
        username="adam",
        full_name="Adam Admin",
        unit=org.hq,
        roles=["administrator"],
        by=org.officer,
    )
    with pytest.raises(Denied, match="security officer"):
        people.set_unit_head(org.north, head=org.north_registrar, by=admin)


def test_replay_reproduces_the_heads_and_verify_still_passes(org):
    people.set_unit_head(org.north, head=org.north_registrar, by=org.officer)
    people.set_unit_head(org.hq, head=org.registrar, by=org.officer)
    people.set_unit_head(org.hq, head=org.custodian, by=org.officer)
    people.set_unit_head(org.north, head=None, by=org.officer)
    people.set_unit_head(org.north, head=org.reader, by=org.officer)

    assert {code: head for code, head in _replayed_heads().items() if head} == _stored_heads()
    assert _stored_heads() == {"HQ": "carl", "NORTH": "rosa"}
    report = verify()
    assert report.ok, report.problems


def test_replay_refuses_a_head_who_was_never_created(org):
    state = replay.State()
    for entry in LedgerEntry.objects.order_by("seq"):
        replay.apply(state, orjson.loads(bytes(entry.body)))
    bogus = {"kind": "unit.head_set", "subject": "unit:NORTH", "data": {"head": "ghost"}, "seq": 1}
    with pytest.raises(replay.ReplayError, match="its head ghost was never created"):
        replay.apply(state, bogus)
