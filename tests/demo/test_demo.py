"""The demo organisation: every role, every level, copies with history, a ledger that verifies."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import authenticate

from strongroom.adapters import clock
from strongroom.demo import DEMO_PASSWORD, load_demo
from strongroom.domain.clearance import PersonStatus
from strongroom.ledger.models import LedgerEntry
from strongroom.ledger.verify import verify
from strongroom.models import Clearance, Copy, Document, Person
from strongroom.policy import Role


@pytest.fixture
def fast_hashing(settings: Any) -> None:
    # The real hasher costs a quarter of a second per login; the hashes are not what is tested.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.usefixtures("fast_hashing")
def test_demo_loads_a_complete_organisation_once(db: None) -> None:
    out = io.StringIO()
    logins = load_demo(out=out)

    people = {p.username: p for p in Person.objects.select_related("unit")}
    assert {login.username for login in logins} <= people.keys()
    assert {login.password for login in logins} == {DEMO_PASSWORD}
    assert all(login.role_description for login in logins)
    assert authenticate(username="helga", password=DEMO_PASSWORD) == people["helga"]

    roles = {role for person in people.values() for role in person.role_set}
    assert roles == set(Role)
    assert max(person.unit.depth for person in people.values()) == 2
    statuses = {person.status for person in people.values()}
    assert {PersonStatus.SUSPENDED.value, PersonStatus.DEPARTED.value} <= statuses

    cleared = set(Clearance.objects.values_list("person__username", flat=True))
    uncleared_staff = [
        p for p in people.values() if p.role_set == {Role.STAFF} and p.username not in cleared
    ]
    assert uncleared_staff
    today = clock.today()
    problems = {
        p.username: clearance.problem(today)
        for p in people.values()
        if (clearance := p.current_clearance()) is not None
    }
    assert any(problem and "expired" in problem for problem in problems.values())
    assert any(problem and "briefing" in problem for problem in problems.values())
    assert any(problem and "suspended" in problem for problem in problems.values())
    assert any(problem is None for problem in problems.values())

    assert Document.objects.count() == 300
    scheme = settings.STRONGROOM_MARKING_SCHEME
    assert set(Document.objects.values_list("level", flat=True)) == set(range(len(scheme.levels)))
    assert Document.objects.exclude(compartments="").exclude(caveats="").exists()
    assert Document.objects.filter(compartments__contains="/").exists()

    states = set(Copy.objects.values_list("state", flat=True))
    assert {"in_registry", "held"} <= states
    kinds = set(LedgerEntry.objects.values_list("kind", flat=True))
    assert {"copy.issued", "copy.returned", "document.corrected", "access.refused"} <= kinds
    refused_registration = LedgerEntry.objects.filter(
        kind="access.refused", actor__username="wally"
    ).first()
    assert refused_registration is not None
    assert refused_registration.data["action"] == "document:register"
    assert all(
        entry.data["reason"] for entry in LedgerEntry.objects.filter(kind="document.corrected")
    )
    assert "Documents: 300" in out.getvalue()

    report = verify()
    assert report.ok, report.problems

    entries = LedgerEntry.objects.count()
    again = io.StringIO()
    assert load_demo(out=again) == logins
    assert LedgerEntry.objects.count() == entries
    assert "not loaded" in again.getvalue()


def test_demo_loads_nothing_into_an_installation_in_use(org: Any) -> None:
    entries = LedgerEntry.objects.count()
    logins = load_demo(out=io.StringIO())
    assert logins
    assert LedgerEntry.objects.count() == entries
    assert not Document.objects.exists()
