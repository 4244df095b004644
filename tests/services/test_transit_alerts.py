"""A transit not received in time raises one alert to whoever sent it, and receiving clears it;
a receipt that does not come back in time raises another, and confirming it clears that."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from strongroom.adapters import clock
from strongroom.models import Alert
from strongroom.queries import alerts as alert_queries
from strongroom.services import alerts, transits
from tests.conftest import last_entry
from tests.transport import authorise, send, stored

# Inside every clearance and authorisation the fixtures grant from the real today.
SENT = (datetime.now(UTC) + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)


@pytest.fixture
def sent(org, register):
    """Rita sent copy 1 of a SECRET document to NORTH with carl at 09:00, expected by 13:00."""
    authorise(org, org.custodian)
    document = register("SECRET")
    return send(org, document, at=SENT, expected_by=SENT + timedelta(hours=4))


def _entries(kind):
    from strongroom.ledger.models import LedgerEntry

    return list(LedgerEntry.objects.filter(kind=kind).order_by("seq"))


# --- late transits ----------------------------------------------------------------------------


def test_nothing_is_raised_while_it_may_still_arrive(sent):
    assert alerts.check_late_transits(now=SENT + timedelta(hours=4)) == 0
    assert not Alert.objects.exists()


def test_a_late_transit_raises_one_alert_to_its_sender(org, sent):
    late = SENT + timedelta(hours=5)

    assert alerts.check_late_transits(now=late) == 1

    alert = Alert.objects.get()
    assert (alert.kind, alert.responsible, alert.unit) == ("transit_late", org.registrar, org.hq)
    assert alert.subject == f"transit:{sent.reference}"
    assert (alert.raised_at, alert.cleared_at) == (late, None)
    assert alert.message == (
        f"Transit {sent.short_reference} of {stored(sent).copy.reference} (Directive 12) from "
        f"HQ to NORTH with carl was not received by {SENT + timedelta(hours=4):%Y-%m-%d %H:%M} "
        "UTC."
    )
    entry = last_entry()
    assert (entry.kind, entry.subject, entry.actor) == ("alert.raised", alert.subject, None)
    assert (entry.data["kind"], entry.data["responsible"]) == ("transit_late", "rita")


def test_running_the_check_again_raises_nothing_new(sent):
    alerts.check_late_transits(now=SENT + timedelta(hours=5))
    before = last_entry().seq
    assert alerts.check_late_transits(now=SENT + timedelta(hours=6)) == 0
    assert Alert.objects.count() == 1
    assert last_entry().seq == before


def test_the_sender_and_the_security_officers_above_are_mailed(
    sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        alerts.check_late_transits(now=SENT + timedelta(hours=5))
    [message] = mail.outbox
    assert sorted(message.to) == ["olga@localhost", "rita@localhost", "sven@localhost"]
    assert sent.short_reference in message.subject


def test_receiving_clears_the_alert(org, sent):
    alerts.check_late_transits(now=SENT + timedelta(hours=5))
    with clock.frozen(SENT + timedelta(hours=6)):
        transits.receive_transit(stored(sent), by=org.north_registrar)

    alert = Alert.objects.get()
    assert (alert.cleared_at, alert.cleared_because) == (SENT + timedelta(hours=6), "received")
    [cleared] = _entries("alert.cleared")
    assert cleared.data == {"alert": alert.pk, "kind": "transit_late", "because": "received"}
    assert alerts.check_late_transits(now=SENT + timedelta(hours=7)) == 0
    assert alert_queries.alerts(org.registrar).count() == 0


def test_who_sees_the_alert(org, sent):
    alerts.check_late_transits(now=SENT + timedelta(hours=5))
    assert alert_queries.alerts(org.registrar).count() == 1
    assert alert_queries.alerts(org.officer).count() == 1
    # Not the courier, not the destination, not bystanders.
    for person in (org.custodian, org.north_registrar, org.worker):
        assert alert_queries.alerts(person).count() == 0


# --- receipts not returned --------------------------------------------------------------------


@pytest.fixture
def received(org, sent):
    """Nils received it at 12:00; the receipt has not come back to HQ."""
    with clock.frozen(SENT + timedelta(hours=3)):
        transits.receive_transit(stored(sent), by=org.north_registrar)
    return stored(sent)


def test_a_receipt_not_back_in_time_raises_an_alert_to_the_sender(org, received, settings):
    settings.STRONGROOM_TRANSIT_RECEIPT_DAYS = 5
    received_at = SENT + timedelta(hours=3)
    assert alerts.check_unreturned_receipts(now=received_at + timedelta(days=5)) == 0
    assert alerts.check_late_transits(now=received_at + timedelta(days=5)) == 0

    later = received_at + timedelta(days=5, minutes=1)
    assert alerts.check_unreturned_receipts(now=later) == 1
    assert alerts.check_unreturned_receipts(now=later) == 0

    alert = Alert.objects.get()
    assert (alert.kind, alert.responsible, alert.subject) == (
        "transit_receipt_overdue",
        org.registrar,
        f"transit:{received.reference}",
    )
    assert alert.message == (
        f"The receipt for transit {received.short_reference} of {received.copy.reference} "
        f"(Directive 12), received at NORTH on {received_at:%Y-%m-%d}, has not come back to HQ "
        "within 5 days."
    )


def test_confirming_the_receipt_clears_it(org, received, settings):
    settings.STRONGROOM_TRANSIT_RECEIPT_DAYS = 1
    alerts.check_unreturned_receipts(now=SENT + timedelta(days=3))
    transits.confirm_receipt(stored(received), by=org.registrar)

    alert = Alert.objects.get()
    assert alert.cleared_because == "receipt returned"
    assert alerts.check_unreturned_receipts(now=SENT + timedelta(days=4)) == 0


def test_run_checks_runs_both(received, settings):
    settings.STRONGROOM_TRANSIT_RECEIPT_DAYS = 1
    results = {r.name: r.raised for r in alerts.run_checks(now=SENT + timedelta(days=3))}
    assert results == {
        "unacknowledged hand-overs": 0,
        "overdue check-outs": 0,
        "late transits": 0,
        "receipts not returned": 1,
        "campaign reminders": 0,
        "destructions not witnessed": 0,
    }
