"""Downgrading and declassifying on the document page, and the record in its history."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from strongroom.models import Document
from strongroom.services import registry
from tests.conftest import Organisation, last_entry
from tests.web.pages import banners, body, text, without_csrf

Register = Callable[..., Any]
AUTHORITY = "Ministry of Widgets letter MW/12/7 of 2026-03-01"


def _form(**values: str) -> dict[str, str]:
    form = {
        "marking": "CONFIDENTIAL",
        "authority": AUTHORITY,
        "reason": "periodic review",
        "expected_version": "1",
    }
    form.update(values)
    return form


def _urls(document: Any) -> tuple[str, str]:
    control = document.control_number
    return reverse("web:document", args=[control]), reverse(
        "web:downgrade-document", args=[control]
    )


def _marking(document: Any) -> str:
    return Document.objects.get(pk=document.pk).marking.banner()


@pytest.fixture
def document(register: Register) -> Any:
    return register("SECRET//ALPHA")


def test_the_registrar_is_offered_the_form_others_are_not(
    client: Client, org: Organisation, document: Any
) -> None:
    page_url, downgrade_url = _urls(document)
    client.force_login(org.registrar)
    response = client.get(page_url)
    assert "Downgrade or declassify" in text(response)
    assert f'action="{downgrade_url}"' in body(response)
    assert 'name="expected_version" value="1"' in body(response)
    for person in (org.custodian, org.inspector):
        client.force_login(person)
        response = client.get(page_url)
        assert response.status_code == 200
        assert "Downgrade or declassify" not in text(response), person.username
        assert downgrade_url not in body(response)


def test_nothing_to_lower_offers_no_form(
    client: Client, org: Organisation, register: Register
) -> None:
    unclassified = register("UNCLASSIFIED")
    client.force_login(org.registrar)
    assert "Downgrade or declassify" not in text(client.get(_urls(unclassified)[0]))


def test_the_registrar_downgrades_and_the_history_names_the_authority(
    client: Client, org: Organisation, document: Any
) -> None:
    page_url, downgrade_url = _urls(document)
    client.force_login(org.registrar)
    response = client.post(downgrade_url, _form())
    assert response.status_code == 302
    assert response["Location"] == page_url
    shown = client.get(page_url)
    page = text(shown)
    assert (
        f"{document.control_number} is now CONFIDENTIAL (was SECRET//ALPHA); the ledger names "
        "the authority." in page
    )
    assert (
        f"downgraded rita document:{document.control_number} SECRET//ALPHA → CONFIDENTIAL on the "
        f"authority of {AUTHORITY} (reason: periodic review)" in page
    )
    assert [shown for _, _, shown in banners(shown)] == ["CONFIDENTIAL", "CONFIDENTIAL"]
    assert _marking(document) == "CONFIDENTIAL"
    assert last_entry().kind == "document.downgraded"


def test_declassifying_reads_as_such(client: Client, org: Organisation, document: Any) -> None:
    page_url, downgrade_url = _urls(document)
    client.force_login(org.registrar)
    assert client.post(downgrade_url, _form(marking="UNCLASSIFIED")).status_code == 302
    assert "declassified rita" in text(client.get(page_url))
    assert last_entry().kind == "document.declassified"
    # Now anyone active may see it.
    client.force_login(org.worker)
    assert client.get(page_url).status_code == 200


def test_raising_the_marking_here_is_refused_on_the_field(
    client: Client, org: Organisation, document: Any
) -> None:
    _, downgrade_url = _urls(document)
    client.force_login(org.registrar)
    response = client.post(downgrade_url, _form(marking="TOP SECRET//ALPHA"))
    assert response.status_code == 400
    assert 'id="id_marking_error"' in body(response)
    assert "TOP SECRET//ALPHA is not a downgrade of SECRET//ALPHA" in text(response)
    assert _marking(document) == "SECRET//ALPHA"


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"authority": ""}, "authority", "This field is required."),
        ({"reason": ""}, "reason", "This field is required."),
        ({"marking": "SECRET//DELTA"}, "marking", "'DELTA' is neither a compartment"),
        ({"marking": "SECRET//ALPHA"}, "marking", "already marked SECRET//ALPHA"),
    ],
)
def test_bad_input_is_a_form_error(
    client: Client,
    org: Organisation,
    document: Any,
    values: dict[str, str],
    field: str,
    message: str,
) -> None:
    client.force_login(org.registrar)
    response = client.post(_urls(document)[1], _form(**values))
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in body(response)
    assert message in text(response)
    assert _marking(document) == "SECRET//ALPHA"


def test_a_custodian_is_refused_with_the_reason(
    client: Client, org: Organisation, document: Any
) -> None:
    client.force_login(org.custodian)
    response = client.post(_urls(document)[1], _form())
    assert response.status_code == 403
    assert "Refused: this needs the role of registrar." in text(response)
    entry = last_entry()
    assert (entry.kind, entry.actor_id, entry.data["action"]) == (
        "access.refused",
        org.custodian.pk,
        "document:downgrade",
    )
    assert _marking(document) == "SECRET//ALPHA"


def test_a_document_changed_since_the_form_was_drawn_is_a_conflict(
    client: Client, org: Organisation, document: Any
) -> None:
    registry.correct_registration(
        Document.objects.get(pk=document.pk), changes={"pages": 5}, reason="x", by=org.registrar
    )
    client.force_login(org.registrar)
    response = client.post(_urls(document)[1], _form(expected_version="1"))
    assert response.status_code == 409
    assert "was changed by someone else a moment ago" in text(response)
    assert _marking(document) == "SECRET//ALPHA"


def test_downgrading_a_hidden_document_reads_like_a_missing_one(
    client: Client, org: Organisation, document: Any
) -> None:
    missing = document.control_number[:-4] + "9999"
    client.force_login(org.north_registrar)
    refused = client.post(_urls(document)[1], _form())
    absent = client.post(reverse("web:downgrade-document", args=[missing]), _form())
    assert refused.status_code == absent.status_code == 404
    assert without_csrf(body(refused)).replace(document.control_number, "X") == without_csrf(
        body(absent)
    ).replace(missing, "X")
    assert _marking(document) == "SECRET//ALPHA"
