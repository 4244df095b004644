"""Destruction through the API: propose, read, countersign, refuse, withdraw, list, certificate;
and a destroyed copy that no endpoint can move again.

The scene: a SECRET//ALPHA paper document registered at HQ; carl (HQ custodian, SECRET ALPHA)
destroys copy 1 and names rita (HQ registrar, TOP SECRET ALPHA/BRAVO) as his witness.
"""

from __future__ import annotations

import sys
import types
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest

from strongroom.ledger.models import LedgerEntry
from strongroom.models import Copy, Destruction
from strongroom.queries.destructions import qr_payload
from strongroom.services import destructions
from tests.api.conftest import error_of
from tests.conftest import Organisation, last_entry
from tests.pdfs import text

DESTRUCTIONS = "/api/v1/destructions/"


def url(destruction: Destruction | str, action: str = "") -> str:
    ref = destruction if isinstance(destruction, str) else str(destruction.reference)
    return f"{DESTRUCTIONS}{ref}/{action}"


def _copy(document: Any, number: int = 1) -> Copy:
    return Copy.objects.select_related("document__unit", "holder").get(
        document=document, number=number
    )


def _stored(destruction: Destruction) -> Destruction:
    return Destruction.objects.select_related(
        "copy__document__unit", "destroyer__unit", "witness__unit", "resolved_by"
    ).get(pk=destruction.pk)


def _refused(entry: Any, actor: Any, action: str) -> None:
    assert (entry.kind, entry.actor_id) == ("access.refused", actor.pk)
    assert entry.data["action"] == action


def _missing_short(destruction: Destruction) -> str:
    return "FFFFFFFF" if destruction.short_reference != "FFFFFFFF" else "EEEEEEEE"


@pytest.fixture
def document(register: Callable[..., Any]) -> Any:
    return register("SECRET//ALPHA")


@pytest.fixture
def pending(org: Organisation, document: Any) -> Destruction:
    """Carl has put copy 1 forward (copy version 2), naming rita as his witness."""
    return destructions.propose_destruction(
        _copy(document), witness=org.registrar, method="burning", by=org.custodian
    )


@pytest.fixture
def witnessed(org: Organisation, pending: Destruction) -> Destruction:
    destructions.witness_destruction(_stored(pending), by=org.registrar)
    return _stored(pending)


def _propose(client: Any, document: Any, **values: Any) -> Any:
    body = {"copy": f"{document.control_number}/1", "witness": "rita", "method": "shredding"}
    body.update(values)
    return client.post(DESTRUCTIONS, body, format="json")


# --- propose -----------------------------------------------------------------------------------


def test_the_destroyer_puts_a_copy_forward(
    org: Organisation, document: Any, client_for: Any
) -> None:
    today = date.today()
    response = _propose(
        client_for(org.custodian), document, destroyed_on=today.isoformat(), note="bag 17",
        expected_version=1,
    )  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    proposed = Destruction.objects.get()
    assert body["reference"] == str(proposed.reference)
    assert body["short_reference"] == proposed.short_reference
    assert (body["copy"], body["copy_label"], body["marking"], body["marking_when_proposed"]) == (
        f"{document.control_number}/1",
        "copy 1 of 3",
        "SECRET//ALPHA",
        "SECRET//ALPHA",
    )
    assert (body["method"], body["destroyed_on"], body["note"]) == (
        "shredding",
        today.isoformat(),
        "bag 17",
    )
    assert (body["destroyer"], body["witness"], body["state"], body["version"]) == (
        "carl",
        "rita",
        "pending",
        1,
    )
    assert (body["witnessed_at"], body["resolved_by"], body["kept_until"]) == (None, None, None)
    assert body["certificate"] is None
    copy = _copy(document)
    assert (copy.state, copy.version) == ("awaiting_destruction", 2)
    entry = last_entry()
    assert (entry.kind, entry.actor_id, entry.subject) == (
        "destruction.proposed",
        org.custodian.pk,
        f"copy:{document.control_number}/1",
    )


def test_the_same_person_cannot_be_destroyer_and_witness(
    org: Organisation, document: Any, client_for: Any
) -> None:
    response = _propose(client_for(org.custodian), document, witness="carl")
    error = error_of(response, 403, "forbidden")
    assert error["message"] == (
        "Refused: the destroyer and the witness must be two different people."
    )
    _refused(last_entry(), org.custodian, "destruction:propose")
    assert not Destruction.objects.exists()


