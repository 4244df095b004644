"""Units and people through the API."""

from __future__ import annotations

from typing import Any

from strongroom.models import Person, Unit
from tests.api.conftest import error_of
from tests.conftest import PASSWORD, last_entry

UNITS = "/api/v1/units/"
PEOPLE = "/api/v1/people/"


# --- units -------------------------------------------------------------------------------------


def test_units_are_listed_in_tree_order(org: Any, client_for: Any) -> None:
    body = client_for(org.worker).get(UNITS).json()
    assert body["count"] == 4
    assert [(u["code"], u["parent"], u["path"]) for u in body["results"]] == [
        ("HQ", None, "HQ"),
        ("NORTH", "HQ", "HQ/NORTH"),
        ("NCITY", "NORTH", "HQ/NORTH/NCITY"),
        ("SOUTH", "HQ", "HQ/SOUTH"),
    ]


def test_one_unit(org: Any, client_for: Any) -> None:
    client = client_for(org.worker)
    assert client.get(f"{UNITS}north/").json() == {
        "code": "NORTH", "name": "North Province", "parent": "HQ", "path": "HQ/NORTH",
        "head": None,
    }
    error = error_of(client.get(f"{UNITS}EAST/"), 404, "not_found")
    assert error["message"] == "No unit EAST."


def test_a_security_officer_creates_a_unit(org: Any, client_for: Any) -> None:
    body = {"code": "south2", "name": "South Two", "parent": "SOUTH"}
    response = client_for(org.officer).post(UNITS, body, format="json")
    assert response.status_code == 201, response.content
    assert response["Location"] == "/api/v1/units/SOUTH2/"
    assert response.json() == {
        "code": "SOUTH2", "name": "South Two", "parent": "SOUTH", "path": "HQ/SOUTH/SOUTH2",
        "head": None,
    }
    assert Unit.objects.filter(code="SOUTH2").exists()
    assert (last_entry().kind, last_entry().subject) == ("unit.created", "unit:SOUTH2")


def test_a_registrar_may_not_create_a_unit(org: Any, client_for: Any) -> None:
    body = {"code": "EAST", "name": "East", "parent": "HQ"}
    error = error_of(client_for(org.registrar).post(UNITS, body, format="json"), 403, "forbidden")
    assert "security officer or administrator" in error["message"]
    assert not Unit.objects.filter(code="EAST").exists()
    entry = last_entry()
    assert (entry.kind, entry.subject, entry.actor_id) == (
        "access.refused", "unit:HQ", org.registrar.pk,
    )


def test_bad_units_name_the_field(org: Any, client_for: Any) -> None:
    client = client_for(org.officer)
    cases = [
        ({"code": "EAST", "name": "East", "parent": "WEST"}, "parent", "No unit WEST."),
        ({"code": "1X", "name": "East", "parent": "HQ"}, "code", "must be 2-16 letters"),
        ({"code": "NORTH", "name": "Again", "parent": "HQ"}, "code", "already a unit"),
        ({"code": "EAST", "parent": "HQ"}, "name", "required"),
    ]
    for body, field, fragment in cases:
        error = error_of(client.post(UNITS, body, format="json"), 400, "invalid_input")
        assert list(error["fields"]) == [field], body
        assert fragment in error["fields"][field][0], error


# --- people ------------------------------------------------------------------------------------


def test_people_are_listed_and_filtered(org: Any, client_for: Any) -> None:
    client = client_for(org.worker)
    everyone = client.get(PEOPLE).json()
    assert everyone["count"] == 8
    assert everyone["results"][0] == {
        "username": "carl", "full_name": "Carl Custodian", "unit": "HQ", "roles": ["custodian"],
        "status": "active", "version": 1,
    }
    north = client.get(PEOPLE, {"unit": "north"}).json()["results"]
    assert [p["username"] for p in north] == ["nils", "rosa"]
    found = client.get(PEOPLE, {"q": "rita"}).json()["results"]
    assert [p["username"] for p in found] == ["rita"]


def test_one_person(org: Any, client_for: Any) -> None:
    client = client_for(org.worker)
    assert client.get(f"{PEOPLE}olga/").json()["roles"] == ["administrator", "security_officer"]
    error = error_of(client.get(f"{PEOPLE}zed/"), 404, "not_found")
    assert error["message"] == "No person zed."


