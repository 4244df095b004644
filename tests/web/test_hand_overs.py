"""Hand-overs on the web: the panel and form on the copy page, the hand-over page with its
buttons, acknowledging, refusing, calling back, the list, the receipt and the scan field.

The scene: a CONFIDENTIAL document registered at HQ; carl (HQ custodian) has issued copy 1 to
rosa (NORTH staff, cleared CONFIDENTIAL), who hands it to nils (NORTH registrar, SECRET).
"""

from __future__ import annotations

import sys
import types
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from strongroom.ledger.models import LedgerEntry
from strongroom.models import Copy, HandOver
from strongroom.queries.hand_overs import qr_payload
from strongroom.services import custody, hand_overs
from tests.conftest import Organisation, last_entry
from tests.web.pages import banners, body, text, without_csrf

Register = Callable[..., Any]


def _copy(document: Any, number: int = 1) -> Copy:
    return Copy.objects.select_related("document__unit", "holder").get(
        document=document, number=number
    )


def _stored(hand_over: HandOver) -> HandOver:
    """The hand-over as stored now."""
    return HandOver.objects.select_related("resolved_by").get(pk=hand_over.pk)


def _missing_short(hand_over: HandOver) -> str:
    return "FFFFFFFF" if hand_over.short_reference != "FFFFFFFF" else "EEEEEEEE"


def _copy_urls(document: Any, number: int = 1) -> tuple[str, str]:
    args = [document.control_number, number]
    return reverse("web:copy", args=args), reverse("web:hand-over-copy", args=args)


def _urls(hand_over: HandOver) -> dict[str, str]:
    ref = str(hand_over.reference)
    return {
        name: reverse(f"web:{name}", args=[ref])
        for name in (
            "hand-over",
            "accept-hand-over",
            "refuse-hand-over",
            "cancel-hand-over",
            "hand-over-receipt",
        )
    }


def _banners_say(response: Any, marking: str) -> None:
    assert [(position, shown) for position, _, shown in banners(response)] == [
        ("top", marking),
        ("bottom", marking),
    ]


def _refused(entry: Any, actor: Any, action: str) -> None:
    assert entry.kind == "access.refused"
    assert entry.actor_id == actor.pk
    assert entry.data["action"] == action


def _refusals() -> int:
    return LedgerEntry.objects.filter(kind="access.refused").count()


@pytest.fixture
def document(org: Organisation, register: Register) -> Any:
    """A CONFIDENTIAL HQ document whose copy 1 rosa holds (copy version 2)."""
    document = register("CONFIDENTIAL")
    custody.issue_copy(_copy(document), to=org.reader, by=org.custodian)
    return document


@pytest.fixture
def pending(org: Organisation, document: Any) -> HandOver:
    """Rosa has sent copy 1 to nils; he has not acknowledged it yet (copy version 3)."""
    return hand_overs.dispatch_hand_over(_copy(document), to=org.north_registrar, by=org.reader)


# --- the copy page ---------------------------------------------------------------------------


def test_the_holder_is_offered_the_hand_over_form_on_the_copy_page(
    client: Client, org: Organisation, document: Any
) -> None:
    page_url, dispatch_url = _copy_urls(document)
    client.force_login(org.reader)
    response = client.get(page_url)
    assert response.status_code == 200
    assert "Hand this copy over" in text(response)
    assert f'action="{dispatch_url}"' in body(response)
    assert 'name="expected_version" value="2"' in body(response)
    assert "In hand-over" not in text(response)
    _banners_say(response, "CONFIDENTIAL")


def test_someone_who_does_not_hold_the_copy_is_not_offered_the_hand_over_form(
    client: Client, org: Organisation, document: Any
) -> None:
    page_url, dispatch_url = _copy_urls(document)
    for person in (org.custodian, org.registrar, org.north_registrar):
        client.force_login(person)
        response = client.get(page_url)
        assert response.status_code == 200
        assert "Hand this copy over" not in text(response), person.username
        assert dispatch_url not in body(response)
        _banners_say(response, "CONFIDENTIAL")