def test_a_witness_not_read_into_the_compartment_is_refused(
    org: Organisation, document: Any, client_for: Any
) -> None:
    response = _propose(client_for(org.custodian), document, witness="nils")
    error = error_of(response, 403, "forbidden")
    assert error["message"] == (
        "Refused: the witness may not hold SECRET//ALPHA material: not read into "
        "compartment(s) ALPHA."
    )
    _refused(last_entry(), org.custodian, "destruction:propose")
    assert _copy(document).state == "in_registry"


def test_bad_proposal_input_names_the_field(
    org: Organisation, document: Any, client_for: Any
) -> None:
    client = client_for(org.custodian)
    cases = [
        ({"witness": "nobody"}, "witness", "No person nobody."),
        ({"copy": "HQ-2026-0001"}, "copy", "is not a copy reference"),
        ({"method": "eating"}, "method", '"eating" is not a valid choice.'),
        ({"method": "degaussing"}, "method", "cannot destroy a copy on paper"),
        (
            {"destroyed_on": (date.today() + timedelta(days=2)).isoformat()},
            "destroyed_on",
            "The date of destruction cannot be in the future.",
        ),
        ({"note": "x" * 501}, "note", "Ensure this field has no more than 500 characters."),
        ({"expected_version": 0}, "expected_version", "greater than or equal to 1"),
        ({"expected_version": 2**63}, "expected_version", "less than or equal to 2147483647"),
        ({"colour": "red"}, "colour", "Unknown field"),
    ]
    for values, field, message in cases:
        error = error_of(_propose(client, document, **values), 400, "invalid_input")
        assert field in error["fields"], (values, error)
        assert message in " ".join(error["fields"][field]), (values, error)
    assert not Destruction.objects.exists()


def test_a_stale_copy_version_is_a_conflict(
    org: Organisation, document: Any, client_for: Any
) -> None:
    response = _propose(client_for(org.custodian), document, expected_version=4)
    error_of(response, 409, "conflict")
    assert not Destruction.objects.exists()


def test_proposing_for_a_hidden_document_is_byte_for_byte_a_missing_one(
    org: Organisation, document: Any, client_for: Any
) -> None:
    client = client_for(org.worker)
    missing = document.control_number[:-4] + "9999"
    refused = _propose(client, document)
    absent = client.post(
        DESTRUCTIONS,
        {"copy": f"{missing}/1", "witness": "rita", "method": "shredding"},
        format="json",
    )
    assert refused.status_code == absent.status_code == 400
    assert refused.json()["error"]["fields"]["copy"] == [
        f"No document {document.control_number} in the register."
    ]
    assert refused.content.replace(
        document.control_number.encode(), b"X"
    ) == absent.content.replace(missing.encode(), b"X")
    _refused(
        LedgerEntry.objects.filter(kind="access.refused").order_by("seq").last(),
        org.worker,
        "document:view",
    )


# --- read, countersign, refuse, withdraw -------------------------------------------------------


def test_a_party_reads_it_by_any_of_its_references(
    org: Organisation, pending: Destruction, client_for: Any
) -> None:
    client = client_for(org.registrar)
    for ref in (str(pending.reference), pending.short_reference, qr_payload(pending)):
        response = client.get(url(ref))
        assert response.status_code == 200, (ref, response.content)
        assert response.json()["reference"] == str(pending.reference)


def test_a_destruction_of_a_hidden_document_is_byte_for_byte_a_missing_one(
    org: Organisation, pending: Destruction, client_for: Any
) -> None:
    client = client_for(org.worker)
    short, missing = pending.short_reference, _missing_short(pending)
    for action, method in (
        ("", "get"),
        ("witness", "post"),
        ("refuse", "post"),
        ("withdraw", "post"),
        ("certificate.pdf", "get"),
    ):
        body = {"reason": "x"} if action in ("refuse", "withdraw") else {}
        refused = getattr(client, method)(url(short, action), body, format="json")
        absent = getattr(client, method)(url(missing, action), body, format="json")
        error = error_of(refused, 404, "not_found")
        assert error["message"] == f"No destruction {short}.", action
        assert refused.content.replace(short.encode(), b"X") == absent.content.replace(
            missing.encode(), b"X"
        ), action
        _refused(last_entry(), org.worker, "destruction:view")
    assert _stored(pending).state == "pending"


