"""People: the list, a person's page, creating and changing people, status and clearance."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD, Organisation, last_entry
from tests.web.pages import banners, body, text

Register = Callable[..., Any]
PEOPLE = reverse("web:people")


def person_url(name: str, username: str) -> str:
    return reverse(name, args=[username])


def new_person(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "username": "tess",
        "full_name": "Tess Typist",
        "unit": "SOUTH",
        "roles": ["staff"],
        "password": "",
    }
    values.update(overrides)
    return values


# --- the list --------------------------------------------------------------------------------


def test_people_are_listed_with_unit_roles_and_status(client: Client, org: Organisation) -> None:
    client.force_login(org.worker)
    response = client.get(PEOPLE)
    assert response.status_code == 200
    page = text(response)
    assert "Username Name Unit Roles Status" in page
    assert "olga Olga Officer HQ administrator, security officer active" in page
    assert "rosa Rosa Reader NORTH staff active" in page
    assert banners(response)[0][2] == "UNCLASSIFIED"
    assert "Add a person" not in page


def test_people_can_be_searched_and_filtered_by_unit(client: Client, org: Organisation) -> None:
    client.force_login(org.inspector)
    north = text(client.get(PEOPLE, {"unit": "NORTH"}))
    assert "Nils North" in north
    assert "Olga Officer" not in north
    found = text(client.get(PEOPLE, {"q": "reader"}))
    assert "Rosa Reader" in found
    assert "Wally Worker" not in found
    bad = client.get(PEOPLE, {"unit": "MARS"})
    assert bad.status_code == 400
    assert "MARS is not one of the available choices" in text(bad)


def test_an_officer_adds_a_person(client: Client, org: Organisation) -> None:
    client.force_login(org.officer)
    assert "Add a person" in text(client.get(PEOPLE))
    response = client.post(PEOPLE, new_person(password=PASSWORD))
    assert response.status_code == 302
    assert response["Location"] == person_url("web:person", "tess")
    page = text(client.get(response["Location"]))
    assert "Tess Typist (tess) is created." in page
    assert "Unit SOUTH — South Province Roles staff" in page
    assert last_entry().kind == "person.created"
    assert Client().login(username="tess", password=PASSWORD)


def test_a_worker_may_not_add_people(client: Client, org: Organisation) -> None:
    client.force_login(org.worker)
    response = client.post(PEOPLE, new_person())
    assert response.status_code == 403
    assert "Refused: this needs the role of security officer or administrator." in text(response)
    assert last_entry().kind == "access.refused"


def test_a_bad_username_or_a_taken_one_is_a_field_error(client: Client, org: Organisation) -> None:
    client.force_login(org.officer)
    bad = client.post(PEOPLE, new_person(username="9 lives"))
    assert bad.status_code == 400
    assert 'id="id_username_error"' in body(bad)
    taken = client.post(PEOPLE, new_person(username="rita"))
    assert taken.status_code == 400
    assert "The username rita is taken." in text(taken)
    unknown_role = client.post(PEOPLE, new_person(roles=["emperor"]))
    assert unknown_role.status_code == 400
    assert "emperor is not one of the available choices" in text(unknown_role)


# --- a person's page -------------------------------------------------------------------------


def test_a_person_page_shows_clearance_to_security_staff_and_copies_held(
    client: Client, org: Organisation, register: Register
) -> None:
    from strongroom.services import custody

    document = register("SECRET//ALPHA")
    custody.issue_copy(document.copies.get(number=1), to=org.custodian, by=org.registrar)
    client.force_login(org.inspector)
    response = client.get(person_url("web:person", "carl"))
    assert response.status_code == 200
    page = text(response)
    assert "Clearance SECRET//ALPHA · active granted by sven" in page
    assert f"{document.control_number}/1 Directive 12 SECRET//ALPHA" in page
    assert banners(response)[0][2] == "SECRET//ALPHA"


def test_clearance_is_not_shown_to_those_who_may_not_see_it(
    client: Client, org: Organisation
) -> None:
    client.force_login(org.worker)
    page = text(client.get(person_url("web:person", "carl")))
    assert "Clearance not shown" in page
    assert "SECRET" not in page
    # Everyone sees their own; never cleared reads as "none".
    assert "Clearance none" in text(client.get(person_url("web:person", "wally")))


def test_copies_held_are_narrowed_to_what_the_viewer_may_see(
    client: Client, org: Organisation, register: Register
) -> None:
    from strongroom.services import custody

    document = register("SECRET")
    custody.issue_copy(document.copies.get(number=1), to=org.custodian, by=org.registrar)
    client.force_login(org.worker)
    response = client.get(person_url("web:person", "carl"))
    assert document.control_number not in text(response)
    assert banners(response)[0][2] == "UNCLASSIFIED"


def test_an_unknown_person_is_not_found(client: Client, org: Organisation) -> None:
    client.force_login(org.worker)
    response = client.get(person_url("web:person", "ghost"))
    assert response.status_code == 404
    assert "No person ghost." in text(response)


# --- changing a person -----------------------------------------------------------------------


def test_an_officer_changes_a_person(client: Client, org: Organisation) -> None:
    client.force_login(org.officer)
    assert "Suspend, reinstate or record departure" in text(
        client.get(person_url("web:person", "wally"))
    )
    response = client.post(
        person_url("web:change-person", "wally"),
        {"full_name": "Walter Worker", "unit": "SOUTH", "roles": ["staff", "custodian"]},
    )
    assert response.status_code == 302
    page = text(client.get(response["Location"]))
    assert "Walter Worker (wally) is changed." in page
    assert "Unit SOUTH — South Province Roles custodian, staff" in page
    assert last_entry().kind == "person.changed"


def test_a_registrar_may_not_change_people(client: Client, org: Organisation) -> None:
    client.force_login(org.registrar)
    assert "Suspend, reinstate" not in text(client.get(person_url("web:person", "wally")))
    response = client.post(
        person_url("web:change-person", "wally"),
        {"full_name": "Walter Worker", "unit": "HQ", "roles": ["registrar"]},
    )
    assert response.status_code == 403
    page = text(response)
    assert "Refused: this needs the role of security officer or administrator." in page
    # The refused values are not shown as if saved.
    assert "Wally Worker" in page
    assert last_entry().kind == "access.refused"


def test_an_officer_suspends_a_person_who_then_cannot_sign_in(
    client: Client, org: Organisation
) -> None:
    client.force_login(org.officer)
    response = client.post(
        person_url("web:person-status", "wally"), {"status": "suspended", "reason": "lost a key"}
    )
    assert response.status_code == 302
    assert "Wally Worker (wally) is now suspended." in text(client.get(response["Location"]))
    assert last_entry().data == {"status": "suspended", "reason": "lost a key"}
    assert not Client().login(username="wally", password=PASSWORD)


def test_a_worker_may_not_suspend_anyone(client: Client, org: Organisation) -> None:
    client.force_login(org.worker)
    response = client.post(
        person_url("web:person-status", "rita"), {"status": "suspended", "reason": "spite"}
    )
    assert response.status_code == 403
    assert "Refused: this needs the role of security officer or administrator." in text(response)


def test_a_status_change_needs_a_valid_status_and_a_reason(
    client: Client, org: Organisation
) -> None:
    client.force_login(org.officer)
    url = person_url("web:person-status", "wally")
    assert client.post(url, {"status": "promoted", "reason": "x"}).status_code == 400
    no_reason = client.post(url, {"status": "suspended", "reason": ""})
    assert no_reason.status_code == 400
    assert "This field is required." in text(no_reason)
    same = client.post(url, {"status": "active", "reason": "again"})
    assert same.status_code == 400
    assert "wally is already active." in text(same)


# --- clearance -------------------------------------------------------------------------------


def grant(level: str = "CONFIDENTIAL", **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "level": level,
        "compartments": [],
        "expires_on": (date.today() + timedelta(days=200)).isoformat(),
        "briefed_on": (date.today() - timedelta(days=1)).isoformat(),
    }
    values.update(overrides)
    return values


def test_a_security_officer_grants_clearance(client: Client, org: Organisation) -> None:
    client.force_login(org.second_officer)
    response = client.post(
        person_url("web:grant-clearance", "wally"), grant("SECRET", compartments=["BRAVO"])
    )
    assert response.status_code == 302
    page = text(client.get(response["Location"]))
    assert "Wally Worker (wally) is cleared SECRET//BRAVO." in page
    assert "Clearance SECRET//BRAVO · active" in page
    assert last_entry().kind == "clearance.granted"


def test_nobody_grants_clearance_to_themselves_and_registrars_not_at_all(
    client: Client, org: Organisation
) -> None:
    client.force_login(org.officer)
    own = client.post(person_url("web:grant-clearance", "olga"), grant("TOP SECRET"))
    assert own.status_code == 403
    assert "Refused: nobody may grant or withdraw clearance for themselves." in text(own)
    assert last_entry().kind == "access.refused"
    client.force_login(org.registrar)
    assert "Grant clearance" not in text(client.get(person_url("web:person", "wally")))
    other = client.post(person_url("web:grant-clearance", "wally"), grant())
    assert other.status_code == 403
    assert "Refused: this needs the role of security officer." in text(other)


def test_bad_clearance_dates_are_form_errors(client: Client, org: Organisation) -> None:
    client.force_login(org.second_officer)
    url = person_url("web:grant-clearance", "wally")
    garbled = client.post(url, grant(expires_on="next year"))
    assert garbled.status_code == 400
    assert "Enter a valid date." in text(garbled)
    past = client.post(url, grant(expires_on=(date.today() - timedelta(days=1)).isoformat()))
    assert past.status_code == 400
    assert 'id="id_expires_on_error"' in body(past)
    assert "The expiry date must be in the future." in text(past)
    unknown = client.post(url, grant("ULTRA"))
    assert unknown.status_code == 400


def test_a_security_officer_suspends_and_reinstates_a_clearance(
    client: Client, org: Organisation
) -> None:
    client.force_login(org.second_officer)
    url = person_url("web:clearance-status", "rosa")
    suspended = client.post(url, {"change": "suspend", "reason": "under review"})
    assert suspended.status_code == 302
    page = text(client.get(suspended["Location"]))
    assert "The clearance of Rosa Reader (rosa) is now suspended." in page
    assert "Does not count: clearance is suspended." in page
    assert last_entry().kind == "clearance.suspended"
    again = client.post(url, {"change": "suspend", "reason": "twice"})
    assert again.status_code == 400
    assert "it cannot be made suspended" in text(again)
    assert client.post(url, {"change": "reinstate", "reason": "cleared"}).status_code == 302
    assert last_entry().kind == "clearance.reinstated"


def test_a_security_officer_revokes_a_clearance(client: Client, org: Organisation) -> None:
    client.force_login(org.second_officer)
    response = client.post(
        person_url("web:clearance-status", "rosa"),
        {"change": "revoke", "reason": "left the project"},
    )
    assert response.status_code == 302
    assert last_entry().kind == "clearance.revoked"


def test_an_inspector_may_see_but_not_change_a_clearance(client: Client, org: Organisation) -> None:
    client.force_login(org.inspector)
    page = text(client.get(person_url("web:person", "rosa")))
    assert "Clearance CONFIDENTIAL · active" in page
    assert "Suspend, reinstate or revoke clearance" not in page
    response = client.post(
        person_url("web:clearance-status", "rosa"), {"change": "revoke", "reason": "curious"}
    )
    assert response.status_code == 403
    assert "Refused: this needs the role of security officer." in text(response)
    assert last_entry().kind == "access.refused"
