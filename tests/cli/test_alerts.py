"""strongroom check, alerts: the periodic checks from the command line."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from strongroom.adapters import clock
from strongroom.models import Alert, Copy
from strongroom.services import custody, destructions, hand_overs

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
        "destructions not witnessed: 0 new alert(s)",
    ]
    assert again.out.splitlines() == [
        "unacknowledged hand-overs: 0 new alert(s)",
        "overdue check-outs: 0 new alert(s)",
        "late transits: 0 new alert(s)",
        "receipts not returned: 0 new alert(s)",
        "campaign reminders: 0 new alert(s)",
        "destructions not witnessed: 0 new alert(s)",
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


# --- a destruction not witnessed in time ------------------------------------------------------

PROPOSED = (datetime.now(UTC) + timedelta(days=1)).replace(
    hour=9, minute=30, second=0, microsecond=0
)


def _unwitnessed(org, register):
    """Carl put copy 1 forward for destruction, naming rita his witness; four days later the
    check finds it still waiting for her."""
    document = register("SECRET//ALPHA")
    copy = Copy.objects.select_related("document__unit", "unit").get(document=document, number=1)
    with clock.frozen(PROPOSED):
        destruction = destructions.propose_destruction(
            copy, witness=org.registrar, method="shredding", by=org.custodian
        )
    return destruction


def test_the_destroyer_and_the_witness_list_a_destruction_waiting_too_long(org, register, cli):
    destruction = _unwitnessed(org, register)
    with clock.frozen(PROPOSED + timedelta(days=4)):
        checked = cli("check")
        assert "destructions not witnessed: 1 new alert(s)" in checked.out.splitlines()
        mine = cli("alerts", as_=org.custodian)
        theirs = cli("alerts", "--json", as_=org.registrar)
        bystander = cli("alerts", as_=org.worker)

    assert mine.code == 0
    assert f"carl  Destruction {destruction.short_reference} of" in mine.out
    assert "has not been countersigned by its witness rita within 3 day(s)." in mine.out
    [alert] = json.loads(theirs.out)
    assert (alert["kind"], alert["subject"], alert["responsible"]) == (
        "destruction_unwitnessed",
        f"destruction:{destruction.reference}",
        "carl",
    )
    assert bystander.out.strip() == "No alerts."


def test_witnessing_it_from_the_command_line_clears_the_alert(org, register, cli):
    destruction = _unwitnessed(org, register)
    with clock.frozen(PROPOSED + timedelta(days=4)):
        cli("check")
        witnessed = cli("witness-destruction", destruction.short_reference, as_=org.registrar)
        after = cli("alerts", as_=org.custodian)
        cleared = cli("alerts", "--all", "--json", as_=org.custodian)

    assert witnessed.code == 0, witnessed.err
    assert after.out.strip() == "No alerts."
    [alert] = json.loads(cleared.out)
    assert alert["cleared_at"] is not None
    assert Alert.objects.get().cleared_because == "witnessed"
