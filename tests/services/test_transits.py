"""Transits between registries: send with an authorised courier, receive, confirm the receipt.

The scene (tests/transport.py): a SECRET document registered at HQ; carl (HQ custodian) is
authorised to carry up to SECRET; rita (HQ registrar) sends copy 1 to NORTH with him, and nils
(NORTH registrar) receives it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from django.db import IntegrityError, transaction

from strongroom.adapters import clock
from strongroom.domain.clearance import PersonStatus
from strongroom.domain.errors import Conflict, IllegalTransition, InvalidInput
from strongroom.models import Transit
from strongroom.policy import Denied
from strongroom.services import couriers, custody, hand_overs, people, transits
from tests.conftest import last_entry
from tests.transport import INNER, OUTER, authorise, copy_of, send, stored

# A fixed moment after every entry the fixtures wrote, well inside every clearance (granted for
# a year from the real today) and every courier authorisation (thirty days).
SOON = (datetime.now(UTC) + timedelta(days=2)).replace(hour=9, minute=30, second=0, microsecond=0)


def _refused(entry, actor, subject, action):
    assert (entry.kind, entry.actor, entry.subject) == ("access.refused", actor, subject)
    assert entry.data["action"] == action


@pytest.fixture
def document(org, register):
    """A SECRET HQ document; carl may carry it."""
    authorise(org, org.custodian)
    return register("SECRET")


@pytest.fixture
def sent(org, document):
    """Rita has sent copy 1 to NORTH with carl; nils has not received it yet."""
    return send(org, document)


@pytest.fixture
def received(org, sent):
    transits.receive_transit(stored(sent), by=org.north_registrar)
    return stored(sent)


# --- send ------------------------------------------------------------------------------------


def test_the_registry_sends_a_copy_and_the_courier_holds_it(org, document, settings):
    settings.STRONGROOM_TRANSIT_HOURS = 48
    transit = send(org, document, at=SOON)

    copy = copy_of(document)
    assert (copy.state, copy.holder, copy.location) == (
        "in_transit",
        org.custodian,
        "in transit from HQ to NORTH with carl",
    )
    # Until received it still answers to HQ's registry.
    assert (copy.unit, copy.since, copy.version) == (org.hq, SOON, 2)
    row = stored(transit)
    assert (row.copy, row.from_unit, row.to_unit, row.courier, row.dispatched_by) == (
        copy,
        org.hq,
        org.north,
        org.custodian,
        org.registrar,
    )
    assert (row.dispatched_at, row.expected_by, row.state) == (
        SOON,
        SOON + timedelta(hours=48),
        "in_transit",
    )
    assert (row.inner_wrapping, row.outer_wrapping) == (INNER, OUTER)
    assert (row.received_at, row.received_by, row.receipt_returned_at, row.version) == (
        None,
        None,
        None,
        1,
    )
    assert row.short_reference == row.reference.hex[:8].upper()
    entry = last_entry()
    assert (entry.kind, entry.actor, entry.subject) == (
        "transit.dispatched",
        org.registrar,
        f"copy:{document.control_number}/1",
    )
    assert entry.data == {
        "transit": str(row.reference),
        "from_unit": "HQ",
        "to_unit": "NORTH",
        "courier": "carl",
        "expected_by": (SOON + timedelta(hours=48)).isoformat(),
        "inner_wrapping": INNER,
        "outer_wrapping": OUTER,
        "state": "in_transit",
        "holder": "carl",
        "location": "in transit from HQ to NORTH with carl",
    }
    assert entry.recorded_at == SOON


def test_wrapping_is_kept_with_its_spaces_folded(org, document):
    transit = send(
        org,
        document,
        inner_wrapping="  opaque   envelope\n marked SECRET ",
        outer_wrapping=" plain  box ",
    )
    row = stored(transit)
    assert (row.inner_wrapping, row.outer_wrapping) == (
        "opaque envelope marked SECRET",
        "plain box",
    )


@pytest.mark.parametrize(
    "expected",
    [
        SOON + timedelta(hours=1),
        SOON + timedelta(hours=72),  # exactly the latest allowed
        (SOON + timedelta(hours=5)).astimezone(timezone(timedelta(hours=9))),
    ],
    ids=["one-hour", "the-limit", "other-zone"],
)
def test_the_sender_may_expect_it_earlier(org, document, settings, expected):
    settings.STRONGROOM_TRANSIT_HOURS = 72
    transit = send(org, document, at=SOON, expected_by=expected)
    assert stored(transit).expected_by == expected
    assert last_entry().data["expected_by"] == expected.isoformat()


@pytest.mark.parametrize(
    ("expected", "message"),
    [
        (SOON.replace(tzinfo=None) + timedelta(hours=1), "needs a time zone"),
        (SOON, "must be in the future"),
        (SOON + timedelta(hours=72, seconds=1), "at most 72 hours from now"),
    ],
    ids=["naive", "now", "too-late"],
)
def test_a_bad_expected_arrival_is_invalid_and_nothing_moves(
    org, document, settings, expected, message
):
    settings.STRONGROOM_TRANSIT_HOURS = 72
    before = last_entry().seq
    with pytest.raises(InvalidInput, match=message) as invalid:
        send(org, document, at=SOON, expected_by=expected)
    assert invalid.value.field == "expected_by"
    assert (copy_of(document).state, copy_of(document).version) == ("in_registry", 1)
    assert not Transit.objects.exists()
    assert last_entry().seq == before


@pytest.mark.parametrize(
    ("inner", "outer", "field", "message"),
    [
        ("opaque envelope, sealed", OUTER, "inner_wrapping", "must be marked SECRET"),
        (INNER, "envelope marked SECRET", "outer_wrapping", "must show no marking"),
        ("", OUTER, "inner_wrapping", "must be described"),
        (INNER, "   ", "outer_wrapping", "must be described"),
    ],
    ids=["inner-unmarked", "outer-marked", "no-inner", "no-outer"],
)
def test_packaging_against_the_rule_is_invalid(org, document, inner, outer, field, message):
    before = last_entry().seq
    with pytest.raises(InvalidInput, match=message) as invalid:
        send(org, document, inner_wrapping=inner, outer_wrapping=outer)
    assert invalid.value.field == field
    assert copy_of(document).state == "in_registry"
    assert not Transit.objects.exists()
    assert last_entry().seq == before


def test_a_copy_cannot_be_sent_to_the_registry_it_is_in(org, document):
    with pytest.raises(InvalidInput, match="already in the registry of HQ") as invalid:
        send(org, document, to=org.hq)
    assert invalid.value.field == "to_unit"
    assert not Transit.objects.exists()


# --- the courier ------------------------------------------------------------------------------


def _refused_send(org, document, *, courier, reason, by=None):
    by = by or org.registrar
    before = last_entry().seq
    with pytest.raises(Denied) as refused:
        send(org, document, courier=courier, by=by)
    assert refused.value.reason == reason
    assert refused.value.decision.visible is True
    copy = copy_of(document)
    assert (copy.state, copy.holder, copy.version) == ("in_registry", None, 1)
    assert not Transit.objects.exists()
    entry = last_entry()
    assert entry.seq == before + 1
    _refused(entry, by, f"copy:{document.control_number}/1", "transit:send")
    assert entry.data["reason"] == reason


def test_a_courier_without_authorisation_is_refused_and_it_is_recorded(org, document):
    _refused_send(
        org,
        document,
        courier=org.inspector,  # cleared TOP SECRET, but no courier
        reason="the courier is not authorised to carry SECRET material: no courier "
        "authorisation on record",
    )


def test_a_courier_authorised_below_the_level_is_refused(org, document):
    authorise(org, org.north_registrar, "CONFIDENTIAL")
    _refused_send(
        org,
        document,
        courier=org.north_registrar,
        reason="the courier is not authorised to carry SECRET material: the courier "
        "authorisation reaches only CONFIDENTIAL",
    )


def test_a_courier_whose_authorisation_expired_is_refused(org, document):
    authorise(org, org.north_registrar, days=0)  # today only
    tomorrow = datetime.combine(date.today() + timedelta(days=1), SOON.timetz())
    with clock.frozen(tomorrow), pytest.raises(Denied) as refused:
        send(org, document, courier=org.north_registrar)
    assert refused.value.reason == (
        "the courier is not authorised to carry SECRET material: the courier authorisation "
        f"expired on {date.today().isoformat()}"
    )
    assert not Transit.objects.exists()
    _refused(last_entry(), org.registrar, f"copy:{document.control_number}/1", "transit:send")


def test_a_courier_whose_authorisation_was_revoked_is_refused(org, document):
    couriers.revoke_courier(org.custodian, reason="left the unit", by=org.second_officer)
    _refused_send(
        org,
        document,
        courier=org.custodian,
        reason="the courier is not authorised to carry SECRET material: the courier "
        "authorisation was revoked",
    )


def test_an_authorised_courier_not_cleared_for_the_marking_is_refused(org, register):
    authorise(org, org.custodian)
    document = register("SECRET//BRAVO")
    _refused_send(
        org,
        document,
        courier=org.custodian,
        reason="the courier may not hold SECRET//BRAVO material: not read into "
        "compartment(s) BRAVO",
    )


def test_a_suspended_courier_is_refused(org, document):
    people.set_status(
        org.custodian, status=PersonStatus.SUSPENDED, reason="inquiry", by=org.officer
    )
    _refused_send(
        org,
        document,
        courier=org.custodian,
        reason="the courier may not hold SECRET material: the person is suspended",
    )


def test_the_registrar_of_another_unit_may_not_send_it(org, document):
    _refused_send(
        org,
        document,
        courier=org.custodian,
        by=org.north_registrar,
        reason="the copy belongs to a unit outside yours (HQ/NORTH)",
    )


def test_someone_who_may_not_see_the_document_is_refused_as_if_it_did_not_exist(org, document):
    with pytest.raises(Denied) as refused:
        send(org, document, by=org.worker)
    assert refused.value.decision.visible is False
    assert not Transit.objects.exists()
    _refused(last_entry(), org.worker, f"copy:{document.control_number}/1", "transit:send")


# --- the copy in transit --------------------------------------------------------------------


def test_only_a_copy_in_the_registry_can_be_sent(org, document):
    custody.issue_copy(copy_of(document), to=org.north_registrar, by=org.registrar)
    before = last_entry().seq
    with pytest.raises(IllegalTransition, match="The copy is held; only a copy in the registry"):
        send(org, document)
    assert not Transit.objects.exists()
    assert last_entry().seq == before


def test_a_copy_in_transit_cannot_be_sent_issued_returned_or_handed_over(org, document, sent):
    before = last_entry().seq
    with pytest.raises(IllegalTransition, match="The copy is in transit; only a copy in the reg"):
        send(org, document, to=org.south)
    with pytest.raises(IllegalTransition, match="only a copy in the registry can be issued"):
        custody.issue_copy(copy_of(document), to=org.inspector, by=org.registrar)
    with pytest.raises(IllegalTransition, match="only a copy that is held can be returned"):
        custody.return_copy(copy_of(document), by=org.registrar)
    # The courier holds it, so the rulebook lets him try; the state machine refuses.
    with pytest.raises(IllegalTransition, match="only a copy that is held can be handed over"):
        hand_overs.dispatch_hand_over(copy_of(document), to=org.inspector, by=org.custodian)
    copy = copy_of(document)
    assert (copy.state, copy.holder, copy.version) == ("in_transit", org.custodian, 2)
    assert Transit.objects.count() == 1
    assert last_entry().seq == before


def test_stale_version_is_a_conflict_not_a_double_send(org, document):
    stale = copy_of(document)
    send(org, document)
    before = last_entry().seq
    with pytest.raises(Conflict, match="moved by someone else"):
        transits.send_copy(
            stale,
            to_unit=org.south,
            courier=org.custodian,
            inner_wrapping=INNER,
            outer_wrapping=OUTER,
            by=org.registrar,
        )
    assert Transit.objects.count() == 1
    assert last_entry().seq == before


def test_explicit_expected_version_must_match(org, document):
    with pytest.raises(Conflict):
        send(org, document, expected_version=2)
    assert not Transit.objects.exists()


def test_database_allows_at_most_one_transit_under_way_per_copy(org, document, sent):
    row = stored(sent)
    with pytest.raises(IntegrityError), transaction.atomic():
        Transit.objects.create(
            copy=row.copy,
            from_unit=org.hq,
            to_unit=org.south,
            courier=org.custodian,
            dispatched_by=org.registrar,
            dispatched_at=clock.now(),
            expected_by=clock.now() + timedelta(hours=1),
            inner_wrapping=INNER,
            outer_wrapping=OUTER,
        )
    assert Transit.objects.count() == 1


# --- receive -------------------------------------------------------------------------------


def test_the_destination_registry_receives_it_and_answers_for_it(org, document, sent):
    with clock.frozen(SOON):
        transits.receive_transit(stored(sent), by=org.north_registrar)

    copy = copy_of(document)
    assert (copy.state, copy.holder, copy.location, copy.since, copy.version) == (
        "in_registry",
        None,
        "NORTH registry",
        SOON,
        3,
    )
    assert copy.unit == org.north
    row = stored(sent)
    assert (row.state, row.received_at, row.received_by, row.version) == (
        "received",
        SOON,
        org.north_registrar,
        2,
    )
    assert row.receipt_returned_at is None
    entry = last_entry()
    assert (entry.kind, entry.actor, entry.subject) == (
        "transit.received",
        org.north_registrar,
        f"copy:{document.control_number}/1",
    )
    assert entry.data == {
        "transit": str(row.reference),
        "from_unit": "HQ",
        "courier": "carl",
        "unit": "NORTH",
        "state": "in_registry",
        "holder": None,
        "location": "NORTH registry",
    }


def test_from_then_on_the_destination_registry_issues_and_takes_it_back(org, document, received):
    custody.issue_copy(copy_of(document), to=org.north_registrar, by=org.north_registrar)
    custody.return_copy(copy_of(document), by=org.north_registrar)
    copy = copy_of(document)
    # Back into the registry that answers for it now, not its document's.
    assert (copy.state, copy.location, copy.unit) == ("in_registry", "NORTH registry", org.north)
    assert last_entry().data["location"] == "NORTH registry"


def test_and_sends_it_on_or_back(org, document, received):
    authorise(org, org.north_registrar)
    back = send(org, document, to=org.hq, courier=org.north_registrar, by=org.north_registrar)
    assert (stored(back).from_unit, stored(back).to_unit) == (org.north, org.hq)
    assert copy_of(document).location == "in transit from NORTH to HQ with nils"


def test_the_documents_unit_still_answers_from_above(org, document, received):
    """HQ is above NORTH: its registry may still handle the copy; a sibling's may not."""
    custody.issue_copy(copy_of(document), to=org.inspector, by=org.registrar)
    assert copy_of(document).holder == org.inspector


