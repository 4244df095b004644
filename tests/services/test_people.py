"""Setting up units and people."""

from __future__ import annotations

import pytest

from strongroom.domain.clearance import PersonStatus
from strongroom.domain.errors import InvalidInput
from strongroom.models import Person, Unit
from strongroom.policy import Denied
from strongroom.services import people
from tests.conftest import PASSWORD, last_entry


def test_bootstrap_creates_first_unit_and_security_officer(db):
    officer = people.bootstrap(
        unit_code="hq",
        unit_name="Headquarters",
        username="Olga",
        full_name="Olga O",
        password=PASSWORD,
    )
    assert officer.username == "olga"
    assert officer.unit.path == "HQ"
    assert sorted(officer.roles.split(",")) == ["administrator", "security_officer"]
    assert officer.check_password(PASSWORD)
    entry = last_entry()
    assert (entry.seq, entry.kind, entry.actor) == (2, "person.created", None)


def test_bootstrap_refuses_a_second_time(org):
    with pytest.raises(InvalidInput, match="already initialised"):
        people.bootstrap(
            unit_code="XX", unit_name="x", username="eve", full_name="Eve", password=PASSWORD
        )


def test_security_officer_creates_unit_below_their_own(org):
    unit = people.create_unit(code="scity", name="South City", parent=org.south, by=org.officer)
    assert unit.path == "HQ/SOUTH/SCITY"
    entry = last_entry()
    assert entry.kind == "unit.created"
    assert entry.data == {
        "code": "SCITY",
        "name": "South City",
        "parent": "SOUTH",
        "path": "HQ/SOUTH/SCITY",
    }


def test_worker_cannot_create_units(org):
    with pytest.raises(Denied):
        people.create_unit(code="ROGUE", name="Rogue", parent=org.hq, by=org.worker)
    assert not Unit.objects.filter(code="ROGUE").exists()
    assert last_entry().kind == "access.refused"


def test_unit_code_and_duplicate_checked(org):
    with pytest.raises(InvalidInput, match="2-16 letters"):
        people.create_unit(code="a b", name="x", parent=org.hq, by=org.officer)
    with pytest.raises(InvalidInput, match="already a unit"):
        people.create_unit(code="NORTH", name="x", parent=org.hq, by=org.officer)


def test_create_person_records_roles_and_unit(org):
    person = people.create_person(
        username="tom",
        full_name="Tom  Tester",
        unit=org.north,
        roles=["Registrar", "staff"],
        by=org.officer,
    )
    assert person.full_name == "Tom Tester"
    assert not person.has_usable_password()
    assert last_entry().data == {
        "username": "tom",
        "full_name": "Tom Tester",
        "unit": "NORTH",
        "roles": ["registrar", "staff"],
        "status": "active",
    }


@pytest.mark.parametrize(
    ("username", "roles", "password", "words"),
    [
        ("Bad Name", [], None, "lower-case"),
        ("rita", [], None, "taken"),
        ("newbie", ["wizard"], None, "Unknown role"),
        ("newbie", [], "short", "too short"),
    ],
)
def test_create_person_validates(org, username, roles, password, words):
    with pytest.raises(InvalidInput, match=words):
        people.create_person(
            username=username,
            full_name="N",
            unit=org.hq,
            roles=roles,
            password=password,
            by=org.officer,
        )


def test_registrar_cannot_create_people(org):
    with pytest.raises(Denied):
        people.create_person(
            username="pal", full_name="Pal", unit=org.hq, roles=[], by=org.registrar
        )


def test_change_person_roles(org):
    people.change_person(org.worker, roles=["staff", "custodian"], by=org.officer)
    assert Person.objects.get(pk=org.worker.pk).roles == "custodian,staff"
    assert last_entry().data == {"roles": ["custodian", "staff"]}


def test_suspension_takes_effect_at_once_and_is_recorded(org):
    people.set_status(
        org.registrar, status=PersonStatus.SUSPENDED, reason="inquiry 7", by=org.officer
    )
    registrar = Person.objects.get(pk=org.registrar.pk)
    assert registrar.status == "suspended"
    assert registrar.is_active is False
    assert last_entry().data == {"status": "suspended", "reason": "inquiry 7"}


def test_departure_is_final(org):
    people.set_status(org.worker, status=PersonStatus.DEPARTED, reason="left", by=org.officer)
    with pytest.raises(InvalidInput, match="final"):
        people.set_status(org.worker, status=PersonStatus.ACTIVE, reason="back", by=org.officer)


def test_worker_cannot_suspend_anyone(org):
    with pytest.raises(Denied):
        people.set_status(org.registrar, status=PersonStatus.SUSPENDED, reason="x", by=org.worker)


def test_password_change_by_self_and_by_officer_but_not_by_others(org):
    people.set_password(org.worker, password="another-long-secret-1", by=org.worker)
    people.set_password(org.worker, password="another-long-secret-2", by=org.officer)
    assert Person.objects.get(pk=org.worker.pk).check_password("another-long-secret-2")
    assert last_entry().kind == "person.password_set"
    with pytest.raises(Denied):
        people.set_password(org.worker, password="another-long-secret-3", by=org.reader)
