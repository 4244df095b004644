"""The reminder ladder of campaign copies, judged at frozen moments.

The scene: a CONFIDENTIAL lecture document of HQ; carl (HQ custodian) issued copy 1 to rosa and
copy 2 to nils (both NORTH), due back at DUE. Nils heads NORTH and rita heads HQ, so rosa's
supervisor is nils and nils's is rita. The security officers, olga and sven, are at HQ.
Default ladder: the holder at 0 days, the supervisor at 3, a security officer at 7; an incident
after 14.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from strongroom.adapters import clock
from strongroom.ledger.models import LedgerEntry
from strongroom.ledger.verify import verify
from strongroom.models import Alert, Copy, Incident
from strongroom.queries import alerts as alert_queries
from strongroom.services import alerts, campaigns, custody, hand_overs, people
from tests.conftest import last_entry

START = (datetime.now(UTC) + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
DUE = START + timedelta(days=7)
JUST = timedelta(seconds=1)
DAY = timedelta(days=1)

HOLDER = "campaign_overdue_holder"
SUPERVISOR = "campaign_overdue_supervisor"
OFFICER = "campaign_overdue_security_officer"


def _copy(document, number):
    return Copy.objects.select_related("document__unit", "holder").get(
        document=document, number=number
    )


def _open():
    """(kind, copy number, responsible) of every open alert."""
    return sorted(
        (alert.kind, int(alert.subject.rpartition("/")[2]), alert.responsible.username)
        for alert in Alert.objects.filter(cleared_at__isnull=True).select_related("responsible")
    )


def _check(at):
    return alerts.check_campaign_reminders(now=at)


@pytest.fixture
def lecture(register):
    return register("CONFIDENTIAL", short_title="Lecture 4", copies=3)


@pytest.fixture
def course(org, lecture):
    people.set_unit_head(org.north, head=org.north_registrar, by=org.officer)
    people.set_unit_head(org.hq, head=org.registrar, by=org.officer)
    with clock.frozen(START):
        return campaigns.create_campaign(
            lecture,
            title="Spring induction course",
            due_back=DUE,
            recipients=[org.reader, org.north_registrar],
            by=org.custodian,
        )


def test_nothing_is_raised_until_the_due_back_time_has_passed(course):
    assert _check(DUE - DAY) == alerts.Tally()
    assert _check(DUE) == alerts.Tally()
    assert not Alert.objects.exists()


def test_just_after_the_due_back_time_each_holder_is_reminded_once(org, course, lecture):
    at = DUE + JUST
    assert _check(at) == alerts.Tally(alerts=2)

    assert _open() == [(HOLDER, 1, "rosa"), (HOLDER, 2, "nils")]
    alert = Alert.objects.get(responsible=org.reader)
    assert alert.subject == f"campaign:{course.reference}/1"
    assert (alert.unit, alert.raised_at) == (org.north, at)
    assert alert.message == (
        f"{lecture.control_number}/1 (Lecture 4, copy 1 of 3) from campaign "
        f"{course.short_reference} was due back by {DUE:%Y-%m-%d %H:%M} UTC (0 day(s) ago) and "
        "rosa (NORTH) still holds it; return it to the HQ registry."
    )
    entry = LedgerEntry.objects.filter(kind="alert.raised").order_by("seq").first()
    assert (entry.actor, entry.subject) == (None, alert.subject)
    assert (entry.data["kind"], entry.data["responsible"]) == (HOLDER, "rosa")


def test_the_supervisor_is_reminded_after_three_days_not_before(course):
    _check(DUE + JUST)
    assert _check(DUE + 3 * DAY) == alerts.Tally()

    assert _check(DUE + 3 * DAY + JUST) == alerts.Tally(alerts=2)

    # Rosa's supervisor heads NORTH; nils heads NORTH himself, so his is the head of HQ.
    assert [a for a in _open() if a[0] == SUPERVISOR] == [
        (SUPERVISOR, 1, "nils"),
        (SUPERVISOR, 2, "rita"),
    ]
    message = Alert.objects.get(kind=SUPERVISOR, responsible__username="nils").message
    assert "(3 day(s) ago) and rosa (NORTH) still holds it; as rosa's supervisor" in message


def test_a_security_officer_is_reminded_after_seven_days_not_before(course):
    _check(DUE + 3 * DAY + JUST)
    assert _check(DUE + 7 * DAY) == alerts.Tally()

    assert _check(DUE + 7 * DAY + JUST) == alerts.Tally(alerts=2)

    # No security officer at NORTH: the nearest are at HQ, olga first by name.
    assert [a for a in _open() if a[0] == OFFICER] == [(OFFICER, 1, "olga"), (OFFICER, 2, "olga")]
    assert len(_open()) == 6


def test_running_the_check_twice_changes_nothing(course):
    at = DUE + 20 * DAY
    first = _check(at)
    entries = last_entry().seq
    alerts_before = list(Alert.objects.values_list("pk", "cleared_at"))

    assert first == alerts.Tally(alerts=6, incidents=2)
    assert _check(at) == alerts.Tally()
    assert _check(at + DAY) == alerts.Tally()
    assert last_entry().seq == entries
    assert list(Alert.objects.values_list("pk", "cleared_at")) == alerts_before
    assert Incident.objects.count() == 2


def test_a_first_run_late_raises_every_step_reached_at_once(course):
    assert _check(DUE + 8 * DAY) == alerts.Tally(alerts=6)
    assert [kind for kind, number, _ in _open() if number == 1] == [HOLDER, OFFICER, SUPERVISOR]


def test_each_step_is_mailed_to_whom_it_concerns(course, django_capture_on_commit_callbacks):
    recipients = {}
    for step, at in [
        (HOLDER, DUE + JUST),
        (SUPERVISOR, DUE + 3 * DAY + JUST),
        (OFFICER, DUE + 7 * DAY + JUST),
    ]:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            _check(at)
        recipients[step] = sorted(sorted(message.to) for message in mail.outbox)

    assert recipients[HOLDER] == [["nils@localhost"], ["rosa@localhost"]]
    assert recipients[SUPERVISOR] == [["nils@localhost"], ["rita@localhost"]]
    assert recipients[OFFICER] == [["olga@localhost", "sven@localhost"]] * 2


def test_returning_the_copy_clears_its_reminders_and_they_do_not_come_back(org, course, lecture):
    _check(DUE + 7 * DAY + JUST)
    back = DUE + 8 * DAY

    with clock.frozen(back):
        custody.return_copy(_copy(lecture, 1), by=org.custodian)

    cleared = Alert.objects.filter(subject=f"campaign:{course.reference}/1")
    assert sorted(cleared.values_list("kind", "cleared_at", "cleared_because")) == [
        (HOLDER, back, "returned"),
        (OFFICER, back, "returned"),
        (SUPERVISOR, back, "returned"),
    ]
    assert _open() == [(HOLDER, 2, "nils"), (OFFICER, 2, "olga"), (SUPERVISOR, 2, "rita")]
    entries = LedgerEntry.objects.filter(
        kind="alert.cleared", subject=f"campaign:{course.reference}/1"
    )
    assert entries.count() == 3
    assert _check(DUE + 30 * DAY) == alerts.Tally(incidents=1)  # copy 2's only
    assert len(_open()) == 3


def test_after_the_grace_period_exactly_one_incident_is_opened_per_copy_still_out(
    org, course, lecture, django_capture_on_commit_callbacks
):
    with clock.frozen(DUE + 2 * DAY):
        custody.return_copy(_copy(lecture, 2), by=org.custodian)
    assert _check(DUE + 14 * DAY).incidents == 0
    assert not Incident.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        assert _check(DUE + 14 * DAY + JUST).incidents == 1

    incident = Incident.objects.select_related("copy", "person", "unit", "campaign_item").get()
    assert (incident.kind, incident.state, incident.opened_by) == (
        "copy_not_returned",
        "open",
        None,
    )
    assert (incident.copy.number, incident.person, incident.unit) == (1, org.reader, org.north)
    assert incident.campaign_item.campaign == course
    assert incident.opened_at == DUE + 14 * DAY + JUST
    assert incident.summary == (
        f"{lecture.control_number}/1 (Lecture 4) issued to rosa in campaign "
        f"{course.short_reference} was not returned within 14 day(s) of its due-back time, "
        f"{DUE:%Y-%m-%d %H:%M} UTC; rosa (NORTH) holds it."
    )
    entry = LedgerEntry.objects.get(kind="incident.opened")
    assert (entry.actor, entry.subject) == (None, f"incident:{incident.reference}")
    assert entry.data == {
        "kind": "copy_not_returned",
        "copy": f"{lecture.control_number}/1",
        "person": "rosa",
        "unit": "NORTH",
        "campaign": str(course.reference),
        "summary": incident.summary,
    }
    mailed = [m for m in mail.outbox if "incident" in m.subject]
    assert [sorted(m.to) for m in mailed] == [["olga@localhost", "sven@localhost"]]
    assert _check(DUE + 40 * DAY) == alerts.Tally()
    assert Incident.objects.count() == 1


def test_returning_the_copy_after_the_incident_leaves_the_incident_open(org, course, lecture):
    _check(DUE + 15 * DAY)
    with clock.frozen(DUE + 16 * DAY):
        custody.return_copy(_copy(lecture, 1), by=org.custodian)
    assert Incident.objects.filter(copy__number=1, state="open").exists()
    assert not Alert.objects.filter(subject__endswith="/1", cleared_at__isnull=True).exists()


def test_without_a_head_above_the_supervisor_step_goes_to_the_issuer(org, course):
    people.set_unit_head(org.north, head=None, by=org.officer)
    people.set_unit_head(org.hq, head=None, by=org.officer)

    _check(DUE + 3 * DAY + JUST)

    supervisor = Alert.objects.filter(kind=SUPERVISOR)
    assert sorted(supervisor.values_list("responsible__username", flat=True)) == ["carl", "carl"]
    assert "No head is appointed over NORTH or any unit above it, so the campaign's issuer" in (
        supervisor.first().message
    )


def test_a_head_who_has_moved_to_another_unit_is_passed_over(org, course):
    people.change_person(org.north_registrar, unit=org.south, by=org.officer)
    _check(DUE + 3 * DAY + JUST)
    # Nils no longer belongs to NORTH: rosa's supervisor is the head of HQ.
    assert Alert.objects.get(kind=SUPERVISOR, subject__endswith="/1").responsible == org.registrar


def test_the_holder_step_reminds_whoever_holds_the_copy_now(org, course, lecture):
    sent = hand_overs.dispatch_hand_over(_copy(lecture, 1), to=org.north_registrar, by=org.reader)
    hand_overs.accept_hand_over(sent, by=org.north_registrar)

    _check(DUE + JUST)

    assert _open() == [(HOLDER, 1, "nils"), (HOLDER, 2, "nils")]


def test_a_closed_campaign_raises_nothing(org, course, lecture):
    for number in (1, 2):
        custody.return_copy(_copy(lecture, number), by=org.custodian)
    assert _check(DUE + 30 * DAY) == alerts.Tally()


def test_the_ladder_follows_the_settings(org, course, settings):
    settings.STRONGROOM_CAMPAIGN_LADDER = (1, 2, 5)
    settings.STRONGROOM_CAMPAIGN_GRACE_DAYS = 5
    assert _check(DUE + DAY) == alerts.Tally()
    assert _check(DUE + DAY + JUST) == alerts.Tally(alerts=2)
    assert _check(DUE + 5 * DAY + JUST) == alerts.Tally(alerts=4, incidents=2)


def test_who_sees_the_reminders(org, course):
    _check(DUE + 7 * DAY + JUST)
    assert alert_queries.alerts(org.reader).count() == 1  # her own holder step
    assert alert_queries.alerts(org.north_registrar).count() == 2  # his own, and rosa's supervisor
    assert alert_queries.alerts(org.officer).count() == 6
    assert alert_queries.alerts(org.worker).count() == 0


def test_run_checks_reports_alerts_and_incidents(course):
    results = alerts.run_checks(now=DUE + 15 * DAY)
    assert [(r.name, r.raised, r.opened) for r in results] == [
        ("unacknowledged hand-overs", 0, 0),
        ("overdue check-outs", 0, 0),
        ("late transits", 0, 0),
        ("receipts not returned", 0, 0),
        ("campaign reminders", 6, 2),
        ("destructions not witnessed", 0, 0),
    ]


def test_a_ledger_with_reminders_and_incidents_still_verifies(org, course, lecture):
    _check(DUE + 15 * DAY)
    with clock.frozen(DUE + 16 * DAY):
        custody.return_copy(_copy(lecture, 1), by=org.custodian)
    report = verify()
    assert report.ok, report.problems
