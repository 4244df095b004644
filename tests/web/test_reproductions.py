"""Reproduction on the web: the request form and the pending panel on the document's page,
approving, refusing and withdrawing there, and the list of one's units' records.

The scene: a SECRET document registered at HQ with 7 copies; carl (HQ custodian) asks for 3
more, and rita (HQ registrar) decides. nils (NORTH registrar) does not answer for HQ.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from strongroom.models import Copy, Document, Reproduction
from strongroom.services import reproductions
from tests.conftest import Organisation, last_entry
from tests.web.pages import banners, body, text, without_csrf

Register = Callable[..., Any]


def _document(document: Any) -> Document:
    return Document.objects.select_related("unit").get(pk=document.pk)


def _stored(reproduction: Reproduction) -> Reproduction:
    return Reproduction.objects.select_related(
        "document__unit", "requested_by__unit", "decided_by"
    ).get(pk=reproduction.pk)


def _banners_say(response: Any, marking: str) -> None:
    assert [(position, shown) for position, _, shown in banners(response)] == [
        ("top", marking),
        ("bottom", marking),
    ]


def _refused(entry: Any, actor: Any, action: str) -> None:
    assert (entry.kind, entry.actor_id) == ("access.refused", actor.pk)
    assert entry.data["action"] == action


def _urls(reproduction: Reproduction) -> dict[str, str]:
    ref = str(reproduction.reference)
    return {
        name: reverse(f"web:{name}-reproduction", args=[ref])
        for name in ("approve", "refuse", "withdraw")
    }


def _numbers(document: Any) -> list[int]:
    return list(
        Copy.objects.filter(document=document).order_by("number").values_list("number", flat=True)
    )


@pytest.fixture
def document(org: Organisation, register: Register) -> Document:
    """A SECRET HQ document of 7 copies."""
    return _document(register("SECRET", copies=7))


@pytest.fixture
def pending(org: Organisation, document: Document) -> Reproduction:
    """carl has asked for 3 more copies (request version 1)."""
    return reproductions.request_reproduction(
        document, copies=3, reason="briefing of the new section", by=org.custodian
    )


def _page(client: Client, document: Any) -> Any:
    return client.get(reverse("web:document", args=[document.control_number]))


# --- the request form ------------------------------------------------------------------------


def test_a_custodian_is_offered_the_request_form(
    client: Client, org: Organisation, document: Document
) -> None:
    client.force_login(org.custodian)
    response = _page(client, document)
    assert response.status_code == 200
    assert "Request reproduction" in text(response)
    action = reverse("web:request-reproduction", args=[document.control_number])
    assert f'action="{action}"' in body(response)
    assert 'max="20"' in body(response)
    assert "At most 20 in one request." in text(response)
    _banners_say(response, "SECRET")


def test_staff_who_may_see_the_document_are_not_offered_the_form(
    client: Client, org: Organisation, register: Register
) -> None:
    document = register("CONFIDENTIAL", unit=org.north, by=org.north_registrar)
    client.force_login(org.reader)
    response = _page(client, document)
    assert response.status_code == 200
    assert "Request reproduction" not in text(response)
    assert "No reproduction records you may see." in text(response)


def test_a_no_copy_document_says_so_and_offers_no_form(
    client: Client, org: Organisation, register: Register
) -> None:
    document = register("SECRET//NO COPY")
    client.force_login(org.registrar)
    response = _page(client, document)
    assert "This document is marked NO COPY: no copies of it may be made." in text(response)
    assert "Request reproduction" not in text(response)
    _banners_say(response, "SECRET//NO COPY")


def test_a_custodian_requests_copies(client: Client, org: Organisation, document: Document) -> None:
    client.force_login(org.custodian)
    response = client.post(
        reverse("web:request-reproduction", args=[document.control_number]),
        {"copies": "3", "reason": "briefing of the new section"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("web:document", args=[document.control_number])
    made = Reproduction.objects.get()
    assert (made.requested_by_id, made.count, made.state) == (org.custodian.pk, 3, "pending")
    shown = client.get(response["Location"])
    assert (
        f"Reproduction request {made.short_reference} for 3 copies is waiting for an "
        "authority's decision; nothing is copied until it is approved."
    ) in text(shown)
    assert f"Request {made.short_reference}, awaiting a decision" in text(shown)
    assert "Carl Custodian (carl) asked on" in text(shown)
    # carl may withdraw it, not decide it.
    urls = _urls(made)
    assert f'action="{urls["withdraw"]}"' in body(shown)
    assert urls["approve"] not in body(shown)
    assert urls["refuse"] not in body(shown)
    entry = last_entry()
    assert (entry.kind, entry.actor_id) == ("reproduction.requested", org.custodian.pk)
    _banners_say(shown, "SECRET")


def test_a_no_copy_request_is_refused_with_that_reason_and_recorded(
    client: Client, org: Organisation, register: Register
) -> None:
    document = register("SECRET//NO COPY")
    client.force_login(org.registrar)
    response = client.post(
        reverse("web:request-reproduction", args=[document.control_number]),
        {"copies": "1", "reason": "archive"},
    )
    assert response.status_code == 403
    assert (
        "Refused: the marking SECRET//NO COPY carries NO COPY: no copies of it may be made."
        in text(response)
    )
    _refused(last_entry(), org.registrar, "reproduction:request")
    assert not Reproduction.objects.exists()
    _banners_say(response, "SECRET//NO COPY")


def test_someone_not_answerable_for_the_document_is_refused_with_the_reason(
    client: Client, org: Organisation, document: Document
) -> None:
    client.force_login(org.north_registrar)
    response = client.post(
        reverse("web:request-reproduction", args=[document.control_number]),
        {"copies": "1", "reason": "x"},
    )
    assert response.status_code == 403
    assert "Refused: the document belongs to a unit outside yours (HQ/NORTH)." in text(response)
    _refused(last_entry(), org.north_registrar, "reproduction:request")
    assert not Reproduction.objects.exists()


def test_bad_request_input_is_a_form_error_on_the_field(
    client: Client, org: Organisation, document: Document
) -> None:
    client.force_login(org.custodian)
    url = reverse("web:request-reproduction", args=[document.control_number])
    too_many = client.post(url, {"copies": "21", "reason": "x"})
    assert too_many.status_code == 400
    assert 'id="id_reproduction_copies_error"' in body(too_many)
    assert "The number of copies must be between 1 and 20." in text(too_many)
    no_reason = client.post(url, {"copies": "2", "reason": ""})
    assert no_reason.status_code == 400
    assert 'id="id_reproduction_reason_error"' in body(no_reason)
    not_a_number = client.post(url, {"copies": "many", "reason": "x"})
    assert not_a_number.status_code == 400
    assert "Enter a whole number." in text(not_a_number)
    for response in (too_many, no_reason, not_a_number):
        _banners_say(response, "SECRET")
    assert not Reproduction.objects.exists()


def test_requesting_for_a_hidden_document_reads_like_a_missing_document(
    client: Client, org: Organisation, document: Document
) -> None:
    missing = document.control_number[:-4] + "9999"
    client.force_login(org.worker)
    refused = client.post(
        reverse("web:request-reproduction", args=[document.control_number]),
        {"copies": "1", "reason": "x"},
    )
    entry = last_entry()
    absent = client.post(
        reverse("web:request-reproduction", args=[missing]), {"copies": "1", "reason": "x"}
    )
    assert refused.status_code == absent.status_code == 404
    assert without_csrf(body(refused)).replace(document.control_number, "X") == without_csrf(
        body(absent)
    ).replace(missing, "X")
    _refused(entry, org.worker, "document:view")
    assert not Reproduction.objects.exists()


# --- the pending panel: who is offered which button ------------------------------------------


def test_the_authority_is_offered_approve_and_refuse_with_the_numbers_to_come(
    client: Client, org: Organisation, document: Document, pending: Reproduction
) -> None:
    client.force_login(org.registrar)
    response = _page(client, document)
    assert response.status_code == 200
    page = text(response)
    assert f"Request {pending.short_reference}, awaiting a decision" in page
    assert "Reason: briefing of the new section" in page
    assert (
        "Approved, they become copies 8-10 of 10 in the registry, and every copy then reads "
        '"of 10".'
    ) in page
    urls = _urls(pending)
    assert f'action="{urls["approve"]}"' in body(response)
    assert f'action="{urls["refuse"]}"' in body(response)
    assert urls["withdraw"] not in body(response)
    assert 'name="expected_version" value="1"' in body(response)


def test_an_inspector_sees_the_request_without_buttons(
    client: Client, org: Organisation, document: Document, pending: Reproduction
) -> None:
    client.force_login(org.inspector)
    response = _page(client, document)
    assert f"Request {pending.short_reference}, awaiting a decision" in text(response)
    for url in _urls(pending).values():
        assert url not in body(response)


def test_a_cleared_bystander_does_not_see_the_request(
    client: Client, org: Organisation, document: Document, pending: Reproduction
) -> None:
    client.force_login(org.north_registrar)
    response = _page(client, document)
    assert response.status_code == 200
    assert pending.short_reference not in text(response)
    assert "No reproduction records you may see." in text(response)


# --- approve, refuse, withdraw ---------------------------------------------------------------


def test_the_authority_approves_and_the_copies_read_of_10(
    client: Client, org: Organisation, document: Document, pending: Reproduction
) -> None:
    client.force_login(org.registrar)
    response = client.post(
        _urls(pending)["approve"], {"expected_version": "1", "reason": "granted"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("web:document", args=[document.control_number])
    shown = client.get(response["Location"])
    page = text(shown)
    assert f"Approved {pending.short_reference}: copies 8-10 of 10 are in the registry." in page
    for number in range(1, 11):
        assert f"copy {number} of 10" in page
    assert "copy 1 of 7" not in page
    assert "reproduction approved" in page
    assert "copies 8-10 of 10 made for carl, into HQ registry" in page
    assert _numbers(document) == list(range(1, 11))
    row = _stored(pending)
    assert (row.state, row.decided_by_id, row.decision_note) == (
        "approved",
        org.registrar.pk,
        "granted",
    )
    _banners_say(shown, "SECRET")


def test_the_requester_cannot_approve_their_own_request(
    client: Client, org: Organisation, document: Document
) -> None:
    mine = reproductions.request_reproduction(document, copies=1, reason="x", by=org.registrar)
    client.force_login(org.registrar)
    page = _page(client, document)
    assert _urls(mine)["approve"] not in body(page)
    response = client.post(_urls(mine)["approve"], {"expected_version": "1"})
    assert response.status_code == 403
    assert (
        "Refused: the person who asked for the reproduction may not decide it; another "
        "registrar must." in text(response)
    )
    _refused(last_entry(), org.registrar, "reproduction:approve")
    assert _stored(mine).state == "pending"
    assert _numbers(document) == list(range(1, 8))
    _banners_say(response, "SECRET")


def test_the_authority_refuses_with_a_reason_and_no_copies_change(
    client: Client, org: Organisation, document: Document, pending: Reproduction
) -> None:
    client.force_login(org.registrar)
    response = client.post(
        _urls(pending)["refuse"], {"expected_version": "1", "reason": "enough copies"}
    )
    assert response.status_code == 302
    shown = client.get(response["Location"])
    assert f"Refused {pending.short_reference}; no copies were made." in text(shown)
    assert "asked for by carl; no copies made (reason: enough copies)" in text(shown)
    assert _stored(pending).state == "refused"
    assert _numbers(document) == list(range(1, 8))


def test_refusing_without_a_reason_says_so(
    client: Client, org: Organisation, document: Document, pending: Reproduction
) -> None:
    client.force_login(org.registrar)
    response = client.post(_urls(pending)["refuse"], {"expected_version": "1", "reason": " "})
    assert response.status_code == 400
    assert "A reason for refusing is required." in text(response)
    assert _stored(pending).state == "pending"
    _banners_say(response, "SECRET")


def test_the_requester_withdraws(
    client: Client, org: Organisation, document: Document, pending: Reproduction
) -> None:
    client.force_login(org.custodian)
    response = client.post(_urls(pending)["withdraw"], {"expected_version": "1"})
    assert response.status_code == 302
    assert f"Withdrew {pending.short_reference}; no copies were made." in text(
        client.get(response["Location"])
    )
    assert _stored(pending).state == "withdrawn"


def test_a_stale_form_is_a_conflict_with_a_notice(
    client: Client, org: Organisation, document: Document, pending: Reproduction
) -> None:
    """rita's page was drawn at version 1; meanwhile carl withdrew and asked again."""
    reproductions.withdraw_reproduction(_stored(pending), by=org.custodian)
    client.force_login(org.registrar)
    response = client.post(_urls(pending)["approve"], {"expected_version": "1"})
    assert response.status_code == 409
    assert f"Reproduction request {pending.short_reference} is already withdrawn." in text(response)
    assert _numbers(document) == list(range(1, 8))
    _banners_say(response, "SECRET")


