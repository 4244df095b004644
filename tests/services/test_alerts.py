"""Periodic checks raise alerts for stalled hand-overs, once, and resolving clears them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from strongroom.adapters import clock
from strongroom.domain.clearance import PersonStatus
from strongroom.models import Alert, Copy
from strongroom.queries import alerts as alert_queries
from strongroom.services import alerts, check_outs, custody, hand_overs, people
from tests.conftest import last_entry

SENT = datetime(2026, 3, 15, 9, 0, tzinfo=UTC)


@pytest.fixture
def pending(org, register):
    """Rosa (NORTH) sent copy 1 of a CONFIDENTIAL document to Nils at 09:00, due by 10:00."""
    document = register("CONFIDENTIAL")
    copy = Copy.objects.select_related("document__unit", "holder").get(document=document, number=1)
    with clock.frozen(SENT):
        custody.issue_copy(copy, to=org.reader, by=org.custodian)
        return hand_overs.dispatch_hand_over(
            copy, to=org.north_registrar, by=org.reader, due_by=SENT + timedelta(hours=1)
        )


def test_nothing_is_raised_before_the_deadline(pending):
    assert alerts.check_unacknowledged_hand_overs(now=SENT + timedelta(minutes=59)) == 0
    assert not Alert.objects.exists()


def test_an_unacknowledged_hand_over_raises_one_alert_to_the_sender(org, pending):
    late = SENT + timedelta(hours=2)

    assert alerts.check_unacknowledged_hand_overs(now=late) == 1

    alert = Alert.objects.get()
    assert (alert.kind, alert.responsible, alert.unit) == (
        "hand_over_overdue",
        org.reader,
        org.north,
    )
    assert alert.subject == f"hand_over:{pending.reference}"
    assert alert.raised_at == late and alert.cleared_at is None
    assert pending.short_reference in alert.message and "not acknowledged" in alert.message
    entry = last_entry()
    assert (entry.kind, entry.subject, entry.actor) == ("alert.raised", alert.subject, None)
    assert entry.data["responsible"] == "rosa" and entry.data["kind"] == "hand_over_overdue"


def test_running_the_check_again_raises_nothing_new(pending):
    late = SENT + timedelta(hours=2)
    alerts.check_unacknowledged_hand_overs(now=late)
    entries_before = last_entry().seq

    assert alerts.check_unacknowledged_hand_overs(now=late + timedelta(minutes=1)) == 0
    assert Alert.objects.count() == 1
    assert last_entry().seq == entries_before


def test_the_alert_is_mailed_to_the_sender_and_the_security_officers_above(
    pending, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        alerts.check_unacknowledged_hand_overs(now=SENT + timedelta(hours=2))

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    # Rosa is at NORTH; the security officers Olga and Sven are at HQ, above it.
    assert sorted(message.to) == ["olga@localhost", "rosa@localhost", "sven@localhost"]
    assert pending.short_reference in message.subject


@pytest.mark.parametrize(
    ("resolve", "because"),
    [
        (lambda h, org: hand_overs.accept_hand_over(h, by=org.north_registrar), "accepted"),
        (lambda h, org: hand_overs.refuse_hand_over(h, by=org.north_registrar), "refused"),
        (lambda h, org: hand_overs.cancel_hand_over(h, by=org.reader), "cancelled"),
    ],
    ids=["accepted", "refused", "called back"],
)
def test_resolving_the_hand_over_clears_its_alert(org, pending, resolve, because):
    alerts.check_unacknowledged_hand_overs(now=SENT + timedelta(hours=2))

    resolve(pending, org)

    alert = Alert.objects.get()
    assert alert.cleared_at is not None and alert.cleared_because == because
    cleared = [e for e in _entries() if e.kind == "alert.cleared"]
    assert len(cleared) == 1 and cleared[0].data == {
        "alert": alert.pk,
        "kind": "hand_over_overdue",
        "because": because,
    }
    assert alerts.check_unacknowledged_hand_overs(now=SENT + timedelta(hours=3)) == 0


def _entries():
    from strongroom.ledger.models import LedgerEntry

    return list(LedgerEntry.objects.order_by("seq"))


def test_run_checks_names_every_check(pending):
    results = alerts.run_checks(now=SENT + timedelta(hours=2))
    assert [(r.name, r.raised, r.opened) for r in results] == [
        ("unacknowledged hand-overs", 1, 0),
        ("overdue check-outs", 0, 0),
        ("late transits", 0, 0),
        ("receipts not returned", 0, 0),
        ("campaign reminders", 0, 0),
        ("destructions not witnessed", 0, 0),
    ]


def test_who_sees_the_alert(org, pending):
    alerts.check_unacknowledged_hand_overs(now=SENT + timedelta(hours=2))

    # The responsible sender, and the security officers of her unit or above.
    assert alert_queries.alerts(org.reader).count() == 1
    assert alert_queries.alerts(org.officer).count() == 1
    assert alert_queries.alerts(org.second_officer).count() == 1
    # Not the recipient, not bystanders.
    assert alert_queries.alerts(org.north_registrar).count() == 0
    assert alert_queries.alerts(org.worker).count() == 0


def test_a_suspended_person_sees_no_alerts(org, pending):
    alerts.check_unacknowledged_hand_overs(now=SENT + timedelta(hours=2))
    people.set_status(
        org.reader, status=PersonStatus.SUSPENDED, reason="pending review", by=org.officer
    )

    assert alert_queries.alerts(org.reader).count() == 0


def test_cleared_alerts_are_listed_only_when_asked(org, pending):
    alerts.check_unacknowledged_hand_overs(now=SENT + timedelta(hours=2))
    hand_overs.accept_hand_over(pending, by=org.north_registrar)

    assert alert_queries.alerts(org.reader).count() == 0
    assert alert_queries.alerts(org.reader, open_only=False).count() == 1


# --- overdue check-outs ----------------------------------------------------------------------


@pytest.fixture
def lent(org, register):
    """Carl (HQ custodian) lent copy 1 of a CONFIDENTIAL document to Rosa at 09:00, due 11:00."""
    document = register("CONFIDENTIAL")
    copy = Copy.objects.select_related("document__unit", "holder").get(document=document, number=1)
    with clock.frozen(SENT):
        return check_outs.check_out_copy(
            copy, to=org.reader, by=org.custodian, due_back=SENT + timedelta(hours=2)
        )


def test_a_copy_back_in_time_raises_nothing(lent):
    assert alerts.check_overdue_check_outs(now=SENT + timedelta(hours=2)) == 0
    assert not Alert.objects.exists()


def test_an_overdue_check_out_raises_one_alert_to_the_lender(org, lent):
    late = SENT + timedelta(hours=3)

    assert alerts.check_overdue_check_outs(now=late) == 1

    alert = Alert.objects.get()
    assert (alert.kind, alert.responsible, alert.unit) == (
        "check_out_overdue",
        org.custodian,
        org.hq,
    )
    assert alert.subject == f"check_out:{lent.pk}"
    assert alert.raised_at == late and alert.cleared_at is None
    reference = f"{lent.copy.reference}"
    assert alert.message == (
        f"{reference} (Directive 12), lent to rosa in the reading room by carl, was due back at "
        "2026-03-15 11:00 UTC and is not checked in."
    )
    entry = last_entry()
    assert (entry.kind, entry.subject, entry.actor) == ("alert.raised", alert.subject, None)
    assert entry.data["responsible"] == "carl" and entry.data["kind"] == "check_out_overdue"


def test_the_overdue_check_is_idempotent(lent):
    late = SENT + timedelta(hours=3)
    alerts.check_overdue_check_outs(now=late)
    entries_before = last_entry().seq

    assert alerts.check_overdue_check_outs(now=late + timedelta(minutes=1)) == 0
    assert alerts.run_checks(now=late + timedelta(minutes=2))[1].raised == 0
    assert Alert.objects.count() == 1
    assert last_entry().seq == entries_before


def test_checking_the_copy_in_clears_its_alert(org, lent):
    alerts.check_overdue_check_outs(now=SENT + timedelta(hours=3))

    check_outs.check_in_copy(lent.copy, by=org.registrar)

    alert = Alert.objects.get()
    assert alert.cleared_at is not None and alert.cleared_because == "returned"
    cleared = [e for e in _entries() if e.kind == "alert.cleared"]
    assert [e.data for e in cleared] == [
        {"alert": alert.pk, "kind": "check_out_overdue", "because": "returned"}
    ]
    assert alerts.check_overdue_check_outs(now=SENT + timedelta(hours=4)) == 0


def test_the_lender_and_the_security_officers_see_the_overdue_alert(org, lent):
    alerts.run_checks(now=SENT + timedelta(hours=3))

    assert alert_queries.alerts(org.custodian).count() == 1
    assert alert_queries.alerts(org.officer).count() == 1
    assert alert_queries.alerts(org.reader).count() == 0
