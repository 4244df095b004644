"""Granting and withdrawing clearances."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from strongroom.domain.errors import InvalidInput
from strongroom.models import Clearance
from strongroom.policy import Denied
from strongroom.services import clearances
from tests.conftest import last_entry

NEXT_YEAR = date.today() + timedelta(days=365)
LAST_WEEK = date.today() - timedelta(days=7)


def test_security_officer_grants_clearance(org):
    clearance = clearances.grant_clearance(
        org.worker,
        level="secret",
        compartments=["alpha"],
        expires_on=NEXT_YEAR,
        briefed_on=LAST_WEEK,
        by=org.second_officer,
    )
    assert (clearance.level, clearance.compartments, clearance.status) == (3, "ALPHA", "active")
    assert clearance.granted_by == org.second_officer
    entry = last_entry()
    assert entry.kind == "clearance.granted"
    assert entry.subject == "clearance:wally"
    assert entry.data == {
        "level": "SECRET",
        "compartments": ["ALPHA"],
        "status": "active",
        "granted_by": "sven",
        "granted_on": date.today().isoformat(),
        "expires_on": NEXT_YEAR.isoformat(),
        "briefed_on": LAST_WEEK.isoformat(),
    }


def test_nobody_grants_their_own_clearance(org):
    with pytest.raises(Denied, match="themselves"):
        clearances.grant_clearance(
            org.officer,
            level="TOP SECRET",
            expires_on=NEXT_YEAR,
            briefed_on=LAST_WEEK,
            by=org.officer,
        )
    assert not Clearance.objects.filter(person=org.officer).exists()


def test_registrar_cannot_grant_clearance(org):
    with pytest.raises(Denied, match="security officer"):
        clearances.grant_clearance(
            org.worker,
            level="SECRET",
            expires_on=NEXT_YEAR,
            briefed_on=LAST_WEEK,
            by=org.registrar,
        )


def test_grant_validates_level_and_dates(org):
    with pytest.raises(InvalidInput, match="Unknown level"):
        clearances.grant_clearance(
            org.worker, level="ULTRA", expires_on=NEXT_YEAR, briefed_on=None, by=org.second_officer
        )
    with pytest.raises(InvalidInput, match="future"):
        clearances.grant_clearance(
            org.worker,
            level="SECRET",
            expires_on=date.today(),
            briefed_on=None,
            by=org.second_officer,
        )


def test_regrant_replaces_the_current_clearance(org):
    clearances.grant_clearance(
        org.reader,
        level="SECRET",
        expires_on=NEXT_YEAR,
        briefed_on=LAST_WEEK,
        by=org.second_officer,
    )
    assert Clearance.objects.get(person=org.reader).level == 3
    assert Clearance.objects.filter(person=org.reader).count() == 1


def test_suspend_reinstate_revoke(org):
    clearances.suspend_clearance(org.custodian, reason="inquiry", by=org.officer)
    assert Clearance.objects.get(person=org.custodian).status == "suspended"
    assert last_entry().kind == "clearance.suspended"

    clearances.reinstate_clearance(org.custodian, reason="cleared by inquiry", by=org.officer)
    assert Clearance.objects.get(person=org.custodian).status == "active"
    assert last_entry().kind == "clearance.reinstated"

    clearances.revoke_clearance(org.custodian, reason="left the service", by=org.officer)
    assert Clearance.objects.get(person=org.custodian).status == "revoked"
    assert last_entry().data == {"status": "revoked", "reason": "left the service"}
    with pytest.raises(InvalidInput, match="revoked"):
        clearances.reinstate_clearance(org.custodian, reason="oops", by=org.officer)


def test_suspended_clearance_gives_no_access(org, register):
    from strongroom.services import custody

    document = register("SECRET//ALPHA")
    clearances.suspend_clearance(org.custodian, reason="inquiry", by=org.officer)
    with pytest.raises(Denied) as refused:
        custody.issue_copy(document.copies.get(number=1), to=org.registrar, by=org.custodian)
    assert refused.value.decision.visible is False


def test_worker_cannot_suspend_a_clearance(org):
    with pytest.raises(Denied):
        clearances.suspend_clearance(org.registrar, reason="spite", by=org.worker)
    assert Clearance.objects.get(person=org.registrar).status == "active"