def test_a_copy_in_the_registry_offers_no_hand_over(
    client: Client, org: Organisation, document: Any
) -> None:
    page_url, _ = _copy_urls(document, 2)
    client.force_login(org.registrar)
    assert "Hand this copy over" not in text(client.get(page_url))


def test_the_holder_hands_the_copy_over(client: Client, org: Organisation, document: Any) -> None:
    _, dispatch_url = _copy_urls(document)
    client.force_login(org.reader)
    response = client.post(dispatch_url, {"recipient": "nils", "expected_version": "2"})
    assert response.status_code == 302
    sent = HandOver.objects.get()
    assert response["Location"] == reverse("web:hand-over", args=[sent.reference])
    shown = client.get(response["Location"])
    assert (
        f"{document.control_number}/1 is on its way to Nils North; it stays yours until they "
        f"acknowledge it. Receipt {sent.short_reference}."
    ) in text(shown)
    _banners_say(shown, "CONFIDENTIAL")
    copy = _copy(document)
    assert (copy.state, copy.holder_id, copy.location, copy.version) == (
        "in_hand_over",
        org.reader.pk,
        "in hand-over from rosa to nils",
        3,
    )
    assert (sent.sender_id, sent.recipient_id, sent.state) == (
        org.reader.pk,
        org.north_registrar.pk,
        "pending",
    )
    entry = last_entry()
    assert entry.kind == "hand_over.dispatched"
    assert entry.actor_id == org.reader.pk
    assert entry.subject == f"copy:{document.control_number}/1"
    assert entry.data["recipient"] == "nils"
    assert entry.data["hand_over"] == str(sent.reference)


