"""Signing in to the API: tokens, sessions, and the answers when it goes wrong."""

from __future__ import annotations

from typing import Any

from rest_framework.test import APIClient

from strongroom.domain.clearance import PersonStatus
from strongroom.ledger.models import LedgerEntry
from strongroom.services import people
from tests.api.conftest import error_of
from tests.conftest import PASSWORD

TOKENS = "/api/v1/tokens/"
ME = "/api/v1/me/"


def test_a_token_from_username_and_password_signs_requests_in(
    org: Any, anonymous: APIClient
) -> None:
    entries_before = LedgerEntry.objects.count()
    response = anonymous.post(TOKENS, {"username": "rita", "password": PASSWORD}, format="json")
    assert response.status_code == 200, response.content
    token = response.json()["token"]
    assert len(token) == 40

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = client.get(ME)
    assert me.status_code == 200
    assert me.json()["username"] == "rita"
    assert me.json()["roles"] == ["registrar"]
    # A credential is not custody: nothing about it goes into the ledger.
    assert LedgerEntry.objects.count() == entries_before


def test_asking_again_gives_the_same_token(org: Any, anonymous: APIClient) -> None:
    body = {"username": "rita", "password": PASSWORD}
    first = anonymous.post(TOKENS, body, format="json").json()["token"]
    second = anonymous.post(TOKENS, body, format="json").json()["token"]
    assert first == second


def test_usernames_are_not_case_sensitive_at_sign_in(org: Any, anonymous: APIClient) -> None:
    response = anonymous.post(TOKENS, {"username": " Rita ", "password": PASSWORD}, format="json")
    assert response.status_code == 200


def test_wrong_password_and_unknown_user_get_the_same_answer(
    org: Any, anonymous: APIClient
) -> None:
    wrong = anonymous.post(TOKENS, {"username": "rita", "password": "nope-nope"}, format="json")
    unknown = anonymous.post(TOKENS, {"username": "nobody", "password": PASSWORD}, format="json")
    error_of(wrong, 400, "invalid_credentials")
    assert wrong.content == unknown.content


def test_a_suspended_person_gets_no_token(org: Any, anonymous: APIClient) -> None:
    people.set_status(org.reader, status=PersonStatus.SUSPENDED, reason="on leave", by=org.officer)
    suspended = anonymous.post(TOKENS, {"username": "rosa", "password": PASSWORD}, format="json")
    unknown = anonymous.post(TOKENS, {"username": "nobody", "password": PASSWORD}, format="json")
    error_of(suspended, 400, "invalid_credentials")
    assert suspended.content == unknown.content


def test_a_token_stops_working_when_its_holder_is_suspended(org: Any, client_for: Any) -> None:
    client = client_for(org.reader)
    assert client.get(ME).status_code == 200
    people.set_status(org.reader, status=PersonStatus.SUSPENDED, reason="on leave", by=org.officer)
    error = error_of(client.get(ME), 401, "authentication_failed")
    assert "inactive" in error["message"]


def test_token_request_with_missing_fields_names_them(anonymous: APIClient, db: None) -> None:
    error = error_of(anonymous.post(TOKENS, {}, format="json"), 400, "invalid_input")
    assert set(error["fields"]) == {"username", "password"}


def test_sign_in_attempts_are_throttled(org: Any, anonymous: APIClient) -> None:
    body = {"username": "rita", "password": "guess-guess-guess"}
    for _ in range(10):
        assert anonymous.post(TOKENS, body, format="json").status_code == 400
    response = anonymous.post(TOKENS, body, format="json")
    error = error_of(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0
    assert "wait" in error["message"]
    # Another account is not locked out by guesses at this one.
    other = anonymous.post(TOKENS, {"username": "carl", "password": PASSWORD}, format="json")
    assert other.status_code == 200


def test_without_credentials_the_answer_is_401_with_a_challenge(
    anonymous: APIClient, db: None
) -> None:
    response = anonymous.get("/api/v1/documents/")
    error = error_of(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Token"
    assert "/api/v1/tokens/" in error["message"]


def test_a_wrong_token_is_401(org: Any) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    error = error_of(client.get(ME), 401, "authentication_failed")
    assert "Invalid token" in error["message"]


def test_a_withdrawn_token_no_longer_works(org: Any, client_for: Any) -> None:
    client = client_for(org.registrar)
    assert client.delete(TOKENS).status_code == 204
    error_of(client.get(ME), 401, "authentication_failed")


def test_withdrawing_needs_a_signed_in_caller(anonymous: APIClient, db: None) -> None:
    error_of(anonymous.delete(TOKENS), 401, "not_authenticated")


def test_a_web_session_works_and_writes_need_the_csrf_token(org: Any, register: Any) -> None:
    document = register("UNCLASSIFIED")
    client = APIClient(enforce_csrf_checks=True)
    assert client.login(username="rita", password=PASSWORD)
    assert client.get(ME).json()["username"] == "rita"
    url = f"/api/v1/documents/{document.control_number}/copies/1/issue"
    error = error_of(client.post(url, {"to": "carl"}, format="json"), 403, "csrf_failed")
    assert "X-CSRFToken" in error["message"]
