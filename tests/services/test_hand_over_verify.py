"""A ledger with hand-overs in it still replays to exactly the tables, in every verify mode."""

from __future__ import annotations

import pytest

from strongroom.ledger.verify import verify
from strongroom.models import Copy
from strongroom.services import custody, hand_overs


def _copy(document, number):
    return Copy.objects.select_related("document__unit", "holder").get(
        document=document, number=number
    )


@pytest.mark.parametrize("parallel", [False, True], ids=["serial", "parallel"])
def test_every_outcome_of_a_hand_over_replays(org, register, parallel):
    document = register("CONFIDENTIAL")
    for number in (1, 2, 3):
        custody.issue_copy(_copy(document, number), to=org.reader, by=org.custodian)
    accepted = hand_overs.dispatch_hand_over(_copy(document, 1), to=org.custodian, by=org.reader)
    hand_overs.accept_hand_over(accepted, by=org.custodian)
    refused = hand_overs.dispatch_hand_over(_copy(document, 2), to=org.custodian, by=org.reader)
    hand_overs.refuse_hand_over(refused, by=org.custodian, reason="not mine")
    called_back = hand_overs.dispatch_hand_over(_copy(document, 3), to=org.custodian, by=org.reader)
    hand_overs.cancel_hand_over(called_back, by=org.reader)
    pending = hand_overs.dispatch_hand_over(
        _copy(document, 3), to=org.north_registrar, by=org.reader
    )
    assert pending.state == "pending"

    report = verify(parallel=parallel)

    assert report.ok, report.problems
