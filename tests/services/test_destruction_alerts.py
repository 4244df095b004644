"""A destruction the witness has not countersigned in time raises one alert to the destroyer,
which the witness sees too; witnessing, refusing or withdrawing it clears the alert.

The scene: carl (HQ custodian) put copy 1 of a SECRET//ALPHA document forward for destruction at
09:30, naming rita (HQ registrar) as his witness; she has not acted since.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from strongroom.adapters import clock
from strongroom.ledger.models import LedgerEntry
from strongroom.models import Alert, Copy, Destruction
from strongroom.queries import alerts as alert_queries
from strongroom.services import alerts, destructions
from tests.conftest import last_entry

# Inside every clearance the fixtures grant from the real today, whatever the witness delay.
PROPOSED = (datetime.now(UTC) + timedelta(days=1)).replace(
    hour=9, minute=30, second=0, microsecond=0
)
DAY = timedelta(days=1)


def _copy(document):
    return Copy.objects.select_related("document__unit", "unit", "holder").get(
        document=document, number=1
    )


def _stored(destruction):
    return Destruction.objects.select_related(
        "copy__document__unit", "copy__unit", "destroyer__unit", "witness__unit"
    ).get(pk=destruction.pk)


@pytest.fixture
def pending(org, register):
    document = register("SECRET//ALPHA")
    with clock.frozen(PROPOSED):
        return destructions.propose_destruction(
            _copy(document), witness=org.registrar, method="shredding", by=org.custodian
        )


def test_nothing_is_raised_while_the_witness_still_has_time(pending, settings):
    assert settings.STRONGROOM_DESTRUCTION_WITNESS_DAYS == 3
    assert alerts.check_unwitnessed_destructions(now=PROPOSED + 3 * DAY) == 0
    assert not Alert.objects.exists()


def test_a_destruction_not_witnessed_in_time_raises_one_alert_to_the_destroyer(org, pending):
    late = PROPOSED + 3 * DAY + timedelta(minutes=1)

    assert alerts.check_unwitnessed_destructions(now=late) == 1

    alert = Alert.objects.get()
    assert (alert.kind, alert.responsible, alert.unit) == (
        "destruction_unwitnessed",
        org.custodian,
        org.hq,
    )
    assert alert.subject == f"destruction:{pending.reference}"
    assert (alert.raised_at, alert.cleared_at) == (late, None)
    assert alert.message == (
        f"Destruction {pending.short_reference} of {pending.copy.reference} (Directive 12), "
        f"signed by carl on {PROPOSED:%Y-%m-%d %H:%M} UTC, has not been countersigned by its "
        "witness rita within 3 day(s)."
    )
    entry = last_entry()
    assert (entry.kind, entry.subject, entry.actor) == ("alert.raised", alert.subject, None)
    assert entry.data == {
        "alert": alert.pk,
        "kind": "destruction_unwitnessed",
        "responsible": "carl",
        "unit": "HQ",
        "message": alert.message,
    }
    # Nothing else changed: the copy still awaits its witness.
    assert _stored(pending).state == "pending"
    assert _stored(pending).copy.state == "awaiting_destruction"


def test_the_delay_is_configurable(pending, settings):
    settings.STRONGROOM_DESTRUCTION_WITNESS_DAYS = 1
    assert alerts.check_unwitnessed_destructions(now=PROPOSED + DAY) == 0
    assert alerts.check_unwitnessed_destructions(now=PROPOSED + DAY + timedelta(minutes=1)) == 1
    assert "within 1 day(s)." in Alert.objects.get().message


def test_running_the_check_again_raises_nothing_new(pending):
    alerts.check_unwitnessed_destructions(now=PROPOSED + 4 * DAY)
    before = last_entry().seq
    assert alerts.check_unwitnessed_destructions(now=PROPOSED + 5 * DAY) == 0
    assert Alert.objects.count() == 1
    assert last_entry().seq == before


def test_the_destroyer_the_witness_and_the_security_officers_are_mailed(
    pending, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        alerts.check_unwitnessed_destructions(now=PROPOSED + 4 * DAY)
    [message] = mail.outbox
    assert sorted(message.to) == [
        "carl@localhost",
        "olga@localhost",
        "rita@localhost",
        "sven@localhost",
    ]
    assert pending.short_reference in message.subject


def test_who_sees_the_alert(org, pending):
    alerts.check_unwitnessed_destructions(now=PROPOSED + 4 * DAY)
    # The destroyer, the witness whose signature is missing, and the security officers above.
    for person in (org.custodian, org.registrar, org.officer, org.second_officer):
        assert list(alert_queries.alerts(person).values_list("kind", flat=True)) == [
            "destruction_unwitnessed"
        ], person.username
    # Not bystanders, however cleared.
    for person in (org.inspector, org.north_registrar, org.worker):
        assert alert_queries.alerts(person).count() == 0, person.username


def test_another_witness_does_not_see_it(org, register):
    """Being someone's witness shows the alerts about that destruction, not anyone else's."""
    first = register("SECRET//ALPHA")
    second = register("SECRET")
    with clock.frozen(PROPOSED):
        destructions.propose_destruction(
            _copy(first), witness=org.registrar, method="shredding", by=org.custodian
        )
        destructions.propose_destruction(
            _copy(second), witness=org.north_registrar, method="shredding", by=org.custodian
        )
    assert alerts.check_unwitnessed_destructions(now=PROPOSED + 4 * DAY) == 2
    [seen] = alert_queries.alerts(org.north_registrar)
    assert seen.subject.startswith("destruction:") and "witness nils" in seen.message
    assert alert_queries.alerts(org.custodian).count() == 2


def _witness(org, destruction):
    return destructions.witness_destruction(destruction, by=org.registrar)


def _refuse(org, destruction):
    return destructions.refuse_destruction(destruction, by=org.registrar, reason="not this copy")


def _withdraw(org, destruction):
    return destructions.withdraw_destruction(destruction, by=org.custodian, reason="wrong copy")


@pytest.mark.parametrize(
    ("resolve", "because", "copy_state"),
    [
        (_witness, "witnessed", "destroyed"),
        (_refuse, "refused", "in_registry"),
        (_withdraw, "withdrawn", "in_registry"),
    ],
    ids=["witnessed", "refused", "withdrawn"],
)
def test_resolving_the_destruction_clears_the_alert(org, pending, resolve, because, copy_state):
    alerts.check_unwitnessed_destructions(now=PROPOSED + 4 * DAY)
    resolved_at = PROPOSED + 5 * DAY
    with clock.frozen(resolved_at):
        resolve(org, _stored(pending))

    stored = _stored(pending)
    assert (stored.state, stored.copy.state) == (because, copy_state)
    alert = Alert.objects.get()
    assert (alert.cleared_at, alert.cleared_because) == (resolved_at, because)
    [cleared] = LedgerEntry.objects.filter(kind="alert.cleared")
    assert (cleared.subject, cleared.actor, cleared.recorded_at) == (
        alert.subject,
        None,
        resolved_at,
    )
    assert cleared.data == {
        "alert": alert.pk,
        "kind": "destruction_unwitnessed",
        "because": because,
    }
    # The clearing is written with the destruction's own entry, in the same transaction.
    assert cleared.seq == last_entry().seq - 1
    assert alerts.check_unwitnessed_destructions(now=PROPOSED + 6 * DAY) == 0
    for person in (org.custodian, org.registrar, org.officer):
        assert alert_queries.alerts(person).count() == 0
    assert alert_queries.alerts(org.custodian, open_only=False).count() == 1


def test_a_destruction_resolved_in_time_never_raises_one(org, pending):
    with clock.frozen(PROPOSED + DAY):
        _witness(org, _stored(pending))
    assert alerts.check_unwitnessed_destructions(now=PROPOSED + 10 * DAY) == 0
    assert not Alert.objects.exists()
    assert not LedgerEntry.objects.filter(kind="alert.cleared").exists()
