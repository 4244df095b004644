"""strongroom check, alerts: the periodic checks from the command line."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from strongroom.adapters import clock
from strongroom.models import Alert, Copy
from strongroom.services import custody, hand_overs

SENT = datetime(2026, 3, 15, 9, 0, tzinfo=UTC)


def _overdue(org, register):
    document = register("CONFIDENTIAL")
    copy = Copy.objects.select_related("document__unit", "holder").get(document=document, number=1)
    with clock.frozen(SENT):
        custody.issue_copy(copy, to=org.reader, by=org.custodian)
        return hand_overs.dispatch_hand_over(
            copy, to=org.north_registrar, by=org.reader, due_by=SENT + timedelta(hours=1)
        )


def test_check_raises_the_alerts_once_and_needs_no_sign_in(org, register, cli):
    _overdue(org, register)

    with clock.frozen(SENT + timedelta(hours=2)):
        first = cli("check")
        again = cli("check")

    assert first.code == 0
    assert first.out.splitlines() == [
        "unacknowledged hand-overs: 1 new alert(s)",
        "overdue check-outs: 0 new alert(s)",
        "late transits: 0 new alert(s)",
        "receipts not returned: 0 new alert(s)",
        "campaign reminders: 0 new alert(s)",
    ]
    assert again.out.splitlines() == [
        "unacknowledged hand-overs: 0 new alert(s)",
        "overdue check-outs: 0 new alert(s)",
        "late transits: 0 new alert(s)",
        "receipts not returned: 0 new alert(s)",
        "campaign reminders: 0 new alert(s)",
    ]
    assert Alert.objects.count() == 1


def test_the_sender_lists_her_alert(org, register, cli):
    sent = _overdue(org, register)
    with clock.frozen(SENT + timedelta(hours=2)):
        cli("check")

    listed = cli("alerts", "--json", as_=org.reader)

    assert listed.code == 0
    [alert] = json.loads(listed.out)
    assert alert["subject"] == f"hand_over:{sent.reference}"
    assert alert["responsible"] == "rosa" and alert["cleared_at"] is None


def test_a_bystander_has_no_alerts(org, register, cli):
    _overdue(org, register)
    with clock.frozen(SENT + timedelta(hours=2)):
        cli("check")

    listed = cli("alerts", as_=org.worker)

    assert (listed.code, listed.out.strip()) == (0, "No alerts.")


def test_alerts_needs_a_signed_in_person(cli):
    assert cli("alerts").code != 0
