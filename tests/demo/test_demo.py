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
from strongroom.models import (
    Campaign,
    CheckOut,
    Clearance,
    Copy,
    CourierAuthorisation,
    Destruction,
    Document,
    Incident,
    Person,
    Reproduction,
    Transit,
)
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

    # Custody in motion: hand-overs in every outcome, an overdue one with its alert, and a
    # delegation (plus the refused attempt to delegate to an uncleared worker).
    from strongroom.models import Alert, Delegation, HandOver

    outcomes = set(HandOver.objects.values_list("state", flat=True))
    assert outcomes == {"pending", "accepted", "refused", "cancelled"}
    assert "in_hand_over" in states
    assert Alert.objects.filter(kind="hand_over_overdue", cleared_at__isnull=True).exists()
    delegation = Delegation.objects.get()
    assert (delegation.delegator.username, delegation.delegate.username) == ("rita", "carl")
    assert LedgerEntry.objects.filter(
        kind="access.refused", actor__username="rita", subject="person:wally"
    ).exists()

    # Every custody capability in use: check-outs (a TOP SECRET copy read and checked in, one
    # out now, one overdue), transport (a closed transit, one on the suspense list, one late,
    # and a refused send), a campaign past its grace period, witnessed destruction, a
    # downgrade and reproduction (approved, and refused for NO COPY).
    assert {"checked_out", "in_transit", "destroyed", "in_hand_over"} <= states
    open_kinds = set(Alert.objects.filter(cleared_at__isnull=True).values_list("kind", flat=True))
    assert {"check_out_overdue", "transit_late"} <= open_kinds
    assert {
        "campaign_overdue_holder",
        "campaign_overdue_supervisor",
        "campaign_overdue_security_officer",
    } <= open_kinds
    top = scheme.highest_rank
    read = CheckOut.objects.filter(
        copy__document__level=top, checked_in_at__isnull=False
    ).select_related("reader")
    assert read.exists()
    assert LedgerEntry.objects.filter(
        kind="check_out.lent", subject=f"copy:{read[0].copy.reference}"
    ).exists()
    # Two still out: one overdue when the checks last ran, the other not due back by then.
    assert CheckOut.objects.filter(checked_in_at__isnull=True).count() == 2
    assert Alert.objects.filter(kind="check_out_overdue", cleared_at__isnull=True).count() == 1
    assert CourierAuthorisation.objects.exists()
    transits = set(Transit.objects.values_list("state", flat=True))
    assert transits == {"receipt_returned", "received", "in_transit"}
    refusals = [entry.data for entry in LedgerEntry.objects.filter(kind="access.refused")]
    assert any(
        data["action"] == "transit:send" and "authoris" in data["reason"] for data in refusals
    )
    campaign = Campaign.objects.get()
    assert campaign.due_back < clock.now()
    assert campaign.items.filter(returned_at__isnull=False).exists()
    assert Incident.objects.filter(campaign_item__campaign=campaign, state="open").exists()
    assert campaign.document.unit.head is not None
    witnessed = Destruction.objects.get(state="witnessed")
    assert witnessed.destroyer_id != witnessed.witness_id
    assert witnessed.copy.state == "destroyed"
    assert Destruction.objects.filter(state="refused").exists()
    # One destruction the witness has left waiting past the delay: its alert is open.
    waiting = Destruction.objects.get(state="pending")
    assert waiting.copy.state == "awaiting_destruction"
    # As the README's tour tells it.
    assert (waiting.destroyer.username, waiting.witness.username) == ("sofia", "rita")
    unwitnessed = Alert.objects.get(kind="destruction_unwitnessed", cleared_at__isnull=True)
    assert (unwitnessed.subject, unwitnessed.responsible_id) == (
        f"destruction:{waiting.reference}",
        waiting.destroyer_id,
    )
    assert kinds & {"document.downgraded", "document.declassified"}
    assert "reproduction.approved" in kinds
    approved = Reproduction.objects.get(state="approved")
    assert approved.requested_by_id != approved.decided_by_id
    assert approved.document.copies.count() == approved.document.copy_count
    assert any(
        data["action"] == "reproduction:request" and "NO COPY" in data["reason"]
        for data in refusals
    )
    summary = out.getvalue()
    assert "Check-outs: 3 (2 out, 1 overdue)" in summary
    assert "Campaigns: 1" in summary
    assert "1 awaiting the witness (1 overdue)" in summary

    report = verify(parallel=False)
    assert report.ok, report.problems
    assert verify(parallel=True) == report

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