def test_the_witness_countersigns(
    org: Organisation, document: Any, pending: Destruction, client_for: Any
) -> None:
    response = client_for(org.registrar).post(
        url(pending, "witness"), {"expected_version": 1}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    stored = _stored(pending)
    assert (body["state"], body["resolved_by"], body["version"]) == ("witnessed", "rita", 2)
    assert body["witnessed_at"] is not None
    assert body["kept_until"] == stored.kept_until.isoformat()
    assert body["certificate"] == f"/api/v1/destructions/{pending.reference}/certificate.pdf"
    assert _copy(document).state == "destroyed"
    assert last_entry().kind == "destruction.witnessed"


def test_only_the_witness_may_countersign(
    org: Organisation, pending: Destruction, client_for: Any
) -> None:
    response = client_for(org.custodian).post(url(pending, "witness"), {}, format="json")
    error = error_of(response, 403, "forbidden")
    assert (
        error["message"] == "Refused: only the witness named in the destruction may countersign it."
    )
    _refused(last_entry(), org.custodian, "destruction:witness")
    assert _stored(pending).state == "pending"


def test_a_stale_destruction_version_is_a_conflict(
    org: Organisation, pending: Destruction, client_for: Any
) -> None:
    response = client_for(org.registrar).post(
        url(pending, "witness"), {"expected_version": 9}, format="json"
    )
    error_of(response, 409, "conflict")
    assert _stored(pending).state == "pending"


def test_the_witness_refuses_with_a_reason(
    org: Organisation, document: Any, pending: Destruction, client_for: Any
) -> None:
    client = client_for(org.registrar)
    without = error_of(client.post(url(pending, "refuse"), {}, format="json"), 400, "invalid_input")
    assert "reason" in without["fields"]
    blank = client.post(url(pending, "refuse"), {"reason": ""}, format="json")
    assert "reason" in error_of(blank, 400, "invalid_input")["fields"]
    response = client.post(url(pending, "refuse"), {"reason": "not the copy I saw"}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["state"], response.json()["reason"]) == (
        "refused",
        "not the copy I saw",
    )
    assert _copy(document).state == "in_registry"


def test_the_destroyer_withdraws_and_an_inspector_may_not(
    org: Organisation, document: Any, pending: Destruction, client_for: Any
) -> None:
    refused = client_for(org.inspector).post(
        url(pending, "withdraw"), {"reason": "x"}, format="json"
    )
    error = error_of(refused, 403, "forbidden")
    assert error["message"] == "Refused: this needs the role of registrar or custodian."
    response = client_for(org.custodian).post(
        url(pending, "withdraw"), {"reason": "wrong copy"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "withdrawn"
    assert _copy(document).state == "in_registry"


def test_acting_on_a_resolved_destruction_is_an_illegal_transition(
    org: Organisation, witnessed: Destruction, client_for: Any
) -> None:
    response = client_for(org.registrar).post(url(witnessed, "witness"), {}, format="json")
    error = error_of(response, 409, "illegal_transition")
    assert error["message"] == f"Destruction {witnessed.short_reference} is already witnessed."


# --- lists -------------------------------------------------------------------------------------


def test_the_lists_of_witness_destroyer_and_unit(
    org: Organisation, pending: Destruction, client_for: Any
) -> None:
    def refs(person: Any, query: str = "") -> list[str]:
        response = client_for(person).get(f"{DESTRUCTIONS}{query}")
        assert response.status_code == 200, response.content
        return [row["short_reference"] for row in response.json()["results"]]

    short = pending.short_reference
    assert refs(org.registrar) == [short]
    assert refs(org.custodian) == []
    assert refs(org.custodian, "?box=destroyer") == [short]
    assert refs(org.inspector, "?box=unit&pending=1") == [short]
    assert refs(org.north_registrar, "?box=unit") == []
    error = error_of(
        client_for(org.registrar).get(f"{DESTRUCTIONS}?box=mine"), 400, "invalid_input"
    )
    assert error["fields"] == {"box": ["box must be one of: witness, destroyer, unit; not 'mine'."]}


# --- the certificate ---------------------------------------------------------------------------


def test_the_certificate_is_a_pdf(
    org: Organisation, document: Any, witnessed: Destruction, client_for: Any
) -> None:
    response = client_for(org.custodian).get(
        url(witnessed.short_reference, "certificate.pdf"), HTTP_ACCEPT="application/pdf"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        f'filename="destruction-{witnessed.short_reference}.pdf"' in response["Content-Disposition"]
    )
    words = text(response.content)
    assert document.control_number in words
    assert "Method burning" in words


def test_certificate_errors_are_json_even_when_a_pdf_was_asked_for(
    org: Organisation, pending: Destruction, client_for: Any
) -> None:
    client = client_for(org.registrar)
    early = client.get(url(pending, "certificate.pdf"), HTTP_ACCEPT="application/pdf")
    error = error_of(early, 409, "illegal_transition")
    assert "has not been witnessed" in error["message"]
    unknown = client.get(url(str(uuid.uuid4()), "certificate.pdf"), HTTP_ACCEPT="application/pdf")
    error_of(unknown, 404, "not_found")


class _NoPango(types.ModuleType):
    def __getattr__(self, name: str) -> Any:
        raise OSError("cannot load library 'libpango-1.0-0'")


def test_a_certificate_without_pango_is_unavailable_not_a_server_error(
    org: Organisation, witnessed: Destruction, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", _NoPango("weasyprint"))
    response = client_for(org.registrar).get(url(witnessed, "certificate.pdf"))
    error = error_of(response, 503, "unavailable")
    assert "Install Pango" in error["message"]


# --- destroyed is final ------------------------------------------------------------------------


def test_no_endpoint_can_move_a_destroyed_copy(
    org: Organisation, document: Any, witnessed: Destruction, client_for: Any
) -> None:
    client = client_for(org.registrar)
    copy_url = f"/api/v1/documents/{document.control_number}/copies/1/"
    before = last_entry().seq
    issue = client.post(copy_url + "issue", {"to": "ines"}, format="json")
    assert error_of(issue, 409, "illegal_transition")["message"] == (
        "The copy is destroyed; only a copy in the registry can be issued."
    )
    give_back = client.post(copy_url + "return", {}, format="json")
    assert error_of(give_back, 409, "illegal_transition")["message"] == (
        "The copy is destroyed; only a copy that is held can be returned."
    )
    again = _propose(client, document, witness="ines")
    assert error_of(again, 409, "illegal_transition")["message"] == (
        "The copy is destroyed; only a copy in the registry can be destroyed."
    )
    assert last_entry().seq == before
    hand_over = client.post(
        "/api/v1/hand-overs/", {"copy": f"{document.control_number}/1", "to": "ines"}, format="json"
    )
    assert error_of(hand_over, 403, "forbidden")["message"] == (
        "Refused: only the person who holds the copy may hand it over."
    )
    shown = client.get(copy_url).json()
    assert (shown["state"], shown["location"]) == ("destroyed", "destroyed by burning")


def test_a_destroyed_copy_names_its_destruction_and_certificate(
    org: Organisation, document: Any, witnessed: Destruction, client_for: Any
) -> None:
    copy_url = f"/api/v1/documents/{document.control_number}/copies/1/"
    shown = client_for(org.custodian).get(copy_url).json()
    assert (shown["state"], shown["holder"], shown["location"]) == (
        "destroyed",
        None,
        "destroyed by burning",
    )
    assert shown["destruction"] == {
        "reference": str(witnessed.reference),
        "short_reference": witnessed.short_reference,
        "state": "witnessed",
        "certificate": url(witnessed, "certificate.pdf"),
    }


def test_a_copy_awaiting_destruction_names_the_destruction_without_a_certificate(
    org: Organisation, document: Any, pending: Destruction, client_for: Any
) -> None:
    shown = (
        client_for(org.registrar)
        .get(f"/api/v1/documents/{document.control_number}/copies/1/")
        .json()
    )
    assert (shown["state"], shown["holder"], shown["location"]) == (
        "awaiting_destruction",
        None,
        "HQ registry",
    )
    assert (shown["destruction"]["short_reference"], shown["destruction"]["state"]) == (
        pending.short_reference,
        "pending",
    )
    assert shown["destruction"]["certificate"] is None


def test_a_destruction_the_caller_may_not_see_is_not_named(
    org: Organisation, register: Callable[..., Any], client_for: Any
) -> None:
    """Anyone may see an unclassified copy; its destruction only its parties and the copy's
    registry, security and inspection staff."""
    unclassified = register("UNCLASSIFIED")
    proposed = destructions.propose_destruction(
        _copy(unclassified), witness=org.registrar, method="shredding", by=org.custodian
    )
    destructions.witness_destruction(_stored(proposed), by=org.registrar)
    response = client_for(org.worker).get(
        f"/api/v1/documents/{unclassified.control_number}/copies/1/"
    )
    assert response.status_code == 200
    shown = response.json()
    assert (shown["state"], shown["holder"], shown["destruction"]) == ("destroyed", None, None)


def test_a_copy_awaiting_destruction_cannot_be_issued(
    org: Organisation, document: Any, pending: Destruction, client_for: Any
) -> None:
    response = client_for(org.registrar).post(
        f"/api/v1/documents/{document.control_number}/copies/1/issue", {"to": "ines"}, format="json"
    )
    assert error_of(response, 409, "illegal_transition")["message"] == (
        "The copy is awaiting destruction; only a copy in the registry can be issued."
    )
    custody_state = _copy(document).state
    assert custody_state == "awaiting_destruction"
