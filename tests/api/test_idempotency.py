"""Idempotency-Key: a retried API write is answered from memory and never applied twice."""

from __future__ import annotations

from typing import Any

from strongroom.ledger.models import LedgerEntry
from strongroom.models import Copy
from tests.api.conftest import error_of


def _issue(client: Any, document: Any, key: str | None, to: str = "carl") -> Any:
    headers = {} if key is None else {"HTTP_IDEMPOTENCY_KEY": key}
    return client.post(
        f"/api/v1/documents/{document.control_number}/copies/1/issue",
        {"to": to},
        format="json",
        **headers,
    )


def test_a_retry_with_the_same_key_gets_the_same_answer_and_changes_nothing(
    org: Any, register: Any, client_for: Any
) -> None:
    document = register("SECRET//ALPHA")
    client = client_for(org.registrar)
    first = _issue(client, document, "7d0f7a36-retry")
    entries = LedgerEntry.objects.count()

    again = _issue(client, document, "7d0f7a36-retry")

    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert LedgerEntry.objects.count() == entries
    copy = Copy.objects.get(document=document, number=1)
    assert (copy.state, copy.holder, copy.version) == ("held", org.custodian, 2)


def test_without_a_key_a_repeat_is_a_new_request(org: Any, register: Any, client_for: Any) -> None:
    document = register("SECRET//ALPHA")
    client = client_for(org.registrar)
    assert _issue(client, document, None).status_code == 200
    error_of(_issue(client, document, None), 409, "illegal_transition")


def test_the_same_key_for_a_different_request_is_refused(
    org: Any, register: Any, client_for: Any
) -> None:
    document = register("SECRET//ALPHA")
    client = client_for(org.registrar)
    _issue(client, document, "key-1")

    other = _issue(client, document, "key-1", to="rita")

    body = error_of(other, 400, "invalid_input")
    assert "already used for a different request" in body["message"]
    assert list(body["fields"]) == ["Idempotency-Key"]


def test_keys_are_per_person(org: Any, register: Any, client_for: Any) -> None:
    one, two = register("SECRET//ALPHA"), register("SECRET//ALPHA")
    assert _issue(client_for(org.registrar), one, "shared").status_code == 200
    assert _issue(client_for(org.custodian), two, "shared", to="rita").status_code == 200


def test_a_refusal_is_remembered_too(org: Any, register: Any, client_for: Any) -> None:
    document = register("SECRET")
    client = client_for(org.worker)
    first = _issue(client, document, "worker-try")
    refusals = LedgerEntry.objects.filter(kind="access.refused").count()
    again = _issue(client, document, "worker-try")
    assert first.status_code == again.status_code == 404
    assert again.json() == first.json()
    assert LedgerEntry.objects.filter(kind="access.refused").count() == refusals


def test_a_malformed_key_is_bad_input(org: Any, register: Any, client_for: Any) -> None:
    document = register("SECRET//ALPHA")
    response = _issue(client_for(org.registrar), document, "has spaces in it")
    assert error_of(response, 400, "invalid_input")["fields"] == {
        "Idempotency-Key": [
            "The Idempotency-Key header must be 1 to 200 visible ASCII characters without "
            "spaces, e.g. a UUID."
        ]
    }
    assert Copy.objects.get(document=document, number=1).state == "in_registry"


def test_reads_ignore_the_header(org: Any, register: Any, client_for: Any) -> None:
    document = register("SECRET//ALPHA")
    response = client_for(org.registrar).get(
        f"/api/v1/documents/{document.control_number}/", HTTP_IDEMPOTENCY_KEY="has spaces"
    )
    assert response.status_code == 200


def test_the_schema_offers_the_header_on_writes(client_for: Any, org: Any) -> None:
    schema = client_for(org.registrar).get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/documents/{control}/copies/{number}/issue"]["post"]
    assert any(p["name"] == "Idempotency-Key" for p in operation["parameters"])
