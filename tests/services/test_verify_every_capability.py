"""One history with every capability in it — a reproduction, a transit, a check-out at the
destination, a destruction there, a campaign — still replays to exactly the tables, and the replay
knows which registry answers for every copy, reproduced ones included."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import orjson
import pytest

from strongroom.adapters import clock
from strongroom.ledger import replay
from strongroom.ledger.models import LedgerEntry
from strongroom.ledger.verify import verify
from strongroom.models import Copy
from strongroom.services import (
    campaigns,
    check_outs,
    custody,
    destructions,
    reproductions,
    transits,
)
from tests.transport import authorise, copy_of, send, stored


@pytest.fixture
def history(org: Any, register: Any) -> Any:
    document = register("SECRET")
    # Two more copies, asked for by carl and approved by rita: copies 4 and 5 of 5, at HQ.
    asked = reproductions.request_reproduction(
        document, copies=2, reason="course", by=org.custodian
    )
    reproductions.approve_reproduction(asked, by=org.registrar)
    # Copy 1 to NORTH with carl; nils receives it, lends it for reading there, checks it in,
    # and puts it forward for destruction, which rita witnesses.
    authorise(org, org.custodian)
    transit = send(org, document, 1)
    transits.receive_transit(stored(transit), by=org.north_registrar)
    lent = check_outs.check_out_copy(
        copy_of(document, 1),
        to=org.north_registrar,
        by=org.north_registrar,
        due_back=clock.now() + timedelta(hours=2),
    )
    assert lent.copy.unit == org.north
    check_outs.check_in_copy(copy_of(document, 1), by=org.north_registrar)
    destroyed = destructions.propose_destruction(
        copy_of(document, 1), witness=org.registrar, method="shredding", by=org.north_registrar
    )
    destructions.witness_destruction(destroyed, by=org.registrar)
    # A campaign from HQ's registry (copies 2 and 3 go out), one of them back at once.
    course = campaigns.create_campaign(
        document,
        title="Induction",
        due_back=clock.now() + timedelta(days=7),
        recipients=[org.north_registrar, org.inspector],
        by=org.custodian,
    )
    assert course.items.count() == 2
    custody.return_copy(copy_of(document, 2), by=org.custodian)
    return document


@pytest.mark.parametrize("parallel", [False, True], ids=["serial", "parallel"])
def test_every_capability_replays(history: Any, parallel: bool) -> None:
    report = verify(parallel=parallel)
    assert report.ok, report.problems


def test_the_replay_knows_the_registry_of_every_copy(org: Any, history: Any) -> None:
    state = replay.State()
    for body in LedgerEntry.objects.order_by("seq").values_list("body", flat=True):
        replay.apply(state, orjson.loads(bytes(body)))
    in_database = {
        f"copy:{c.document.control_number}/{c.number}": c.unit.code
        for c in Copy.objects.select_related("document", "unit")
    }
    assert {subject: replay.copy_unit(state, subject) for subject in in_database} == in_database
    control = history.control_number
    assert [in_database[f"copy:{control}/{n}"] for n in range(1, 6)] == [
        "NORTH",
        "HQ",
        "HQ",
        "HQ",
        "HQ",
    ]
