"""A ledger with transits in it still replays to exactly the tables, in every verify mode, and
the replay knows which registry answers for each copy."""

from __future__ import annotations

import orjson
import pytest

from strongroom.ledger import replay
from strongroom.ledger.models import LedgerEntry
from strongroom.ledger.verify import verify
from strongroom.models import Copy
from strongroom.policy import Denied
from strongroom.services import couriers, custody, transits
from tests.transport import authorise, copy_of, send, stored


@pytest.fixture
def history(org, register):
    """Every outcome: received and confirmed, received and sent on, under way, refused."""
    authorise(org, org.custodian)
    authorise(org, org.north_registrar)
    document = register("SECRET")
    # Copy 1: to NORTH and back into use there; the receipt came back.
    first = send(org, document, 1)
    transits.receive_transit(stored(first), by=org.north_registrar)
    transits.confirm_receipt(stored(first), by=org.registrar)
    custody.issue_copy(copy_of(document, 1), to=org.north_registrar, by=org.north_registrar)
    custody.return_copy(copy_of(document, 1), by=org.north_registrar)
    # Copy 2: to NORTH, then on to SOUTH with nils, received there by rita (HQ, above it).
    second = send(org, document, 2)
    transits.receive_transit(stored(second), by=org.north_registrar)
    onward = send(
        org, document, 2, to=org.south, courier=org.north_registrar, by=org.north_registrar
    )
    transits.receive_transit(stored(onward), by=org.registrar)
    # Copy 3: still on its way; and a courier who lost his authorisation, refused.
    send(org, document, 3)
    couriers.revoke_courier(org.north_registrar, reason="moved", by=org.second_officer)
    with pytest.raises(Denied, match="the courier authorisation was revoked"):
        send(org, document, 1, to=org.hq, courier=org.north_registrar, by=org.north_registrar)
    return document


@pytest.mark.parametrize("parallel", [False, True], ids=["serial", "parallel"])
def test_every_outcome_of_a_transit_replays(history, parallel):
    report = verify(parallel=parallel)
    assert report.ok, report.problems


def _replayed(before: int | None = None) -> replay.State:
    """The state the entries replay to (those before entry ``before``, if given)."""
    state = replay.State()
    entries = LedgerEntry.objects.order_by("seq")
    if before is not None:
        entries = entries.filter(seq__lt=before)
    for body in entries.values_list("body", flat=True):
        replay.apply(state, orjson.loads(bytes(body)))
    return state


def test_the_replay_knows_the_registry_of_every_copy(org, history):
    state = _replayed()
    in_database = {
        f"copy:{c.document.control_number}/{c.number}": c.unit.code
        for c in Copy.objects.select_related("document", "unit")
    }
    assert {subject: replay.copy_unit(state, subject) for subject in in_database} == in_database
    control = history.control_number
    assert [in_database[f"copy:{control}/{n}"] for n in (1, 2, 3)] == ["NORTH", "SOUTH", "HQ"]


def test_a_transit_received_without_its_unit_cannot_be_replayed(org, history):
    received = LedgerEntry.objects.filter(kind="transit.received").order_by("seq").first()
    body = orjson.loads(bytes(received.body))
    del body["data"]["unit"]
    with pytest.raises(replay.ReplayError, match="lacks the field 'unit'"):
        replay.apply(_replayed(before=received.seq), body)
