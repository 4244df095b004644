"""A ledger with reproductions in it replays to exactly the tables: the new copies and the grown
copy count come from the approval's entry alone, and a table that disagrees is named."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from django.db import connection

from strongroom.ledger import replay
from strongroom.ledger.models import LedgerEntry
from strongroom.ledger.verify import verify
from strongroom.models import Copy
from strongroom.services import custody, reproductions


def _copy(document: Any, number: int) -> Copy:
    return Copy.objects.select_related("document__unit", "holder").get(
        document=document, number=number
    )


def _approved(org: Any, document: Any, copies: int) -> Any:
    document.refresh_from_db()
    asked = reproductions.request_reproduction(
        document, copies=copies, reason="briefing", by=org.custodian
    )
    return reproductions.approve_reproduction(asked, by=org.registrar)


@pytest.fixture
def reproduced(org: Any, register: Any) -> Any:
    """A SECRET HQ document of 7 copies grown to 12 by two approvals, with a refusal, a
    withdrawal, and a new copy issued and returned."""
    document = register("SECRET", copies=7)
    _approved(org, document, 3)
    _approved(org, document, 2)
    document.refresh_from_db()
    refused = reproductions.request_reproduction(
        document, copies=4, reason="more", by=org.custodian
    )
    reproductions.refuse_reproduction(refused, by=org.registrar, reason="enough")
    withdrawn = reproductions.request_reproduction(
        document, copies=1, reason="spare", by=org.custodian
    )
    reproductions.withdraw_reproduction(withdrawn, by=org.custodian)
    custody.issue_copy(_copy(document, 11), to=org.custodian, by=org.registrar)
    custody.return_copy(_copy(document, 11), by=org.registrar)
    custody.issue_copy(_copy(document, 12), to=org.custodian, by=org.registrar)
    document.refresh_from_db()
    return document


@pytest.mark.parametrize("parallel", [False, True], ids=["serial", "parallel"])
def test_verify_passes_after_approvals(reproduced: Any, parallel: bool) -> None:
    assert reproduced.copy_count == 12
    report = verify(parallel=parallel)
    assert report.ok, report.problems


def test_the_replayed_state_has_the_new_copies_and_the_grown_count(reproduced: Any) -> None:
    state = replay.State()
    for body in LedgerEntry.objects.order_by("seq").values_list("body", flat=True):
        replay.apply(state, orjson.loads(bytes(body)))
    control = reproduced.control_number
    assert state.documents[control]["copy_count"] == 12
    rows = {number: state.copies[f"copy:{control}/{number}"][:3] for number in range(1, 13)}
    assert rows[8] == ("in_registry", None, "HQ registry")
    assert rows[11] == ("in_registry", None, "HQ registry")
    assert rows[12] == ("held", "carl", "with carl (HQ)")
    assert f"copy:{control}/13" not in state.copies


def _sql(statement: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_verify_names_a_copy_count_changed_directly(reproduced: Any) -> None:
    _sql("UPDATE strongroom_document SET copy_count = 10 WHERE id = %s", [reproduced.pk])
    report = verify()
    assert not report.ok
    assert any(
        problem.startswith(
            f"document {reproduced.control_number}: copy_count is 10 in the database but 12"
        )
        for problem in report.problems
    ), report.problems


def test_verify_names_a_reproduced_copy_deleted_or_added_directly(reproduced: Any) -> None:
    _sql("DELETE FROM strongroom_copy WHERE document_id = %s AND number = 9", [reproduced.pk])
    _sql(
        "UPDATE strongroom_copy SET number = 13 WHERE document_id = %s AND number = 10",
        [reproduced.pk],
    )
    problems = verify().problems
    control = reproduced.control_number
    assert any(
        p.startswith(f"copy {control}/9: missing from the database (last set by entry #")
        for p in problems
    ), problems
    assert f"copy {control}/13: in the database but no ledger entry created it" in problems


def _approval(subject: str, first: int, last: int, count: int) -> dict[str, Any]:
    return {
        "seq": 99,
        "at": "2026-11-22T09:00:00.000000Z",
        "kind": "reproduction.approved",
        "subject": subject,
        "data": {
            "first_number": first,
            "last_number": last,
            "copy_count": count,
            "state": "in_registry",
            "location": "HQ registry",
        },
    }


@pytest.mark.parametrize(
    ("first", "last", "count"),
    [(7, 9, 9), (9, 10, 10), (8, 10, 11), (8, 7, 7), ("8", "10", "10")],
    ids=["overlapping", "gap", "count-disagrees", "backwards", "not-numbers"],
)
def test_replay_refuses_an_approval_that_does_not_continue_the_numbering(
    first: Any, last: Any, count: Any
) -> None:
    state = replay.State()
    state.documents["HQ-2026-0001"] = {"copy_count": 7}
    with pytest.raises(replay.ReplayError, match="but the document has 7 copies"):
        replay.apply(state, _approval("document:HQ-2026-0001", first, last, count))
    assert state.documents["HQ-2026-0001"] == {"copy_count": 7}
    assert state.copies == {}


def test_replay_refuses_an_approval_of_an_unknown_document() -> None:
    with pytest.raises(replay.ReplayError, match="changed before it was created"):
        replay.apply(replay.State(), _approval("document:HQ-2026-0001", 8, 10, 10))
