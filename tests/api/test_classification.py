"""Downgrading and declassifying through the API, and the record in the history."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from strongroom.models import Document
from tests.api.conftest import error_of
from tests.conftest import Organisation, last_entry

AUTHORITY = "Ministry of Widgets letter MW/12/7 of 2026-03-01"


def _url(document: Any) -> str:
    return f"/api/v1/documents/{document.control_number}/downgrade"


def _body(**values: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"marking": "CONFIDENTIAL", "authority": AUTHORITY, "reason": "review"}
    body.update(values)
    return body


def _marking(document: Any) -> str:
    return Document.objects.get(pk=document.pk).marking.banner()


@pytest.fixture
def document(register: Callable[..., Any]) -> Any:
    return register("SECRET//ALPHA//NO COPY")


def test_the_registrar_downgrades_and_the_history_names_the_authority(
    org: Organisation, document: Any, client_for: Any
) -> None:
    client = client_for(org.registrar)
    response = client.post(_url(document), _body(expected_version=1), format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["marking"], body["level"], body["compartments"], body["caveats"]) == (
        "CONFIDENTIAL",
        "CONFIDENTIAL",
        [],
        [],
    )
    assert body["version"] == 2
    history = client.get(f"/api/v1/documents/{document.control_number}/history").json()
    entry = history["entries"][-1]
    assert (entry["kind"], entry["actor"]) == ("document.downgraded", "rita")
    assert entry["data"]["authority"] == AUTHORITY
    assert entry["data"]["marking"] == {"from": "SECRET//ALPHA//NO COPY", "to": "CONFIDENTIAL"}


def test_to_the_lowest_level_it_is_declassified(
    org: Organisation, document: Any, client_for: Any
) -> None:
    response = client_for(org.registrar).post(
        _url(document), _body(marking="UNCLASSIFIED"), format="json"
    )
    assert response.status_code == 200, response.content
    assert last_entry().kind == "document.declassified"


def test_raising_the_marking_is_refused_on_the_field(
    org: Organisation, document: Any, client_for: Any
) -> None:
    response = client_for(org.registrar).post(
        _url(document), _body(marking="TOP SECRET//ALPHA//NO COPY"), format="json"
    )
    error = error_of(response, 400, "invalid_input")
    assert list(error["fields"]) == ["marking"]
    assert "is not a downgrade of SECRET//ALPHA//NO COPY" in error["message"]
    assert _marking(document) == "SECRET//ALPHA//NO COPY"


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"authority": ""}, "authority"),
        ({"authority": None}, "authority"),
        ({"reason": "  "}, "reason"),
        ({"marking": "NOT A LEVEL"}, "marking"),
        ({"expected_version": 2**63}, "expected_version"),
        ({"order": "x"}, "order"),
    ],
)
def test_bad_input_names_the_field(
    org: Organisation, document: Any, client_for: Any, values: dict[str, Any], field: str
) -> None:
    response = client_for(org.registrar).post(_url(document), _body(**values), format="json")
    error = error_of(response, 400, "invalid_input")
    assert field in error["fields"], error
    assert _marking(document) == "SECRET//ALPHA//NO COPY"


def test_a_custodian_is_refused_and_the_refusal_recorded(
    org: Organisation, document: Any, client_for: Any
) -> None:
    response = client_for(org.custodian).post(_url(document), _body(), format="json")
    error = error_of(response, 403, "forbidden")
    assert error["message"] == "Refused: this needs the role of registrar."
    entry = last_entry()
    assert (entry.kind, entry.actor_id, entry.data["action"]) == (
        "access.refused",
        org.custodian.pk,
        "document:downgrade",
    )


def test_a_stale_version_is_a_conflict(org: Organisation, document: Any, client_for: Any) -> None:
    response = client_for(org.registrar).post(
        _url(document), _body(expected_version=3), format="json"
    )
    error_of(response, 409, "conflict")
    assert _marking(document) == "SECRET//ALPHA//NO COPY"


def test_a_hidden_document_is_byte_for_byte_a_missing_one(
    org: Organisation, document: Any, client_for: Any
) -> None:
    client = client_for(org.north_registrar)
    missing = document.control_number[:-4] + "9999"
    refused = client.post(_url(document), _body(), format="json")
    absent = client.post(f"/api/v1/documents/{missing}/downgrade", _body(), format="json")
    error_of(refused, 404, "not_found")
    assert refused.content.replace(
        document.control_number.encode(), b"X"
    ) == absent.content.replace(missing.encode(), b"X")
