"""Check-outs through the API: lend, check in, what is out (overdue), who read a document.

The scene: a CONFIDENTIAL document registered at HQ; carl (HQ custodian) lends copy 1 to rosa
(NORTH staff, cleared CONFIDENTIAL) in the reading room.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from strongroom.adapters import clock
from strongroom.ledger.models import LedgerEntry
from strongroom.models import CheckOut, Copy
from strongroom.services import check_outs
from tests.api.conftest import error_of
from tests.conftest import Organisation, last_entry

CHECK_OUTS = "/api/v1/check-outs/"


def copy_url(document: Any, action: str, number: int = 1) -> str:
    return f"/api/v1/documents/{document.control_number}/copies/{number}/{action}"


def _copy(document: Any, number: int = 1) -> Copy:
    return Copy.objects.select_related("document__unit", "holder").get(
        document=document, number=number
    )


def _due(hours: float = 2) -> str:
    return (clock.now() + timedelta(hours=hours)).isoformat()


@pytest.fixture
def document(register: Callable[..., Any]) -> Any:
    return register("CONFIDENTIAL")


@pytest.fixture
def lent(org: Organisation, document: Any) -> CheckOut:
    """Copy 1 lent to rosa by carl, due in two hours (copy version 2)."""
    return check_outs.check_out_copy(
        _copy(document), to=org.reader, by=org.custodian, due_back=clock.now() + timedelta(hours=2)
    )


# --- lend ------------------------------------------------------------------------------------


def test_the_registry_lends_a_copy(org: Organisation, document: Any, client_for: Any) -> None:
    due = clock.now() + timedelta(hours=3)
    response = client_for(org.custodian).post(
        copy_url(document, "check-out"),
        {"to": "rosa", "due_back": due.isoformat(), "place": "annex", "expected_version": 1},
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    lent = CheckOut.objects.get()
    assert body["id"] == lent.pk
    assert (body["copy"], body["copy_label"], body["marking"]) == (
        f"{document.control_number}/1",
        "copy 1 of 3",
        "CONFIDENTIAL",
    )
    assert (body["reader"], body["lent_by"], body["place"]) == ("rosa", "carl", "annex")
    assert (body["overdue"], body["checked_in_at"], body["checked_in_by"]) == (False, None, None)
    copy = _copy(document)
    assert (copy.state, copy.holder, copy.location) == (
        "checked_out",
        org.reader,
        "annex of HQ, with rosa",
    )
    assert last_entry().kind == "check_out.lent"


def test_the_place_defaults_to_the_reading_room(
    org: Organisation, document: Any, client_for: Any
) -> None:
    response = client_for(org.custodian).post(
        copy_url(document, "check-out"), {"to": "rosa", "due_back": _due()}, format="json"
    )

    assert response.status_code == 201, response.content
    assert response.json()["place"] == "reading room"


def test_lending_to_an_ineligible_reader_is_refused_and_recorded(
    org: Organisation, document: Any, client_for: Any
) -> None:
    response = client_for(org.custodian).post(
        copy_url(document, "check-out"), {"to": "wally", "due_back": _due()}, format="json"
    )

    error = error_of(response, 403, "forbidden")
    assert "the reader may not hold CONFIDENTIAL material" in error["message"]
    entry = last_entry()
    assert (entry.kind, entry.actor, entry.data["action"]) == (
        "access.refused",
        org.custodian,
        "check_out:lend",
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"to": "rosa"}, "due_back"),
        ({"to": "rosa", "due_back": "tomorrow"}, "due_back"),
        ({"to": "nobody", "due_back": "DUE"}, "to"),
        ({"to": "rosa", "due_back": "PAST"}, "due_back"),
        ({"to": "rosa", "due_back": "TOO LATE"}, "due_back"),
        ({"to": "rosa", "due_back": "DUE", "place": "x" * 101}, "place"),
        ({"to": "rosa", "due_back": "DUE", "reader": "rosa"}, "reader"),
    ],
    ids=[
        "no due time",
        "not a time",
        "unknown reader",
        "past",
        "too late",
        "long place",
        "unknown",
    ],
)
def test_bad_input_names_its_field(
    org: Organisation, document: Any, client_for: Any, settings: Any, body: Any, field: str
) -> None:
    settings.STRONGROOM_CHECK_OUT_HOURS = 8
    times = {"DUE": _due(), "PAST": _due(-1), "TOO LATE": _due(9)}
    sent = {key: times.get(value, value) for key, value in body.items()}

    response = client_for(org.custodian).post(copy_url(document, "check-out"), sent, format="json")

    error = error_of(response, 400, "invalid_input")
    assert field in error["fields"], error
    assert not CheckOut.objects.exists()


def test_a_copy_already_out_cannot_be_lent(
    org: Organisation, document: Any, lent: CheckOut, client_for: Any
) -> None:
    response = client_for(org.registrar).post(
        copy_url(document, "check-out"), {"to": "nils", "due_back": _due()}, format="json"
    )

    error = error_of(response, 409, "illegal_transition")
    assert "checked out" in error["message"]


def test_lending_a_hidden_copy_reads_as_missing(
    org: Organisation, register: Callable[..., Any], client_for: Any
) -> None:
    document = register("TOP SECRET")
    refusals = LedgerEntry.objects.filter(kind="access.refused").count()

    response = client_for(org.custodian).post(
        copy_url(document, "check-out"), {"to": "ines", "due_back": _due()}, format="json"
    )

    error = error_of(response, 404, "not_found")
    assert error["message"] == f"No document {document.control_number} in the register."
    assert LedgerEntry.objects.filter(kind="access.refused").count() == refusals + 1


# --- check in --------------------------------------------------------------------------------


def test_the_registry_checks_a_copy_in(
    org: Organisation, document: Any, lent: CheckOut, client_for: Any
) -> None:
    response = client_for(org.registrar).post(
        copy_url(document, "check-in"), {"expected_version": 2}, format="json"
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["id"], body["checked_in_by"], body["version"]) == (lent.pk, "rita", 2)
    assert body["checked_in_at"] is not None
    assert _copy(document).state == "in_registry"
    assert last_entry().kind == "check_out.returned"


def test_the_reader_may_not_check_in(
    org: Organisation, document: Any, lent: CheckOut, client_for: Any
) -> None:
    response = client_for(org.reader).post(copy_url(document, "check-in"), {}, format="json")

    error = error_of(response, 403, "forbidden")
    assert "this needs the role of registrar or custodian" in error["message"]


def test_checking_in_a_stale_version_is_a_conflict(
    org: Organisation, document: Any, lent: CheckOut, client_for: Any
) -> None:
    response = client_for(org.custodian).post(
        copy_url(document, "check-in"), {"expected_version": 1}, format="json"
    )

    error_of(response, 409, "conflict")
    assert _copy(document).state == "checked_out"


def test_checking_in_a_copy_in_the_registry_is_not_allowed_in_its_state(
    org: Organisation, document: Any, client_for: Any
) -> None:
    response = client_for(org.custodian).post(copy_url(document, "check-in"), {}, format="json")

    error_of(response, 409, "illegal_transition")


# --- lists -----------------------------------------------------------------------------------


def test_what_is_out_and_what_is_overdue(
    org: Organisation, document: Any, lent: CheckOut, client_for: Any
) -> None:
    check_outs.check_out_copy(
        _copy(document, 2),
        to=org.north_registrar,
        by=org.custodian,
        due_back=clock.now() + timedelta(hours=1),
    )
    client = client_for(org.custodian)

    with clock.frozen(clock.now() + timedelta(hours=1, minutes=30)):
        everything = client.get(CHECK_OUTS)
        overdue = client.get(CHECK_OUTS, {"overdue": "1"})

    assert everything.status_code == 200
    results = everything.json()["results"]
    assert [(r["copy"][-1], r["reader"], r["overdue"]) for r in results] == [
        ("2", "nils", True),
        ("1", "rosa", False),
    ]
    assert [r["reader"] for r in overdue.json()["results"]] == ["nils"]
    assert client_for(org.worker).get(CHECK_OUTS).json()["results"] == []


def test_who_read_a_top_secret_document(
    org: Organisation, register: Callable[..., Any], client_for: Any
) -> None:
    document = register("TOP SECRET")
    check_outs.check_out_copy(
        _copy(document),
        to=org.inspector,
        by=org.registrar,
        due_back=clock.now() + timedelta(hours=1),
    )
    check_outs.check_in_copy(_copy(document), by=org.registrar)
    url = f"/api/v1/documents/{document.control_number}/readers"

    response = client_for(org.registrar).get(url)

    assert response.status_code == 200, response.content
    [reading] = response.json()["results"]
    assert (reading["reader"], reading["lent_by"], reading["checked_in_by"]) == (
        "ines",
        "rita",
        "rita",
    )
    assert reading["marking"] == "TOP SECRET"
    error = error_of(client_for(org.custodian).get(url), 404, "not_found")
    assert error["message"] == f"No document {document.control_number} in the register."