def test_a_security_officer_creates_a_person_who_can_then_sign_in(
    org: Any, client_for: Any, anonymous: Any
) -> None:
    body = {"username": "nina", "full_name": "Nina New", "unit": "NCITY", "roles": ["staff"],
            "password": PASSWORD}
    response = client_for(org.officer).post(PEOPLE, body, format="json")
    assert response.status_code == 201, response.content
    assert response["Location"] == "/api/v1/people/nina/"
    assert response.json() == {
        "username": "nina", "full_name": "Nina New", "unit": "NCITY", "roles": ["staff"],
        "status": "active", "version": 1,
    }
    assert "password" not in response.json()
    assert (last_entry().kind, last_entry().subject) == ("person.created", "person:nina")
    token = anonymous.post("/api/v1/tokens/", {"username": "nina", "password": PASSWORD},
                           format="json")
    assert token.status_code == 200


def test_a_person_without_a_password_cannot_sign_in(
    org: Any, client_for: Any, anonymous: Any
) -> None:
    body = {"username": "nina", "full_name": "Nina New", "unit": "HQ"}
    assert client_for(org.officer).post(PEOPLE, body, format="json").status_code == 201
    assert Person.objects.get(username="nina").has_usable_password() is False


def test_staff_may_not_create_people(org: Any, client_for: Any) -> None:
    body = {"username": "nina", "full_name": "Nina New", "unit": "HQ", "roles": ["staff"]}
    error_of(client_for(org.worker).post(PEOPLE, body, format="json"), 403, "forbidden")
    assert not Person.objects.filter(username="nina").exists()
    assert last_entry().kind == "access.refused"


def test_bad_people_name_the_field(org: Any, client_for: Any) -> None:
    client = client_for(org.officer)
    base = {"username": "nina", "full_name": "Nina New", "unit": "HQ"}
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"roles": ["wizard"]}, "roles", "Unknown role"),
        ({"username": "rita"}, "username", "taken"),
        ({"username": "9lives"}, "username", "starting with a letter"),
        ({"unit": "EAST"}, "unit", "No unit EAST."),
        ({"password": "short"}, "password", "too short"),
        ({"roles": "staff"}, "roles", "Expected a list"),
    ]
    for overrides, field, fragment in cases:
        error = error_of(client.post(PEOPLE, base | overrides, format="json"), 400,
                         "invalid_input")
        assert list(error["fields"]) == [field], (overrides, error)
        assert fragment in error["fields"][field][0], error


def test_a_security_officer_changes_a_person(org: Any, client_for: Any) -> None:
    body = {"full_name": "Wally Walker", "unit": "SOUTH", "roles": ["staff", "custodian"]}
    response = client_for(org.officer).patch(f"{PEOPLE}wally/", body, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {
        "username": "wally", "full_name": "Wally Walker", "unit": "SOUTH",
        "roles": ["custodian", "staff"], "status": "active", "version": 2,
    }
    entry = last_entry()
    assert entry.kind == "person.changed"
    assert entry.data == {"full_name": "Wally Walker", "unit": "SOUTH",
                          "roles": ["custodian", "staff"]}


def test_nobody_changes_people_without_the_role(org: Any, client_for: Any) -> None:
    response = client_for(org.registrar).patch(f"{PEOPLE}wally/", {"roles": ["registrar"]},
                                               format="json")
    error_of(response, 403, "forbidden")
    assert Person.objects.get(username="wally").roles == "staff"


def test_a_change_to_an_unknown_unit_names_the_field(org: Any, client_for: Any) -> None:
    response = client_for(org.officer).patch(f"{PEOPLE}wally/", {"unit": "EAST"}, format="json")
    error = error_of(response, 400, "invalid_input")
    assert error["fields"] == {"unit": ["No unit EAST."]}


def test_a_security_officer_suspends_a_person(org: Any, client_for: Any) -> None:
    client = client_for(org.officer)
    wally = client_for(org.worker)
    response = client.post(f"{PEOPLE}wally/status", {"status": "suspended", "reason": "Audit."},
                           format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "suspended"
    assert last_entry().data == {"status": "suspended", "reason": "Audit."}
    error_of(wally.get("/api/v1/me/"), 401, "authentication_failed")


def test_a_status_change_is_refused_without_the_role_or_a_reason(org: Any, client_for: Any) -> None:
    url = f"{PEOPLE}wally/status"
    error_of(client_for(org.custodian).post(url, {"status": "departed", "reason": "Left."},
                                            format="json"), 403, "forbidden")
    error = error_of(client_for(org.officer).post(url, {"status": "gone"}, format="json"), 400,
                     "invalid_input")
    assert set(error["fields"]) == {"status", "reason"}
    error = error_of(client_for(org.officer).post(url, {"status": "active", "reason": "x"},
                                                  format="json"), 400, "invalid_input")
    assert error["message"] == "wally is already active."
    assert Person.objects.get(username="wally").status == "active"