def test_the_registry_of_the_documents_unit_no_longer_answers_when_it_is_beside_it(org, register):
    """A NORTH document's copy delivered to SOUTH: NORTH's registrar no longer handles it."""
    authorise(org, org.custodian)
    document = register("SECRET", unit=org.north, by=org.north_registrar)
    transit = send(org, document, to=org.south, by=org.north_registrar)
    transits.receive_transit(stored(transit), by=org.registrar)  # HQ, above SOUTH
    with pytest.raises(Denied, match="the copy belongs to a unit outside yours"):
        custody.issue_copy(copy_of(document), to=org.north_registrar, by=org.north_registrar)
    assert copy_of(document).unit == org.south


def test_staff_at_the_destination_who_may_not_see_it_cannot_receive_it(org, document, sent):
    with pytest.raises(Denied) as refused:
        transits.receive_transit(stored(sent), by=org.reader)
    # Rosa is at NORTH but may not see SECRET material.
    assert refused.value.decision.visible is False
    assert stored(sent).state == "in_transit"
    _refused(last_entry(), org.reader, f"transit:{sent.reference}", "transit:receive")


@pytest.mark.parametrize(
    ("who", "reason"),
    [
        ("custodian", "the courier may not sign for the copy they carried"),
        ("registrar", "whoever sent the copy may not sign for its receipt"),
    ],
    ids=["courier", "sender"],
)
def test_neither_the_courier_nor_the_sender_may_sign_for_it(org, document, sent, who, reason):
    """Both answer for HQ, above NORTH; a receipt they signed would prove nothing."""
    actor = getattr(org, who)
    with pytest.raises(Denied) as refused:
        transits.receive_transit(stored(sent), by=actor)
    assert refused.value.reason == reason
    assert (stored(sent).state, copy_of(document).state) == ("in_transit", "in_transit")
    _refused(last_entry(), actor, f"transit:{sent.reference}", "transit:receive")


