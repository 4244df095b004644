"""Courier authorisations: granted by a security officer over the courier's unit, never for
themselves, to someone cleared for the level; revoked at once; at most one not yet over."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from strongroom.adapters import clock
from strongroom.domain.errors import InvalidInput
from strongroom.models import CourierAuthorisation
from strongroom.policy import Denied
from strongroom.services import couriers
from tests.conftest import last_entry

TODAY = date.today()
NOON = datetime.combine(TODAY, datetime.min.time(), tzinfo=UTC).replace(hour=12)


def _refused(entry, actor, subject, action):
    assert (entry.kind, entry.actor, entry.subject) == ("access.refused", actor, subject)
    assert entry.data["action"] == action


def _grant(org, person=None, *, by=None, level="SECRET", **options):
    values = {"valid_until": TODAY + timedelta(days=30), **options}
    return couriers.authorise_courier(
        person or org.custodian, level=level, by=by or org.second_officer, **values
    )


# --- authorise ------------------------------------------------------------------------------


def test_a_security_officer_authorises_a_cleared_person(org):
    with clock.frozen(NOON):
        authorisation = _grant(org, note="  weekly  run to NORTH ")

    row = CourierAuthorisation.objects.get()
    assert row == authorisation
    assert (row.courier, row.level, row.level_name) == (org.custodian, 3, "SECRET")
    assert (row.valid_from, row.valid_until) == (TODAY, TODAY + timedelta(days=30))
    assert (row.note, row.granted_by, row.granted_at) == (
        "weekly run to NORTH",
        org.second_officer,
        NOON,
    )
    assert (row.revoked_at, row.revoked_by, row.version) == (None, None, 1)
    assert row.current(TODAY) and row.live(TODAY)
    entry = last_entry()
    assert (entry.kind, entry.actor, entry.subject) == (
        "courier.authorised",
        org.second_officer,
        "courier:carl",
    )
    assert entry.data == {
        "authorisation": row.pk,
        "level": "SECRET",
        "valid_from": TODAY.isoformat(),
        "valid_until": (TODAY + timedelta(days=30)).isoformat(),
        "note": "weekly run to NORTH",
        "granted_by": "sven",
    }


def test_an_authorisation_may_start_later_and_last_one_day(org):
    later = TODAY + timedelta(days=3)
    row = _grant(org, valid_from=later, valid_until=later)
    assert (row.valid_from, row.valid_until) == (later, later)
    assert not row.current(TODAY) and row.live(TODAY) and row.current(later)


def test_a_level_is_given_by_name_in_any_case(org):
    assert _grant(org, level=" confidential ").level_name == "CONFIDENTIAL"


@pytest.mark.parametrize(
    ("who", "person", "reason"),
    [
        ("registrar", "custodian", "this needs the role of security officer"),
        ("second_officer", "second_officer", "nobody may grant or withdraw a courier "
         "authorisation for themselves"),
        ("second_officer", "reader", "the courier may not hold SECRET material: clearance "
         "does not reach SECRET"),
        ("second_officer", "worker", "the courier may not hold SECRET material: the person "
         "holds no clearance"),
    ],
    ids=["registrar", "oneself", "above-clearance", "uncleared"],
)  # fmt: skip
def test_refusals_are_recorded_with_the_reason(org, who, person, reason):
    actor, courier = getattr(org, who), getattr(org, person)
    with pytest.raises(Denied) as refused:
        _grant(org, courier, by=actor)
    assert refused.value.reason == reason
    assert not CourierAuthorisation.objects.exists()
    entry = last_entry()
    _refused(entry, actor, f"courier:{courier.username}", "courier:authorise")
    assert entry.data["reason"] == reason


@pytest.mark.parametrize(
    ("options", "field", "message"),
    [
        ({"level": "VERY SECRET"}, "level", "'VERY SECRET'"),
        ({"valid_from": TODAY - timedelta(days=1)}, "valid_from", "cannot start in the past"),
        ({"valid_until": TODAY - timedelta(days=1)}, "valid_until", "on or after the day"),
        (
            {"valid_from": TODAY + timedelta(days=5), "valid_until": TODAY + timedelta(days=4)},
            "valid_until",
            "on or after the day it starts",
        ),
        ({"valid_until": "2030-01-01"}, "valid_until", "is not a date"),
        ({"note": "x" * 501}, "note", "at most 500 characters"),
    ],
    ids=["unknown-level", "started", "ended", "backwards", "text-date", "long-note"],
)
def test_bad_input_is_invalid_and_nothing_is_granted(org, options, field, message):
    before = last_entry().seq
    with pytest.raises(InvalidInput, match=message) as invalid:
        _grant(org, **options)
    assert invalid.value.field == field
    assert not CourierAuthorisation.objects.exists()
    assert last_entry().seq == before


def test_one_authorisation_at_a_time(org):
    _grant(org)
    with pytest.raises(InvalidInput, match="carl already holds a courier authorisation until"):
        _grant(org, level="CONFIDENTIAL")
    assert CourierAuthorisation.objects.count() == 1


def test_an_expired_one_does_not_stand_in_the_way(org):
    _grant(org, valid_until=TODAY)
    tomorrow = NOON + timedelta(days=1)
    with clock.frozen(tomorrow):
        _grant(org, valid_until=TODAY + timedelta(days=2))
    assert CourierAuthorisation.objects.count() == 2


# --- revoke ---------------------------------------------------------------------------------


def test_a_security_officer_revokes_it_at_once(org):
    granted = _grant(org)
    with clock.frozen(NOON):
        revoked = couriers.revoke_courier(org.custodian, reason=" lost a pass ", by=org.officer)

    assert revoked == [granted]
    row = CourierAuthorisation.objects.get()
    assert (row.revoked_at, row.revoked_by, row.revoked_because, row.version) == (
        NOON,
        org.officer,
        "lost a pass",
        2,
    )
    assert not row.current(TODAY) and not row.live(TODAY)
    entry = last_entry()
    assert (entry.kind, entry.actor, entry.subject) == (
        "courier.revoked",
        org.officer,
        "courier:carl",
    )
    assert entry.data == {"authorisation": row.pk, "reason": "lost a pass"}


def test_after_revoking_a_new_one_may_be_granted(org):
    _grant(org)
    couriers.revoke_courier(org.custodian, reason="new level", by=org.officer)
    again = _grant(org, level="CONFIDENTIAL")
    assert again.live(TODAY)


def test_revoking_needs_a_reason_and_something_to_revoke(org):
    with pytest.raises(InvalidInput, match="carl holds no courier authorisation to revoke"):
        couriers.revoke_courier(org.custodian, reason="why not", by=org.officer)
    _grant(org)
    with pytest.raises(InvalidInput, match="A reason is required") as invalid:
        couriers.revoke_courier(org.custodian, reason="  ", by=org.officer)
    assert invalid.value.field == "reason"
    assert CourierAuthorisation.objects.get().revoked_at is None


def test_only_a_security_officer_may_revoke_and_the_refusal_is_recorded(org):
    _grant(org)
    with pytest.raises(Denied) as refused:
        couriers.revoke_courier(org.custodian, reason="no", by=org.registrar)
    assert refused.value.reason == "this needs the role of security officer"
    assert CourierAuthorisation.objects.get().revoked_at is None
    _refused(last_entry(), org.registrar, "courier:carl", "courier:revoke")
