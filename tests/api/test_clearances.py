"""Clearances through the API: who may see them, and who may grant or withdraw them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from strongroom.adapters import clock
from strongroom.models import Clearance
from tests.api.conftest import error_of
from tests.conftest import last_entry


def url(username: str, action: str = "") -> str:
    return f"/api/v1/people/{username}/clearance" + (f"/{action}" if action else "")


def grant(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "level": "secret",
        "compartments": ["alpha"],
        "expires_on": (clock.today() + timedelta(days=90)).isoformat(),
        "briefed_on": clock.today().isoformat(),
    }
    return body | overrides


def test_everyone_sees_their_own_clearance(org: Any, client_for: Any) -> None:
    response = client_for(org.reader).get(url("rosa"))
    assert response.status_code == 200
    body = response.json()
    assert (body["person"], body["level"], body["compartments"], body["marking"]) == (
        "rosa", "CONFIDENTIAL", [], "CONFIDENTIAL",
    )
    assert (body["status"], body["granted_by"], body["problem"]) == ("active", "sven", None)


def test_an_inspector_sees_the_clearance_of_others(org: Any, client_for: Any) -> None:
    body = client_for(org.inspector).get(url("rita")).json()
    assert body["marking"] == "TOP SECRET//ALPHA/BRAVO"


def test_staff_may_not_see_the_clearance_of_others_and_the_attempt_is_recorded(
    org: Any, client_for: Any
) -> None:
    error = error_of(client_for(org.worker).get(url("rita")), 403, "forbidden")
    assert "security officer or administrator or inspector" in error["message"]
    entry = last_entry()
    assert (entry.kind, entry.subject, entry.actor_id) == (
        "access.refused", "clearance:rita", org.worker.pk,
    )
    assert entry.data["action"] == "clearance:view"


def test_someone_without_a_clearance_has_none_to_show(org: Any, client_for: Any) -> None:
    error = error_of(client_for(org.officer).get(url("wally")), 404, "not_found")
    assert error["message"] == "wally holds no clearance."


def test_a_security_officer_grants_a_clearance(org: Any, client_for: Any) -> None:
    response = client_for(org.second_officer).put(url("wally"), grant(), format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["person"], body["marking"], body["status"], body["granted_by"]) == (
        "wally", "SECRET//ALPHA", "active", "sven",
    )
    assert Clearance.objects.get(person=org.worker).level == 3
    entry = last_entry()
    assert (entry.kind, entry.subject) == ("clearance.granted", "clearance:wally")
    # And now wally may see what the clearance covers.
    assert client_for(org.worker).get("/api/v1/me/").json()["clearance"]["level"] == "SECRET"


def test_without_a_briefing_a_clearance_does_not_count(org: Any, client_for: Any) -> None:
    response = client_for(org.second_officer).put(url("wally"), grant(briefed_on=None),
                                                  format="json")
    assert response.json()["problem"] == "no security briefing on record"


def test_only_a_security_officer_grants_clearance(org: Any, client_for: Any) -> None:
    error = error_of(client_for(org.registrar).put(url("wally"), grant(), format="json"), 403,
                     "forbidden")
    assert error["message"] == "Refused: this needs the role of security officer."
    assert not Clearance.objects.filter(person=org.worker).exists()
    assert last_entry().data["action"] == "clearance:grant"


def test_nobody_grants_their_own_clearance(org: Any, client_for: Any) -> None:
    error = error_of(client_for(org.officer).put(url("olga"), grant(), format="json"), 403,
                     "forbidden")
    assert "nobody may grant or withdraw clearance for themselves" in error["message"]


def test_bad_grants_name_the_field(org: Any, client_for: Any) -> None:
    client = client_for(org.second_officer)
    past = (clock.today() - timedelta(days=1)).isoformat()
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"level": "COSMIC"}, "level", "Unknown level"),
        ({"compartments": ["DELTA"]}, "level", "Unknown compartment"),
        ({"expires_on": past}, "expires_on", "must be in the future"),
        ({"expires_on": "soon"}, "expires_on", "Date has wrong format"),
    ]
    for overrides, field, fragment in cases:
        error = error_of(client.put(url("wally"), grant(**overrides), format="json"), 400,
                         "invalid_input")
        assert list(error["fields"]) == [field], (overrides, error)
        assert fragment in error["fields"][field][0]


def test_suspend_reinstate_revoke(org: Any, client_for: Any) -> None:
    client = client_for(org.second_officer)
    suspended = client.post(url("rosa", "suspend"), {"reason": "Under review."}, format="json")
    assert suspended.status_code == 200, suspended.content
    assert (suspended.json()["status"], suspended.json()["problem"]) == (
        "suspended", "clearance is suspended",
    )
    assert (last_entry().kind, last_entry().data["reason"]) == (
        "clearance.suspended", "Under review.",
    )
    reinstated = client.post(url("rosa", "reinstate"), {"reason": "Cleared."}, format="json")
    assert reinstated.json()["status"] == "active"
    assert last_entry().kind == "clearance.reinstated"
    revoked = client.post(url("rosa", "revoke"), {"reason": "Left the service."}, format="json")
    assert revoked.json()["status"] == "revoked"
    assert last_entry().kind == "clearance.revoked"
    error = error_of(client.post(url("rosa", "reinstate"), {"reason": "Oops."}, format="json"),
                     400, "invalid_input")
    assert "Grant a new one instead." in error["message"]


def test_withdrawing_clearance_is_refused_to_others(org: Any, client_for: Any) -> None:
    for action in ("suspend", "reinstate", "revoke"):
        response = client_for(org.inspector).post(url("rosa", action), {"reason": "x"},
                                                  format="json")
        error_of(response, 403, "forbidden")
        assert last_entry().kind == "access.refused"
    assert Clearance.objects.get(person=org.reader).status == "active"


def test_withdrawing_needs_a_reason(org: Any, client_for: Any) -> None:
    error = error_of(client_for(org.second_officer).post(url("rosa", "suspend"), {},
                                                         format="json"), 400, "invalid_input")
    assert list(error["fields"]) == ["reason"]


def test_there_is_nothing_to_suspend_without_a_clearance(org: Any, client_for: Any) -> None:
    error = error_of(client_for(org.second_officer).post(url("wally", "suspend"), {"reason": "x"},
                                                         format="json"), 400, "invalid_input")
    assert error["message"] == "wally holds no clearance."
