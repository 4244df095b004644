"""Who am I, and verifying the ledger."""

from __future__ import annotations

from typing import Any

from strongroom.ledger.models import LedgerEntry
from strongroom.models import Copy
from strongroom.services import custody
from tests.api.conftest import error_of
from tests.conftest import behind_the_triggers_back, last_entry

VERIFY = "/api/v1/ledger/verify"


def test_me_shows_roles_clearance_and_what_i_hold(org: Any, register: Any, client_for: Any) -> None:
    document = register("SECRET//ALPHA")
    copy = Copy.objects.select_related("document__unit").get(document=document, number=2)
    custody.issue_copy(copy, to=org.custodian, by=org.registrar)

    body = client_for(org.custodian).get("/api/v1/me/").json()
    assert (body["username"], body["full_name"], body["roles"]) == (
        "carl",
        "Carl Custodian",
        ["custodian"],
    )
    assert body["unit"] == {"code": "HQ", "name": "Headquarters", "path": "HQ"}
    assert body["clearance"]["marking"] == "SECRET//ALPHA"
    assert body["clearance"]["problem"] is None
    assert body["holds"] == [
        {
            "reference": f"{document.control_number}/2",
            "document": {
                "control_number": document.control_number,
                "short_title": "Directive 12",
                "marking": "SECRET//ALPHA",
            },
            "since": body["holds"][0]["since"],
        }
    ]


def test_me_without_a_clearance(org: Any, client_for: Any) -> None:
    body = client_for(org.worker).get("/api/v1/me/").json()
    assert (body["clearance"], body["holds"]) == (None, [])


def test_an_inspector_verifies_the_ledger(org: Any, register: Any, client_for: Any) -> None:
    register("SECRET")
    response = client_for(org.inspector).post(VERIFY)
    assert response.status_code == 200, response.content
    assert response.json() == {
        "ok": True,
        "entries": LedgerEntry.objects.count(),
        "problems": [],
    }


def test_verification_reports_a_tampered_entry(org: Any, register: Any, client_for: Any) -> None:
    register("SECRET")
    target = last_entry().seq
    # The database refuses UPDATE on the ledger; someone with raw access could lift that.
    behind_the_triggers_back(
        "UPDATE ledger_ledgerentry SET body = %s WHERE seq = %s", [b'{"tampered":1}', target]
    )
    body = client_for(org.inspector).post(VERIFY).json()
    assert body["ok"] is False
    assert body["entries"] == target
    assert body["problems"][0] == (
        f"entry #{target}: its bytes do not match its leaf hash (entry altered)"
    )


def test_staff_may_not_verify_and_the_refusal_is_recorded(org: Any, client_for: Any) -> None:
    error = error_of(client_for(org.worker).post(VERIFY), 403, "forbidden")
    assert error["message"] == (
        "Refused: this needs the role of inspector or security officer or administrator."
    )
    entry = last_entry()
    assert (entry.kind, entry.subject, entry.actor_id) == (
        "access.refused",
        "ledger",
        org.worker.pk,
    )
    assert entry.data["action"] == "ledger:verify"


def test_verification_is_a_post(org: Any, client_for: Any) -> None:
    error_of(client_for(org.inspector).get(VERIFY), 405, "method_not_allowed")
