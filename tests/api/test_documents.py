"""The register through the API: listing, registering, reading, correcting, history."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from strongroom.adapters import clock
from strongroom.ledger.models import LedgerEntry
from strongroom.models import Document
from tests.api.conftest import error_of
from tests.conftest import last_entry

DOCUMENTS = "/api/v1/documents/"


def registration(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "unit": "HQ",
        "short_title": "Plan Vesper",
        "full_title": "Plan Vesper for the relocation of the archive",
        "marking": "secret//alpha//no copy",
        "originator": "Archive Directorate",
        "originator_reference": "AD/7",
        "received_on": clock.today().isoformat(),
        "pages": 12,
        "medium": "paper",
        "copies": 2,
    }
    body.update(overrides)
    return body


def controls(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [d["control_number"] for d in response.json()["results"]]


# --- listing -----------------------------------------------------------------------------------


def test_the_register_lists_only_what_the_caller_may_see(
    org: Any, register: Any, client_for: Any
) -> None:
    public = register("UNCLASSIFIED", short_title="Canteen menu")
    secret = register("SECRET//ALPHA")
    top = register("TOP SECRET//BRAVO")

    assert controls(client_for(org.registrar).get(DOCUMENTS)) == [
        top.control_number, secret.control_number, public.control_number,
    ]
    assert controls(client_for(org.custodian).get(DOCUMENTS)) == [
        secret.control_number, public.control_number,
    ]
    assert controls(client_for(org.worker).get(DOCUMENTS)) == [public.control_number]


def test_each_listed_document_carries_its_marking_banner(
    org: Any, register: Any, client_for: Any
) -> None:
    register("SECRET//ALPHA//NO COPY")
    [document] = client_for(org.registrar).get(DOCUMENTS).json()["results"]
    assert document["marking"] == "SECRET//ALPHA//NO COPY"
    assert document["level"] == "SECRET"
    assert document["compartments"] == ["ALPHA"]
    assert document["caveats"] == ["NO COPY"]
    assert document["unit"] == "HQ"
    assert document["registered_by"] == "rita"


def test_the_register_filters(org: Any, register: Any, client_for: Any) -> None:
    widgets = register("SECRET", short_title="Widgets")
    gadgets = register("CONFIDENTIAL", short_title="Gadgets")
    north = register("CONFIDENTIAL", short_title="Northern gadgets", unit=org.north,
                     by=org.north_registrar)
    client = client_for(org.registrar)
    assert controls(client.get(DOCUMENTS, {"q": "gadg"})) == [
        north.control_number, gadgets.control_number,
    ]
    assert controls(client.get(DOCUMENTS, {"q": "northern GADGETS"})) == [north.control_number]
    assert controls(client.get(DOCUMENTS, {"level": "SECRET"})) == [widgets.control_number]
    assert controls(client.get(DOCUMENTS, {"level": "confidential"})) == [
        north.control_number, gadgets.control_number,
    ]
    assert controls(client.get(DOCUMENTS, {"unit": "north"})) == [north.control_number]
    assert controls(client.get(DOCUMENTS, {"state": "held"})) == []
    assert len(controls(client.get(DOCUMENTS, {"state": "in_registry"}))) == 3


def test_a_bad_filter_names_the_field(org: Any, client_for: Any) -> None:
    client = client_for(org.registrar)
    error = error_of(client.get(DOCUMENTS, {"level": "COSMIC"}), 400, "invalid_input")
    assert list(error["fields"]) == ["level"]
    assert "TOP SECRET" in error["fields"]["level"][0]
    error = error_of(client.get(DOCUMENTS, {"state": "lost"}), 400, "invalid_input")
    assert list(error["fields"]) == ["state"]


def test_the_register_is_paginated(org: Any, register: Any, client_for: Any) -> None:
    made = [register("RESTRICTED", short_title=f"Note {n}") for n in range(5)]
    page = client_for(org.registrar).get(DOCUMENTS, {"limit": 2, "offset": 2}).json()
    assert page["count"] == 5
    assert [d["short_title"] for d in page["results"]] == ["Note 2", "Note 1"]
    assert "offset=4" in page["next"]
    assert len(made) == 5


# --- registering -------------------------------------------------------------------------------


def test_a_registrar_registers_a_document(org: Any, client_for: Any) -> None:
    response = client_for(org.registrar).post(DOCUMENTS, registration(), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    control = f"HQ-{clock.today().year}-0001"
    assert body["control_number"] == control
    assert response["Location"] == f"/api/v1/documents/{control}/"
    assert body["marking"] == "SECRET//ALPHA//NO COPY"
    assert body["copy_count"] == 2
    assert [(c["reference"], c["state"], c["holder"], c["location"]) for c in body["copies"]] == [
        (f"{control}/1", "in_registry", None, "HQ registry"),
        (f"{control}/2", "in_registry", None, "HQ registry"),
    ]
    assert Document.objects.get(control_number=control).short_title == "Plan Vesper"
    entry = last_entry()
    assert (entry.kind, entry.subject, entry.actor_id) == (
        "document.registered", f"document:{control}", org.registrar.pk,
    )


def test_staff_may_not_register_and_the_refusal_is_recorded(org: Any, client_for: Any) -> None:
    body = registration(marking="UNCLASSIFIED")
    error = error_of(client_for(org.worker).post(DOCUMENTS, body, format="json"), 403, "forbidden")
    assert error["message"] == "Refused: this needs the role of registrar."
    assert not Document.objects.exists()
    entry = last_entry()
    assert (entry.kind, entry.subject, entry.actor_id) == (
        "access.refused", "unit:HQ", org.worker.pk,
    )
    assert entry.data == {
        "action": "document:register", "reason": "this needs the role of registrar",
    }


def test_a_registrar_may_not_register_above_their_clearance(org: Any, client_for: Any) -> None:
    body = registration(unit="NORTH", marking="TOP SECRET")
    error = error_of(client_for(org.north_registrar).post(DOCUMENTS, body, format="json"), 403,
                     "forbidden")
    assert "clearance does not reach TOP SECRET" in error["message"]


def test_a_registrar_may_not_register_for_a_unit_above_theirs(org: Any, client_for: Any) -> None:
    body = registration(unit="HQ", marking="RESTRICTED")
    error = error_of(client_for(org.north_registrar).post(DOCUMENTS, body, format="json"), 403,
                     "forbidden")
    assert "outside yours" in error["message"]


@pytest.mark.parametrize(
    ("overrides", "field", "fragment"),
    [
        ({"marking": "SECRET//DELTA"}, "marking", "neither a compartment"),
        ({"unit": "EAST"}, "unit", "No unit EAST."),
        ({"received_on": (clock.today() + timedelta(days=2)).isoformat()}, "received_on",
         "cannot be in the future"),
        ({"copies": 0}, "copies", "greater than or equal to 1"),
        ({"medium": "vellum"}, "medium", "not a valid choice"),
        ({"short_title": "   "}, "short_title", "may not be blank"),
    ],
)
def test_bad_registrations_name_the_field(
    org: Any, client_for: Any, overrides: dict[str, Any], field: str, fragment: str
) -> None:
    response = client_for(org.registrar).post(DOCUMENTS, registration(**overrides), format="json")
    error = error_of(response, 400, "invalid_input")
    assert list(error["fields"]) == [field]
    assert fragment in error["fields"][field][0]
    assert not Document.objects.exists()


# --- reading -----------------------------------------------------------------------------------


def test_a_document_with_its_copies(org: Any, register: Any, client_for: Any) -> None:
    document = register("CONFIDENTIAL", copies=3)
    response = client_for(org.reader).get(f"{DOCUMENTS}{document.control_number.lower()}/")
    assert response.status_code == 200
    body = response.json()
    assert body["control_number"] == document.control_number
    assert body["marking"] == "CONFIDENTIAL"
    assert body["full_title"] == "Directive 12 on the handling of widgets"
    assert [c["number"] for c in body["copies"]] == [1, 2, 3]
    assert body["version"] == 1


def test_a_missing_document_is_404(org: Any, client_for: Any) -> None:
    error = error_of(client_for(org.registrar).get(f"{DOCUMENTS}HQ-2020-0999/"), 404, "not_found")
    assert error["message"] == "No document HQ-2020-0999 in the register."


def test_history_lists_the_ledger_entries_of_a_document_and_its_copies(
    org: Any, register: Any, client_for: Any
) -> None:
    document = register("SECRET")
    client = client_for(org.registrar)
    copy_url = f"{DOCUMENTS}{document.control_number}/copies/2/"
    assert client.post(copy_url + "issue", {"to": "carl"}, format="json").status_code == 200
    response = client.get(f"{DOCUMENTS}{document.control_number}/history")
    assert response.status_code == 200
    body = response.json()
    assert body["document"]["marking"] == "SECRET"
    entries = body["entries"]
    assert [(e["kind"], e["subject"], e["actor"]) for e in entries] == [
        ("document.registered", f"document:{document.control_number}", "rita"),
        ("copy.issued", f"copy:{document.control_number}/2", "rita"),
    ]
    assert entries[1]["data"] == {"state": "held", "holder": "carl", "location": "with carl (HQ)"}
    assert entries[0]["seq"] < entries[1]["seq"]
    assert entries[1]["at"].endswith("Z")


# --- correcting --------------------------------------------------------------------------------


def corrections(document: Document) -> str:
    return f"{DOCUMENTS}{document.control_number}/corrections"


def test_a_registrar_corrects_a_registration(org: Any, register: Any, client_for: Any) -> None:
    document = register("SECRET")
    body = {"changes": {"pages": 5, "marking": "SECRET//ALPHA"}, "reason": "Miscounted."}
    response = client_for(org.registrar).post(corrections(document), body, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["pages"] == 5
    assert response.json()["marking"] == "SECRET//ALPHA"
    assert response.json()["version"] == 2
    entry = last_entry()
    assert entry.kind == "document.corrected"
    assert entry.data["changes"]["pages"] == {"from": 4, "to": 5}
    assert entry.data["changes"]["compartments"] == {"from": [], "to": ["ALPHA"]}
    assert entry.data["reason"] == "Miscounted."


def test_a_custodian_may_not_correct_and_the_refusal_is_recorded(
    org: Any, register: Any, client_for: Any
) -> None:
    document = register("SECRET")
    body = {"changes": {"pages": 5}, "reason": "Miscounted."}
    response = client_for(org.custodian).post(corrections(document), body, format="json")
    error = error_of(response, 403, "forbidden")
    assert error["message"] == "Refused: this needs the role of registrar."
    assert Document.objects.get(pk=document.pk).pages == 4
    entry = last_entry()
    assert (entry.kind, entry.actor_id) == ("access.refused", org.custodian.pk)
    assert entry.data["action"] == "document:correct"


def test_correction_errors_are_named_inside_changes(
    org: Any, register: Any, client_for: Any
) -> None:
    document = register("SECRET")
    client = client_for(org.registrar)
    future = (clock.today() + timedelta(days=1)).isoformat()
    cases = [
        ({"changes": {"pages": "x"}, "reason": "r"}, "changes.pages"),
        ({"changes": {"received_on": future}, "reason": "r"}, "changes.received_on"),
        ({"changes": {"marking": "SECRET//NOPE"}, "reason": "r"}, "changes.marking"),
        ({"changes": {"copy_count": 9}, "reason": "r"}, "changes.copy_count"),
        ({"changes": {"pages": 5}}, "reason"),
    ]
    for body, field in cases:
        error = error_of(client.post(corrections(document), body, format="json"), 400,
                         "invalid_input")
        assert list(error["fields"]) == [field], (body, error)


def test_a_correction_must_change_something(org: Any, register: Any, client_for: Any) -> None:
    document = register("SECRET")
    client = client_for(org.registrar)
    error = error_of(client.post(corrections(document), {"changes": {}, "reason": "r"},
                                 format="json"), 400, "invalid_input")
    assert list(error["fields"]) == ["changes"]
    same = {"changes": {"pages": 4}, "reason": "r"}
    error = error_of(client.post(corrections(document), same, format="json"), 400, "invalid_input")
    assert "Nothing to correct" in error["message"]
    assert LedgerEntry.objects.filter(kind="document.corrected").count() == 0


def test_refusals_stay_out_of_the_history(org: Any, register: Any, client_for: Any) -> None:
    document = register("SECRET")
    body = {"changes": {"pages": 5}, "reason": "Miscounted."}
    error_of(client_for(org.custodian).post(corrections(document), body, format="json"), 403,
             "forbidden")
    assert last_entry().kind == "access.refused"
    entries = client_for(org.registrar).get(
        f"{DOCUMENTS}{document.control_number}/history"
    ).json()["entries"]
    assert [e["kind"] for e in entries] == ["document.registered"]
