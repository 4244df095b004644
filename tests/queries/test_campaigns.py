"""Reading campaigns and incidents: by reference, the lists, and the live board at a moment."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from strongroom.adapters import clock
from strongroom.domain.campaigns import Step
from strongroom.domain.errors import InvalidInput, NotFound
from strongroom.models import Copy
from strongroom.policy import Denied
from strongroom.queries import campaigns as queries
from strongroom.queries import incidents as incident_queries
from strongroom.services import alerts, campaigns, custody, hand_overs, people

START = (datetime.now(UTC) + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
DUE = START + timedelta(days=7)
DAY = timedelta(days=1)


def _copy(document, number):
    return Copy.objects.select_related("document__unit", "holder").get(
        document=document, number=number
    )


@pytest.fixture
def lecture(register):
    return register("CONFIDENTIAL", short_title="Lecture 4", copies=4)


@pytest.fixture
def course(org, lecture):
    """Copies 1-3 to rosa, nils and rita, issued at START by carl, due back at DUE."""
    with clock.frozen(START):
        return campaigns.create_campaign(
            lecture,
            title="Spring induction course",
            due_back=DUE,
            recipients=[org.reader, org.north_registrar, org.registrar],
            by=org.custodian,
        )


# --- one campaign --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "form",
    [
        lambda c: str(c.reference),
        lambda c: c.reference.hex,
        lambda c: f"  {c.short_reference.lower()} ",
        lambda c: c.short_reference,
    ],
    ids=["full", "hex", "short-lower", "short"],
)
def test_found_by_any_reference(org, course, form):
    found = queries.campaign(org.registrar, form(course))
    assert found == course
    assert (found.document.control_number, found.created_by) == (
        course.document.control_number,
        org.custodian,
    )


def test_a_reference_that_is_none_is_bad_input(org, course):
    with pytest.raises(InvalidInput, match="is not a campaign reference") as invalid:
        queries.campaign(org.registrar, "spring")
    assert invalid.value.field == "campaign"


def test_an_unknown_campaign_is_not_found(org, course):
    missing = "FFFFFFFF" if course.short_reference != "FFFFFFFF" else "EEEEEEEE"
    with pytest.raises(NotFound, match=f"No campaign {missing}."):
        queries.campaign(org.registrar, missing)
    with pytest.raises(NotFound):
        queries.campaign(org.registrar, str(uuid.uuid4()))


@pytest.mark.parametrize("who", ["reader", "north_registrar", "worker", "officer"])
def test_someone_not_answerable_for_it_is_refused_as_if_it_did_not_exist(org, course, who):
    # Rosa and nils hold copies but do not answer for HQ's registry; olga may not see the
    # document at all (no clearance); wally neither.
    with pytest.raises(Denied) as refused:
        queries.campaign(getattr(org, who), course.short_reference)
    assert refused.value.decision.visible is False
    assert refused.value.target_ref == f"campaign:{course.short_reference}"
    assert refused.value.as_not_found().message == f"No campaign {course.short_reference}."


@pytest.mark.parametrize("who", ["registrar", "custodian", "inspector"])
def test_those_who_answer_for_the_unit_see_it(org, course, who):
    assert queries.campaign(getattr(org, who), str(course.reference)) == course


# --- the lists ---------------------------------------------------------------------------------


def test_the_list_counts_copies_out_and_filters_open_ones(org, course, lecture, register):
    other = register("CONFIDENTIAL", copies=1)
    with clock.frozen(START + DAY):  # newer, so listed first
        second = campaigns.create_campaign(
            other, title="Briefing", due_back=DUE, recipients=[org.reader], by=org.registrar
        )
        custody.return_copy(_copy(other, 1), by=org.registrar)
        custody.return_copy(_copy(lecture, 2), by=org.registrar)

    listed = list(queries.campaigns(org.registrar))

    assert [(c.title, c.copies, c.out, c.is_open) for c in listed] == [
        ("Briefing", 1, 0, False),
        ("Spring induction course", 3, 2, True),
    ]
    assert list(queries.campaigns(org.registrar, open_only=True)) == [course]
    assert second.reference != course.reference


def test_the_list_shows_only_documents_of_the_actors_units_they_may_see(org, course, register):
    north_doc = register("CONFIDENTIAL", unit=org.north, by=org.north_registrar, copies=1)
    north_campaign = campaigns.create_campaign(
        north_doc, title="North", due_back=DUE, recipients=[org.reader], by=org.north_registrar
    )
    secret = register("TOP SECRET", copies=1)
    campaigns.create_campaign(
        secret, title="Top", due_back=DUE, recipients=[org.inspector], by=org.registrar
    )

    assert list(queries.campaigns(org.north_registrar)) == [north_campaign]
    # Carl (SECRET) answers for HQ and below but may not see the TOP SECRET document.
    assert sorted(c.title for c in queries.campaigns(org.custodian)) == [
        "North",
        "Spring induction course",
    ]
    assert len(queries.campaigns(org.registrar)) == 3
    # Staff and the uncleared see none.
    assert not queries.campaigns(org.reader).exists()
    assert not queries.campaigns(org.officer).exists()


# --- the board ---------------------------------------------------------------------------------


def test_the_board_at_a_moment_says_what_is_out_with_whom_and_for_how_long(org, course, lecture):
    with clock.frozen(START + 2 * DAY):
        custody.return_copy(_copy(lecture, 3), by=org.custodian)
    sent = hand_overs.dispatch_hand_over(_copy(lecture, 2), to=org.reader, by=org.north_registrar)
    hand_overs.accept_hand_over(sent, by=org.reader)
    people.set_unit_head(org.north, head=org.north_registrar, by=org.officer)

    board = queries.board(course, now=DUE + 4 * DAY)

    assert board.out == 2
    rows = [
        (
            r.number,
            r.of,
            r.recipient.username,
            r.holder.username if r.holder else None,
            r.out,
            r.days_out,
            r.days_overdue,
            r.step,
        )
        for r in board.rows
    ]
    assert rows == [
        (1, 4, "rosa", "rosa", True, 11, 4, Step.SUPERVISOR),
        (2, 4, "nils", "rosa", True, 11, 4, Step.SUPERVISOR),
        (3, 4, "rita", None, False, None, None, None),
    ]
    assert board.rows[2].returned_at == START + 2 * DAY


def test_before_the_due_back_time_no_step_is_reached(org, course):
    board = queries.board(course, now=START + DAY)
    assert [(r.days_out, r.days_overdue, r.step) for r in board.rows] == [(1, None, None)] * 3


def test_the_board_names_the_incident(org, course):
    alerts.check_campaign_reminders(now=DUE + 15 * DAY)
    board = queries.board(course, now=DUE + 15 * DAY)
    assert all(row.incident is not None for row in board.rows)
    assert {row.step for row in board.rows} == {Step.SECURITY_OFFICER}


# --- incidents ---------------------------------------------------------------------------------


def test_security_officers_over_the_unit_see_its_incidents_and_nobody_else(org, course):
    alerts.check_campaign_reminders(now=DUE + 15 * DAY)

    assert incident_queries.incidents(org.officer).count() == 3
    assert incident_queries.incidents(org.second_officer).count() == 3
    for person in (org.registrar, org.custodian, org.inspector, org.reader, org.worker):
        assert not incident_queries.incidents(person).exists(), person.username


def test_a_security_officer_of_a_unit_below_sees_only_its_incidents(org, course):
    nora = people.create_person(
        username="nora",
        full_name="Nora North",
        unit=org.north,
        roles=["security_officer"],
        by=org.officer,
    )
    alerts.check_campaign_reminders(now=DUE + 15 * DAY)
    # Rosa's and nils's incidents are NORTH's; rita's is HQ's.
    assert sorted(i.person.username for i in incident_queries.incidents(nora)) == ["nils", "rosa"]
