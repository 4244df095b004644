"""Transits and courier authorisations through the API.

The scene (tests/transport.py): a SECRET HQ document; carl (HQ custodian) is authorised to carry
up to SECRET; rita (HQ registrar) sends copy 1 to NORTH with him; nils (NORTH registrar) receives.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from strongroom.adapters import clock
from strongroom.ledger.models import LedgerEntry
from strongroom.models import CourierAuthorisation, Transit
from strongroom.queries.transits import qr_payload
from strongroom.services import transits
from tests.api.conftest import error_of
from tests.conftest import Organisation, last_entry
from tests.transport import INNER, OUTER, authorise, copy_of, send, stored

TRANSITS = "/api/v1/transits/"
COURIERS = "/api/v1/couriers/"


def url(transit: Transit | str, action: str = "") -> str:
    ref = transit if isinstance(transit, str) else str(transit.reference)
    return f"{TRANSITS}{ref}/{action}"


def _body(document: Any, **values: Any) -> dict[str, Any]:
    return {
        "copy": f"{document.control_number}/1",
        "to_unit": "NORTH",
        "courier": "carl",
        "inner_wrapping": INNER,
        "outer_wrapping": OUTER,
        **values,
    }


def _refused(entry: Any, actor: Any, action: str) -> None:
    assert (entry.kind, entry.actor_id) == ("access.refused", actor.pk)
    assert entry.data["action"] == action


@pytest.fixture
def document(org: Organisation, register: Callable[..., Any]) -> Any:
    authorise(org, org.custodian)
    return register("SECRET")


@pytest.fixture
def sent(org: Organisation, document: Any) -> Transit:
    return send(org, document)


# --- send ------------------------------------------------------------------------------------


def test_the_registry_sends_a_copy(org: Organisation, document: Any, client_for: Any) -> None:
    response = client_for(org.registrar).post(
        TRANSITS, _body(document, expected_version=1), format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    transit = Transit.objects.get()
    assert body["reference"] == str(transit.reference)
    assert (body["copy"], body["copy_label"], body["marking"]) == (
        f"{document.control_number}/1",
        "copy 1 of 3",
        "SECRET",
    )
    assert (body["from_unit"], body["to_unit"], body["courier"], body["dispatched_by"]) == (
        "HQ",
        "NORTH",
        "carl",
        "rita",
    )
    assert (body["inner_wrapping"], body["outer_wrapping"], body["state"]) == (
        INNER,
        OUTER,
        "in_transit",
    )
    assert (body["received_at"], body["received_by"], body["receipt_returned_at"]) == (
        None,
        None,
        None,
    )
    assert body["receipt"] == f"/api/v1/transits/{transit.reference}/receipt.pdf"
    copy = copy_of(document)
    assert (copy.state, copy.holder_id, copy.version) == ("in_transit", org.custodian.pk, 2)
    assert last_entry().kind == "transit.dispatched"


def test_an_expired_courier_is_refused_with_the_reason_and_it_is_recorded(
    org: Organisation, document: Any, client_for: Any
) -> None:
    authorise(org, org.north_registrar, days=0)
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    with clock.frozen(tomorrow):
        response = client_for(org.registrar).post(
            TRANSITS, _body(document, courier="nils"), format="json"
        )
    error = error_of(response, 403, "forbidden")
    assert error["message"] == (
        "Refused: the courier is not authorised to carry SECRET material: the courier "
        f"authorisation expired on {date.today().isoformat()}."
    )
    _refused(last_entry(), org.registrar, "transit:send")
    assert not Transit.objects.exists()


def test_bad_input_names_the_field(org: Organisation, document: Any, client_for: Any) -> None:
    client = client_for(org.registrar)
    cases = [
        (_body(document, courier="nobody"), "courier", "No person nobody."),
        (_body(document, to_unit="NOWHERE"), "to_unit", "No unit NOWHERE."),
        (_body(document, to_unit="HQ"), "to_unit", "is already in the registry of HQ"),
        (_body(document, outer_wrapping="box marked SECRET"), "outer_wrapping", "no marking"),
        (_body(document, inner_wrapping="box"), "inner_wrapping", "must be marked SECRET"),
        (_body(document, expected_by="2001-01-01T00:00Z"), "expected_by", "in the future"),
        (_body(document, colour="red"), "colour", "Unknown field"),
        ({"copy": f"{document.control_number}/1"}, "courier", "required"),
    ]
    for data, field, message in cases:
        error = error_of(client.post(TRANSITS, data, format="json"), 400, "invalid_input")
        assert field in error["fields"], (field, error)
        assert message in " ".join(error["fields"][field]), (field, error)
    assert not Transit.objects.exists()


def test_a_stale_version_is_a_conflict(org: Organisation, document: Any, client_for: Any) -> None:
    response = client_for(org.registrar).post(
        TRANSITS, _body(document, expected_version=5), format="json"
    )
    error_of(response, 409, "conflict")
    assert not Transit.objects.exists()


def test_a_copy_in_transit_cannot_be_issued(
    org: Organisation, document: Any, sent: Transit, client_for: Any
) -> None:
    response = client_for(org.registrar).post(
        f"/api/v1/documents/{document.control_number}/copies/1/issue",
        {"to": "ines"},
        format="json",
    )
    error = error_of(response, 409, "illegal_transition")
    assert error["message"] == "The copy is in transit; only a copy in the registry can be issued."


def test_sending_a_hidden_copy_reads_like_a_missing_document(
    org: Organisation, document: Any, client_for: Any
) -> None:
    # A hidden copy named in the body is bad input on "copy", worded exactly as a missing one
    # (and the attempt recorded), as for every name in a request body.
    refusals = LedgerEntry.objects.filter(kind="access.refused")
    before = refusals.count()
    response = client_for(org.worker).post(TRANSITS, _body(document), format="json")
    error = error_of(response, 400, "invalid_input")
    assert error["message"] == f"No document {document.control_number} in the register."
    assert error["fields"] == {"copy": [error["message"]]}
    assert not Transit.objects.exists()
    assert refusals.count() == before + 1


# --- read, receive, confirm ----------------------------------------------------------------


def test_read_by_any_reference(org: Organisation, sent: Transit, client_for: Any) -> None:
    client = client_for(org.north_registrar)
    for ref in (sent.short_reference, str(sent.reference), qr_payload(sent)):
        response = client.get(url(ref))
        assert response.status_code == 200, response.content
        assert response.json()["reference"] == str(sent.reference)


def test_a_hidden_transit_reads_like_a_missing_one(
    org: Organisation, sent: Transit, client_for: Any
) -> None:
    client = client_for(org.worker)
    hidden = error_of(client.get(url(sent.short_reference)), 404, "not_found")
    assert hidden["message"] == f"No transit {sent.short_reference}."
    assert last_entry().kind == "access.refused"
    error_of(client.get(url("not-a-reference")), 400, "invalid_input")


def test_the_destination_receives_it_and_the_sender_confirms_the_receipt(
    org: Organisation, document: Any, sent: Transit, client_for: Any
) -> None:
    received = client_for(org.north_registrar).post(
        url(sent, "receive"), {"expected_version": 1}, format="json"
    )
    assert received.status_code == 200, received.content
    assert (received.json()["state"], received.json()["received_by"]) == ("received", "nils")
    copy = client_for(org.north_registrar).get(
        f"/api/v1/documents/{document.control_number}/copies/1/"
    )
    assert (copy.json()["state"], copy.json()["registry"], copy.json()["location"]) == (
        "in_registry",
        "NORTH",
        "NORTH registry",
    )

    confirmed = client_for(org.registrar).post(url(sent, "confirm-receipt"), {}, format="json")
    assert confirmed.status_code == 200, confirmed.content
    assert (confirmed.json()["state"], confirmed.json()["receipt_confirmed_by"]) == (
        "receipt_returned",
        "rita",
    )
    assert last_entry().kind == "transit.receipt_confirmed"


def test_the_courier_may_not_receive_it(org: Organisation, sent: Transit, client_for: Any) -> None:
    response = client_for(org.custodian).post(url(sent, "receive"), {}, format="json")
    error = error_of(response, 403, "forbidden")
    assert error["message"] == "Refused: the courier may not sign for the copy they carried."
    _refused(last_entry(), org.custodian, "transit:receive")
    assert stored(sent).state == "in_transit"


def test_receiving_twice_or_confirming_too_early_is_a_conflict_of_state(
    org: Organisation, sent: Transit, client_for: Any
) -> None:
    early = client_for(org.registrar).post(url(sent, "confirm-receipt"), {}, format="json")
    assert "has not been received yet" in error_of(early, 409, "illegal_transition")["message"]
    transits.receive_transit(stored(sent), by=org.north_registrar)
    again = client_for(org.north_registrar).post(url(sent, "receive"), {}, format="json")
    error_of(again, 409, "illegal_transition")
    stale = client_for(org.registrar).post(
        url(sent, "confirm-receipt"), {"expected_version": 1}, format="json"
    )
    error_of(stale, 409, "conflict")


# --- lists and the receipt ------------------------------------------------------------------


def test_the_lists(org: Organisation, document: Any, client_for: Any) -> None:
    t0 = datetime.now(UTC) + timedelta(hours=1)
    closed = send(org, document, 1, at=t0)
    waiting = send(org, document, 2, at=t0, expected_by=t0 + timedelta(hours=2))
    transits.receive_transit(stored(closed), by=org.north_registrar)
    transits.confirm_receipt(stored(closed), by=org.registrar)
    client = client_for(org.registrar)

    def refs(**params: str) -> list[str]:
        response = client.get(TRANSITS, params)
        assert response.status_code == 200, response.content
        return [row["short_reference"] for row in response.json()["results"]]

    assert refs() == [waiting.short_reference, closed.short_reference]
    assert refs(box="outgoing", suspense="true") == [waiting.short_reference]
    assert refs(box="incoming") == [waiting.short_reference, closed.short_reference]
    assert refs(box="carrying") == []
    with clock.frozen(t0 + timedelta(hours=3)):
        assert refs(late="1") == [waiting.short_reference]
    error = error_of(client.get(TRANSITS, {"box": "sideways"}), 400, "invalid_input")
    assert error["fields"] == {
        "box": ["box must be one of: all, outgoing, incoming, carrying; not 'sideways'."]
    }
    assert client_for(org.worker).get(TRANSITS).json()["results"] == []


def test_the_record_and_receipt(org: Organisation, sent: Transit, client_for: Any) -> None:
    response = client_for(org.north_registrar).get(url(sent, "receipt.pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    hidden = client_for(org.worker).get(url(sent, "receipt.pdf"))
    error_of(hidden, 404, "not_found")


# --- courier authorisations -------------------------------------------------------------------


def test_a_security_officer_authorises_and_revokes(org: Organisation, client_for: Any) -> None:
    until = (date.today() + timedelta(days=5)).isoformat()
    client = client_for(org.officer)
    created = client.post(
        COURIERS, {"courier": "nils", "level": "SECRET", "valid_until": until}, format="json"
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["courier"], body["unit"], body["level"], body["valid_until"]) == (
        "nils",
        "NORTH",
        "SECRET",
        until,
    )
    assert (body["granted_by"], body["revoked_at"]) == ("olga", None)
    listed = client.get(COURIERS).json()["results"]
    assert [row["courier"] for row in listed] == ["nils"]

    revoked = client.post(f"{COURIERS}nils/revoke", {"reason": "moved"}, format="json")
    assert revoked.status_code == 200, revoked.content
    assert [row["revoked_by"] for row in revoked.json()] == ["olga"]
    assert client.get(COURIERS).json()["results"] == []
    assert len(client.get(COURIERS, {"all": "true"}).json()["results"]) == 1


def test_authorising_is_refused_with_the_reason(org: Organisation, client_for: Any) -> None:
    until = (date.today() + timedelta(days=5)).isoformat()
    response = client_for(org.registrar).post(
        COURIERS, {"courier": "carl", "level": "SECRET", "valid_until": until}, format="json"
    )
    error = error_of(response, 403, "forbidden")
    assert error["message"] == "Refused: this needs the role of security officer."
    _refused(last_entry(), org.registrar, "courier:authorise")
    bad = client_for(org.officer).post(
        COURIERS, {"courier": "carl", "level": "HUSH", "valid_until": until}, format="json"
    )
    assert "level" in error_of(bad, 400, "invalid_input")["fields"]
    unknown = client_for(org.officer).post(
        f"{COURIERS}nobody/revoke", {"reason": "x"}, format="json"
    )
    error_of(unknown, 404, "not_found")
    assert not CourierAuthorisation.objects.exists()