def test_the_holder_may_set_an_earlier_deadline(
    client: Client, org: Organisation, document: Any
) -> None:
    _, dispatch_url = _copy_urls(document)
    due = (datetime.now(UTC) + timedelta(hours=3)).replace(second=0, microsecond=0)
    client.force_login(org.reader)
    response = client.post(
        dispatch_url,
        {
            "recipient": "nils",
            "expected_version": "2",
            # What a datetime-local field sends: the wall-clock time, in the installation's zone.
            "due_by": timezone.localtime(due).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    assert HandOver.objects.get().due_by == due


def test_handing_over_to_someone_not_cleared_is_refused_with_the_reason(
    client: Client, org: Organisation, document: Any
) -> None:
    _, dispatch_url = _copy_urls(document)
    client.force_login(org.reader)
    before = _refusals()
    response = client.post(dispatch_url, {"recipient": "wally", "expected_version": "2"})
    assert response.status_code == 403
    assert _refusals() == before + 1
    assert (
        "Refused: the recipient may not hold CONFIDENTIAL material: the person holds no "
        "clearance." in text(response)
    )
    # The form is drawn again for another try.
    assert "Hand this copy over" in text(response)
    _banners_say(response, "CONFIDENTIAL")
    _refused(last_entry(), org.reader, "hand_over:dispatch")
    copy = _copy(document)
    assert (copy.state, copy.holder_id, copy.version) == ("held", org.reader.pk, 2)
    assert not HandOver.objects.exists()


def test_only_the_holder_may_hand_a_copy_over(
    client: Client, org: Organisation, document: Any
) -> None:
    _, dispatch_url = _copy_urls(document)
    client.force_login(org.custodian)
    response = client.post(dispatch_url, {"recipient": "nils", "expected_version": "2"})
    assert response.status_code == 403
    assert "Refused: only the person who holds the copy may hand it over." in text(response)
    _refused(last_entry(), org.custodian, "hand_over:dispatch")
    assert _copy(document).state == "held"
    assert not HandOver.objects.exists()


def test_handing_over_a_copy_of_a_hidden_document_reads_like_a_missing_document(
    client: Client, org: Organisation, register: Register
) -> None:
    hidden = register("SECRET")
    custody.issue_copy(_copy(hidden), to=org.custodian, by=org.registrar)
    missing = hidden.control_number[:-4] + "9999"
    client.force_login(org.worker)
    refused = client.post(
        reverse("web:hand-over-copy", args=[hidden.control_number, 1]),
        {"recipient": "ines", "expected_version": "2"},
    )
    entry = last_entry()
    absent = client.post(
        reverse("web:hand-over-copy", args=[missing, 1]),
        {"recipient": "ines", "expected_version": "2"},
    )
    assert refused.status_code == absent.status_code == 404
    assert f"No document {hidden.control_number} in the register." in text(refused)
    assert without_csrf(body(refused)).replace(hidden.control_number, "X") == without_csrf(
        body(absent)
    ).replace(missing, "X")
    _refused(entry, org.worker, "document:view")
    assert last_entry().seq == entry.seq
    assert not HandOver.objects.exists()


def test_bad_hand_over_input_is_a_form_error_not_a_crash(
    client: Client, org: Organisation, document: Any, settings: Any
) -> None:
    settings.STRONGROOM_HAND_OVER_HOURS = 24
    _, dispatch_url = _copy_urls(document)
    client.force_login(org.reader)

    def post(**values: str) -> Any:
        return client.post(dispatch_url, {"recipient": "nils", "expected_version": "2", **values})

    unknown = post(recipient="nobody")
    assert unknown.status_code == 400
    assert 'id="id_recipient_error"' in body(unknown)
    assert "No person nobody." in text(unknown)
    garbage = post(expected_version="x")
    assert garbage.status_code == 400
    assert "Enter a whole number." in text(garbage)
    huge = post(expected_version=str(2**63))
    assert huge.status_code == 400
    assert "Ensure this value is less than or equal to 2147483647." in text(huge)
    not_a_time = post(due_by="tomorrow-ish")
    assert not_a_time.status_code == 400
    assert "Enter a valid date/time." in text(not_a_time)
    past = post(due_by=(datetime.now(UTC) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    assert past.status_code == 400
    assert 'id="id_due_by_error"' in body(past)
    assert "The deadline must be in the future." in text(past)
    too_far = post(due_by=(datetime.now(UTC) + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"))
    assert too_far.status_code == 400
    assert 'id="id_due_by_error"' in body(too_far)
    assert "The deadline may be at most 24 hours from now." in text(too_far)
    for response in (unknown, garbage, huge, not_a_time, past, too_far):
        _banners_say(response, "CONFIDENTIAL")
    assert not HandOver.objects.exists()
    assert _copy(document).version == 2


def test_a_copy_moved_since_the_form_was_drawn_is_a_conflict_with_a_notice(
    client: Client, org: Organisation, document: Any
) -> None:
    _, dispatch_url = _copy_urls(document)
    # While rosa's form (version 2) is open, she sends the copy and calls it back elsewhere.
    sent = hand_overs.dispatch_hand_over(_copy(document), to=org.north_registrar, by=org.reader)
    hand_overs.cancel_hand_over(sent, by=org.reader)
    client.force_login(org.reader)
    response = client.post(dispatch_url, {"recipient": "nils", "expected_version": "2"})
    assert response.status_code == 409
    assert "was moved by someone else a moment ago; reload it and try again." in text(response)
    assert 'name="expected_version" value="4"' in body(response)
    _banners_say(response, "CONFIDENTIAL")
    assert HandOver.objects.get().state == "cancelled"
    copy = _copy(document)
    assert (copy.state, copy.holder_id, copy.version) == ("held", org.reader.pk, 4)


def test_while_in_hand_over_the_copy_page_shows_the_panel_and_no_new_hand_over(
    client: Client, org: Organisation, document: Any, pending: HandOver
) -> None:
    page_url, dispatch_url = _copy_urls(document)
    for person in (org.reader, org.north_registrar, org.custodian):
        client.force_login(person)
        response = client.get(page_url)
        assert response.status_code == 200
        page = text(response)
        assert "In hand-over" in page
        assert "Sent by Rosa Reader to Nils North; to be acknowledged by" in page
        assert f"Open the hand-over {pending.short_reference}" in page
        assert reverse("web:hand-over-receipt", args=[pending.reference]) in body(response)
        assert "State in hand-over Holder Rosa Reader" in page
        assert "Hand this copy over" not in page
        assert dispatch_url not in body(response)
        _banners_say(response, "CONFIDENTIAL")


def test_handing_over_a_copy_already_in_hand_over_says_why(
    client: Client, org: Organisation, document: Any, pending: HandOver
) -> None:
    _, dispatch_url = _copy_urls(document)
    client.force_login(org.reader)
    response = client.post(dispatch_url, {"recipient": "carl", "expected_version": "3"})
    assert response.status_code == 400
    assert "only a copy that is held can be handed over" in text(response)
    assert HandOver.objects.count() == 1
    assert _stored(pending).recipient_id == org.north_registrar.pk


# --- the hand-over page: who is offered which button -----------------------------------------


def test_the_recipient_is_offered_acknowledge_and_refuse(
    client: Client, org: Organisation, document: Any, pending: HandOver
) -> None:
    urls = _urls(pending)
    client.force_login(org.north_registrar)
    response = client.get(urls["hand-over"])
    assert response.status_code == 200
    page = text(response)
    assert f"Hand-over {pending.short_reference}" in page
    assert f"Copy {document.control_number}/1 — copy 1 of 3" in page
    assert "From Rosa Reader (rosa, NORTH) To Nils North (nils, NORTH)" in page
    assert "State awaiting acknowledgement" in page
    assert f"Full reference {pending.reference}" in page
    assert "I have received this copy" in page
    assert f'action="{urls["accept-hand-over"]}"' in body(response)
    assert f'action="{urls["refuse-hand-over"]}"' in body(response)
    assert urls["cancel-hand-over"] not in body(response)
    assert "Call back" not in page
    assert urls["hand-over-receipt"] in body(response)
    _banners_say(response, "CONFIDENTIAL")


def test_the_sender_is_offered_only_the_call_back(
    client: Client, org: Organisation, pending: HandOver
) -> None:
    urls = _urls(pending)
    client.force_login(org.reader)
    response = client.get(urls["hand-over"])
    assert response.status_code == 200
    assert "I have received this copy" not in text(response)
    assert urls["accept-hand-over"] not in body(response)
    assert urls["refuse-hand-over"] not in body(response)
    assert f'action="{urls["cancel-hand-over"]}"' in body(response)
    assert "Call it back" in text(response)
    _banners_say(response, "CONFIDENTIAL")


def test_the_registry_of_the_unit_may_call_back_and_an_inspector_only_look(
    client: Client, org: Organisation, pending: HandOver
) -> None:
    urls = _urls(pending)
    client.force_login(org.custodian)
    custodian = client.get(urls["hand-over"])
    assert custodian.status_code == 200
    assert f'action="{urls["cancel-hand-over"]}"' in body(custodian)
    assert urls["accept-hand-over"] not in body(custodian)
    assert urls["refuse-hand-over"] not in body(custodian)

    client.force_login(org.inspector)
    inspector = client.get(urls["hand-over"])
    assert inspector.status_code == 200
    for name in ("accept-hand-over", "refuse-hand-over", "cancel-hand-over"):
        assert urls[name] not in body(inspector), name
    assert urls["hand-over-receipt"] in body(inspector)
    _banners_say(inspector, "CONFIDENTIAL")


def test_a_resolved_hand_over_offers_no_buttons(
    client: Client, org: Organisation, pending: HandOver
) -> None:
    hand_overs.accept_hand_over(pending, by=org.north_registrar)
    urls = _urls(pending)
    for person in (org.north_registrar, org.reader, org.custodian):
        client.force_login(person)
        response = client.get(urls["hand-over"])
        assert response.status_code == 200
        assert "State acknowledged" in text(response)
        assert "by nils" in text(response)
        for name in ("accept-hand-over", "refuse-hand-over", "cancel-hand-over"):
            assert urls[name] not in body(response), (person.username, name)


def test_the_hand_over_is_found_by_its_short_reference_in_the_address(
    client: Client, org: Organisation, pending: HandOver
) -> None:
    client.force_login(org.north_registrar)
    response = client.get(reverse("web:hand-over", args=[pending.short_reference.lower()]))
    assert response.status_code == 200
    assert f"Full reference {pending.reference}" in text(response)


ASK: dict[str, Callable[[Client, str], Any]] = {
    "page": lambda c, ref: c.get(reverse("web:hand-over", args=[ref])),
    "accept": lambda c, ref: c.post(
        reverse("web:accept-hand-over", args=[ref]), {"expected_version": "1"}
    ),
    "refuse": lambda c, ref: c.post(
        reverse("web:refuse-hand-over", args=[ref]), {"expected_version": "1", "reason": "x"}
    ),
    "cancel": lambda c, ref: c.post(
        reverse("web:cancel-hand-over", args=[ref]), {"expected_version": "1", "reason": "x"}
    ),
    "receipt": lambda c, ref: c.get(reverse("web:hand-over-receipt", args=[ref])),
}


@pytest.mark.parametrize("ask", ASK.values(), ids=ASK.keys())
def test_a_hand_over_of_a_hidden_document_reads_exactly_like_a_missing_one(
    client: Client, org: Organisation, pending: HandOver, ask: Callable[[Client, str], Any]
) -> None:
    short = pending.short_reference
    missing = _missing_short(pending)
    client.force_login(org.worker)

    refused = ask(client, short)
    entry = last_entry()
    absent = ask(client, missing)

    assert refused.status_code == absent.status_code == 404
    assert f"No hand-over {short}." in text(refused)
    assert f"No hand-over {missing}." in text(absent)
    assert without_csrf(body(refused)).replace(short, "X") == without_csrf(body(absent)).replace(
        missing, "X"
    )
    _refused(entry, org.worker, "hand_over:view")
    assert entry.subject == f"hand_over:{short}"
    # The full reference is not given away to someone who may not see the hand-over.
    assert str(pending.reference) not in body(refused)
    assert last_entry().seq == entry.seq
    assert _stored(pending).state == "pending"


def test_a_party_to_no_hand_over_of_the_unit_reads_it_as_missing(
    client: Client, org: Organisation, document: Any
) -> None:
    # Rosa sends the copy to carl; nils may see the document but is neither a party nor the
    # registry of HQ: the hand-over is none of his business.
    sent = hand_overs.dispatch_hand_over(_copy(document), to=org.custodian, by=org.reader)
    client.force_login(org.north_registrar)
    response = client.get(reverse("web:hand-over", args=[sent.short_reference]))
    assert response.status_code == 404
    assert f"No hand-over {sent.short_reference}." in text(response)
    _refused(last_entry(), org.north_registrar, "hand_over:view")


def test_a_reference_that_is_no_reference_is_a_clear_bad_request(
    client: Client, org: Organisation
) -> None:
    client.force_login(org.reader)
    response = client.get(reverse("web:hand-over", args=["not-a-reference"]))
    assert response.status_code == 400
    assert "'not-a-reference' is not a hand-over reference" in text(response)


# --- acknowledging ---------------------------------------------------------------------------


def test_the_recipient_acknowledges_and_the_copy_is_theirs(
    client: Client, org: Organisation, document: Any, pending: HandOver
) -> None:
    urls = _urls(pending)
    client.force_login(org.north_registrar)
    response = client.post(urls["accept-hand-over"], {"expected_version": "1"})
    assert response.status_code == 302
    assert response["Location"] == urls["hand-over"]
    shown = client.get(response["Location"])
    assert f"You have acknowledged {document.control_number}/1; it is now yours." in text(shown)
    _banners_say(shown, "CONFIDENTIAL")
    stored = _stored(pending)
    assert (stored.state, stored.resolved_by, stored.version) == (
        "accepted",
        org.north_registrar,
        2,
    )
    copy = _copy(document)
    assert (copy.state, copy.holder_id, copy.location) == (
        "held",
        org.north_registrar.pk,
        "with nils (NORTH)",
    )
    entry = last_entry()
    assert entry.kind == "hand_over.accepted"
    assert entry.actor_id == org.north_registrar.pk
    assert entry.data["hand_over"] == str(pending.reference)
    assert entry.data["holder"] == "nils"


def test_only_the_recipient_may_acknowledge(
    client: Client, org: Organisation, document: Any, pending: HandOver
) -> None:
    urls = _urls(pending)
    client.force_login(org.reader)
    before = _refusals()
    response = client.post(urls["accept-hand-over"], {"expected_version": "1"})
    assert response.status_code == 403
    assert _refusals() == before + 1
    assert "Refused: only the recipient named in the hand-over may acknowledge it." in text(
        response
    )
    _banners_say(response, "CONFIDENTIAL")
    _refused(last_entry(), org.reader, "hand_over:accept")
    assert _stored(pending).state == "pending"
    assert _copy(document).state == "in_hand_over"


def test_a_stale_hand_over_version_is_a_conflict_with_the_page_drawn_again(
    client: Client, org: Organisation, document: Any, pending: HandOver
) -> None:
    urls = _urls(pending)
    client.force_login(org.north_registrar)
    before = last_entry().seq
    response = client.post(urls["accept-hand-over"], {"expected_version": "7"})
    assert response.status_code == 409
    assert (
        f"Hand-over {pending.short_reference} was changed by someone else a moment ago; "
        "reload it and try again." in text(response)
    )
    # Drawn afresh, with the buttons that still apply.
    assert "I have received this copy" in text(response)
    _banners_say(response, "CONFIDENTIAL")
    assert _stored(pending).state == "pending"
    assert _copy(document).state == "in_hand_over"
    assert last_entry().seq == before


def test_acknowledging_a_hand_over_already_called_back_says_so(
    client: Client, org: Organisation, document: Any, pending: HandOver
) -> None:
    urls = _urls(pending)
    hand_overs.cancel_hand_over(pending, by=org.reader, reason="wrong person")
    client.force_login(org.north_registrar)
    response = client.post(urls["accept-hand-over"], {"expected_version": "1"})
    assert response.status_code == 400
    assert f"Hand-over {pending.short_reference} is already called back." in text(response)
    assert "I have received this copy" not in text(response)
    assert _copy(document).holder_id == org.reader.pk


def test_bad_resolve_input_is_a_form_error(
    client: Client, org: Organisation, pending: HandOver
) -> None:
    urls = _urls(pending)
    client.force_login(org.north_registrar)
    garbage = client.post(urls["accept-hand-over"], {"expected_version": "x"})
    assert garbage.status_code == 400
    assert "Enter a whole number." in text(garbage)
    long_reason = client.post(
        urls["refuse-hand-over"], {"expected_version": "1", "reason": "x" * 501}
    )
    assert long_reason.status_code == 400
    assert "Ensure this value has at most 500 characters (it has 501)." in text(long_reason)
    _banners_say(long_reason, "CONFIDENTIAL")
    assert _stored(pending).state == "pending"


# --- refusing and calling back ---------------------------------------------------------------


def test_the_recipient_refuses_and_the_copy_goes_back_to_the_sender(
    client: Client, org: Organisation, document: Any, pending: HandOver
) -> None:
    urls = _urls(pending)
    client.force_login(org.north_registrar)
    response = client.post(
        urls["refuse-hand-over"], {"expected_version": "1", "reason": "not for my desk"}
    )
    assert response.status_code == 302
    shown = client.get(response["Location"])
    assert f"You have refused {document.control_number}/1; it went back to the sender." in text(
        shown
    )
    assert "Reason given not for my desk" in text(shown)
    stored = _stored(pending)
    assert (stored.state, stored.resolved_by, stored.note) == (
        "refused",
        org.north_registrar,
        "not for my desk",
    )
    copy = _copy(document)
    assert (copy.state, copy.holder_id, copy.location) == (
        "held",
        org.reader.pk,
        "with rosa (NORTH)",
    )
    entry = last_entry()
    assert entry.kind == "hand_over.refused"
    assert entry.actor_id == org.north_registrar.pk
    assert entry.data["reason"] == "not for my desk"
    assert entry.data["holder"] == "rosa"


def test_only_the_recipient_may_refuse(
    client: Client, org: Organisation, document: Any, pending: HandOver
) -> None:
    client.force_login(org.custodian)
    response = client.post(
        _urls(pending)["refuse-hand-over"], {"expected_version": "1", "reason": "no"}
    )
    assert response.status_code == 403
    assert "Refused: only the recipient named in the hand-over may refuse it." in text(response)
    _refused(last_entry(), org.custodian, "hand_over:refuse")
    assert _stored(pending).state == "pending"


@pytest.mark.parametrize("who", ["reader", "custodian"], ids=["the-sender", "the-registry"])
def test_the_sender_or_the_registry_calls_it_back(
    client: Client, org: Organisation, document: Any, pending: HandOver, who: str
) -> None:
    person = getattr(org, who)
    urls = _urls(pending)
    client.force_login(person)
    response = client.post(
        urls["cancel-hand-over"], {"expected_version": "1", "reason": "wrong recipient"}
    )
    assert response.status_code == 302
    assert response["Location"] == urls["hand-over"]
    shown = client.get(response["Location"])
    assert f"{document.control_number}/1 is called back to its sender." in text(shown)
    assert "State called back" in text(shown)
    stored = _stored(pending)
    assert (stored.state, stored.resolved_by, stored.note) == (
        "cancelled",
        person,
        "wrong recipient",
    )
    copy = _copy(document)
    assert (copy.state, copy.holder_id) == ("held", org.reader.pk)
    entry = last_entry()
    assert entry.kind == "hand_over.cancelled"
    assert entry.actor_id == person.pk
    assert entry.data["holder"] == "rosa"


def test_an_inspector_may_not_call_it_back(
    client: Client, org: Organisation, document: Any, pending: HandOver
) -> None:
    # The inspector is offered no form here, yet the page must still say why it refused.
    client.force_login(org.inspector)
    response = client.post(
        _urls(pending)["cancel-hand-over"], {"expected_version": "1", "reason": "audit"}
    )
    assert response.status_code == 403
    _refused(last_entry(), org.inspector, "hand_over:cancel")
    assert _stored(pending).state == "pending"
    assert _copy(document).state == "in_hand_over"
    _banners_say(response, "CONFIDENTIAL")
    assert "Refused: this needs the role of registrar or custodian." in text(response)


# --- the list --------------------------------------------------------------------------------


def test_the_lists_of_hand_overs_sent_to_me_by_me_and_of_my_units(
    client: Client, org: Organisation, document: Any, pending: HandOver
) -> None:
    url = reverse("web:hand-overs")
    page_link = reverse("web:hand-over", args=[pending.reference])

    client.force_login(org.north_registrar)
    incoming = client.get(url)
    assert incoming.status_code == 200
    assert page_link in body(incoming)
    assert f"{pending.short_reference} {document.control_number}/1" in text(incoming)
    assert "Rosa Reader Nils North" in text(incoming)
    assert "awaiting acknowledgement" in text(incoming)
    _banners_say(incoming, "CONFIDENTIAL")
    assert page_link not in body(client.get(url, {"box": "outgoing"}))

    client.force_login(org.reader)
    assert page_link in body(client.get(url, {"box": "outgoing"}))
    nothing = client.get(url)
    assert "No hand-overs here." in text(nothing)
    _banners_say(nothing, "UNCLASSIFIED")

    client.force_login(org.custodian)
    assert page_link in body(client.get(url, {"box": "unit"}))
    client.force_login(org.worker)
    assert "No hand-overs here." in text(client.get(url, {"box": "unit"}))


def test_the_list_filters_pending_and_shrugs_off_a_bad_box(
    client: Client, org: Organisation, pending: HandOver
) -> None:
    url = reverse("web:hand-overs")
    page_link = reverse("web:hand-over", args=[pending.reference])
    hand_overs.accept_hand_over(pending, by=org.north_registrar)
    client.force_login(org.north_registrar)
    assert page_link in body(client.get(url))
    assert page_link not in body(client.get(url, {"pending": "1"}))
    nonsense = client.get(url, {"box": "everything"})
    assert nonsense.status_code == 200
    assert page_link in body(nonsense)


# --- the receipt -----------------------------------------------------------------------------


def test_the_receipt_is_a_pdf(client: Client, org: Organisation, pending: HandOver) -> None:
    for person in (org.reader, org.north_registrar, org.custodian):
        client.force_login(person)
        response = client.get(_urls(pending)["hand-over-receipt"])
        assert response.status_code == 200, person.username
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert (
            f'filename="hand-over-{pending.short_reference}.pdf"' in response["Content-Disposition"]
        )


class _NoPango(types.ModuleType):
    """WeasyPrint as it behaves without the system's Pango: importing it fails with OSError."""

    def __getattr__(self, name: str) -> Any:
        raise OSError("cannot load library 'libpango-1.0-0'")


def test_a_receipt_without_pango_is_a_clear_message_not_a_crash(
    client: Client, org: Organisation, pending: HandOver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", _NoPango("weasyprint"))
    client.force_login(org.reader)
    response = client.get(_urls(pending)["hand-over-receipt"])
    assert response.status_code not in (200, 500)
    assert response["Content-Type"].startswith("text/html")
    assert "PDF printing is not available here: cannot load library 'libpango-1.0-0'." in text(
        response
    )
    assert "Install Pango" in text(response)


# --- the scan field --------------------------------------------------------------------------


def test_scanning_a_receipt_opens_its_hand_over(
    client: Client, org: Organisation, pending: HandOver
) -> None:
    client.force_login(org.north_registrar)
    hand_over_url = reverse("web:hand-over", args=[pending.reference])
    payload = qr_payload(pending)
    assert payload == f"strongroom:hand-over:{pending.reference}"
    for code in (payload, payload.upper(), pending.short_reference):
        response = client.get(reverse("web:scan"), {"code": code})
        assert response.status_code == 302, code
        assert response["Location"] == hand_over_url


def test_typing_a_copy_reference_opens_the_copy_and_a_control_number_the_document(
    client: Client, org: Organisation, document: Any
) -> None:
    client.force_login(org.reader)
    control = document.control_number
    to_copy = client.get(reverse("web:scan"), {"code": f"{control}/2"})
    assert to_copy.status_code == 302
    assert to_copy["Location"] == reverse("web:copy", args=[control, 2])
    to_document = client.get(reverse("web:scan"), {"code": f" {control} "})
    assert to_document.status_code == 302
    assert to_document["Location"] == reverse("web:document", args=[control])


def test_the_scan_field_is_on_the_list_and_an_empty_scan_goes_back_to_it(
    client: Client, org: Organisation
) -> None:
    client.force_login(org.reader)
    listing = client.get(reverse("web:hand-overs"))
    assert f'action="{reverse("web:scan")}"' in body(listing)
    assert 'name="code"' in body(listing)
    empty = client.get(reverse("web:scan"), {"code": ""})
    assert empty.status_code == 302
    assert empty["Location"] == reverse("web:hand-overs")


@pytest.mark.parametrize(
    "page",
    ["web:dashboard", "web:hand-overs", "web:check-outs", "web:transits", "web:campaigns",
     "web:reproductions"],
)  # fmt: skip
def test_every_desk_page_has_the_scan_field(client: Client, org: Organisation, page: str) -> None:
    """Where a desk receives, returns or lends paper, a scanner's code can be typed straight in."""
    client.force_login(org.registrar)
    listing = client.get(reverse(page))
    assert listing.status_code == 200
    assert f'action="{reverse("web:scan")}"' in body(listing)
    assert 'name="code"' in body(listing)


def test_scanning_a_hidden_hand_over_reads_like_scanning_a_missing_one(
    client: Client, org: Organisation, pending: HandOver
) -> None:
    client.force_login(org.worker)
    payload = qr_payload(pending)
    unknown = uuid.uuid4()
    missing = f"strongroom:hand-over:{unknown}"
    refused = client.get(reverse("web:scan"), {"code": payload})
    entry = last_entry()
    absent = client.get(reverse("web:scan"), {"code": missing})
    assert refused.status_code == absent.status_code == 404
    # Both say "No hand-over <reference>." with the reference as scanned.
    shown = str(pending.reference).upper()
    assert f"No hand-over {shown}." in body(refused)
    assert without_csrf(body(refused)).replace(shown, "X") == without_csrf(body(absent)).replace(
        str(unknown).upper(), "X"
    )
    _refused(entry, org.worker, "hand_over:view")
    assert last_entry().seq == entry.seq
