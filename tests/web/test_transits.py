"""Transits on the web: the "Send to another unit" form on the copy page, the transit page with
"Receive" and "Receipt returned", the lists (suspense, late), the record and receipt, scanning.

The scene (tests/transport.py): a SECRET HQ document; carl (HQ custodian) is authorised to carry
up to SECRET; rita (HQ registrar) sends copy 1 to NORTH with him; nils (NORTH registrar) receives.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from strongroom.adapters import clock
from strongroom.ledger.models import LedgerEntry
from strongroom.models import Transit
from strongroom.queries.transits import qr_payload
from strongroom.services import transits
from tests.conftest import Organisation, last_entry
from tests.transport import INNER, OUTER, authorise, copy_of, send, stored
from tests.web.pages import banners, body, text, without_csrf

Register = Callable[..., Any]


def _banners_say(response: Any, marking: str) -> None:
    assert [(position, shown) for position, _, shown in banners(response)] == [
        ("top", marking),
        ("bottom", marking),
    ]


def _refused(entry: Any, actor: Any, action: str) -> None:
    assert (entry.kind, entry.actor_id) == ("access.refused", actor.pk)
    assert entry.data["action"] == action


def _refusals() -> int:
    return LedgerEntry.objects.filter(kind="access.refused").count()


def _copy_urls(document: Any, number: int = 1) -> tuple[str, str]:
    args = [document.control_number, number]
    return reverse("web:copy", args=args), reverse("web:send-copy", args=args)


def _urls(transit: Transit) -> dict[str, str]:
    ref = str(transit.reference)
    names = ("transit", "receive-transit", "confirm-transit-receipt", "transit-receipt")
    return {name: reverse(f"web:{name}", args=[ref]) for name in names}


def _form(**values: str) -> dict[str, str]:
    return {
        "to_unit": "NORTH",
        "courier": "carl",
        "inner_wrapping": INNER,
        "outer_wrapping": OUTER,
        "expected_version": "1",
        **values,
    }


@pytest.fixture
def document(org: Organisation, register: Register) -> Any:
    authorise(org, org.custodian)
    return register("SECRET")


@pytest.fixture
def sent(org: Organisation, document: Any) -> Transit:
    return send(org, document)


# --- the copy page ----------------------------------------------------------------------------


def test_the_registry_is_offered_the_send_form(
    client: Client, org: Organisation, document: Any
) -> None:
    page_url, send_url = _copy_urls(document)
    client.force_login(org.registrar)
    response = client.get(page_url)
    assert response.status_code == 200
    page = text(response)
    assert "Send to another unit" in page
    assert f'action="{send_url}"' in body(response)
    assert 'value="opaque envelope marked SECRET, sealed"' in body(response)
    # Every unit but the one whose registry has it; the authorised courier is suggested.
    assert '<option value="NORTH">' in body(response)
    assert '<option value="HQ">' not in body(response)
    assert '<option value="carl">Carl Custodian (HQ), up to SECRET until' in body(response)
    _banners_say(response, "SECRET")


def test_someone_who_does_not_answer_for_the_copy_is_not_offered_it(
    client: Client, org: Organisation, document: Any
) -> None:
    page_url, send_url = _copy_urls(document)
    for person in (org.north_registrar, org.inspector):
        client.force_login(person)
        response = client.get(page_url)
        assert response.status_code == 200
        assert "Send to another unit" not in text(response), person.username
        assert send_url not in body(response)


def test_the_registry_sends_a_copy(client: Client, org: Organisation, document: Any) -> None:
    _, send_url = _copy_urls(document)
    client.force_login(org.registrar)
    response = client.post(send_url, _form())
    assert response.status_code == 302
    transit = Transit.objects.get()
    assert response["Location"] == reverse("web:transit", args=[transit.reference])
    shown = client.get(response["Location"])
    assert (
        f"{document.control_number}/1 is on its way to the registry of NORTH with Carl "
        f"Custodian, who answers for it until it is received. Print the record "
        f"{transit.short_reference} to go with it."
    ) in text(shown)
    _banners_say(shown, "SECRET")
    copy = copy_of(document)
    assert (copy.state, copy.holder_id, copy.location) == (
        "in_transit",
        org.custodian.pk,
        "in transit from HQ to NORTH with carl",
    )
    entry = last_entry()
    assert (entry.kind, entry.actor_id) == ("transit.dispatched", org.registrar.pk)
    assert entry.data["transit"] == str(transit.reference)


def test_the_expected_arrival_is_read_in_the_installations_zone(
    client: Client, org: Organisation, document: Any
) -> None:
    _, send_url = _copy_urls(document)
    expected = (datetime.now(UTC) + timedelta(hours=5)).replace(second=0, microsecond=0)
    client.force_login(org.registrar)
    local = timezone.localtime(expected).strftime("%Y-%m-%dT%H:%M")
    response = client.post(send_url, _form(expected_by=local))
    assert response.status_code == 302
    assert Transit.objects.get().expected_by == expected


def test_an_unauthorised_courier_is_refused_with_the_reason(
    client: Client, org: Organisation, document: Any
) -> None:
    _, send_url = _copy_urls(document)
    client.force_login(org.registrar)
    before = _refusals()
    response = client.post(send_url, _form(courier="ines"))
    assert response.status_code == 403
    assert (
        "Refused: the courier is not authorised to carry SECRET material: no courier "
        "authorisation on record." in text(response)
    )
    assert "Send to another unit" in text(response)  # drawn again for another try
    assert _refusals() == before + 1
    _refused(last_entry(), org.registrar, "transit:send")
    assert copy_of(document).state == "in_registry"
    assert not Transit.objects.exists()
    _banners_say(response, "SECRET")


def test_bad_input_is_a_form_error_not_a_crash(
    client: Client, org: Organisation, document: Any
) -> None:
    _, send_url = _copy_urls(document)
    client.force_login(org.registrar)
    unknown = client.post(send_url, _form(courier="nobody"))
    assert unknown.status_code == 400
    assert 'id="id_courier_error"' in body(unknown)
    assert "No person nobody." in text(unknown)
    marked = client.post(send_url, _form(outer_wrapping="envelope marked SECRET"))
    assert marked.status_code == 400
    assert 'id="id_outer_wrapping_error"' in body(marked)
    assert "The outer wrapping must show no marking" in text(marked)
    same_unit = client.post(send_url, _form(to_unit="HQ"))
    assert same_unit.status_code == 400
    assert 'id="id_to_unit_error"' in body(same_unit)
    late = client.post(
        send_url,
        _form(expected_by=(datetime.now(UTC) + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")),
    )
    assert late.status_code == 400
    assert "The deadline may be at most 72 hours from now." in text(late)
    for response in (unknown, marked, same_unit, late):
        _banners_say(response, "SECRET")
    assert not Transit.objects.exists()


def test_a_copy_moved_since_the_form_was_drawn_is_a_conflict(
    client: Client, org: Organisation, document: Any
) -> None:
    _, send_url = _copy_urls(document)
    from strongroom.services import custody

    custody.issue_copy(copy_of(document), to=org.inspector, by=org.registrar)
    custody.return_copy(copy_of(document), by=org.registrar)
    client.force_login(org.registrar)
    response = client.post(send_url, _form(expected_version="1"))
    assert response.status_code == 409
    assert "was moved by someone else a moment ago" in text(response)
    assert not Transit.objects.exists()


def test_sending_a_hidden_copy_reads_like_a_missing_document(
    client: Client, org: Organisation, document: Any
) -> None:
    missing = document.control_number[:-4] + "9999"
    client.force_login(org.worker)
    refused = client.post(_copy_urls(document)[1], _form())
    absent = client.post(reverse("web:send-copy", args=[missing, 1]), _form())
    assert refused.status_code == absent.status_code == 404
    assert without_csrf(body(refused)).replace(document.control_number, "X") == without_csrf(
        body(absent)
    ).replace(missing, "X")
    assert not Transit.objects.exists()


def test_while_in_transit_the_copy_page_shows_the_panel_and_no_forms(
    client: Client, org: Organisation, document: Any, sent: Transit
) -> None:
    page_url, send_url = _copy_urls(document)
    for person in (org.registrar, org.north_registrar, org.custodian):
        client.force_login(person)
        response = client.get(page_url)
        assert response.status_code == 200
        page = text(response)
        assert "In transit" in page
        assert "Sent from the registry of HQ to the registry of NORTH with Carl Custodian" in page
        assert f"Open the transit {sent.short_reference}" in page
        assert "State in transit Holder Carl Custodian" in page
        assert send_url not in body(response)
        assert reverse("web:issue-copy", args=[document.control_number, 1]) not in body(response)
        _banners_say(response, "SECRET")


# --- the transit page ---------------------------------------------------------------------------


def test_the_destination_is_offered_receive(
    client: Client, org: Organisation, document: Any, sent: Transit
) -> None:
    urls = _urls(sent)
    client.force_login(org.north_registrar)
    response = client.get(urls["transit"])
    assert response.status_code == 200
    page = text(response)
    assert f"Transit {sent.short_reference}" in page
    assert (
        "From the registry of HQ — Headquarters To the registry of NORTH — North Province" in page
    )
    assert f"Inner wrapping (marked) {INNER}" in page
    assert f"Outer wrapping (unmarked) {OUTER}" in page
    assert "State in transit" in page
    assert f'action="{urls["receive-transit"]}"' in body(response)
    assert urls["confirm-transit-receipt"] not in body(response)
    assert urls["transit-receipt"] in body(response)
    _banners_say(response, "SECRET")


@pytest.mark.parametrize("who", ["registrar", "custodian", "inspector"])
def test_the_sender_the_courier_and_an_inspector_may_only_look(
    client: Client, org: Organisation, sent: Transit, who: str
) -> None:
    urls = _urls(sent)
    client.force_login(getattr(org, who))
    response = client.get(urls["transit"])
    assert response.status_code == 200
    assert urls["receive-transit"] not in body(response)
    assert urls["confirm-transit-receipt"] not in body(response)


def test_the_destination_receives_it(
    client: Client, org: Organisation, document: Any, sent: Transit
) -> None:
    urls = _urls(sent)
    client.force_login(org.north_registrar)
    response = client.post(urls["receive-transit"], {"expected_version": "1"})
    assert response.status_code == 302
    shown = client.get(response["Location"])
    assert (
        f"{document.control_number}/1 is received into the registry of NORTH, which answers for "
        "it from now on. Sign the receipt and send it back to HQ."
    ) in text(shown)
    assert "State received, receipt not yet back" in text(shown)
    copy = copy_of(document)
    assert (copy.state, copy.holder_id, copy.location, copy.unit_id) == (
        "in_registry",
        None,
        "NORTH registry",
        org.north.pk,
    )
    assert last_entry().kind == "transit.received"
    # ...and the receiving registry is now offered the copy's forms.
    page = client.get(_copy_urls(document)[0])
    assert "Issue this copy" in text(page) and "Send to another unit" in text(page)


def test_the_courier_may_not_receive_it_and_is_told_why(
    client: Client, org: Organisation, sent: Transit
) -> None:
    urls = _urls(sent)
    client.force_login(org.custodian)
    response = client.post(urls["receive-transit"], {"expected_version": "1"})
    assert response.status_code == 403
    assert "Refused: the courier may not sign for the copy they carried." in text(response)
    _refused(last_entry(), org.custodian, "transit:receive")
    assert stored(sent).state == "in_transit"


def test_a_stale_page_is_a_conflict(client: Client, org: Organisation, sent: Transit) -> None:
    urls = _urls(sent)
    client.force_login(org.north_registrar)
    response = client.post(urls["receive-transit"], {"expected_version": "7"})
    assert response.status_code == 409
    assert f"Transit {sent.short_reference} was changed by someone else" in text(response)
    assert stored(sent).state == "in_transit"


def test_the_sender_confirms_the_receipt_came_back(
    client: Client, org: Organisation, sent: Transit
) -> None:
    urls = _urls(sent)
    transits.receive_transit(stored(sent), by=org.north_registrar)
    client.force_login(org.registrar)
    page = client.get(urls["transit"])
    assert f'action="{urls["confirm-transit-receipt"]}"' in body(page)
    response = client.post(urls["confirm-transit-receipt"], {"expected_version": "2"})
    assert response.status_code == 302
    shown = client.get(response["Location"])
    assert f"The receipt for {sent.copy.reference} is back; the transit is closed." in text(shown)
    assert "State receipt returned" in text(shown)
    assert urls["confirm-transit-receipt"] not in body(shown)
    assert stored(sent).state == "receipt_returned"


def test_confirming_before_receipt_says_why(
    client: Client, org: Organisation, sent: Transit
) -> None:
    client.force_login(org.registrar)
    response = client.post(_urls(sent)["confirm-transit-receipt"], {"expected_version": "1"})
    assert response.status_code == 400
    assert "has not been received yet" in text(response)


def test_a_hidden_transit_reads_like_a_missing_one(
    client: Client, org: Organisation, sent: Transit
) -> None:
    client.force_login(org.worker)
    before = _refusals()
    hidden = client.get(reverse("web:transit", args=[sent.short_reference]))
    missing = "FFFFFFFF" if sent.short_reference != "FFFFFFFF" else "EEEEEEEE"
    absent = client.get(reverse("web:transit", args=[missing]))
    assert hidden.status_code == absent.status_code == 404
    assert f"No transit {sent.short_reference}." in text(hidden)
    assert text(hidden).replace(sent.short_reference, "X") == text(absent).replace(missing, "X")
    assert _refusals() == before + 1
    posted = client.post(_urls(sent)["receive-transit"], {"expected_version": "1"})
    assert posted.status_code == 404


# --- lists, the receipt, scanning -------------------------------------------------------------


def test_the_lists_with_the_suspense_list_and_the_late_ones(
    client: Client, org: Organisation, document: Any
) -> None:
    t0 = datetime.now(UTC) + timedelta(hours=1)
    closed = send(org, document, 1, at=t0)
    waiting = send(org, document, 2, at=t0, expected_by=t0 + timedelta(hours=2))
    transits.receive_transit(stored(closed), by=org.north_registrar)
    transits.confirm_receipt(stored(closed), by=org.registrar)
    client.force_login(org.registrar)
    url = reverse("web:transits")

    everything = client.get(url)
    assert everything.status_code == 200
    assert closed.short_reference in text(everything)
    assert waiting.short_reference in text(everything)
    _banners_say(everything, "SECRET")
    suspense = client.get(url, {"box": "outgoing", "suspense": "1"})
    assert waiting.short_reference in text(suspense)
    assert closed.short_reference not in text(suspense)
    with clock.frozen(t0 + timedelta(hours=3)):
        late = client.get(url, {"late": "1"})
    assert waiting.short_reference in text(late)
    assert closed.short_reference not in text(late)
    client.force_login(org.worker)
    nothing = client.get(url, {"box": "nonsense"})
    assert nothing.status_code == 200
    assert "No transits here." in text(nothing)


def test_the_record_and_receipt_is_a_pdf(client: Client, org: Organisation, sent: Transit) -> None:
    client.force_login(org.north_registrar)
    response = client.get(_urls(sent)["transit-receipt"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="transit-{sent.short_reference}.pdf"' in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize("scanned", ["payload", "short"])
def test_scanning_a_receipt_opens_the_transit(
    client: Client, org: Organisation, sent: Transit, scanned: str
) -> None:
    code = qr_payload(sent) if scanned == "payload" else sent.short_reference
    client.force_login(org.north_registrar)
    response = client.get(reverse("web:scan"), {"code": code})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:transit", args=[sent.reference])


def test_the_menu_leads_to_transits_and_couriers(client: Client, org: Organisation) -> None:
    client.force_login(org.registrar)
    page = body(client.get(reverse("web:dashboard")))
    assert f'href="{reverse("web:transits")}"' in page
    assert f'href="{reverse("web:couriers")}"' in page


def test_the_destination_sees_on_its_dashboard_what_is_on_its_way(
    client: Client, org: Organisation, document: Any, sent: Transit
) -> None:
    client.force_login(org.north_registrar)
    response = client.get(reverse("web:dashboard"))
    page = text(response)
    assert "Copies on their way to your registry" in page
    assert (
        f"{document.control_number}/1 Directive 12 — from HQ to NORTH with Carl Custodian" in page
    )
    assert reverse("web:transit", args=[sent.reference]) in body(response)
    _banners_say(response, "SECRET")
    # The courier sees it among the copies he holds; once received, it is on no one's way.
    client.force_login(org.custodian)
    assert f"{document.control_number}/1" in text(client.get(reverse("web:dashboard")))
    transits.receive_transit(stored(sent), by=org.north_registrar)
    client.force_login(org.north_registrar)
    assert "Copies on their way" not in text(client.get(reverse("web:dashboard")))
