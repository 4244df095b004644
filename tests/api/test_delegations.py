"""Delegations through the API: grant, read, revoke, list; allowed and refused, bad input,
hidden ones, stale versions.

The scene: rita (HQ registrar, TOP SECRET) delegates registering at HQ up to SECRET to carl
(HQ custodian, SECRET//ALPHA) for a week.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from rest_framework.test import APIClient

from strongroom.adapters import clock
from strongroom.ledger.models import LedgerEntry
from strongroom.models import Delegation
from strongroom.services import delegations
from tests.api.conftest import error_of
from tests.conftest import Organisation, last_entry

DELEGATIONS = "/api/v1/delegations/"


def url(number: int | str, action: str = "") -> str:
    return f"{DELEGATIONS}{number}/{action}"


def _today() -> date:
    return clock.today()


def _stored(delegation: Delegation) -> Delegation:
    return Delegation.objects.select_related("revoked_by").get(pk=delegation.pk)


def _refused(entry: Any, actor: Any, action: str) -> None:
    assert (entry.kind, entry.actor_id) == ("access.refused", actor.pk)
    assert entry.data["action"] == action


def _refusals() -> int:
    return LedgerEntry.objects.filter(kind="access.refused").count()


def _grant(**values: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "delegate": "carl",
        "duty": "register",
        "level": "SECRET",
        "ends_on": (_today() + timedelta(days=7)).isoformat(),
        "reason": "on leave for a week",
    }
    payload.update(values)
    return payload


@pytest.fixture
def granted(org: Organisation) -> Delegation:
    """rita has delegated registering at HQ up to SECRET to carl for a week (version 1)."""
    return delegations.grant_delegation(
        org.custodian,
        duty="register",
        level="SECRET",
        ends_on=_today() + timedelta(days=7),
        reason="on leave for a week",
        by=org.registrar,
    )


# --- grant -----------------------------------------------------------------------------------


def test_a_registrar_delegates_registering(org: Organisation, client_for: Any) -> None:
    response = client_for(org.registrar).post(DELEGATIONS, _grant(), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    granted = Delegation.objects.get()
    today = _today()
    assert body == {
        "number": granted.pk,
        "delegator": "rita",
        "delegate": "carl",
        "duty": "register",
        "unit": "HQ",
        "level": "SECRET",
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=7)).isoformat(),
        "reason": "on leave for a week",
        "granted_at": body["granted_at"],
        "revoked_at": None,
        "revoked_by": None,
        "version": 1,
    }
    assert body["granted_at"]
    entry = last_entry()
    assert (entry.kind, entry.actor_id, entry.subject) == (
        "delegation.granted",
        org.registrar.pk,
        f"delegation:{granted.pk}",
    )
    assert entry.data["delegate"] == "carl"


def test_a_delegation_may_start_later(org: Organisation, client_for: Any) -> None:
    starts = _today() + timedelta(days=2)
    response = client_for(org.custodian).post(
        DELEGATIONS,
        _grant(
            delegate="rosa",
            duty="handle_copies",
            level="CONFIDENTIAL",
            starts_on=starts.isoformat(),
            ends_on=(starts + timedelta(days=1)).isoformat(),
        ),
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["delegator"], body["delegate"], body["duty"], body["starts_on"]) == (
        "carl",
        "rosa",
        "handle_copies",
        starts.isoformat(),
    )


def test_delegating_to_someone_not_cleared_is_refused_and_recorded(
    org: Organisation, client_for: Any
) -> None:
    response = client_for(org.registrar).post(DELEGATIONS, _grant(delegate="wally"), format="json")
    error = error_of(response, 403, "forbidden")
    assert error["message"] == (
        "Refused: the delegate may not hold SECRET material: the person holds no clearance."
    )
    entry = last_entry()
    _refused(entry, org.registrar, "delegation:grant")
    assert entry.subject == "person:wally"
    assert not Delegation.objects.exists()


@pytest.mark.parametrize(
    ("who", "values", "reason"),
    [
        (
            "reader",
            {"delegate": "nils", "level": "CONFIDENTIAL"},
            "this needs the role of registrar",
        ),
        ("custodian", {"delegate": "rita"}, "this needs the role of registrar"),
        ("registrar", {"delegate": "rita"}, "nobody may delegate a duty for themselves"),
        (
            "north_registrar",
            {"delegate": "rita", "level": "TOP SECRET"},
            "you may not hold TOP SECRET material: clearance does not reach TOP SECRET",
        ),
    ],
    ids=["without-the-duty", "custodian-registering", "to-oneself", "above-own-clearance"],
)
def test_a_delegation_that_may_not_be_given_is_refused(
    org: Organisation, client_for: Any, who: str, values: dict[str, str], reason: str
) -> None:
    person = getattr(org, who)
    response = client_for(person).post(DELEGATIONS, _grant(**values), format="json")
    error = error_of(response, 403, "forbidden")
    assert error["message"] == f"Refused: {reason}."
    _refused(last_entry(), person, "delegation:grant")
    assert not Delegation.objects.exists()


def test_bad_grant_input_names_the_field(org: Organisation, client_for: Any, settings: Any) -> None:
    settings.STRONGROOM_DELEGATION_MAX_DAYS = 30
    rita = client_for(org.registrar)
    today = _today()
    before = last_entry().seq

    def fields(payload: dict[str, Any]) -> dict[str, list[str]]:
        error = error_of(rita.post(DELEGATIONS, payload, format="json"), 400, "invalid_input")
        assert "fields" in error, error
        return dict(error["fields"])

    assert sorted(fields({})) == ["delegate", "duty", "ends_on", "level", "reason"]
    assert fields(_grant(delegate="zed")) == {"delegate": ["No person zed."]}
    assert list(fields(_grant(duty="sweep"))) == ["duty"]
    assert list(fields(_grant(level="ULTRA"))) == ["level"]
    assert list(fields(_grant(ends_on="next week"))) == ["ends_on"]
    assert list(fields(_grant(reason=""))) == ["reason"]
    assert list(fields(_grant(reason="x" * 501))) == ["reason"]
    assert fields(_grant(ends_on=(today + timedelta(days=30)).isoformat())) == {
        "ends_on": ["A delegation may last at most 30 days; delegate again when it ends."]
    }
    assert fields(_grant(ends_on=(today - timedelta(days=1)).isoformat())) == {
        "ends_on": ["A delegation must end on or after the day it starts."]
    }
    assert fields(_grant(starts_on=(today - timedelta(days=1)).isoformat())) == {
        "starts_on": ["A delegation cannot start in the past."]
    }
    assert list(fields(_grant(reason="   "))) == ["reason"]
    assert not Delegation.objects.exists()
    assert last_entry().seq == before


def test_a_body_that_is_not_json_is_a_clear_error(org: Organisation, client_for: Any) -> None:
    response = client_for(org.registrar).post(
        DELEGATIONS, data="{not json", content_type="application/json"
    )
    error_of(response, 400, "parse_error")


# --- one delegation --------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["registrar", "custodian", "officer"])
def test_its_parties_and_the_security_officer_read_it(
    org: Organisation, granted: Delegation, client_for: Any, who: str
) -> None:
    response = client_for(getattr(org, who)).get(url(granted.pk))
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["number"], body["delegator"], body["delegate"], body["version"]) == (
        granted.pk,
        "rita",
        "carl",
        1,
    )


CALLS = {
    "read": lambda c, n: c.get(url(n)),
    "revoke": lambda c, n: c.post(url(n, "revoke"), {"reason": "x"}, format="json"),
}


@pytest.mark.parametrize("call", CALLS.values(), ids=CALLS.keys())
@pytest.mark.parametrize("who", ["worker", "north_registrar", "inspector"])
def test_a_hidden_delegation_is_byte_for_byte_a_missing_one(
    org: Organisation, granted: Delegation, client_for: Any, call: Any, who: str
) -> None:
    person = getattr(org, who)
    missing = granted.pk + 100
    client = client_for(person)
    before = _refusals()

    hidden = call(client, granted.pk)
    absent = call(client, missing)

    error = error_of(hidden, 404, "not_found")
    assert error["message"] == f"No delegation {granted.pk}."
    assert error_of(absent, 404, "not_found")["message"] == f"No delegation {missing}."
    assert hidden.content.replace(str(granted.pk).encode(), b"N") == absent.content.replace(
        str(missing).encode(), b"N"
    )
    assert _refusals() == before + 1
    entry = LedgerEntry.objects.filter(kind="access.refused").order_by("seq").last()
    _refused(entry, person, "delegation:view")
    assert entry.subject == f"delegation:{granted.pk}"
    assert _stored(granted).revoked_at is None


def test_without_credentials_nothing_is_told(
    anonymous: APIClient, org: Organisation, granted: Delegation
) -> None:
    error_of(anonymous.get(url(granted.pk)), 401, "not_authenticated")
    error_of(anonymous.get(DELEGATIONS), 401, "not_authenticated")
    error_of(anonymous.post(DELEGATIONS, _grant(), format="json"), 401, "not_authenticated")
    error_of(
        anonymous.post(url(granted.pk, "revoke"), {"reason": "x"}, format="json"),
        401,
        "not_authenticated",
    )
    assert _stored(granted).revoked_at is None


# --- revoke ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["registrar", "officer"], ids=["the-delegator", "an-officer"])
def test_the_delegator_or_an_officer_revokes(
    org: Organisation, granted: Delegation, client_for: Any, who: str
) -> None:
    person = getattr(org, who)
    response = client_for(person).post(
        url(granted.pk, "revoke"), {"reason": "back early", "expected_version": 1}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["revoked_by"], body["version"]) == (person.username, 2)
    assert body["revoked_at"] is not None
    stored = _stored(granted)
    assert (stored.revoked_by, stored.version) == (person, 2)
    entry = last_entry()
    assert (entry.kind, entry.actor_id, entry.subject) == (
        "delegation.revoked",
        person.pk,
        f"delegation:{granted.pk}",
    )
    assert entry.data == {"reason": "back early"}


def test_the_delegate_may_not_revoke(
    org: Organisation, granted: Delegation, client_for: Any
) -> None:
    response = client_for(org.custodian).post(
        url(granted.pk, "revoke"), {"reason": "not wanted"}, format="json"
    )
    error = error_of(response, 403, "forbidden")
    assert error["message"] == (
        "Refused: this needs the role of security officer or administrator."
    )
    _refused(last_entry(), org.custodian, "delegation:revoke")
    assert _stored(granted).revoked_at is None


def test_a_stale_version_is_a_conflict_and_changes_nothing(
    org: Organisation, granted: Delegation, client_for: Any
) -> None:
    before = last_entry().seq
    response = client_for(org.registrar).post(
        url(granted.pk, "revoke"), {"reason": "back early", "expected_version": 7}, format="json"
    )
    error = error_of(response, 409, "conflict")
    assert error["message"] == (
        f"Delegation {granted.pk} was changed by someone else a moment ago; reload it and try "
        "again."
    )
    assert _stored(granted).revoked_at is None
    assert last_entry().seq == before


def test_revoking_twice_is_an_illegal_transition(
    org: Organisation, granted: Delegation, client_for: Any
) -> None:
    rita = client_for(org.registrar)
    assert (
        rita.post(url(granted.pk, "revoke"), {"reason": "back"}, format="json").status_code == 200
    )
    error = error_of(
        rita.post(url(granted.pk, "revoke"), {"reason": "again"}, format="json"),
        409,
        "illegal_transition",
    )
    assert error["message"] == f"Delegation {granted.pk} is already revoked."


def test_bad_revoke_input_names_the_field(
    org: Organisation, granted: Delegation, client_for: Any
) -> None:
    rita = client_for(org.registrar)

    def fields(payload: dict[str, Any]) -> list[str]:
        response = rita.post(url(granted.pk, "revoke"), payload, format="json")
        return list(error_of(response, 400, "invalid_input")["fields"])

    assert fields({}) == ["reason"]
    assert fields({"reason": "x" * 501}) == ["reason"]
    assert fields({"reason": ["a", "b"]}) == ["reason"]
    assert fields({"reason": "x", "expected_version": "x"}) == ["expected_version"]
    assert fields({"reason": "x", "expected_version": 0}) == ["expected_version"]
    assert fields({"reason": "x", "expected_version": 2**63}) == ["expected_version"]
    assert _stored(granted).revoked_at is None


# --- lists -----------------------------------------------------------------------------------


def _numbers(response: Any) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["number"] for item in response.json()["results"]]


def test_lists_given_to_me_by_me_and_of_my_units(
    org: Organisation, granted: Delegation, client_for: Any
) -> None:
    number = granted.pk
    carl = client_for(org.custodian)
    assert _numbers(carl.get(DELEGATIONS)) == [number]
    assert _numbers(carl.get(DELEGATIONS, {"box": "received"})) == [number]
    assert _numbers(carl.get(DELEGATIONS, {"box": "given"})) == []
    rita = client_for(org.registrar)
    assert _numbers(rita.get(DELEGATIONS, {"box": "given"})) == [number]
    assert _numbers(rita.get(DELEGATIONS)) == []
    assert _numbers(client_for(org.officer).get(DELEGATIONS, {"box": "unit"})) == [number]
    assert _numbers(client_for(org.worker).get(DELEGATIONS, {"box": "unit"})) == []
    assert _numbers(client_for(org.north_registrar).get(DELEGATIONS, {"box": "unit"})) == []
    assert carl.get(DELEGATIONS).json()["count"] == 1


def test_the_in_force_filter(org: Organisation, granted: Delegation, client_for: Any) -> None:
    delegations.revoke_delegation(granted, reason="back early", by=org.registrar)
    carl = client_for(org.custodian)
    assert _numbers(carl.get(DELEGATIONS, {"in_force": "true"})) == []
    assert _numbers(carl.get(DELEGATIONS, {"in_force": "1"})) == []
    assert _numbers(carl.get(DELEGATIONS)) == [granted.pk]


def test_an_unknown_box_names_the_parameter(org: Organisation, client_for: Any) -> None:
    error = error_of(
        client_for(org.registrar).get(DELEGATIONS, {"box": "all"}), 400, "invalid_input"
    )
    assert error["fields"] == {"box": ["box must be one of: received, given, unit; not 'all'."]}
