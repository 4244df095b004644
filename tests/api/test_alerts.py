"""GET /api/v1/alerts/: what has stalled, for the person who must act and their officers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from strongroom.adapters import clock
from strongroom.models import Copy
from strongroom.services import alerts, custody, destructions, hand_overs

SENT = datetime(2026, 3, 15, 9, 0, tzinfo=UTC)


def _raise_one(org: Any, register: Any) -> Any:
    document = register("CONFIDENTIAL")
    copy = Copy.objects.select_related("document__unit", "holder").get(document=document, number=1)
    with clock.frozen(SENT):
        custody.issue_copy(copy, to=org.reader, by=org.custodian)
        sent = hand_overs.dispatch_hand_over(
            copy, to=org.north_registrar, by=org.reader, due_by=SENT + timedelta(hours=1)
        )
    alerts.run_checks(now=SENT + timedelta(hours=2))
    return sent


def test_the_sender_and_a_security_officer_see_it(org: Any, register: Any, client_for: Any) -> None:
    sent = _raise_one(org, register)
    for person in (org.reader, org.officer):
        response = client_for(person).get("/api/v1/alerts/")
        assert response.status_code == 200
        [alert] = response.json()["results"]
        assert alert["subject"] == f"hand_over:{sent.reference}"
        assert alert["responsible"] == "rosa" and alert["kind"] == "hand_over_overdue"


def test_a_bystander_sees_none(org: Any, register: Any, client_for: Any) -> None:
    _raise_one(org, register)
    response = client_for(org.worker).get("/api/v1/alerts/")
    assert (response.status_code, response.json()["results"]) == (200, [])


def test_cleared_ones_only_with_all(org: Any, register: Any, client_for: Any) -> None:
    sent = _raise_one(org, register)
    hand_overs.accept_hand_over(sent, by=org.north_registrar)
    client = client_for(org.reader)
    assert client.get("/api/v1/alerts/").json()["results"] == []
    [cleared] = client.get("/api/v1/alerts/?all=1").json()["results"]
    assert cleared["cleared_because"] == "accepted"


def test_signed_out_is_401(anonymous: Any) -> None:
    assert anonymous.get("/api/v1/alerts/").status_code == 401


PROPOSED = (datetime.now(UTC) + timedelta(days=1)).replace(
    hour=9, minute=30, second=0, microsecond=0
)


def test_a_destruction_waiting_too_long_for_its_witness(
    org: Any, register: Any, client_for: Any
) -> None:
    """Carl's destruction waits for rita's countersignature past the delay: both see the
    alert, carl must act on it; once rita countersigns it is gone for both."""
    document = register("SECRET//ALPHA")
    copy = Copy.objects.select_related("document__unit", "unit").get(document=document, number=1)
    with clock.frozen(PROPOSED):
        destruction = destructions.propose_destruction(
            copy, witness=org.registrar, method="shredding", by=org.custodian
        )
    alerts.run_checks(now=PROPOSED + timedelta(days=4))

    for person in (org.custodian, org.registrar, org.officer):
        response = client_for(person).get("/api/v1/alerts/")
        assert response.status_code == 200
        [alert] = response.json()["results"]
        assert (alert["kind"], alert["subject"], alert["responsible"]) == (
            "destruction_unwitnessed",
            f"destruction:{destruction.reference}",
            "carl",
        )
    assert client_for(org.inspector).get("/api/v1/alerts/").json()["results"] == []

    with clock.frozen(PROPOSED + timedelta(days=4, hours=1)):
        witnessed = client_for(org.registrar).post(
            f"/api/v1/destructions/{destruction.reference}/witness", {}, format="json"
        )
    assert witnessed.status_code == 200, witnessed.content
    for person in (org.custodian, org.registrar):
        assert client_for(person).get("/api/v1/alerts/").json()["results"] == []
    [cleared] = client_for(org.custodian).get("/api/v1/alerts/?all=1").json()["results"]
    assert cleared["cleared_because"] == "witnessed"
