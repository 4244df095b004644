"""Reproduction through the API: ask for copies, list, read, approve, refuse, withdraw.

The scene: a SECRET document registered at HQ with 7 copies; carl (HQ custodian) asks for 3
more, and rita (HQ registrar) decides. nils (NORTH registrar) does not answer for HQ.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from strongroom.models import Copy, Document, Reproduction
from strongroom.services import reproductions
from tests.api.conftest import error_of
from tests.conftest import Organisation, last_entry

REPRODUCTIONS = "/api/v1/reproductions/"


def url(reproduction: Reproduction | str, action: str = "") -> str:
    ref = reproduction if isinstance(reproduction, str) else str(reproduction.reference)
    return f"{REPRODUCTIONS}{ref}/{action}"


def of_document(document: Any) -> str:
    return f"/api/v1/documents/{document.control_number}/reproductions"


def _document(document: Any) -> Document:
    return Document.objects.select_related("unit").get(pk=document.pk)


def _stored(reproduction: Reproduction) -> Reproduction:
    return Reproduction.objects.get(pk=reproduction.pk)


def _numbers(document: Any) -> list[int]:
    return list(
        Copy.objects.filter(document=document).order_by("number").values_list("number", flat=True)
    )


def _refused(entry: Any, actor: Any, action: str) -> None:
    assert (entry.kind, entry.actor_id) == ("access.refused", actor.pk)
    assert entry.data["action"] == action


@pytest.fixture
def document(org: Organisation, register: Callable[..., Any]) -> Document:
    """A SECRET HQ document of 7 copies."""
    return _document(register("SECRET", copies=7))


@pytest.fixture
def pending(org: Organisation, document: Document) -> Reproduction:
    """carl has asked for 3 more copies (request version 1)."""
    return reproductions.request_reproduction(
        document, copies=3, reason="briefing", by=org.custodian
    )


# --- request ---------------------------------------------------------------------------------


def test_a_custodian_asks_for_copies(
    org: Organisation, document: Document, client_for: Any
) -> None:
    response = client_for(org.custodian).post(
        of_document(document), {"copies": 3, "reason": "briefing"}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    made = Reproduction.objects.get()
    assert body["reference"] == str(made.reference)
    assert body["short_reference"] == made.short_reference
    assert (body["document"], body["marking"], body["short_title"]) == (
        document.control_number,
        "SECRET",
        "Directive 12",
    )
    assert (body["requested_by"], body["copies"], body["reason"], body["state"]) == (
        "carl",
        3,
        "briefing",
        "pending",
    )
    assert (body["decided_by"], body["decided_at"], body["decision_note"]) == (None, None, "")
    assert (body["first_number"], body["last_number"], body["version"]) == (None, None, 1)
    assert _numbers(document) == list(range(1, 8))
    entry = last_entry()
    assert (entry.kind, entry.actor_id, entry.subject) == (
        "reproduction.requested",
        org.custodian.pk,
        f"document:{document.control_number}",
    )


def test_a_no_copy_document_is_refused_with_that_reason_and_recorded(
    org: Organisation, register: Callable[..., Any], client_for: Any
) -> None:
    document = register("SECRET//NO COPY")
    response = client_for(org.registrar).post(
        of_document(document), {"copies": 1, "reason": "archive"}, format="json"
    )
    error = error_of(response, 403, "forbidden")
    assert error["message"] == (
        "Refused: the marking SECRET//NO COPY carries NO COPY: no copies of it may be made."
    )
    _refused(last_entry(), org.registrar, "reproduction:request")
    assert not Reproduction.objects.exists()


def test_someone_not_eligible_is_refused_with_the_reason(
    org: Organisation, document: Document, client_for: Any
) -> None:
    response = client_for(org.north_registrar).post(
        of_document(document), {"copies": 1, "reason": "x"}, format="json"
    )
    error = error_of(response, 403, "forbidden")
    assert error["message"] == ("Refused: the document belongs to a unit outside yours (HQ/NORTH).")
    _refused(last_entry(), org.north_registrar, "reproduction:request")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"copies": 21, "reason": "x"}, "copies"),
        ({"copies": 0, "reason": "x"}, "copies"),
        ({"copies": 2, "reason": " "}, "reason"),
        ({"copies": 2}, "reason"),
        ({"copies": "many", "reason": "x"}, "copies"),
        ({"copies": 2, "reason": "x", "cpies": 3}, "cpies"),
    ],
    ids=["too-many", "none", "blank-reason", "no-reason", "not-a-number", "unknown-field"],
)
def test_bad_input_names_the_field(
    org: Organisation, document: Document, client_for: Any, payload: dict[str, Any], field: str
) -> None:
    response = client_for(org.custodian).post(of_document(document), payload, format="json")
    error = error_of(response, 400, "invalid_input")
    assert field in error["fields"], error
    assert not Reproduction.objects.exists()


def test_a_hidden_document_reads_as_missing_and_the_attempt_is_recorded(
    org: Organisation, document: Document, client_for: Any
) -> None:
    response = client_for(org.worker).post(
        of_document(document), {"copies": 1, "reason": "x"}, format="json"
    )
    error = error_of(response, 404, "not_found")
    assert error["message"] == f"No document {document.control_number} in the register."
    _refused(last_entry(), org.worker, "document:view")


# --- reading ---------------------------------------------------------------------------------


def test_the_documents_records_and_one_by_short_reference(
    org: Organisation, document: Document, pending: Reproduction, client_for: Any
) -> None:
    client = client_for(org.registrar)
    listed = client.get(of_document(document))
    assert listed.status_code == 200
    assert [item["reference"] for item in listed.json()["results"]] == [str(pending.reference)]
    one = client.get(url(pending.short_reference.lower()))
    assert one.status_code == 200
    assert one.json()["reference"] == str(pending.reference)


def test_my_units_records_with_the_pending_filter(
    org: Organisation, document: Document, pending: Reproduction, client_for: Any
) -> None:
    other = reproductions.request_reproduction(
        _document(document), copies=1, reason="spare", by=org.custodian
    )
    reproductions.refuse_reproduction(other, by=org.registrar, reason="enough")
    client = client_for(org.registrar)
    everything = client.get(REPRODUCTIONS).json()["results"]
    assert [item["short_reference"] for item in everything] == [
        other.short_reference,
        pending.short_reference,
    ]
    waiting = client.get(REPRODUCTIONS, {"pending": "true"}).json()["results"]
    assert [item["short_reference"] for item in waiting] == [pending.short_reference]
    assert client_for(org.reader).get(REPRODUCTIONS).json()["results"] == []


@pytest.mark.parametrize("who", ["north_registrar", "worker"])
def test_a_request_one_may_not_see_reads_as_missing(
    org: Organisation, pending: Reproduction, client_for: Any, who: str
) -> None:
    actor = getattr(org, who)
    response = client_for(actor).get(url(pending.short_reference))
    error = error_of(response, 404, "not_found")
    assert error["message"] == f"No reproduction request {pending.short_reference}."
    _refused(last_entry(), actor, "reproduction:view")
    other = "FFFFFFFF" if pending.short_reference != "FFFFFFFF" else "EEEEEEEE"
    absent = error_of(client_for(actor).get(url(other)), 404, "not_found")
    assert absent["message"] == f"No reproduction request {other}."


def test_a_reference_that_is_none_is_bad_input(org: Organisation, client_for: Any) -> None:
    error = error_of(client_for(org.registrar).get(url("not-a-ref")), 400, "invalid_input")
    assert "reproduction" in error["fields"]


# --- deciding --------------------------------------------------------------------------------


def test_the_authority_approves_8_to_10_of_10(
    org: Organisation, document: Document, pending: Reproduction, client_for: Any
) -> None:
    response = client_for(org.registrar).post(
        url(pending, "approve"), {"expected_version": 1, "note": "granted"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["state"], body["decided_by"], body["decision_note"]) == (
        "approved",
        "rita",
        "granted",
    )
    assert (body["first_number"], body["last_number"], body["version"]) == (8, 10, 2)
    assert _numbers(document) == list(range(1, 11))
    copy = client_for(org.registrar).get(f"/api/v1/documents/{document.control_number}/copies/1/")
    assert copy.json()["history"][-1]["kind"] == "reproduction.approved"
    shown = client_for(org.registrar).get(f"/api/v1/documents/{document.control_number}/")
    assert shown.json()["copy_count"] == 10
    assert last_entry().kind == "reproduction.approved"


def test_two_approvals_in_turn_number_on(
    org: Organisation, document: Document, pending: Reproduction, client_for: Any
) -> None:
    client = client_for(org.registrar)
    assert client.post(url(pending, "approve"), {}, format="json").status_code == 200
    second = client_for(org.custodian).post(
        of_document(document), {"copies": 2, "reason": "more"}, format="json"
    )
    approved = client.post(url(second.json()["reference"], "approve"), {}, format="json")
    assert (approved.json()["first_number"], approved.json()["last_number"]) == (11, 12)


def test_the_requester_may_not_approve_their_own_request(
    org: Organisation, document: Document, client_for: Any
) -> None:
    mine = reproductions.request_reproduction(document, copies=1, reason="x", by=org.registrar)
    response = client_for(org.registrar).post(url(mine, "approve"), {}, format="json")
    error = error_of(response, 403, "forbidden")
    assert error["message"] == (
        "Refused: the person who asked for the reproduction may not decide it; another "
        "registrar must."
    )
    _refused(last_entry(), org.registrar, "reproduction:approve")
    assert _stored(mine).state == "pending"
    assert _numbers(document) == list(range(1, 8))


def test_deciding_a_request_one_may_not_see_reads_as_missing(
    org: Organisation, pending: Reproduction, client_for: Any
) -> None:
    for action in ("approve", "refuse", "withdraw"):
        response = client_for(org.north_registrar).post(
            url(pending, action), {"reason": "x"} if action != "approve" else {}, format="json"
        )
        error_of(response, 404, "not_found")
    assert _stored(pending).state == "pending"


def test_a_stale_version_is_a_conflict(
    org: Organisation, document: Document, pending: Reproduction, client_for: Any
) -> None:
    response = client_for(org.registrar).post(
        url(pending, "approve"), {"expected_version": 5}, format="json"
    )
    error = error_of(response, 409, "conflict")
    assert "was changed by someone else" in error["message"]
    assert _numbers(document) == list(range(1, 8))


def test_a_decided_request_is_an_illegal_transition(
    org: Organisation, pending: Reproduction, client_for: Any
) -> None:
    reproductions.withdraw_reproduction(pending, by=org.custodian)
    response = client_for(org.registrar).post(url(pending, "approve"), {}, format="json")
    error = error_of(response, 409, "illegal_transition")
    assert (
        error["message"] == f"Reproduction request {pending.short_reference} is already withdrawn."
    )


def test_the_authority_refuses_with_a_reason_and_no_copies_change(
    org: Organisation, document: Document, pending: Reproduction, client_for: Any
) -> None:
    client = client_for(org.registrar)
    missing = client.post(url(pending, "refuse"), {}, format="json")
    assert "reason" in error_of(missing, 400, "invalid_input")["fields"]
    response = client.post(
        url(pending, "refuse"), {"reason": "enough", "expected_version": 1}, format="json"
    )
    assert response.status_code == 200, response.content
    assert (response.json()["state"], response.json()["decision_note"]) == ("refused", "enough")
    assert _numbers(document) == list(range(1, 8))
    assert last_entry().kind == "reproduction.refused"


def test_only_the_requester_withdraws(
    org: Organisation, pending: Reproduction, client_for: Any
) -> None:
    refused = client_for(org.registrar).post(url(pending, "withdraw"), {}, format="json")
    assert error_of(refused, 403, "forbidden")["message"] == (
        "Refused: only the person who asked for a reproduction may withdraw it."
    )
    done = client_for(org.custodian).post(
        url(pending, "withdraw"), {"reason": "not needed"}, format="json"
    )
    assert done.status_code == 200
    assert done.json()["state"] == "withdrawn"
