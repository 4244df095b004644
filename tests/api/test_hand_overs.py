"""Hand-overs through the API: dispatch, read, acknowledge, refuse, call back, list, receipt.

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
from rest_framework.test import APIClient

from strongroom.ledger.models import LedgerEntry
from strongroom.models import Copy, HandOver
from strongroom.queries.hand_overs import qr_payload
from strongroom.services import custody, hand_overs
from tests.api.conftest import error_of
from tests.conftest import Organisation, last_entry

HAND_OVERS = "/api/v1/hand-overs/"


def url(hand_over: HandOver | str, action: str = "") -> str:
    ref = hand_over if isinstance(hand_over, str) else str(hand_over.reference)
    return f"{HAND_OVERS}{ref}/{action}"


def _copy(document: Any, number: int = 1) -> Copy:
    return Copy.objects.select_related("document__unit", "holder").get(
        document=document, number=number
    )


def _stored(hand_over: HandOver) -> HandOver:
    return HandOver.objects.select_related("resolved_by").get(pk=hand_over.pk)


def _refused(entry: Any, actor: Any, action: str) -> None:
    assert (entry.kind, entry.actor_id) == ("access.refused", actor.pk)
    assert entry.data["action"] == action


def _missing_short(hand_over: HandOver) -> str:
    return "FFFFFFFF" if hand_over.short_reference != "FFFFFFFF" else "EEEEEEEE"


@pytest.fixture
def document(org: Organisation, register: Callable[..., Any]) -> Any:
    """A CONFIDENTIAL HQ document whose copy 1 rosa holds (copy version 2)."""
    document = register("CONFIDENTIAL")
    custody.issue_copy(_copy(document), to=org.reader, by=org.custodian)
    return document


@pytest.fixture
def pending(org: Organisation, document: Any) -> HandOver:
    """Rosa has sent copy 1 to nils; he has not acknowledged it yet (copy version 3)."""
    return hand_overs.dispatch_hand_over(_copy(document), to=org.north_registrar, by=org.reader)


# --- dispatch --------------------------------------------------------------------------------


def test_the_holder_dispatches_a_copy(org: Organisation, document: Any, client_for: Any) -> None:
    copy_ref = f"{document.control_number}/1"
    response = client_for(org.reader).post(
        HAND_OVERS, {"copy": copy_ref, "to": "nils", "expected_version": 2}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    sent = HandOver.objects.get()
    assert body["reference"] == str(sent.reference)
    assert body["short_reference"] == sent.short_reference
    assert (body["copy"], body["copy_label"], body["marking"]) == (
        copy_ref,
        "copy 1 of 3",
        "CONFIDENTIAL",
    )
    assert (body["sender"], body["recipient"], body["state"], body["version"]) == (
        "rosa",
        "nils",
        "pending",
        1,
    )
    assert (body["resolved_at"], body["resolved_by"], body["note"]) == (None, None, "")
    assert body["receipt"] == f"/api/v1/hand-overs/{sent.reference}/receipt.pdf"
    copy = _copy(document)
    assert (copy.state, copy.holder_id, copy.version) == ("in_hand_over", org.reader.pk, 3)
    assert (sent.sender_id, sent.recipient_id, sent.state) == (
        org.reader.pk,
        org.north_registrar.pk,
        "pending",
    )
    entry = last_entry()
    assert (entry.kind, entry.actor_id, entry.subject) == (
        "hand_over.dispatched",
        org.reader.pk,
        f"copy:{copy_ref}",
    )
    assert entry.data["recipient"] == "nils"


def test_dispatch_with_a_deadline(
    org: Organisation, document: Any, client_for: Any, settings: Any
) -> None:
    settings.STRONGROOM_HAND_OVER_HOURS = 24
    due = (datetime.now(UTC) + timedelta(hours=5)).replace(microsecond=0)
    response = client_for(org.reader).post(
        HAND_OVERS,
        {"copy": f"{document.control_number}/1", "to": "nils", "due_by": due.isoformat()},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert HandOver.objects.get().due_by == due


def test_only_the_holder_may_dispatch_and_the_refusal_is_recorded(
    org: Organisation, document: Any, client_for: Any
) -> None:
    response = client_for(org.custodian).post(
        HAND_OVERS, {"copy": f"{document.control_number}/1", "to": "nils"}, format="json"
    )
    error = error_of(response, 403, "forbidden")
    assert error["message"] == "Refused: only the person who holds the copy may hand it over."
    _refused(last_entry(), org.custodian, "hand_over:dispatch")
    assert not HandOver.objects.exists()
    assert _copy(document).state == "held"


def test_a_copy_is_not_dispatched_to_someone_not_cleared(
    org: Organisation, document: Any, client_for: Any
) -> None:
    response = client_for(org.reader).post(
        HAND_OVERS, {"copy": f"{document.control_number}/1", "to": "wally"}, format="json"
    )
    error = error_of(response, 403, "forbidden")
    assert error["message"] == (
        "Refused: the recipient may not hold CONFIDENTIAL material: the person holds no clearance."
    )
    _refused(last_entry(), org.reader, "hand_over:dispatch")
    assert not HandOver.objects.exists()
    copy = _copy(document)
    assert (copy.state, copy.holder_id, copy.version) == ("held", org.reader.pk, 2)


def test_dispatching_a_copy_of_a_hidden_document_is_byte_for_byte_a_missing_one(
    org: Organisation, register: Callable[..., Any], client_for: Any
) -> None:
    # A hidden copy named in the body is bad input on "copy", word for word a missing one.
    hidden = register("SECRET")
    custody.issue_copy(_copy(hidden), to=org.custodian, by=org.registrar)
    missing = hidden.control_number[:-4] + "9999"
    worker = client_for(org.worker)
    refusals_before = LedgerEntry.objects.filter(kind="access.refused").count()

    refused = worker.post(
        HAND_OVERS, {"copy": f"{hidden.control_number}/1", "to": "ines"}, format="json"
    )
    absent = worker.post(HAND_OVERS, {"copy": f"{missing}/1", "to": "ines"}, format="json")

    assert not HandOver.objects.exists()
    assert LedgerEntry.objects.filter(kind="access.refused").count() == refusals_before + 1
    _refused(
        LedgerEntry.objects.filter(kind="access.refused").order_by("seq").last(),
        org.worker,
        "document:view",
    )
    # A name in the body that resolves to nothing is bad input in that field...
    missing_error = error_of(absent, 400, "invalid_input")
    assert missing_error["fields"] == {"copy": [f"No document {missing} in the register."]}
    # ...and a hidden one must read exactly the same.
    assert refused.status_code == absent.status_code
    assert refused.content.replace(hidden.control_number.encode(), b"X") == absent.content.replace(
        missing.encode(), b"X"
    )


def test_bad_dispatch_input_names_the_field(
    org: Organisation, document: Any, client_for: Any, settings: Any
) -> None:
    settings.STRONGROOM_HAND_OVER_HOURS = 24
    rosa = client_for(org.reader)
    copy_ref = f"{document.control_number}/1"

    def fields(payload: dict[str, Any]) -> dict[str, list[str]]:
        error = error_of(rosa.post(HAND_OVERS, payload, format="json"), 400, "invalid_input")
        assert "fields" in error, error
        return dict(error["fields"])

    assert sorted(fields({})) == ["copy", "to"]
    assert fields({"copy": copy_ref, "to": "zed"}) == {"to": ["No person zed."]}
    assert list(fields({"copy": "HQ-2026", "to": "nils"})) == ["copy"]
    assert fields({"copy": f"{document.control_number}/9", "to": "nils"}) == {
        "copy": [f"{document.control_number} has no copy 9; it has 3."]
    }
    assert list(fields({"copy": copy_ref, "to": "nils", "due_by": "soon"})) == ["due_by"]
    past = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    assert fields({"copy": copy_ref, "to": "nils", "due_by": past}) == {
        "due_by": ["The deadline must be in the future."]
    }
    far = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    assert fields({"copy": copy_ref, "to": "nils", "due_by": far}) == {
        "due_by": ["The deadline may be at most 24 hours from now."]
    }
    assert list(fields({"copy": copy_ref, "to": "nils", "expected_version": "x"})) == [
        "expected_version"
    ]
    assert list(fields({"copy": copy_ref, "to": "nils", "expected_version": 0})) == [
        "expected_version"
    ]
    assert not HandOver.objects.exists()
    assert _copy(document).version == 2


def test_a_version_no_copy_can_have_is_bad_input_not_a_server_error(
    org: Organisation, document: Any, client_for: Any
) -> None:
    # Versions are 32-bit: a larger one is bad input, not a 500 (SQLite's driver would
    # overflow) and not a misleading 409.
    response = client_for(org.reader).post(
        HAND_OVERS,
        {"copy": f"{document.control_number}/1", "to": "nils", "expected_version": 2**63},
        format="json",
    )
    assert response.status_code != 500, response.content
    assert not HandOver.objects.exists()
    assert _copy(document).version == 2
    error = error_of(response, 400, "invalid_input")
    assert list(error["fields"]) == ["expected_version"]


def test_a_body_that_is_not_json_is_a_clear_error(
    org: Organisation, document: Any, client_for: Any
) -> None:
    response = client_for(org.reader).post(
        HAND_OVERS, data="{not json", content_type="application/json"
    )
    error_of(response, 400, "parse_error")


def test_a_stale_copy_version_is_a_conflict_and_changes_nothing(
    org: Organisation, document: Any, client_for: Any
) -> None:
    # Rosa read version 2; meanwhile she sent it and called it back elsewhere (version 4).
    sent = hand_overs.dispatch_hand_over(_copy(document), to=org.north_registrar, by=org.reader)
    hand_overs.cancel_hand_over(sent, by=org.reader)
    before = last_entry().seq
    response = client_for(org.reader).post(
        HAND_OVERS,
        {"copy": f"{document.control_number}/1", "to": "nils", "expected_version": 2},
        format="json",
    )
    error = error_of(response, 409, "conflict")
    assert "reload" in error["message"]
    assert HandOver.objects.count() == 1
    copy = _copy(document)
    assert (copy.state, copy.version) == ("held", 4)
    assert last_entry().seq == before


def test_dispatching_a_copy_already_in_hand_over_is_an_illegal_transition(
    org: Organisation, document: Any, pending: HandOver, client_for: Any
) -> None:
    response = client_for(org.reader).post(
        HAND_OVERS, {"copy": f"{document.control_number}/1", "to": "carl"}, format="json"
    )
    error = error_of(response, 409, "illegal_transition")
    assert "only a copy that is held can be handed over" in error["message"]
    assert HandOver.objects.count() == 1


# --- one hand-over ---------------------------------------------------------------------------


def test_a_party_reads_a_hand_over_by_any_of_its_references(
    org: Organisation, pending: HandOver, client_for: Any
) -> None:
    nils = client_for(org.north_registrar)
    for ref in (str(pending.reference), pending.short_reference.lower(), qr_payload(pending)):
        response = nils.get(url(ref))
        assert response.status_code == 200, (ref, response.content)
        assert response.json()["reference"] == str(pending.reference)
    assert client_for(org.reader).get(url(pending)).status_code == 200
    assert client_for(org.custodian).get(url(pending)).status_code == 200
    assert client_for(org.inspector).get(url(pending)).status_code == 200


CALLS: dict[str, Callable[[APIClient, str], Any]] = {
    "read": lambda c, ref: c.get(url(ref)),
    "accept": lambda c, ref: c.post(url(ref, "accept"), {}, format="json"),
    "refuse": lambda c, ref: c.post(url(ref, "refuse"), {"reason": "x"}, format="json"),
    "cancel": lambda c, ref: c.post(url(ref, "cancel"), {"reason": "x"}, format="json"),
    "receipt": lambda c, ref: c.get(url(ref, "receipt.pdf")),
    "receipt-as-pdf": lambda c, ref: c.get(url(ref, "receipt.pdf"), HTTP_ACCEPT="application/pdf"),
}


@pytest.mark.parametrize("call", CALLS.values(), ids=CALLS.keys())
@pytest.mark.parametrize("by", ["short", "full"])
def test_a_hand_over_of_a_hidden_document_is_byte_for_byte_a_missing_one(
    org: Organisation,
    pending: HandOver,
    client_for: Any,
    call: Callable[[APIClient, str], Any],
    by: str,
) -> None:
    if by == "short":
        ref, missing = pending.short_reference, _missing_short(pending)
    else:
        ref, missing = str(pending.reference), str(uuid.uuid4())
    worker = client_for(org.worker)
    refusals_before = LedgerEntry.objects.filter(kind="access.refused").count()

    hidden = call(worker, ref)
    absent = call(worker, missing)

    error = error_of(hidden, 404, "not_found")
    assert error["message"] == f"No hand-over {ref.upper()}."
    error_of(absent, 404, "not_found")
    assert hidden.content.replace(ref.upper().encode(), b"X") == absent.content.replace(
        missing.upper().encode(), b"X"
    )
    refusals = LedgerEntry.objects.filter(kind="access.refused").order_by("seq")
    assert refusals.count() == refusals_before + 1
    entry = refusals.last()
    assert entry is not None
    _refused(entry, org.worker, "hand_over:view")
    assert _stored(pending).state == "pending"


def test_a_hand_over_is_none_of_the_business_of_someone_not_a_party_nor_its_registry(
    org: Organisation, document: Any, client_for: Any
) -> None:
    # nils may see the document, but is neither a party nor the registry of HQ.
    sent = hand_overs.dispatch_hand_over(_copy(document), to=org.custodian, by=org.reader)
    error = error_of(client_for(org.north_registrar).get(url(sent)), 404, "not_found")
    assert error["message"] == f"No hand-over {str(sent.reference).upper()}."
    _refused(last_entry(), org.north_registrar, "hand_over:view")


def test_a_reference_that_is_no_reference_is_bad_input(org: Organisation, client_for: Any) -> None:
    error = error_of(client_for(org.reader).get(url("not-a-ref")), 400, "invalid_input")
    assert "'not-a-ref' is not a hand-over reference" in error["message"]


def test_without_credentials_nothing_is_told(
    anonymous: APIClient, org: Organisation, pending: HandOver
) -> None:
    error_of(anonymous.get(url(pending)), 401, "not_authenticated")
    error_of(anonymous.get(url(pending, "receipt.pdf")), 401, "not_authenticated")
    error_of(anonymous.get(HAND_OVERS), 401, "not_authenticated")


# --- acknowledge -----------------------------------------------------------------------------


def test_the_recipient_acknowledges(
    org: Organisation, document: Any, pending: HandOver, client_for: Any
) -> None:
    response = client_for(org.north_registrar).post(
        url(pending, "accept"), {"expected_version": 1}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["state"], body["resolved_by"], body["version"]) == ("accepted", "nils", 2)
    assert body["resolved_at"] is not None
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
    assert (entry.kind, entry.actor_id) == ("hand_over.accepted", org.north_registrar.pk)
    assert entry.data["hand_over"] == str(pending.reference)


def test_only_the_recipient_may_acknowledge(
    org: Organisation, document: Any, pending: HandOver, client_for: Any
) -> None:
    for person in (org.reader, org.custodian):
        response = client_for(person).post(url(pending, "accept"), {}, format="json")
        error = error_of(response, 403, "forbidden")
        assert error["message"] == (
            "Refused: only the recipient named in the hand-over may acknowledge it."
        )
        _refused(last_entry(), person, "hand_over:accept")
    assert _stored(pending).state == "pending"
    assert _copy(document).state == "in_hand_over"


def test_a_stale_hand_over_version_is_a_conflict_and_changes_nothing(
    org: Organisation, document: Any, pending: HandOver, client_for: Any
) -> None:
    before = last_entry().seq
    response = client_for(org.north_registrar).post(
        url(pending, "accept"), {"expected_version": 7}, format="json"
    )
    error = error_of(response, 409, "conflict")
    assert error["message"] == (
        f"Hand-over {pending.short_reference} was changed by someone else a moment ago; "
        "reload it and try again."
    )
    assert _stored(pending).state == "pending"
    assert _copy(document).state == "in_hand_over"
    assert last_entry().seq == before


def test_acknowledging_twice_is_an_illegal_transition(
    org: Organisation, pending: HandOver, client_for: Any
) -> None:
    nils = client_for(org.north_registrar)
    assert nils.post(url(pending, "accept"), {}, format="json").status_code == 200
    error = error_of(
        nils.post(url(pending, "accept"), {}, format="json"), 409, "illegal_transition"
    )
    assert error["message"] == f"Hand-over {pending.short_reference} is already acknowledged."


def test_bad_resolve_input_names_the_field(
    org: Organisation, pending: HandOver, client_for: Any
) -> None:
    nils = client_for(org.north_registrar)
    error = error_of(
        nils.post(url(pending, "accept"), {"expected_version": "x"}, format="json"),
        400,
        "invalid_input",
    )
    assert list(error["fields"]) == ["expected_version"]
    error = error_of(
        nils.post(url(pending, "refuse"), {"reason": "x" * 501}, format="json"),
        400,
        "invalid_input",
    )
    assert list(error["fields"]) == ["reason"]
    error = error_of(
        nils.post(url(pending, "refuse"), {"reason": ["a", "b"]}, format="json"),
        400,
        "invalid_input",
    )
    assert list(error["fields"]) == ["reason"]
    assert _stored(pending).state == "pending"


# --- refuse and call back --------------------------------------------------------------------


def test_the_recipient_refuses_and_the_copy_goes_back(
    org: Organisation, document: Any, pending: HandOver, client_for: Any
) -> None:
    response = client_for(org.north_registrar).post(
        url(pending, "refuse"),
        {"reason": "  not   for my desk ", "expected_version": 1},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["state"], body["resolved_by"], body["note"]) == (
        "refused",
        "nils",
        "not for my desk",
    )
    stored = _stored(pending)
    assert (stored.state, stored.note) == ("refused", "not for my desk")
    copy = _copy(document)
    assert (copy.state, copy.holder_id) == ("held", org.reader.pk)
    entry = last_entry()
    assert (entry.kind, entry.actor_id) == ("hand_over.refused", org.north_registrar.pk)
    assert (entry.data["reason"], entry.data["holder"]) == ("not for my desk", "rosa")


def test_only_the_recipient_may_refuse(
    org: Organisation, pending: HandOver, client_for: Any
) -> None:
    response = client_for(org.reader).post(url(pending, "refuse"), {}, format="json")
    error = error_of(response, 403, "forbidden")
    assert error["message"] == "Refused: only the recipient named in the hand-over may refuse it."
    _refused(last_entry(), org.reader, "hand_over:refuse")
    assert _stored(pending).state == "pending"


@pytest.mark.parametrize("who", ["reader", "custodian"], ids=["the-sender", "the-registry"])
def test_the_sender_or_the_registry_calls_it_back(
    org: Organisation, document: Any, pending: HandOver, client_for: Any, who: str
) -> None:
    person = getattr(org, who)
    response = client_for(person).post(
        url(pending, "cancel"),
        {"reason": "wrong recipient", "expected_version": 1},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["state"], body["resolved_by"], body["note"]) == (
        "cancelled",
        person.username,
        "wrong recipient",
    )
    stored = _stored(pending)
    assert (stored.state, stored.resolved_by) == ("cancelled", person)
    copy = _copy(document)
    assert (copy.state, copy.holder_id) == ("held", org.reader.pk)
    entry = last_entry()
    assert (entry.kind, entry.actor_id) == ("hand_over.cancelled", person.pk)
    assert entry.data["reason"] == "wrong recipient"


@pytest.mark.parametrize(
    ("who", "reason"),
    [
        ("inspector", "this needs the role of registrar or custodian"),
        ("north_registrar", "the copy"),
    ],
    ids=["an-inspector", "the-recipient-from-another-unit"],
)
def test_others_may_not_call_it_back(
    org: Organisation, pending: HandOver, client_for: Any, who: str, reason: str
) -> None:
    person = getattr(org, who)
    error = error_of(
        client_for(person).post(url(pending, "cancel"), {}, format="json"), 403, "forbidden"
    )
    assert error["message"].startswith("Refused: ")
    assert reason in error["message"]
    _refused(last_entry(), person, "hand_over:cancel")
    assert _stored(pending).state == "pending"


# --- lists -----------------------------------------------------------------------------------


def _refs(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["reference"] for item in response.json()["results"]]


def test_lists_sent_to_me_by_me_and_of_my_units(
    org: Organisation, document: Any, pending: HandOver, client_for: Any
) -> None:
    ref = str(pending.reference)
    nils = client_for(org.north_registrar)
    assert _refs(nils.get(HAND_OVERS)) == [ref]
    assert _refs(nils.get(HAND_OVERS, {"box": "incoming"})) == [ref]
    assert _refs(nils.get(HAND_OVERS, {"box": "outgoing"})) == []
    rosa = client_for(org.reader)
    assert _refs(rosa.get(HAND_OVERS, {"box": "outgoing"})) == [ref]
    assert _refs(rosa.get(HAND_OVERS)) == []
    assert _refs(client_for(org.custodian).get(HAND_OVERS, {"box": "unit"})) == [ref]
    assert _refs(client_for(org.worker).get(HAND_OVERS, {"box": "unit"})) == []
    assert client_for(org.north_registrar).get(HAND_OVERS).json()["count"] == 1


def test_the_pending_filter(org: Organisation, pending: HandOver, client_for: Any) -> None:
    hand_overs.accept_hand_over(pending, by=org.north_registrar)
    nils = client_for(org.north_registrar)
    assert _refs(nils.get(HAND_OVERS, {"pending": "true"})) == []
    assert _refs(nils.get(HAND_OVERS, {"pending": "1"})) == []
    assert _refs(nils.get(HAND_OVERS)) == [str(pending.reference)]


def test_an_unknown_box_names_the_parameter(org: Organisation, client_for: Any) -> None:
    error = error_of(client_for(org.reader).get(HAND_OVERS, {"box": "all"}), 400, "invalid_input")
    assert error["fields"] == {"box": ["box must be one of: incoming, outgoing, unit; not 'all'."]}


# --- the receipt -----------------------------------------------------------------------------


@pytest.mark.parametrize("accept", ["application/pdf", "*/*", None])
def test_the_receipt_is_a_pdf(
    org: Organisation, pending: HandOver, client_for: Any, accept: str | None
) -> None:
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    response = client_for(org.reader).get(url(pending, "receipt.pdf"), **headers)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f'filename="hand-over-{pending.short_reference}.pdf"' in response["Content-Disposition"]


def test_the_receipt_by_short_reference_for_the_registry(
    org: Organisation, pending: HandOver, client_for: Any
) -> None:
    response = client_for(org.custodian).get(url(pending.short_reference, "receipt.pdf"))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_receipt_errors_are_json_even_when_a_pdf_was_asked_for(
    org: Organisation, pending: HandOver, client_for: Any
) -> None:
    rosa = client_for(org.reader)
    error_of(
        rosa.get(url(str(uuid.uuid4()), "receipt.pdf"), HTTP_ACCEPT="application/pdf"),
        404,
        "not_found",
    )
    error_of(
        rosa.get(url("nonsense", "receipt.pdf"), HTTP_ACCEPT="application/pdf"),
        400,
        "invalid_input",
    )


class _NoPango(types.ModuleType):
    """WeasyPrint as it behaves without the system's Pango: importing it fails with OSError."""

    def __getattr__(self, name: str) -> Any:
        raise OSError("cannot load library 'libpango-1.0-0'")


@pytest.mark.parametrize("accept", ["application/pdf", None])
def test_a_receipt_without_pango_is_unavailable_not_a_server_error(
    org: Organisation,
    pending: HandOver,
    client_for: Any,
    monkeypatch: pytest.MonkeyPatch,
    accept: str | None,
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", _NoPango("weasyprint"))
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    response = client_for(org.reader).get(url(pending, "receipt.pdf"), **headers)
    error = error_of(response, 503, "unavailable")
    assert error["message"].startswith(
        "PDF printing is not available here: cannot load library 'libpango-1.0-0'. Install Pango"
    )
