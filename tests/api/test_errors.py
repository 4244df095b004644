"""Every error, DRF's own included, comes in the one shape of strongroom.api.errors."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient, APIRequestFactory

from strongroom.api.errors import exception_handler, flatten_fields, not_found_message
from strongroom.domain.errors import Conflict, IllegalTransition, InvalidMarking
from tests.api.conftest import error_of


@pytest.fixture
def rita(org: Any, client_for: Any) -> APIClient:
    client: APIClient = client_for(org.registrar)
    return client


def test_an_unknown_address_is_a_json_404(rita: APIClient) -> None:
    error = error_of(rita.get("/api/v1/nothing/here/"), 404, "not_found")
    assert "/api/schema/" in error["message"]


def test_an_unknown_address_is_a_json_404_without_credentials(
    anonymous: APIClient, db: None
) -> None:
    error_of(anonymous.post("/api/v2/documents/", {}, format="json"), 404, "not_found")


def test_a_missing_trailing_slash_is_pointed_out(rita: APIClient) -> None:
    error = error_of(rita.get("/api/v1/documents"), 404, "not_found")
    assert "/api/v1/documents/ with a slash" in error["message"]


def test_a_method_that_is_not_allowed_says_which_are(rita: APIClient) -> None:
    response = rita.delete("/api/v1/documents/")
    error = error_of(response, 405, "method_not_allowed")
    assert error["message"] == "DELETE is not allowed here; use GET, POST."


def test_a_body_that_is_not_json_is_a_parse_error(rita: APIClient) -> None:
    response = rita.post("/api/v1/units/", "{not json", content_type="application/json")
    error = error_of(response, 400, "parse_error")
    assert "JSON" in error["message"]


def test_a_form_body_is_refused_with_a_hint(rita: APIClient) -> None:
    response = rita.post("/api/v1/units/", {"code": "EAST"})  # multipart, not JSON
    error = error_of(response, 415, "unsupported_media_type")
    assert "application/json" in error["message"]


def test_asking_for_html_is_not_acceptable(rita: APIClient) -> None:
    response = rita.get("/api/v1/me/", HTTP_ACCEPT="text/html")
    error_of(response, 406, "not_acceptable")


def test_validation_errors_name_each_field(rita: APIClient) -> None:
    response = rita.post(
        "/api/v1/documents/",
        {"unit": "HQ", "short_title": "x", "pages": "many", "received_on": "yesterday"},
        format="json",
    )
    error = error_of(response, 400, "invalid_input")
    assert set(error["fields"]) == {
        "full_title", "marking", "originator", "received_on", "pages", "medium", "copies",
    }
    assert error["fields"]["pages"] == ["A valid integer is required."]
    assert error["message"].startswith("7 fields need fixing:")


def test_an_unknown_field_is_an_error_not_ignored(org: Any, register: Any, rita: APIClient) -> None:
    document = register("SECRET")
    url = f"/api/v1/documents/{document.control_number}/copies/1/issue"
    response = rita.post(url, {"to": "carl", "expected_verison": 1}, format="json")
    error = error_of(response, 400, "invalid_input")
    assert list(error["fields"]) == ["expected_verison"]
    assert "expected_version" in error["fields"]["expected_verison"][0]


def test_a_body_that_is_not_an_object_is_refused(rita: APIClient) -> None:
    response = rita.post("/api/v1/units/", ["EAST"], format="json")
    error = error_of(response, 400, "invalid_input")
    assert "fields" not in error
    assert "Expected a dictionary" in error["message"]


def test_nested_errors_are_flattened_to_dotted_names() -> None:
    detail = {"changes": {"pages": ["Too many."]}, "roles": {1: ["Unknown."]}, "x": ["Bad."]}
    assert flatten_fields(detail) == {
        "changes.pages": ["Too many."], "roles.1": ["Unknown."], "x": ["Bad."],
    }
    assert flatten_fields([{}, {"name": ["Required."]}], "items") == {
        "items.1.name": ["Required."]
    }


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (Conflict("Moved; reload."), 409, "conflict"),
        (IllegalTransition("The copy is held."), 409, "illegal_transition"),
        (InvalidMarking("Unknown level."), 400, "invalid_marking"),
    ],
)
def test_domain_errors_map_to_statuses(error: Exception, status: int, code: str) -> None:
    response = exception_handler(error, {})
    assert response.status_code == status
    assert response.data == {"error": {"code": code, "message": str(error)}}


def test_a_bug_is_a_500_in_the_same_shape_without_internals(
    caplog: pytest.LogCaptureFixture
) -> None:
    request = APIRequestFactory().get("/api/v1/me/")
    response = exception_handler(RuntimeError("secret internals"), {"request": request})
    assert response.status_code == 500
    assert response.data["error"]["code"] == "server_error"
    assert "secret internals" not in str(response.data)
    assert "secret internals" in caplog.text


def test_hidden_targets_read_like_missing_ones() -> None:
    assert not_found_message("document:HQ-2026-0001") == "No document HQ-2026-0001 in the register."
    assert not_found_message("copy:HQ-2026-0001/2") == "No document HQ-2026-0001 in the register."
    assert not_found_message("person:rita") == "No person rita."


def test_options_describes_the_endpoint_without_failing(rita: APIClient) -> None:
    response = rita.options("/api/v1/documents/")
    assert response.status_code == 200
    assert response.json()["parses"] == ["application/json"]
    assert response.json()["schema"] == "/api/schema/"


def test_enormous_numbers_are_bounded_not_a_crash(org: Any, register: Any, rita: APIClient) -> None:
    document = register("SECRET")
    huge = 10**20
    page = rita.get("/api/v1/documents/", {"limit": huge}).json()
    assert page["count"] == 1 and len(page["results"]) == 1
    page = rita.get("/api/v1/documents/", {"offset": huge}).json()
    assert page["results"] == []
    response = rita.get(f"/api/v1/documents/{document.control_number}/copies/{huge}/")
    error = error_of(response, 404, "not_found")
    assert error["message"] == f"{document.control_number} has no copy {huge}; it has 3."