def test_a_wrong_version_is_a_conflict(
    client: Client, org: Organisation, document: Document, pending: Reproduction
) -> None:
    client.force_login(org.registrar)
    response = client.post(_urls(pending)["approve"], {"expected_version": "7"})
    assert response.status_code == 409
    assert "was changed by someone else a moment ago" in text(response)
    assert _stored(pending).state == "pending"


def test_a_broken_decision_form_is_a_bad_request(
    client: Client, org: Organisation, pending: Reproduction
) -> None:
    client.force_login(org.registrar)
    response = client.post(_urls(pending)["approve"], {"expected_version": "x"})
    assert response.status_code == 400
    assert "The form was out of date; reload the page and try again." in text(response)
    assert _stored(pending).state == "pending"


@pytest.mark.parametrize("who", ["north_registrar", "worker"])
def test_deciding_a_request_one_may_not_see_reads_like_a_missing_one(
    client: Client, org: Organisation, pending: Reproduction, who: str
) -> None:
    actor = getattr(org, who)
    client.force_login(actor)
    other = "FFFFFFFF" if pending.short_reference != "FFFFFFFF" else "EEEEEEEE"
    refused = client.post(
        reverse("web:approve-reproduction", args=[pending.short_reference]),
        {"expected_version": "1"},
    )
    entry = last_entry()
    absent = client.post(
        reverse("web:approve-reproduction", args=[other]), {"expected_version": "1"}
    )
    assert refused.status_code == absent.status_code == 404
    assert f"No reproduction request {pending.short_reference}." in text(refused)
    assert without_csrf(body(refused)).replace(pending.short_reference, "X") == without_csrf(
        body(absent)
    ).replace(other, "X")
    _refused(entry, actor, "reproduction:view")
    assert _stored(pending).state == "pending"


