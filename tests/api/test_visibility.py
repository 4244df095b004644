"""What a caller may not see answers exactly like what does not exist, and the attempt is
recorded in the ledger all the same."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from strongroom.adapters import clock
from strongroom.ledger.models import LedgerEntry
from tests.api.conftest import error_of


def control() -> str:
    """The control number the first registration of the year at HQ will get."""
    return f"HQ-{clock.today().year}-0001"


Call = Callable[[APIClient, str], Any]

CALLS: dict[str, Call] = {
    "document": lambda c, n: c.get(f"/api/v1/documents/{n}/"),
    "history": lambda c, n: c.get(f"/api/v1/documents/{n}/history"),
    "correction": lambda c, n: c.post(
        f"/api/v1/documents/{n}/corrections", {"changes": {"pages": 2}, "reason": "r"},
        format="json",
    ),
    "copy": lambda c, n: c.get(f"/api/v1/documents/{n}/copies/1/"),
    "issue": lambda c, n: c.post(
        f"/api/v1/documents/{n}/copies/1/issue", {"to": "wally"}, format="json"
    ),
    "return": lambda c, n: c.post(f"/api/v1/documents/{n}/copies/1/return", {}, format="json"),
}


@pytest.mark.parametrize("call", CALLS.values(), ids=CALLS.keys())
def test_a_hidden_document_is_byte_for_byte_a_missing_one(
    org: Any, register: Any, client_for: Any, call: Call
) -> None:
    worker = client_for(org.worker)
    missing = call(worker, control())  # nothing is registered yet
    document = register("SECRET//ALPHA")
    assert document.control_number == control()
    refusals_before = LedgerEntry.objects.filter(kind="access.refused").count()

    hidden = call(worker, control())

    error = error_of(hidden, 404, "not_found")
    assert error["message"] == f"No document {control()} in the register."
    assert hidden.status_code == missing.status_code
    assert hidden.content == missing.content
    assert hidden["Content-Type"] == missing["Content-Type"]
    refusals = LedgerEntry.objects.filter(kind="access.refused").order_by("seq")
    assert refusals.count() == refusals_before + 1
    entry = refusals.last()
    assert entry is not None
    assert entry.actor_id == org.worker.pk
    assert entry.subject == f"document:{control()}"
    assert entry.data["action"] == "document:view"
    assert "clearance" in str(entry.data["reason"])


def test_a_missing_document_writes_no_refusal(org: Any, client_for: Any) -> None:
    before = LedgerEntry.objects.count()
    error_of(client_for(org.worker).get(f"/api/v1/documents/{control()}/"), 404, "not_found")
    assert LedgerEntry.objects.count() == before


def test_a_compartment_hides_a_document_from_someone_cleared_high_enough(
    org: Any, register: Any, client_for: Any
) -> None:
    document = register("CONFIDENTIAL//BRAVO")
    reader = client_for(org.reader)  # CONFIDENTIAL, but not read into BRAVO
    error_of(reader.get(f"/api/v1/documents/{document.control_number}/"), 404, "not_found")
    assert client_for(org.registrar).get(
        f"/api/v1/documents/{document.control_number}/"
    ).status_code == 200


def test_a_malformed_control_number_is_just_not_found(org: Any, client_for: Any) -> None:
    client = client_for(org.registrar)
    error = error_of(client.get("/api/v1/documents/not-a-number/copies/1/"), 404, "not_found")
    assert error["message"] == "No document NOT-A-NUMBER in the register."


def test_a_missing_copy_of_a_visible_document_says_how_many_there_are(
    org: Any, register: Any, client_for: Any
) -> None:
    document = register("SECRET", copies=2)
    client = client_for(org.registrar)
    response = client.get(f"/api/v1/documents/{document.control_number}/copies/3/")
    error = error_of(response, 404, "not_found")
    assert error["message"] == f"{document.control_number} has no copy 3; it has 2."
