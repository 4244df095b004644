"""Hand-overs between people: the holder sends, the named recipient acknowledges or refuses.

The usual scene: a CONFIDENTIAL document registered at HQ; carl (HQ custodian) issues copy 1 to
rosa (NORTH staff, cleared CONFIDENTIAL), who hands it over to nils (NORTH registrar, SECRET).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.db import IntegrityError, transaction

from strongroom.adapters import clock
from strongroom.domain.clearance import PersonStatus
from strongroom.domain.errors import Conflict, IllegalTransition, InvalidInput
from strongroom.models import Copy, HandOver
from strongroom.policy import Denied
from strongroom.services import clearances, custody, hand_overs, people
from tests.conftest import last_entry

# A fixed moment well inside everyone's clearance (granted for a year from the real today) and
# after every entry the fixtures wrote.
SOON = (datetime.now(UTC) + timedelta(days=2)).replace(hour=9, minute=30, second=0, microsecond=0)


def _copy(document, number=1):
    return Copy.objects.select_related("document__unit", "holder").get(
        document=document, number=number
    )


def _hand_over(hand_over):
    """The hand-over as stored now, with what the services and the rules read."""
    return HandOver.objects.select_related(
        "copy__document__unit", "copy__holder", "sender__unit", "recipient__unit", "resolved_by"
    ).get(pk=hand_over.pk)


def _refused(entry, actor, subject, action):
    assert (entry.kind, entry.actor, entry.subject) == ("access.refused", actor, subject)
    assert entry.data["action"] == action


@pytest.fixture
def document(org, register):
    """A CONFIDENTIAL document whose copy 1 rosa holds."""
    document = register("CONFIDENTIAL")
    custody.issue_copy(_copy(document), to=org.reader, by=org.custodian)
    return document


@pytest.fixture
def pending(org, document):
    """Rosa has sent copy 1 to nils; he has not acknowledged it yet."""
    return hand_overs.dispatch_hand_over(_copy(document), to=org.north_registrar, by=org.reader)


# --- dispatch --------------------------------------------------------------------------------


def test_holder_dispatches_copy_and_stays_accountable_until_receipt(org, document, settings):
    settings.STRONGROOM_HAND_OVER_HOURS = 24
    with clock.frozen(SOON):
        hand_over = hand_overs.dispatch_hand_over(
            _copy(document), to=org.north_registrar, by=org.reader
        )

    stored = _copy(document)
    assert (stored.state, stored.holder, stored.location) == (
        "in_hand_over",
        org.reader,
        "in hand-over from rosa to nils",
    )
    assert (stored.since, stored.version) == (SOON, 3)
    row = _hand_over(hand_over)
    assert (row.copy, row.sender, row.recipient, row.state) == (
        stored,
        org.reader,
        org.north_registrar,
        "pending",
    )
    assert (row.dispatched_at, row.due_by) == (SOON, SOON + timedelta(hours=24))
    assert (row.resolved_at, row.resolved_by, row.note, row.version) == (None, None, "", 1)
    assert row.short_reference == row.reference.hex[:8].upper()
    entry = last_entry()
    assert entry.kind == "hand_over.dispatched"
    assert entry.subject == f"copy:{document.control_number}/1"
    assert entry.actor == org.reader
    assert entry.data == {
        "hand_over": str(row.reference),
        "recipient": "nils",
        "due_by": (SOON + timedelta(hours=24)).isoformat(),
        "state": "in_hand_over",
        "holder": "rosa",
        "location": "in hand-over from rosa to nils",
    }
    assert entry.recorded_at == SOON


def test_default_deadline_follows_the_setting(org, document, settings):
    settings.STRONGROOM_HAND_OVER_HOURS = 2
    with clock.frozen(SOON):
        hand_over = hand_overs.dispatch_hand_over(
            _copy(document), to=org.north_registrar, by=org.reader
        )
    assert _hand_over(hand_over).due_by == SOON + timedelta(hours=2)


@pytest.mark.parametrize(
    "due_by",
    [
        SOON + timedelta(hours=1),
        SOON + timedelta(hours=24),  # exactly the latest allowed
        (SOON + timedelta(hours=3)).astimezone(timezone(timedelta(hours=9))),
    ],
    ids=["one-hour", "the-limit", "other-zone"],
)
def test_sender_may_set_an_earlier_deadline(org, document, settings, due_by):
    settings.STRONGROOM_HAND_OVER_HOURS = 24
    with clock.frozen(SOON):
        hand_over = hand_overs.dispatch_hand_over(
            _copy(document), to=org.north_registrar, by=org.reader, due_by=due_by
        )
    assert _hand_over(hand_over).due_by == due_by
    assert last_entry().data["due_by"] == due_by.isoformat()


@pytest.mark.parametrize(
    ("due_by", "message"),
    [
        (SOON.replace(tzinfo=None) + timedelta(hours=1), "needs a time zone"),
        (SOON, "must be in the future"),
        (SOON - timedelta(minutes=1), "must be in the future"),
        (SOON + timedelta(hours=24, seconds=1), "at most 24 hours from now"),
    ],
    ids=["naive", "now", "past", "too-late"],
)
def test_a_bad_deadline_is_invalid_and_nothing_moves(org, document, settings, due_by, message):
    settings.STRONGROOM_HAND_OVER_HOURS = 24
    before = last_entry().seq
    with clock.frozen(SOON), pytest.raises(InvalidInput, match=message) as invalid:
        hand_overs.dispatch_hand_over(
            _copy(document), to=org.north_registrar, by=org.reader, due_by=due_by
        )
    assert invalid.value.field == "due_by"
    stored = _copy(document)
    assert (stored.state, stored.holder, stored.version) == ("held", org.reader, 2)
    assert not HandOver.objects.exists()
    assert last_entry().seq == before


def test_someone_who_does_not_hold_the_copy_may_not_dispatch_it(org, document):
    # carl issued the copy and may see it, but rosa holds it.
    with pytest.raises(Denied) as refused:
        hand_overs.dispatch_hand_over(_copy(document), to=org.north_registrar, by=org.custodian)
    assert refused.value.reason == "only the person who holds the copy may hand it over"
    assert refused.value.decision.visible is True
    assert _copy(document).state == "held"
    assert not HandOver.objects.exists()
    _refused(last_entry(), org.custodian, f"copy:{document.control_number}/1", "hand_over:dispatch")


def test_a_copy_in_the_registry_cannot_be_dispatched(org, document):
    """Copy 2 is still in the registry: nobody holds it, so nobody may hand it over."""
    with pytest.raises(Denied, match="only the person who holds the copy"):
        hand_overs.dispatch_hand_over(_copy(document, 2), to=org.reader, by=org.registrar)
    assert _copy(document, 2).state == "in_registry"


def test_dispatch_to_an_uncleared_recipient_is_refused_and_recorded(org, document):
    with pytest.raises(Denied) as refused:
        hand_overs.dispatch_hand_over(_copy(document), to=org.worker, by=org.reader)
    assert refused.value.reason == (
        "the recipient may not hold CONFIDENTIAL material: the person holds no clearance"
    )
    stored = _copy(document)
    assert (stored.state, stored.holder, stored.location) == (
        "held",
        org.reader,
        "with rosa (NORTH)",
    )
    assert not HandOver.objects.exists()
    _refused(last_entry(), org.reader, f"copy:{document.control_number}/1", "hand_over:dispatch")
    assert last_entry().data["reason"] == refused.value.reason


def test_dispatch_to_a_recipient_outside_the_compartment_is_refused(org, register):
    document = register("SECRET//ALPHA")
    custody.issue_copy(_copy(document), to=org.custodian, by=org.registrar)
    with pytest.raises(Denied, match="not read into compartment"):
        hand_overs.dispatch_hand_over(_copy(document), to=org.north_registrar, by=org.custodian)
    _refused(last_entry(), org.custodian, f"copy:{document.control_number}/1", "hand_over:dispatch")


def test_dispatch_to_a_suspended_recipient_is_refused(org, document):
    people.set_status(
        org.north_registrar, status=PersonStatus.SUSPENDED, reason="inquiry", by=org.officer
    )
    with pytest.raises(Denied, match="the person is suspended"):
        hand_overs.dispatch_hand_over(_copy(document), to=org.north_registrar, by=org.reader)
    assert _copy(document).state == "held"


def test_dispatch_to_a_recipient_whose_clearance_is_suspended_is_refused(org, document):
    clearances.suspend_clearance(org.north_registrar, reason="inquiry", by=org.officer)
    with pytest.raises(Denied, match="clearance is suspended"):
        hand_overs.dispatch_hand_over(_copy(document), to=org.north_registrar, by=org.reader)


def test_dispatch_to_oneself_is_refused(org, document):
    with pytest.raises(Denied, match="a recipient other than the sender"):
        hand_overs.dispatch_hand_over(_copy(document), to=org.reader, by=org.reader)
    assert _copy(document).state == "held"


def test_someone_who_may_not_see_the_document_is_refused_as_if_it_did_not_exist(org, document):
    with pytest.raises(Denied) as refused:
        hand_overs.dispatch_hand_over(_copy(document), to=org.north_registrar, by=org.worker)
    assert refused.value.decision.visible is False
    _refused(last_entry(), org.worker, f"copy:{document.control_number}/1", "hand_over:dispatch")


def test_a_copy_in_hand_over_cannot_be_dispatched_again(org, document, pending):
    """The sender is still the holder, so policy lets her try; the state machine refuses."""
    before = last_entry().seq
    with pytest.raises(IllegalTransition, match="only a copy that is held can be handed over"):
        hand_overs.dispatch_hand_over(_copy(document), to=org.registrar, by=org.reader)
    assert HandOver.objects.count() == 1
    assert last_entry().seq == before


def test_a_copy_in_hand_over_cannot_be_returned_to_the_registry(org, document, pending):
    with pytest.raises(IllegalTransition, match="only a copy that is held can be returned"):
        custody.return_copy(_copy(document), by=org.custodian)
    assert _copy(document).state == "in_hand_over"


def test_stale_version_is_a_conflict_not_a_double_dispatch(org, document):
    stale = _copy(document)
    hand_overs.dispatch_hand_over(_copy(document), to=org.north_registrar, by=org.reader)
    before = last_entry().seq

    # The stale read still says "held by rosa": policy and state machine agree, the row does not.
    with pytest.raises(Conflict, match="moved by someone else"):
        hand_overs.dispatch_hand_over(stale, to=org.registrar, by=org.reader)

    assert HandOver.objects.count() == 1
    assert _hand_over(HandOver.objects.get()).recipient == org.north_registrar
    assert last_entry().seq == before


def test_explicit_expected_version_must_match(org, document):
    copy = _copy(document)
    with pytest.raises(Conflict):
        hand_overs.dispatch_hand_over(
            copy, to=org.north_registrar, by=org.reader, expected_version=copy.version - 1
        )
    assert not HandOver.objects.exists()
    assert _copy(document).state == "held"


def test_database_allows_at_most_one_pending_hand_over_per_copy(org, document, pending):
    with pytest.raises(IntegrityError), transaction.atomic():
        HandOver.objects.create(
            copy=_copy(document),
            sender=org.reader,
            recipient=org.registrar,
            dispatched_at=clock.now(),
            due_by=clock.now() + timedelta(hours=1),
        )
    assert HandOver.objects.count() == 1


def test_resolved_hand_overs_do_not_block_the_next_one(org, document, pending):
    hand_overs.refuse_hand_over(_hand_over(pending), by=org.north_registrar)
    again = hand_overs.dispatch_hand_over(_copy(document), to=org.registrar, by=org.reader)
    assert sorted(HandOver.objects.values_list("state", flat=True)) == ["pending", "refused"]
    assert again.reference != pending.reference


# --- accept ----------------------------------------------------------------------------------


def test_recipient_accepts_and_becomes_the_holder(org, document, pending):
    with clock.frozen(SOON):
        hand_overs.accept_hand_over(_hand_over(pending), by=org.north_registrar)

    stored = _copy(document)
    assert (stored.state, stored.holder, stored.location, stored.since) == (
        "held",
        org.north_registrar,
        "with nils (NORTH)",
        SOON,
    )
    row = _hand_over(pending)
    assert (row.state, row.resolved_at, row.resolved_by, row.note, row.version) == (
        "accepted",
        SOON,
        org.north_registrar,
        "",
        2,
    )
    entry = last_entry()
    assert entry.kind == "hand_over.accepted"
    assert entry.subject == f"copy:{document.control_number}/1"
    assert entry.actor == org.north_registrar
    assert entry.data == {
        "hand_over": str(pending.reference),
        "sender": "rosa",
        "state": "held",
        "holder": "nils",
        "location": "with nils (NORTH)",
    }
    assert entry.recorded_at == SOON


def test_the_new_holder_may_hand_it_on_and_the_old_one_may_not(org, document, pending):
    hand_overs.accept_hand_over(_hand_over(pending), by=org.north_registrar)
    with pytest.raises(Denied, match="only the person who holds the copy"):
        hand_overs.dispatch_hand_over(_copy(document), to=org.registrar, by=org.reader)
    onward = hand_overs.dispatch_hand_over(
        _copy(document), to=org.registrar, by=org.north_registrar
    )
    assert _hand_over(onward).sender == org.north_registrar
    assert _copy(document).location == "in hand-over from nils to rita"


def test_sender_may_not_accept_her_own_hand_over(org, pending):
    with pytest.raises(Denied) as refused:
        hand_overs.accept_hand_over(_hand_over(pending), by=org.reader)
    assert refused.value.reason == "only the recipient named in the hand-over may acknowledge it"
    assert refused.value.decision.visible is True
    assert _hand_over(pending).state == "pending"
    _refused(last_entry(), org.reader, f"hand_over:{pending.reference}", "hand_over:accept")


def test_someone_else_who_may_see_the_document_may_not_accept(org, document, pending):
    with pytest.raises(Denied, match="only the recipient named") as refused:
        hand_overs.accept_hand_over(_hand_over(pending), by=org.registrar)
    assert refused.value.decision.visible is True
    assert _copy(document).holder == org.reader
    _refused(last_entry(), org.registrar, f"hand_over:{pending.reference}", "hand_over:accept")


def test_someone_who_may_not_see_the_document_gets_a_not_visible_refusal(org, document, pending):
    with pytest.raises(Denied) as refused:
        hand_overs.accept_hand_over(_hand_over(pending), by=org.worker)
    assert refused.value.decision.visible is False
    assert "only the recipient" not in refused.value.reason  # learns nothing about the parties
    assert _copy(document).state == "in_hand_over"
    _refused(last_entry(), org.worker, f"hand_over:{pending.reference}", "hand_over:accept")


def test_eligibility_is_checked_again_on_receipt(org, document, pending):
    clearances.suspend_clearance(org.north_registrar, reason="inquiry", by=org.officer)
    with pytest.raises(Denied) as refused:
        hand_overs.accept_hand_over(_hand_over(pending), by=org.north_registrar)
    assert refused.value.reason == (
        "you may not hold CONFIDENTIAL material: clearance is suspended"
    )
    stored = _copy(document)
    assert (stored.state, stored.holder) == ("in_hand_over", org.reader)
    assert _hand_over(pending).state == "pending"
    _refused(
        last_entry(), org.north_registrar, f"hand_over:{pending.reference}", "hand_over:accept"
    )


def test_a_clearance_that_expired_in_transit_stops_the_receipt(org, document, pending):
    expires_on = org.north_registrar.clearance.expires_on
    later = datetime.combine(expires_on + timedelta(days=1), SOON.timetz())
    with clock.frozen(later), pytest.raises(Denied, match="clearance expired on"):
        hand_overs.accept_hand_over(_hand_over(pending), by=org.north_registrar)
    assert _copy(document).state == "in_hand_over"


def test_a_recipient_suspended_in_transit_may_not_accept(org, pending):
    people.set_status(
        org.north_registrar, status=PersonStatus.SUSPENDED, reason="inquiry", by=org.officer
    )
    with pytest.raises(Denied, match="suspended"):
        hand_overs.accept_hand_over(_hand_over(pending), by=org.north_registrar)
    assert _hand_over(pending).state == "pending"


# --- refuse ----------------------------------------------------------------------------------


def test_recipient_refuses_and_the_copy_goes_back_to_the_sender(org, document, pending):
    with clock.frozen(SOON):
        hand_overs.refuse_hand_over(
            _hand_over(pending), by=org.north_registrar, reason="  not  mine\n to keep "
        )

    stored = _copy(document)
    assert (stored.state, stored.holder, stored.location, stored.since) == (
        "held",
        org.reader,
        "with rosa (NORTH)",
        SOON,
    )
    row = _hand_over(pending)
    assert (row.state, row.resolved_at, row.resolved_by, row.note) == (
        "refused",
        SOON,
        org.north_registrar,
        "not mine to keep",
    )
    entry = last_entry()
    assert entry.kind == "hand_over.refused"
    assert entry.subject == f"copy:{document.control_number}/1"
    assert entry.actor == org.north_registrar
    assert entry.data == {
        "hand_over": str(pending.reference),
        "reason": "not mine to keep",
        "state": "held",
        "holder": "rosa",
        "location": "with rosa (NORTH)",
    }


def test_recipient_no_longer_cleared_may_still_refuse(org, document, pending):
    clearances.suspend_clearance(org.north_registrar, reason="inquiry", by=org.officer)
    hand_overs.refuse_hand_over(_hand_over(pending), by=org.north_registrar, reason="suspended")
    assert (_copy(document).holder, _hand_over(pending).state) == (org.reader, "refused")


def test_sender_may_not_refuse_on_the_recipients_behalf(org, pending):
    with pytest.raises(Denied) as refused:
        hand_overs.refuse_hand_over(_hand_over(pending), by=org.reader)
    assert refused.value.reason == "only the recipient named in the hand-over may refuse it"
    assert _hand_over(pending).state == "pending"
    _refused(last_entry(), org.reader, f"hand_over:{pending.reference}", "hand_over:refuse")


def test_someone_who_may_not_see_the_document_may_not_refuse(org, pending):
    with pytest.raises(Denied) as refused:
        hand_overs.refuse_hand_over(_hand_over(pending), by=org.officer)
    assert refused.value.decision.visible is False
    _refused(last_entry(), org.officer, f"hand_over:{pending.reference}", "hand_over:refuse")


def test_an_overlong_reason_is_invalid(org, pending):
    before = last_entry().seq
    with pytest.raises(InvalidInput, match="at most 500 characters") as invalid:
        hand_overs.refuse_hand_over(_hand_over(pending), by=org.north_registrar, reason="x" * 501)
    assert invalid.value.field == "reason"
    assert _hand_over(pending).state == "pending"
    assert last_entry().seq == before


# --- cancel ----------------------------------------------------------------------------------


def test_sender_calls_the_copy_back(org, document, pending):
    with clock.frozen(SOON):
        hand_overs.cancel_hand_over(_hand_over(pending), by=org.reader, reason="wrong person")

    stored = _copy(document)
    assert (stored.state, stored.holder, stored.location) == (
        "held",
        org.reader,
        "with rosa (NORTH)",
    )
    row = _hand_over(pending)
    assert (row.state, row.resolved_at, row.resolved_by, row.note) == (
        "cancelled",
        SOON,
        org.reader,
        "wrong person",
    )
    entry = last_entry()
    assert entry.kind == "hand_over.cancelled"
    assert entry.subject == f"copy:{document.control_number}/1"
    assert entry.actor == org.reader
    assert entry.data == {
        "hand_over": str(pending.reference),
        "reason": "wrong person",
        "state": "held",
        "holder": "rosa",
        "location": "with rosa (NORTH)",
    }


@pytest.mark.parametrize("who", ["registrar", "custodian"])
def test_the_registry_of_the_documents_unit_may_call_back_a_stalled_hand_over(
    org, document, pending, who
):
    registry = getattr(org, who)
    hand_overs.cancel_hand_over(_hand_over(pending), by=registry, reason="overdue")

    stored = _copy(document)
    # Custody returns to the sender, not to the registry.
    assert (stored.state, stored.holder, stored.location) == (
        "held",
        org.reader,
        "with rosa (NORTH)",
    )
    row = _hand_over(pending)
    assert (row.state, row.resolved_by) == ("cancelled", registry)
    entry = last_entry()
    assert (entry.kind, entry.actor, entry.data["holder"]) == (
        "hand_over.cancelled",
        registry,
        "rosa",
    )


def test_a_registrar_of_another_unit_may_not_call_it_back(org, register):
    """nils (NORTH registrar) may see an HQ document but does not answer for it."""
    document = register("CONFIDENTIAL")
    custody.issue_copy(_copy(document), to=org.reader, by=org.custodian)
    hand_over = hand_overs.dispatch_hand_over(_copy(document), to=org.registrar, by=org.reader)
    with pytest.raises(Denied) as refused:
        hand_overs.cancel_hand_over(_hand_over(hand_over), by=org.north_registrar)
    assert refused.value.reason == "the copy belongs to a unit outside yours (HQ/NORTH)"
    assert _hand_over(hand_over).state == "pending"
    _refused(
        last_entry(), org.north_registrar, f"hand_over:{hand_over.reference}", "hand_over:cancel"
    )


def test_the_recipient_refuses_rather_than_calls_back(org, register):
    document = register("CONFIDENTIAL")
    custody.issue_copy(_copy(document), to=org.custodian, by=org.registrar)
    hand_over = hand_overs.dispatch_hand_over(_copy(document), to=org.reader, by=org.custodian)
    with pytest.raises(Denied, match="this needs the role of registrar or custodian"):
        hand_overs.cancel_hand_over(_hand_over(hand_over), by=org.reader)
    _refused(last_entry(), org.reader, f"hand_over:{hand_over.reference}", "hand_over:cancel")


def test_someone_who_may_not_see_the_document_may_not_call_it_back(org, pending):
    with pytest.raises(Denied) as refused:
        hand_overs.cancel_hand_over(_hand_over(pending), by=org.worker)
    assert refused.value.decision.visible is False
    assert _hand_over(pending).state == "pending"
    _refused(last_entry(), org.worker, f"hand_over:{pending.reference}", "hand_over:cancel")


# --- once resolved, resolved -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "word"),
    [("accept", "acknowledged"), ("refuse", "refused"), ("cancel", "called back")],
)
def test_a_resolved_hand_over_cannot_be_resolved_again(org, document, pending, first, word):
    by = org.reader if first == "cancel" else org.north_registrar
    getattr(hand_overs, f"{first}_hand_over")(_hand_over(pending), by=by)
    copy_after = _copy(document)
    before = last_entry().seq

    for again, actor in [
        (hand_overs.accept_hand_over, org.north_registrar),
        (hand_overs.refuse_hand_over, org.north_registrar),
        (hand_overs.cancel_hand_over, org.reader),
    ]:
        with pytest.raises(IllegalTransition) as illegal:
            again(_hand_over(pending), by=actor)
        assert illegal.value.message == (f"Hand-over {pending.short_reference} is already {word}.")

    stored = _copy(document)
    assert (stored.state, stored.holder, stored.version) == (
        copy_after.state,
        copy_after.holder,
        copy_after.version,
    )
    assert last_entry().seq == before


def test_two_people_resolving_at_once_is_a_conflict_not_two_outcomes(org, document, pending):
    """nils opened the hand-over; before he pressed accept, rosa called it back."""
    seen_by_nils = _hand_over(pending)
    hand_overs.cancel_hand_over(_hand_over(pending), by=org.reader, reason="changed my mind")
    before = last_entry().seq

    with pytest.raises(Conflict, match="changed by someone else"):
        hand_overs.accept_hand_over(seen_by_nils, by=org.north_registrar)

    stored = _copy(document)
    assert (stored.state, stored.holder) == ("held", org.reader)
    assert _hand_over(pending).state == "cancelled"
    assert last_entry().seq == before


def test_stale_expected_version_of_the_hand_over_is_a_conflict(org, document, pending):
    with pytest.raises(Conflict, match=f"Hand-over {pending.short_reference} was changed"):
        hand_overs.accept_hand_over(
            _hand_over(pending), by=org.north_registrar, expected_version=pending.version + 1
        )
    assert _hand_over(pending).state == "pending"
    assert _copy(document).state == "in_hand_over"


def test_matching_expected_version_is_accepted(org, document, pending):
    hand_overs.refuse_hand_over(
        _hand_over(pending), by=org.north_registrar, expected_version=pending.version
    )
    assert _hand_over(pending).version == 2