# --- the list --------------------------------------------------------------------------------


def test_the_list_of_my_units_records(
    client: Client, org: Organisation, document: Document, pending: Reproduction
) -> None:
    refused = reproductions.request_reproduction(
        _document(document), copies=1, reason="spare", by=org.custodian
    )
    reproductions.refuse_reproduction(refused, by=org.registrar, reason="enough")
    client.force_login(org.registrar)
    response = client.get(reverse("web:reproductions"))
    assert response.status_code == 200
    page = text(response)
    assert pending.short_reference in page and refused.short_reference in page
    assert "awaiting a decision" in page and "refused" in page
    assert document.control_number in page
    _banners_say(response, "SECRET")
    only_pending = client.get(reverse("web:reproductions") + "?pending=1")
    assert pending.short_reference in text(only_pending)
    assert refused.short_reference not in text(only_pending)


def test_the_list_is_empty_for_someone_answerable_for_nothing_and_marked_lowest(
    client: Client, org: Organisation, pending: Reproduction
) -> None:
    client.force_login(org.reader)
    response = client.get(reverse("web:reproductions"))
    assert response.status_code == 200
    assert "No reproduction requests here." in text(response)
    assert pending.short_reference not in text(response)
    _banners_say(response, "UNCLASSIFIED")


def test_every_page_links_the_list(client: Client, org: Organisation) -> None:
    client.force_login(org.worker)
    assert f'href="{reverse("web:reproductions")}"' in body(client.get(reverse("web:dashboard")))
