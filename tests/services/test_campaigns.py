"""Distribution campaigns: copies issued at once to a named list, and collected back.

The usual scene: a CONFIDENTIAL lecture document registered at HQ with five copies; carl (HQ
custodian) issues one each to rosa (NORTH staff, CONFIDENTIAL), nils (NORTH registrar, SECRET)
and rita (HQ registrar, TOP SECRET), due back a week later.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction

from strongroom.adapters import clock
from strongroom.domain.clearance import PersonStatus
from strongroom.domain.errors import Conflict, IllegalTransition, InvalidInput
from strongroom.ledger.models import LedgerEntry
from strongroom.ledger.verify import verify
from strongroom.models import Campaign, CampaignItem, Copy
from strongroom.policy import Denied
from strongroom.services import campaigns, custody, hand_overs, people
from tests.conftest import last_entry

# After every entry the fixtures wrote, and well inside everyone's clearance.
START = (datetime.now(UTC) + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
DUE = START + timedelta(days=7)


def _copy(document, number):
    return Copy.objects.select_related("document__unit", "holder").get(
        document=document, number=number
    )


def _entries_after(seq):
    return list(LedgerEntry.objects.filter(seq__gt=seq).order_by("seq"))


@pytest.fixture
def lecture(register):
    return register("CONFIDENTIAL", short_title="Lecture 4", copies=5)


@pytest.fixture
def course(org, lecture):
    """The campaign: copies 1, 2 and 3 to rosa, nils and rita, due back a week later."""
    with clock.frozen(START):
        return campaigns.create_campaign(
            lecture,
            title="Spring induction course",
            due_back=DUE,
            recipients=[org.reader, org.north_registrar, org.registrar],
            by=org.custodian,
        )


# --- creating a campaign -----------------------------------------------------------------------


def test_a_campaign_issues_one_copy_to_each_recipient_in_order(org, lecture):
    before = last_entry().seq
    with clock.frozen(START):
        campaign = campaigns.create_campaign(
            lecture,
            title="  Spring   induction course ",
            due_back=DUE,
            recipients=[org.reader, org.north_registrar, org.registrar],
            by=org.custodian,
        )

    stored = Campaign.objects.get()
    assert stored == campaign
    assert (stored.document, stored.title, stored.created_by) == (
        lecture,
        "Spring induction course",
        org.custodian,
    )
    assert (stored.due_back, stored.created_at, stored.closed_at) == (DUE, START, None)
    items = list(CampaignItem.objects.filter(campaign=stored).order_by("copy__number"))
    assert [(i.copy.number, i.recipient, i.issued_at, i.returned_at) for i in items] == [
        (1, org.reader, START, None),
        (2, org.north_registrar, START, None),
        (3, org.registrar, START, None),
    ]
    for number, holder in [(1, org.reader), (2, org.north_registrar), (3, org.registrar)]:
        copy = _copy(lecture, number)
        assert (copy.state, copy.holder, copy.since, copy.version) == ("held", holder, START, 2)
    assert [_copy(lecture, n).state for n in (4, 5)] == ["in_registry", "in_registry"]
    created, *issued = _entries_after(before)
    reference = str(stored.reference)
    assert (created.kind, created.actor, created.subject) == (
        "campaign.created",
        org.custodian,
        f"campaign:{reference}",
    )
    assert created.data == {
        "document": lecture.control_number,
        "title": "Spring induction course",
        "due_back": DUE.isoformat(),
        "recipients": ["rosa", "nils", "rita"],
        "copies": [1, 2, 3],
    }
    assert [(e.kind, e.actor, e.subject, e.recorded_at) for e in issued] == [
        ("copy.issued", org.custodian, f"copy:{lecture.control_number}/{n}", START)
        for n in (1, 2, 3)
    ]
    assert issued[0].data == {
        "campaign": reference,
        "state": "held",
        "holder": "rosa",
        "location": "with rosa (NORTH)",
    }


def test_numbering_takes_the_copies_in_the_registry_in_order(org, lecture):
    custody.issue_copy(_copy(lecture, 2), to=org.custodian, by=org.registrar)

    campaign = campaigns.create_campaign(
        lecture,
        title="Seminar",
        due_back=DUE,
        recipients=[org.reader, org.north_registrar],
        by=org.registrar,
    )

    assert [item.copy.number for item in campaign.items.order_by("id")] == [1, 3]
    assert _copy(lecture, 2).holder == org.custodian


def test_too_few_copies_in_the_registry_is_refused_saying_how_many_are_needed(org, register):
    document = register("CONFIDENTIAL", copies=2)
    custody.issue_copy(_copy(document, 1), to=org.custodian, by=org.registrar)
    before = last_entry().seq

    with pytest.raises(InvalidInput) as invalid:
        campaigns.create_campaign(
            document,
            title="Seminar",
            due_back=DUE,
            recipients=[org.reader, org.north_registrar],
            by=org.registrar,
        )

    assert invalid.value.field == "to"
    assert invalid.value.message == (
        f"{document.control_number} has 1 copies in the registry and the campaign needs 2; "
        "take copies back or have more reproduced first."
    )
    assert not Campaign.objects.exists() and not CampaignItem.objects.exists()
    assert _copy(document, 2).state == "in_registry"
    assert last_entry().seq == before


def test_one_ineligible_recipient_refuses_the_whole_campaign_naming_who_and_why(org, register):
    document = register("SECRET", copies=5)
    before = last_entry().seq

    with pytest.raises(Denied) as refused:
        campaigns.create_campaign(
            document,
            title="Seminar",
            due_back=DUE,
            recipients=[org.north_registrar, org.reader, org.custodian, org.worker],
            by=org.registrar,
        )

    assert refused.value.reason == (
        "not every recipient may hold SECRET material: rosa (clearance does not reach SECRET); "
        "wally (the person holds no clearance)"
    )
    assert refused.value.decision.visible is True
    assert not Campaign.objects.exists()
    assert [_copy(document, n).state for n in range(1, 6)] == ["in_registry"] * 5
    [entry] = _entries_after(before)
    assert (entry.kind, entry.actor, entry.subject) == (
        "access.refused",
        org.registrar,
        f"document:{document.control_number}",
    )
    assert entry.data == {"action": "campaign:create", "reason": refused.value.reason}


def test_a_suspended_recipient_refuses_the_campaign(org, lecture):
    people.set_status(org.reader, status=PersonStatus.SUSPENDED, reason="inquiry", by=org.officer)
    with pytest.raises(Denied, match=r"rosa \(the person is suspended\)"):
        campaigns.create_campaign(
            lecture, title="Seminar", due_back=DUE, recipients=[org.reader], by=org.custodian
        )
    assert not Campaign.objects.exists()


def test_staff_may_not_run_a_campaign_and_the_attempt_is_recorded(org, lecture):
    with pytest.raises(Denied) as refused:
        campaigns.create_campaign(
            lecture, title="Seminar", due_back=DUE, recipients=[org.reader], by=org.reader
        )
    assert refused.value.reason == "this needs the role of registrar or custodian"
    entry = last_entry()
    assert (entry.kind, entry.actor, entry.data["action"]) == (
        "access.refused",
        org.reader,
        "campaign:create",
    )
    assert not Campaign.objects.exists()


def test_someone_who_may_not_see_the_document_is_refused_as_if_it_did_not_exist(org, register):
    document = register("TOP SECRET")
    with pytest.raises(Denied) as refused:
        campaigns.create_campaign(
            document, title="Seminar", due_back=DUE, recipients=[org.registrar], by=org.custodian
        )
    assert refused.value.decision.visible is False
    assert last_entry().kind == "access.refused"


def test_a_registrar_below_the_documents_unit_may_not_run_its_campaign(org, lecture):
    with pytest.raises(Denied, match="the document belongs to a unit outside yours"):
        campaigns.create_campaign(
            lecture, title="Seminar", due_back=DUE, recipients=[org.reader], by=org.north_registrar
        )


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"title": "   "}, "title", "needs a title"),
        ({"title": "x" * 201}, "title", "at most 200 characters"),
        ({"due_back": START}, "due_back", "must be in the future"),
        ({"due_back": START - timedelta(days=1)}, "due_back", "must be in the future"),
        ({"due_back": DUE.replace(tzinfo=None)}, "due_back", "needs a time zone"),
        ({"recipients": []}, "to", "at least one recipient"),
        ({"recipients": "twice"}, "to", "rosa is named twice"),
    ],
    ids=["blank-title", "long-title", "now", "past", "naive", "nobody", "twice"],
)
def test_bad_input_is_refused_and_nothing_is_issued(org, lecture, changes, field, words):
    values = {
        "title": "Seminar",
        "due_back": DUE,
        "recipients": [org.reader, org.north_registrar],
    }
    values.update(changes)
    if values["recipients"] == "twice":
        values["recipients"] = [org.reader, org.north_registrar, org.reader]
    before = last_entry().seq
    with clock.frozen(START), pytest.raises(InvalidInput, match=words) as invalid:
        campaigns.create_campaign(lecture, by=org.custodian, **values)
    assert invalid.value.field == field
    assert not Campaign.objects.exists()
    assert [_copy(lecture, n).state for n in (1, 2, 3)] == ["in_registry"] * 3
    assert last_entry().seq == before


def test_a_copy_moved_meanwhile_is_a_conflict_and_nothing_is_issued(org, lecture, monkeypatch):
    """The copies are read in the transaction; a stale version still cannot slip through."""
    real = custody.move

    def stale(copy, **kwargs):
        kwargs["expected_version"] -= 1
        return real(copy, **kwargs)

    monkeypatch.setattr(custody, "move", stale)
    with pytest.raises(Conflict):
        campaigns.create_campaign(
            lecture, title="Seminar", due_back=DUE, recipients=[org.reader], by=org.custodian
        )
    assert not Campaign.objects.exists()
    assert _copy(lecture, 1).state == "in_registry"


def test_the_database_keeps_a_copy_out_in_one_campaign_at_a_time(org, course, lecture):
    with pytest.raises(IntegrityError), transaction.atomic():
        CampaignItem.objects.create(
            campaign=course, copy=_copy(lecture, 1), recipient=org.reader, issued_at=START
        )


# --- bringing the copies back ------------------------------------------------------------------


def test_returning_a_campaign_copy_marks_it_back_and_the_campaign_stays_open(org, course, lecture):
    back = START + timedelta(days=2)
    with clock.frozen(back):
        custody.return_copy(_copy(lecture, 2), by=org.custodian)

    items = {i.copy.number: i for i in CampaignItem.objects.select_related("copy")}
    assert items[2].returned_at == back
    assert items[1].returned_at is None and items[3].returned_at is None
    assert Campaign.objects.get().closed_at is None
    returned, copy_back = _entries_after(last_entry().seq - 2)
    assert returned.kind == "copy.returned"
    assert (copy_back.kind, copy_back.actor, copy_back.subject, copy_back.recorded_at) == (
        "campaign.copy_returned",
        org.custodian,
        f"campaign:{course.reference}",
        back,
    )
    assert copy_back.data == {"copy": 2, "recipient": items[2].recipient.username}


def test_the_last_copy_back_closes_the_campaign(org, course, lecture):
    for number, day in [(1, 1), (3, 2), (2, 4)]:
        with clock.frozen(START + timedelta(days=day)):
            custody.return_copy(_copy(lecture, number), by=org.registrar)

    closed_at = START + timedelta(days=4)
    assert Campaign.objects.get().closed_at == closed_at
    returned, copy_back, closed = _entries_after(last_entry().seq - 3)
    assert (returned.kind, copy_back.kind) == ("copy.returned", "campaign.copy_returned")
    assert (closed.kind, closed.actor, closed.subject, closed.recorded_at) == (
        "campaign.closed",
        org.registrar,
        f"campaign:{course.reference}",
        closed_at,
    )
    assert closed.data == {"copies": 3}


def test_a_returned_copy_may_go_out_in_the_next_campaign(org, course, lecture):
    custody.return_copy(_copy(lecture, 1), by=org.custodian)

    second = campaigns.create_campaign(
        lecture, title="Repeat", due_back=DUE, recipients=[org.inspector], by=org.custodian
    )

    # Copy 1 is the first in the registry again.
    assert [item.copy.number for item in second.items.all()] == [1]
    assert CampaignItem.objects.filter(copy__number=1).count() == 2


def test_returning_a_copy_issued_outside_any_campaign_touches_no_campaign(org, course, lecture):
    custody.issue_copy(_copy(lecture, 4), to=org.inspector, by=org.custodian)
    before = last_entry().seq
    custody.return_copy(_copy(lecture, 4), by=org.custodian)
    assert [e.kind for e in _entries_after(before)] == ["copy.returned"]
    assert not CampaignItem.objects.filter(returned_at__isnull=False).exists()


def test_a_campaign_copy_in_hand_over_cannot_be_returned_until_it_is_resolved(org, course, lecture):
    hand_overs.dispatch_hand_over(_copy(lecture, 1), to=org.north_registrar, by=org.reader)
    with pytest.raises(IllegalTransition):
        custody.return_copy(_copy(lecture, 1), by=org.custodian)
    assert CampaignItem.objects.filter(returned_at__isnull=True).count() == 3


# --- the ledger still explains the tables ------------------------------------------------------


@pytest.mark.parametrize("parallel", [False, True], ids=["serial", "parallel"])
def test_a_ledger_with_campaigns_replays_to_the_tables(org, course, lecture, parallel):
    custody.return_copy(_copy(lecture, 1), by=org.custodian)
    custody.return_copy(_copy(lecture, 2), by=org.custodian)
    campaigns.create_campaign(
        lecture, title="Repeat", due_back=DUE, recipients=[org.custodian], by=org.registrar
    )

    report = verify(parallel=parallel)

    assert report.ok, report.problems
