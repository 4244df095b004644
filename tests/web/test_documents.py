"""A document's page, registering a document and correcting a registration."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.test import Client
from django.urls import reverse

from tests.conftest import Organisation, last_entry
from tests.web.pages import banners, body, text, without_csrf

Register = Callable[..., Any]
NEW = reverse("web:register-document")


def registration(**overrides: Any) -> dict[str, Any]:
    values = {
        "unit": "HQ",
        "short_title": "Plan 7",
        "full_title": "Plan 7 for the relocation of the archive",
        "marking": "SECRET//ALPHA//NO COPY",
        "originator": "Ministry of Archives",
        "originator_reference": "MA/7",
        "received_on": date.today().isoformat(),
        "pages": "12",
        "medium": "paper",
        "copies": "2",
    }
    values.update(overrides)
    return values


# --- the document page -----------------------------------------------------------------------


def test_document_page_shows_registration_copies_and_history(
    client: Client, org: Organisation, register: Register
) -> None:
    from strongroom.services import custody

    document = register("SECRET//ALPHA", copies=2)
    custody.issue_copy(document.copies.get(number=2), to=org.custodian, by=org.registrar)
    client.force_login(org.registrar)
    response = client.get(reverse("web:document", args=[document.control_number]))
    assert response.status_code == 200
    page = text(response)
    assert "Directive 12 on the handling of widgets" in page
    assert "Ministry of Widgets (MW/12)" in page
    assert "copy 1 of 2 in registry — HQ registry" in page
    assert "copy 2 of 2 held Carl Custodian HQ with carl (HQ)" in page
    assert reverse("web:copy", args=[document.control_number, 2]) in body(response)
    # The history: the registration, then the issue of copy 2.
    assert "registered rita" in page
    assert "issued rita copy:" in page
    assert banners(response)[0] == ("top", "high", "SECRET//ALPHA")


def test_a_hidden_document_reads_exactly_like_a_missing_one_and_is_recorded(
    client: Client, org: Organisation, register: Register
) -> None:
    hidden = register("SECRET").control_number
    missing = hidden[:-4] + "9999"
    client.force_login(org.worker)

    refused = client.get(reverse("web:document", args=[hidden]))
    entry = last_entry()
    absent = client.get(reverse("web:document", args=[missing]))

    assert refused.status_code == absent.status_code == 404
    assert f"No document {hidden} in the register." in text(refused)
    assert f"No document {missing} in the register." in text(absent)
    assert without_csrf(body(refused)).replace(hidden, "X") == without_csrf(body(absent)).replace(
        missing, "X"
    )
    assert entry.kind == "access.refused"
    assert entry.actor_id == org.worker.pk
    assert entry.subject == f"document:{hidden}"
    assert entry.data["action"] == "document:view"
    # Asking for something that does not exist refuses nothing, so records nothing.
    assert last_entry().seq == entry.seq


def test_pages_with_documents_are_never_cached(
    client: Client, org: Organisation, register: Register
) -> None:
    document = register("SECRET")
    client.force_login(org.registrar)
    response = client.get(reverse("web:document", args=[document.control_number]))
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_a_nonsense_control_number_is_not_found(client: Client, org: Organisation) -> None:
    client.force_login(org.registrar)
    response = client.get(reverse("web:document", args=["no such thing"]))
    assert response.status_code == 404
    assert "No document NO SUCH THING in the register." in text(response)


# --- registering ---------------------------------------------------------------------------


def test_registration_form_offers_the_scheme_and_defaults_to_the_own_unit(
    client: Client, org: Organisation
) -> None:
    client.force_login(org.north_registrar)
    response = client.get(NEW)
    assert response.status_code == 200
    page = body(response)
    assert '<option value="NORTH" selected>' in page
    assert "UNCLASSIFIED, RESTRICTED, CONFIDENTIAL, SECRET, TOP SECRET" in text(response)
    assert "ALPHA, BRAVO, CHARLIE" in text(response)
    assert "Must itself be unclassified" in text(response)
    assert banners(response)[0][2] == "UNCLASSIFIED"


def test_a_registrar_registers_and_the_document_is_in_the_register(
    client: Client, org: Organisation
) -> None:
    client.force_login(org.registrar)
    response = client.post(NEW, registration())
    control = f"HQ-{date.today().year}-0001"
    assert response.status_code == 302
    assert response["Location"] == reverse("web:document", args=[control])
    shown = client.get(response["Location"])
    assert f"Registered {control} with 2 copies in the registry." in text(shown)
    assert "Plan 7 for the relocation of the archive" in text(shown)
    assert banners(shown)[0][2] == "SECRET//ALPHA//NO COPY"
    listed = client.get(reverse("web:register"), {"q": "Plan 7"})
    assert control in text(listed)
    assert last_entry().kind == "document.registered"


def test_a_worker_who_tries_to_register_is_refused_with_the_reason_on_record(
    client: Client, org: Organisation
) -> None:
    client.force_login(org.worker)
    response = client.post(NEW, registration(marking="UNCLASSIFIED"))
    assert response.status_code == 403
    assert "Refused: this needs the role of registrar." in text(response)
    entry = last_entry()
    assert entry.kind == "access.refused"
    assert entry.actor_id == org.worker.pk
    assert entry.data == {
        "action": "document:register",
        "reason": "this needs the role of registrar",
    }
    assert "Plan 7" not in text(client.get(reverse("web:register")))


def test_a_registrar_is_refused_a_marking_above_their_clearance(
    client: Client, org: Organisation
) -> None:
    client.force_login(org.north_registrar)
    response = client.post(NEW, registration(unit="NORTH", marking="TOP SECRET"))
    assert response.status_code == 403
    assert "you may not hold TOP SECRET material: clearance does not reach TOP SECRET" in text(
        response
    )
    assert last_entry().kind == "access.refused"


def test_bad_registration_input_is_a_form_error_not_a_crash(
    client: Client, org: Organisation
) -> None:
    client.force_login(org.registrar)
    response = client.post(
        NEW, registration(pages="many", received_on="2026-13-45", copies="-1", medium="vellum")
    )
    assert response.status_code == 400
    page = text(response)
    assert "Enter a whole number." in page
    assert "Enter a valid date." in page
    assert "Ensure this value is greater than or equal to 1." in page
    assert "Select a valid choice. vellum is not one of the available choices." in page


def test_an_unknown_marking_is_shown_on_the_marking_field(
    client: Client, org: Organisation
) -> None:
    client.force_login(org.registrar)
    response = client.post(NEW, registration(marking="SECRET//ZULU"))
    assert response.status_code == 400
    assert 'id="id_marking_error"' in body(response)
    assert "'ZULU' is neither a compartment" in text(response)


def test_a_future_date_received_is_refused_by_the_service(
    client: Client, org: Organisation
) -> None:
    client.force_login(org.registrar)
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    response = client.post(NEW, registration(received_on=tomorrow))
    assert response.status_code == 400
    assert 'id="id_received_on_error"' in body(response)
    assert "The date received cannot be in the future." in text(response)


# --- correcting ----------------------------------------------------------------------------


def correction(document: Any, **changes: Any) -> dict[str, Any]:
    values = {
        "short_title": document.short_title,
        "full_title": document.full_title,
        "marking": document.marking.banner(),
        "originator": document.originator,
        "originator_reference": document.originator_reference,
        "received_on": document.received_on.isoformat(),
        "pages": str(document.pages),
        "medium": document.medium,
        "reason": "",
    }
    values.update(changes)
    return values


def test_a_registrar_corrects_a_registration_with_a_reason(
    client: Client, org: Organisation, register: Register
) -> None:
    document = register("SECRET")
    client.force_login(org.registrar)
    url = reverse("web:correct-document", args=[document.control_number])
    response = client.post(url, correction(document, pages="5", reason="miscounted"))
    assert response.status_code == 302
    shown = text(client.get(response["Location"]))
    assert "The registration is corrected" in shown
    assert "pages: 4 → 5 (reason: miscounted)" in shown
    entry = last_entry()
    assert entry.kind == "document.corrected"
    assert entry.data == {"changes": {"pages": {"from": 4, "to": 5}}, "reason": "miscounted"}


def test_the_correction_form_is_offered_only_to_those_who_may_correct(
    client: Client, org: Organisation, register: Register
) -> None:
    document = register("UNCLASSIFIED")
    url = reverse("web:document", args=[document.control_number])
    client.force_login(org.registrar)
    assert "Correct the registration" in text(client.get(url))
    client.force_login(org.worker)
    assert "Correct the registration" not in text(client.get(url))


def test_a_worker_cannot_correct_a_document_they_may_see(
    client: Client, org: Organisation, register: Register
) -> None:
    document = register("UNCLASSIFIED")
    client.force_login(org.worker)
    url = reverse("web:correct-document", args=[document.control_number])
    response = client.post(url, correction(document, pages="9", reason="I say so"))
    assert response.status_code == 403
    assert "Refused: this needs the role of registrar." in text(response)
    assert last_entry().kind == "access.refused"
    document.refresh_from_db()
    assert document.pages == 4


def test_a_worker_cannot_correct_a_document_they_may_not_see(
    client: Client, org: Organisation, register: Register
) -> None:
    document = register("SECRET")
    client.force_login(org.worker)
    url = reverse("web:correct-document", args=[document.control_number])
    response = client.post(url, correction(document, pages="9", reason="I say so"))
    assert response.status_code == 404
    assert f"No document {document.control_number} in the register." in text(response)
    assert last_entry().kind == "access.refused"


def test_a_correction_needs_a_reason_and_a_change(
    client: Client, org: Organisation, register: Register
) -> None:
    document = register("SECRET")
    client.force_login(org.registrar)
    url = reverse("web:correct-document", args=[document.control_number])
    no_reason = client.post(url, correction(document, pages="5"))
    assert no_reason.status_code == 400
    assert 'id="id_reason_error"' in body(no_reason)
    no_change = client.post(url, correction(document, reason="checking"))
    assert no_change.status_code == 400
    assert "Nothing to correct" in text(no_change)
    bad_pages = client.post(url, correction(document, pages="lots", reason="x"))
    assert bad_pages.status_code == 400
    assert "Enter a whole number." in text(bad_pages)
