"""A person who asks for Korean reads Korean, refusals and domain errors included; the ledger
stays English whatever the language of the request."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from strongroom.api.tokens import issue_token
from tests.conftest import Organisation, last_entry
from tests.web.pages import body, text, without_csrf
from tests.web.test_documents import registration

KOREAN = {"HTTP_ACCEPT_LANGUAGE": "ko"}
NEW = reverse("web:register-document")


@pytest.fixture(autouse=True)
def _back_to_the_default_language() -> Iterator[None]:
    # LocaleMiddleware activates the request's language for the thread and leaves it there.
    yield
    translation.deactivate()


def api_client(person: Any) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(person)}", **KOREAN)
    return client


# --- pages -------------------------------------------------------------------------------------


def test_the_sign_in_page_is_in_korean(client: Client, db: None) -> None:
    response = client.get(reverse("web:sign-in"), **KOREAN)
    assert response.status_code == 200
    assert '<html lang="ko">' in body(response)
    assert "<title>로그인 · strongroom</title>" in body(response)


def test_the_navigation_is_in_korean(client: Client, org: Organisation) -> None:
    client.force_login(org.registrar)
    page = text(client.get(reverse("web:dashboard"), **KOREAN))
    for item in ["등록부", "문서 등록", "인원", "부서", "로그아웃"]:
        assert item in page


def test_without_the_header_pages_stay_english(client: Client, org: Organisation) -> None:
    client.force_login(org.worker)
    response = client.post(NEW, registration(marking="UNCLASSIFIED"))
    assert "Refused: this needs the role of registrar." in text(response)


def test_a_refusal_reads_in_korean_and_is_recorded_in_english(
    client: Client, org: Organisation
) -> None:
    client.force_login(org.worker)
    response = client.post(NEW, registration(marking="UNCLASSIFIED"), **KOREAN)
    assert response.status_code == 403
    assert "거부됨: 등록 담당자 역할이 필요합니다." in text(response)
    entry = last_entry()
    assert entry.kind == "access.refused"
    assert entry.data == {
        "action": "document:register",
        "reason": "this needs the role of registrar",
    }


def test_a_refusal_built_from_parts_is_translated_part_by_part(
    client: Client, org: Organisation
) -> None:
    client.force_login(org.north_registrar)
    response = client.post(NEW, registration(unit="NORTH", marking="TOP SECRET"), **KOREAN)
    assert response.status_code == 403
    assert (
        "TOP SECRET 자료를 보유할 수 없습니다: 비밀취급인가 등급이 TOP SECRET에 미치지 못합니다"
        in text(response)
    )
    assert last_entry().data["reason"] == (
        "you may not hold TOP SECRET material: clearance does not reach TOP SECRET"
    )


def test_a_hidden_document_reads_like_a_missing_one_in_korean(
    client: Client, org: Organisation, register: Callable[..., Any]
) -> None:
    hidden = register("SECRET").control_number
    missing = hidden[:-4] + "9999"
    client.force_login(org.worker)
    refused = client.get(reverse("web:document", args=[hidden]), **KOREAN)
    absent = client.get(reverse("web:document", args=[missing]), **KOREAN)
    assert refused.status_code == absent.status_code == 404
    assert f"등록부에 {hidden} 문서가 없습니다." in text(refused)
    assert f"등록부에 {missing} 문서가 없습니다." in text(absent)
    assert without_csrf(body(refused)).replace(hidden, "X") == without_csrf(body(absent)).replace(
        missing, "X"
    )


def test_a_domain_error_on_a_form_field_is_in_korean(client: Client, org: Organisation) -> None:
    client.force_login(org.registrar)
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    response = client.post(NEW, registration(received_on=tomorrow), **KOREAN)
    assert response.status_code == 400
    assert "접수일은 미래일 수 없습니다." in text(response)


# --- the API -----------------------------------------------------------------------------------


def test_an_api_refusal_is_in_korean(org: Organisation) -> None:
    body = registration(marking="UNCLASSIFIED", pages=12, copies=2)
    response = api_client(org.worker).post("/api/v1/documents/", body, format="json")
    assert response.status_code == 403
    assert response.json()["error"] == {
        "code": "forbidden",
        "message": "거부됨: 등록 담당자 역할이 필요합니다.",
    }
    assert last_entry().data["reason"] == "this needs the role of registrar"


def test_an_api_not_found_is_in_korean(org: Organisation) -> None:
    response = api_client(org.registrar).get("/api/v1/documents/HQ-2026-9999/")
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "등록부에 HQ-2026-9999 문서가 없습니다."


def test_an_api_field_error_is_in_korean(org: Organisation) -> None:
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    body = registration(received_on=tomorrow, pages=12, copies=2)
    response = api_client(org.registrar).post("/api/v1/documents/", body, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["message"] == "접수일은 미래일 수 없습니다."
    assert error["fields"] == {"received_on": ["접수일은 미래일 수 없습니다."]}