def test_the_courier_may_not_confirm_the_receipt_either(org, received):
    with pytest.raises(Denied, match="the courier may not sign"):
        transits.confirm_receipt(stored(received), by=org.custodian)
    assert stored(received).state == "received"


def test_a_registry_outside_the_destination_may_not_receive_it(org, document):
    transit = send(org, document, to=org.south)
    with pytest.raises(Denied) as refused:
        transits.receive_transit(stored(transit), by=org.north_registrar)
    assert refused.value.reason == (
        "the destination registry belongs to a unit outside yours (HQ/NORTH)"
    )
    assert copy_of(document).state == "in_transit"
    _refused(last_entry(), org.north_registrar, f"transit:{transit.reference}", "transit:receive")


def test_a_transit_is_received_once(org, document, received):
    before = last_entry().seq
    with pytest.raises(IllegalTransition) as illegal:
        transits.receive_transit(stored(received), by=org.north_registrar)
    assert illegal.value.message == f"Transit {received.short_reference} is already received."
    assert last_entry().seq == before


def test_two_receiving_at_once_is_a_conflict(org, document, sent):
    seen = stored(sent)
    transits.receive_transit(stored(sent), by=org.north_registrar)
    before = last_entry().seq
    with pytest.raises(Conflict, match="changed by someone else"):
        transits.receive_transit(seen, by=org.north_registrar)
    assert stored(sent).version == 2
    assert last_entry().seq == before


