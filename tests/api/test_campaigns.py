"""Campaigns, incidents and unit heads through the API: allowed, refused, missing, bad input.

The scene: a CONFIDENTIAL lecture document of HQ with four copies; carl (HQ custodian) issues
copies to rosa and nils (NORTH), due back a week later.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from strongroom.adapters import clock
from strongroom.models import Campaign, Copy, Unit
from strongroom.services import alerts, campaigns, custody
from tests.api.conftest import error_of
from tests.conftest import Organisation, last_entry

CAMPAIGNS = "/api/v1/campaigns/"
DUE = (datetime.now(UTC) + timedelta(days=8)).replace(microsecond=0)
DAY = timedelta(days=1)


def _copy(document: Any, number: int) -> Copy:
    return Copy.objects.select_related("document__unit", "holder").get(
        document=document, number=number
    )


@pytest.fixture
def lecture(register: Any) -> Any:
    return register("CONFIDENTIAL", short_title="Lecture 4", copies=4)


@pytest.fixture
def course(org: Organisation, lecture: Any) -> Campaign:
    return campaigns.create_campaign(
        lecture,
        title="Spring course",
        due_back=DUE,
        recipients=[org.reader, org.north_registrar],
        by=org.custodian,
    )


def _body(lecture: Any, **changes: Any) -> dict[str, Any]:
    body = {
        "document": lecture.control_number,
        "title": "Spring course",
        "due_back": DUE.isoformat(),
        "to": ["rosa", "nils"],
    }
    body.update(changes)
    return body


# --- creating --------------------------------------------------------------------------------


def test_a_custodian_distributes_copies(org: Organisation, lecture: Any, client_for: Any) -> None:
    response = client_for(org.custodian).post(CAMPAIGNS, _body(lecture), format="json")

    assert response.status_code == 201, response.content
    campaign = Campaign.objects.get()
    body = response.json()
    assert response["Location"] == f"/api/v1/campaigns/{campaign.reference}/"
    assert (body["reference"], body["short_reference"], body["title"]) == (
        str(campaign.reference),
        campaign.short_reference,
        "Spring course",
    )
    assert (body["document"], body["marking"], body["copies"], body["out"]) == (
        lecture.control_number,
        "CONFIDENTIAL",
        2,
        2,
    )
    assert [(i["copy"], i["recipient"], i["holder"], i["out"]) for i in body["items"]] == [
        (f"{lecture.control_number}/1", "rosa", "rosa", True),
        (f"{lecture.control_number}/2", "nils", "nils", True),
    ]
    assert _copy(lecture, 1).holder == org.reader
    assert last_entry().kind == "copy.issued"


def test_an_ineligible_recipient_is_a_403_naming_them(
    org: Organisation, lecture: Any, client_for: Any
) -> None:
    response = client_for(org.custodian).post(
        CAMPAIGNS, _body(lecture, to=["rosa", "wally"]), format="json"
    )
    error = error_of(response, 403, "forbidden")
    assert error["message"] == (
        "Refused: not every recipient may hold CONFIDENTIAL material: wally (the person holds "
        "no clearance)."
    )
    assert not Campaign.objects.exists()
    assert last_entry().data["action"] == "campaign:create"


def test_staff_may_not_distribute(org: Organisation, lecture: Any, client_for: Any) -> None:
    response = client_for(org.reader).post(CAMPAIGNS, _body(lecture), format="json")
    error = error_of(response, 403, "forbidden")
    assert "this needs the role of registrar or custodian" in error["message"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"to": ["rosa", "nils", "rita", "ines", "carl"]}, "to"),
        ({"to": []}, "to"),
        ({"to": ["rosa", "ghost"]}, "to"),
        ({"to": ["rosa", "rosa"]}, "to"),
        ({"title": ""}, "title"),
        ({"due_back": "next week"}, "due_back"),
        ({"due_back": "2020-01-01T00:00:00Z"}, "due_back"),
        ({"document": "HQ-1999-0001"}, "document"),
        ({"surprise": 1}, "surprise"),
    ],
    ids=[
        "too-few-copies",
        "nobody",
        "unknown-person",
        "twice",
        "no-title",
        "not-a-time",
        "past",
        "unknown-document",
        "unknown-field",
    ],
)
def test_bad_input_is_a_400_naming_the_field(
    org: Organisation, lecture: Any, client_for: Any, changes: dict[str, Any], field: str
) -> None:
    response = client_for(org.custodian).post(CAMPAIGNS, _body(lecture, **changes), format="json")
    error = error_of(response, 400, "invalid_input")
    assert field in error["fields"], error
    assert not Campaign.objects.exists()


def test_too_few_copies_says_how_many_are_needed(
    org: Organisation, lecture: Any, client_for: Any
) -> None:
    response = client_for(org.custodian).post(
        CAMPAIGNS, _body(lecture, to=["rosa", "nils", "rita", "ines", "carl"]), format="json"
    )
    error = error_of(response, 400, "invalid_input")
    assert error["fields"]["to"] == [
        f"{lecture.control_number} has 4 copies in the registry and the campaign needs 5; "
        "take copies back or have more reproduced first."
    ]


def test_a_hidden_document_reads_as_unknown(
    org: Organisation, register: Any, client_for: Any
) -> None:
    secret = register("TOP SECRET")
    response = client_for(org.custodian).post(CAMPAIGNS, _body(secret, to=["rita"]), format="json")
    error = error_of(response, 400, "invalid_input")
    # Word for word a missing document, and the attempt is on record.
    assert error["fields"]["document"] == [f"No document {secret.control_number} in the register."]
    assert (last_entry().kind, last_entry().data["action"]) == ("access.refused", "document:view")


def test_a_copy_moved_meanwhile_is_a_409(
    org: Organisation, lecture: Any, client_for: Any, monkeypatch: Any
) -> None:
    real = custody.move

    def stale(copy: Any, **kwargs: Any) -> None:
        kwargs["expected_version"] -= 1
        real(copy, **kwargs)

    monkeypatch.setattr(custody, "move", stale)
    response = client_for(org.custodian).post(CAMPAIGNS, _body(lecture), format="json")
    error_of(response, 409, "conflict")
    assert not Campaign.objects.exists()


# --- reading ---------------------------------------------------------------------------------


def test_the_list_of_my_units_campaigns(
    org: Organisation, course: Campaign, lecture: Any, client_for: Any
) -> None:
    custody.return_copy(_copy(lecture, 1), by=org.custodian)
    body = client_for(org.registrar).get(CAMPAIGNS).json()
    assert body["count"] == 1
    [item] = body["results"]
    assert (item["short_reference"], item["copies"], item["out"], item["closed_at"]) == (
        course.short_reference,
        2,
        1,
        None,
    )
    assert item["board"] == f"/api/v1/campaigns/{course.reference}/"
    assert client_for(org.registrar).get(CAMPAIGNS, {"open": "true"}).json()["count"] == 1
    assert client_for(org.reader).get(CAMPAIGNS).json()["count"] == 0


def test_the_board(org: Organisation, course: Campaign, lecture: Any, client_for: Any) -> None:
    custody.return_copy(_copy(lecture, 2), by=org.custodian)
    with clock.frozen(DUE + 8 * DAY):
        response = client_for(org.registrar).get(f"{CAMPAIGNS}{course.short_reference}/")

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["out"], body["copies"]) == (1, 2)
    first, second = body["items"]
    assert (first["number"], first["of"], first["days_overdue"], first["step"]) == (
        1,
        4,
        8,
        "security_officer",
    )
    assert (second["out"], second["holder"], second["days_out"], second["step"]) == (
        False,
        None,
        None,
        None,
    )
    assert second["returned_at"] is not None


def test_someone_not_answerable_for_it_gets_404(
    org: Organisation, course: Campaign, client_for: Any
) -> None:
    response = client_for(org.reader).get(f"{CAMPAIGNS}{course.reference}/")
    error = error_of(response, 404, "not_found")
    assert error["message"] == f"No campaign {str(course.reference).upper()}."
    assert last_entry().data["action"] == "campaign:view"


def test_an_unknown_or_malformed_reference(
    org: Organisation, course: Campaign, client_for: Any
) -> None:
    missing = "FFFFFFFF" if course.short_reference != "FFFFFFFF" else "EEEEEEEE"
    error_of(client_for(org.registrar).get(f"{CAMPAIGNS}{missing}/"), 404, "not_found")
    error = error_of(client_for(org.registrar).get(f"{CAMPAIGNS}spring/"), 400, "invalid_input")
    assert error["fields"] == {"campaign": [error["message"]]}


def test_incidents_for_security_officers_only(
    org: Organisation, course: Campaign, client_for: Any
) -> None:
    alerts.check_campaign_reminders(now=DUE + 15 * DAY)

    body = client_for(org.officer).get("/api/v1/incidents/").json()
    assert body["count"] == 2
    assert {(i["person"], i["kind"], i["state"], i["opened_by"]) for i in body["results"]} == {
        ("rosa", "copy_not_returned", "open", None),
        ("nils", "copy_not_returned", "open", None),
    }
    assert {i["campaign"] for i in body["results"]} == {str(course.reference)}
    assert client_for(org.registrar).get("/api/v1/incidents/").json()["count"] == 0


# --- unit heads ------------------------------------------------------------------------------


def test_a_security_officer_appoints_and_removes_a_head(org: Organisation, client_for: Any) -> None:
    client = client_for(org.officer)
    response = client.post("/api/v1/units/north/head", {"head": "nils"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["head"] == "nils"
    assert client.get("/api/v1/units/NORTH/").json()["head"] == "nils"

    removed = client.post("/api/v1/units/NORTH/head", {"head": None}, format="json")

    assert removed.json()["head"] is None
    assert Unit.objects.get(code="NORTH").head is None


def test_only_a_security_officer_appoints_a_head(org: Organisation, client_for: Any) -> None:
    response = client_for(org.registrar).post(
        "/api/v1/units/NORTH/head", {"head": "nils"}, format="json"
    )
    error = error_of(response, 403, "forbidden")
    assert error["message"] == "Refused: this needs the role of security officer."
    assert last_entry().data["action"] == "unit:set_head"


@pytest.mark.parametrize(
    ("head", "words"),
    [("rita", "rita does not belong to NORTH"), ("ghost", "No person ghost.")],
)
def test_a_head_who_cannot_be_is_a_400_on_head(
    org: Organisation, client_for: Any, head: str, words: str
) -> None:
    response = client_for(org.officer).post(
        "/api/v1/units/NORTH/head", {"head": head}, format="json"
    )
    error = error_of(response, 400, "invalid_input")
    assert words in error["fields"]["head"][0]


def test_an_unknown_unit_is_a_404(org: Organisation, client_for: Any) -> None:
    response = client_for(org.officer).post(
        "/api/v1/units/EAST/head", {"head": "nils"}, format="json"
    )
    error_of(response, 404, "not_found")
