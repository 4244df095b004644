"""A numbered copy: where it is, who had it, since when; issuing and returning it."""

from __future__ import annotations

from typing import Any

from rest_framework.test import APIClient

from strongroom.models import Copy
from strongroom.services import custody
from tests.api.conftest import error_of
from tests.conftest import last_entry


def url(document: Any, number: int = 1, action: str = "") -> str:
    return f"/api/v1/documents/{document.control_number}/copies/{number}/{action}"


def test_a_copy_in_the_registry(org: Any, register: Any, client_for: Any) -> None:
    document = register("SECRET//ALPHA")
    response = client_for(org.custodian).get(url(document, 2))
    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == f"{document.control_number}/2"
    assert body["marking"] == "SECRET//ALPHA"
    assert body["document"] == {
        "control_number": document.control_number,
        "short_title": "Directive 12",
        "marking": "SECRET//ALPHA",
    }
    assert (body["state"], body["holder"], body["location"]) == ("in_registry", None, "HQ registry")
    assert (body["registry"], body["destruction"]) == ("HQ", None)
    assert body["since"] == body["history"][0]["at"]
    assert [(s["kind"], s["state"], s["holder"]) for s in body["history"]] == [
        ("document.registered", "in_registry", None),
    ]


def test_where_a_copy_has_been_who_had_it_and_since_when(
    org: Any, register: Any, client_for: Any
) -> None:
    document = register("SECRET")
    copy = Copy.objects.select_related("document__unit").get(document=document, number=1)
    custody.issue_copy(copy, to=org.custodian, by=org.registrar)
    custody.return_copy(copy, by=org.registrar)
    custody.issue_copy(copy, to=org.inspector, by=org.registrar)

    body = client_for(org.inspector).get(url(document)).json()
    assert (body["state"], body["holder"], body["location"]) == (
        "held", "ines", "with ines (HQ)",
    )
    assert [(s["kind"], s["actor"], s["state"], s["holder"], s["location"])
            for s in body["history"]] == [
        ("document.registered", "rita", "in_registry", None, "HQ registry"),
        ("copy.issued", "rita", "held", "carl", "with carl (HQ)"),
        ("copy.returned", "rita", "in_registry", None, "HQ registry"),
        ("copy.issued", "rita", "held", "ines", "with ines (HQ)"),
    ]
    assert body["since"] == body["history"][-1]["at"]
    assert body["version"] == 4


def test_a_registrar_issues_a_copy(org: Any, register: Any, client_for: Any) -> None:
    document = register("SECRET//ALPHA")
    response = client_for(org.registrar).post(
        url(document, 1, "issue"), {"to": "carl", "expected_version": 1}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["state"], body["holder"], body["version"]) == ("held", "carl", 2)
    assert body["history"][-1]["kind"] == "copy.issued"
    copy = Copy.objects.get(document=document, number=1)
    assert (copy.state, copy.holder_id) == ("held", org.custodian.pk)
    entry = last_entry()
    assert (entry.kind, entry.subject, entry.actor_id) == (
        "copy.issued", f"copy:{document.control_number}/1", org.registrar.pk,
    )


def test_staff_may_not_issue_and_the_refusal_is_recorded(
    org: Any, register: Any, client_for: Any
) -> None:
    document = register("UNCLASSIFIED")
    response = client_for(org.worker).post(url(document, 1, "issue"), {"to": "carl"},
                                           format="json")
    error = error_of(response, 403, "forbidden")
    assert error["message"] == "Refused: this needs the role of registrar or custodian."
    assert Copy.objects.get(document=document, number=1).state == "in_registry"
    entry = last_entry()
    assert (entry.kind, entry.actor_id, entry.data["action"]) == (
        "access.refused", org.worker.pk, "copy:issue",
    )


def test_a_copy_is_not_issued_to_someone_not_cleared_for_it(
    org: Any, register: Any, client_for: Any
) -> None:
    document = register("SECRET")
    response = client_for(org.registrar).post(url(document, 1, "issue"), {"to": "rosa"},
                                              format="json")
    error = error_of(response, 403, "forbidden")
    assert error["message"] == (
        "Refused: the recipient may not hold SECRET material: clearance does not reach SECRET."
    )


def test_issuing_to_nobody_names_the_field(org: Any, register: Any, client_for: Any) -> None:
    document = register("SECRET")
    client = client_for(org.registrar)
    error = error_of(client.post(url(document, 1, "issue"), {"to": "zed"}, format="json"), 400,
                     "invalid_input")
    assert error["fields"] == {"to": ["No person zed."]}
    error = error_of(client.post(url(document, 1, "issue"), {}, format="json"), 400,
                     "invalid_input")
    assert list(error["fields"]) == ["to"]


def test_a_stale_version_is_a_conflict_and_changes_nothing(
    org: Any, register: Any, client_for: Any
) -> None:
    document = register("SECRET")
    client = client_for(org.registrar)
    seen = client.get(url(document)).json()["version"]
    # Someone else issues and takes it back meanwhile: same state, newer version.
    assert client.post(url(document, 1, "issue"), {"to": "carl"}, format="json").status_code == 200
    assert client.post(url(document, 1, "return"), {}, format="json").status_code == 200

    response = client.post(url(document, 1, "issue"), {"to": "ines", "expected_version": seen},
                           format="json")
    error = error_of(response, 409, "conflict")
    assert "reload" in error["message"]
    copy = Copy.objects.get(document=document, number=1)
    assert (copy.state, copy.holder_id, copy.version) == ("in_registry", None, 3)


def test_a_registrar_takes_a_copy_back(org: Any, register: Any, client_for: Any) -> None:
    document = register("SECRET")
    client = client_for(org.registrar)
    client.post(url(document, 1, "issue"), {"to": "carl"}, format="json")
    response = client.post(url(document, 1, "return"), {"expected_version": 2}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["state"], body["holder"], body["location"]) == ("in_registry", None, "HQ registry")
    assert last_entry().data["returned_by"] == "carl"


def test_the_holder_alone_may_not_take_it_back(org: Any, register: Any, client_for: Any) -> None:
    document = register("CONFIDENTIAL")
    client_for(org.registrar).post(url(document, 1, "issue"), {"to": "rosa"}, format="json")
    reader: APIClient = client_for(org.reader)
    error = error_of(reader.post(url(document, 1, "return"), {}, format="json"), 403, "forbidden")
    assert "registrar or custodian" in error["message"]
    assert Copy.objects.get(document=document, number=1).holder_id == org.reader.pk


def test_returning_a_copy_in_the_registry_is_an_illegal_transition(
    org: Any, register: Any, client_for: Any
) -> None:
    document = register("SECRET")
    response = client_for(org.registrar).post(url(document, 1, "return"), {}, format="json")
    error = error_of(response, 409, "illegal_transition")
    assert error["message"] == (
        "The copy is in registry; only a copy that is held can be returned."
    )