def test_a_stale_expected_version_of_the_transit_is_a_conflict(org, document, sent):
    with pytest.raises(Conflict, match=f"Transit {sent.short_reference} was changed"):
        transits.receive_transit(stored(sent), by=org.north_registrar, expected_version=2)
    assert stored(sent).state == "in_transit"
    assert copy_of(document).state == "in_transit"


# --- confirm the receipt ----------------------------------------------------------------------


def test_the_sending_registry_confirms_the_receipt_came_back(org, document, received):
    with clock.frozen(SOON):
        transits.confirm_receipt(stored(received), by=org.registrar)
    row = stored(received)
    assert (row.state, row.receipt_returned_at, row.receipt_confirmed_by, row.version) == (
        "receipt_returned",
        SOON,
        org.registrar,
        3,
    )
    entry = last_entry()
    assert (entry.kind, entry.actor, entry.subject) == (
        "transit.receipt_confirmed",
        org.registrar,
        f"copy:{document.control_number}/1",
    )
    assert entry.data == {
        "transit": str(row.reference),
        "to_unit": "NORTH",
        "received_by": "nils",
    }
    # The copy did not move.
    assert copy_of(document).version == 3


def test_no_receipt_comes_back_before_the_copy_is_received(org, sent):
    with pytest.raises(IllegalTransition, match="has not been received yet"):
        transits.confirm_receipt(stored(sent), by=org.registrar)
    assert stored(sent).state == "in_transit"


def test_the_destination_cannot_confirm_for_the_sender(org, received):
    with pytest.raises(Denied) as refused:
        transits.confirm_receipt(stored(received), by=org.north_registrar)
    assert refused.value.reason == "the sending registry belongs to a unit outside yours (HQ/NORTH)"
    _refused(
        last_entry(),
        org.north_registrar,
        f"transit:{received.reference}",
        "transit:confirm_receipt",
    )


def test_a_receipt_is_confirmed_once(org, received):
    transits.confirm_receipt(stored(received), by=org.registrar)
    with pytest.raises(IllegalTransition) as illegal:
        transits.confirm_receipt(stored(received), by=org.registrar)
    assert illegal.value.message == (
        f"Transit {received.short_reference} is already closed: its receipt is back with the "
        "sender."
    )
    with pytest.raises(IllegalTransition, match="already closed"):
        transits.receive_transit(stored(received), by=org.north_registrar)
