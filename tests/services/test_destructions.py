"""Witnessed destruction: the destroyer puts a copy forward, the named witness countersigns.

The usual scene: a SECRET//ALPHA paper document registered at HQ, its copies in the registry;
carl (HQ custodian, SECRET ALPHA) destroys copy 1, rita (HQ registrar, TOP SECRET ALPHA/BRAVO)
is his witness.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from strongroom.adapters import clock
from strongroom.domain.clearance import PersonStatus
from strongroom.domain.errors import Conflict, IllegalTransition, InvalidInput
from strongroom.ledger.verify import verify
from strongroom.models import Copy, Destruction
from strongroom.policy import Denied
from strongroom.services import clearances, custody, destructions, hand_overs, people
from tests.conftest import last_entry

# A fixed moment well inside everyone's clearance and after every entry the fixtures wrote.
SOON = (datetime.now(UTC) + timedelta(days=2)).replace(hour=9, minute=30, second=0, microsecond=0)
LATER = SOON + timedelta(hours=2)


def _copy(document, number=1):
    return Copy.objects.select_related("document__unit", "holder").get(
        document=document, number=number
    )


def _destruction(destruction):
    """The destruction as stored now, with what the services and the rules read."""
    return Destruction.objects.select_related(
        "copy__document__unit", "destroyer__unit", "witness__unit", "resolved_by"
    ).get(pk=destruction.pk)


def _refused(entry, actor, subject, action):
    assert (entry.kind, entry.actor, entry.subject) == ("access.refused", actor, subject)
    assert entry.data["action"] == action


@pytest.fixture
def document(register):
    return register("SECRET//ALPHA")


@pytest.fixture
def pending(org, document):
    """Carl has put copy 1 forward for destruction by shredding, naming rita as his witness."""
    with clock.frozen(SOON):
        return destructions.propose_destruction(
            _copy(document), witness=org.registrar, method="shredding", by=org.custodian
        )


def _propose(org, document, **overrides):
    values = {"witness": org.registrar, "method": "shredding", "by": org.custodian}
    values.update(overrides)
    return destructions.propose_destruction(_copy(document), **values)


def _nothing_happened(document, before):
    stored = _copy(document)
    assert (stored.state, stored.holder, stored.version) == ("in_registry", None, 1)
    assert not Destruction.objects.exists()
    if before is not None:
        assert last_entry().seq == before


# --- the destroyer's signature -----------------------------------------------------------------


def test_the_destroyer_puts_a_copy_forward_and_it_awaits_the_witness(org, document):
    with clock.frozen(SOON):
        destruction = _propose(org, document, destroyed_on=SOON.date(), note="bag 17")

    stored = _copy(document)
    assert (stored.state, stored.holder, stored.location) == (
        "awaiting_destruction",
        None,
        "HQ registry",
    )
    assert (stored.since, stored.version) == (SOON, 2)
    row = _destruction(destruction)
    assert (row.copy, row.destroyer, row.witness, row.state) == (
        stored,
        org.custodian,
        org.registrar,
        "pending",
    )
    assert (row.method, row.destroyed_on, row.marking, row.note) == (
        "shredding",
        SOON.date(),
        "SECRET//ALPHA",
        "bag 17",
    )
    assert (row.proposed_at, row.resolved_at, row.resolved_by, row.kept_until) == (
        SOON,
        None,
        None,
        None,
    )
    assert (row.reason, row.version, row.witnessed_at) == ("", 1, None)
    assert row.short_reference == row.reference.hex[:8].upper()
    entry = last_entry()
    assert (entry.kind, entry.actor, entry.subject) == (
        "destruction.proposed",
        org.custodian,
        f"copy:{document.control_number}/1",
    )
    assert entry.data == {
        "destruction": str(row.reference),
        "witness": "rita",
        "method": "shredding",
        "destroyed_on": SOON.date().isoformat(),
        "marking": "SECRET//ALPHA",
        "note": "bag 17",
        "state": "awaiting_destruction",
        "holder": None,
        "location": "HQ registry",
    }
    assert entry.recorded_at == SOON


def test_the_date_of_destruction_is_today_unless_given(org, document):
    with clock.frozen(SOON):
        destruction = _propose(org, document)
    assert _destruction(destruction).destroyed_on == SOON.date()


def test_the_method_may_be_written_as_people_say_it(org, register):
    document = register("SECRET", medium="electronic")
    with clock.frozen(SOON):
        destruction = _propose(org, document, method="Secure Erase")
    assert _destruction(destruction).method == "secure_erase"


def test_the_same_person_cannot_be_destroyer_and_witness(org, document):
    before = last_entry().seq
    with pytest.raises(Denied) as refused:
        _propose(org, document, witness=org.custodian)
    assert refused.value.reason == "the destroyer and the witness must be two different people"
    assert refused.value.decision.visible is True
    _refused(
        last_entry(), org.custodian, f"copy:{document.control_number}/1", "destruction:propose"
    )
    assert last_entry().seq == before + 1
    _nothing_happened(document, None)


def test_a_witness_not_read_into_the_compartment_is_refused(org, document):
    with pytest.raises(Denied) as refused:
        _propose(org, document, witness=org.north_registrar)
    assert refused.value.reason == (
        "the witness may not hold SECRET//ALPHA material: not read into compartment(s) ALPHA"
    )
    entry = last_entry()
    _refused(entry, org.custodian, f"copy:{document.control_number}/1", "destruction:propose")
    assert entry.data["reason"] == refused.value.reason
    _nothing_happened(document, entry.seq)


@pytest.mark.parametrize(
    ("witness", "reason"),
    [
        (
            "worker",
            "the witness may not hold SECRET//ALPHA material: the person holds no clearance",
        ),
        ("reader", "the witness may not hold SECRET//ALPHA material: clearance does not reach"),
    ],
)
def test_a_witness_not_cleared_for_the_level_is_refused(org, document, witness, reason):
    with pytest.raises(Denied, match=reason):
        _propose(org, document, witness=getattr(org, witness))
    _nothing_happened(document, None)


def test_a_suspended_witness_is_refused(org, document):
    people.set_status(org.inspector, status=PersonStatus.SUSPENDED, reason="leave", by=org.officer)
    with pytest.raises(Denied, match=r"the witness may not hold .*: the person is suspended"):
        _propose(org, document, witness=org.inspector)
    _nothing_happened(document, None)


def test_only_registry_staff_of_the_copys_unit_may_destroy(org, register):
    confidential = register("CONFIDENTIAL")
    with pytest.raises(Denied, match="this needs the role of registrar or custodian"):
        _propose(org, confidential, by=org.reader)
    with pytest.raises(Denied, match="the copy belongs to a unit outside yours"):
        _propose(org, confidential, by=org.north_registrar)
    assert _copy(confidential).state == "in_registry"
    assert not Destruction.objects.exists()


def test_someone_who_may_not_see_the_document_is_refused_as_if_it_did_not_exist(org, document):
    with pytest.raises(Denied) as refused:
        _propose(org, document, by=org.worker)
    assert refused.value.decision.visible is False
    _refused(last_entry(), org.worker, f"copy:{document.control_number}/1", "destruction:propose")
    _nothing_happened(document, None)


def test_a_held_copy_cannot_be_put_forward(org, document):
    custody.issue_copy(_copy(document), to=org.inspector, by=org.registrar)
    before = last_entry().seq
    with pytest.raises(IllegalTransition, match="The copy is held; only a copy in the registry"):
        _propose(org, document)
    assert _copy(document).state == "held"
    assert not Destruction.objects.exists()
    assert last_entry().seq == before


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"method": "eating"}, "method", "Unknown method of destruction 'eating'; use one of:"),
        (
            {"method": "degaussing"},
            "method",
            "degaussing (removable media) cannot destroy a copy on paper; use one of: shredding",
        ),
        (
            {"destroyed_on": SOON.date() + timedelta(days=1)},
            "destroyed_on",
            "The date of destruction cannot be in the future.",
        ),
        (
            {"destroyed_on": date.today() - timedelta(days=1)},
            "destroyed_on",
            "has been in the registry only since",
        ),
        ({"note": "x" * 501}, "note", "The note must be at most 500 characters."),
    ],
    ids=["unknown-method", "method-unfit-for-paper", "future", "before-it-arrived", "long-note"],
)
def test_bad_input_is_invalid_and_nothing_moves(org, document, overrides, field, message):
    before = last_entry().seq
    with clock.frozen(SOON), pytest.raises(InvalidInput, match=re.escape(message)) as invalid:
        _propose(org, document, **overrides)
    assert invalid.value.field == field
    _nothing_happened(document, before)


def test_a_stale_copy_version_is_a_conflict(org, document):
    stale = _copy(document)
    custody.issue_copy(_copy(document), to=org.inspector, by=org.registrar)
    custody.return_copy(_copy(document), by=org.registrar)
    before = last_entry().seq
    with pytest.raises(Conflict, match="moved by someone else"):
        destructions.propose_destruction(
            stale, witness=org.registrar, method="pulping", by=org.custodian
        )
    assert not Destruction.objects.exists()
    assert last_entry().seq == before


def test_while_awaiting_destruction_the_copy_cannot_leave_the_registry(org, document, pending):
    before = last_entry().seq
    with pytest.raises(
        IllegalTransition, match="awaiting destruction; only a copy in the registry"
    ):
        custody.issue_copy(_copy(document), to=org.inspector, by=org.registrar)
    with pytest.raises(IllegalTransition, match="only a copy in the registry can be destroyed"):
        _propose(org, document, witness=org.inspector, by=org.registrar)
    assert last_entry().seq == before
    with pytest.raises(Denied, match="only the person who holds the copy may hand it over"):
        hand_overs.dispatch_hand_over(_copy(document), to=org.inspector, by=org.registrar)
    assert _copy(document).state == "awaiting_destruction"
    assert Destruction.objects.count() == 1


def test_only_one_pending_destruction_per_copy_even_behind_the_services_back(org, pending):
    with transaction.atomic(), pytest.raises(IntegrityError):
        Destruction.objects.create(
            copy=pending.copy,
            destroyer=org.registrar,
            witness=org.inspector,
            method="burning",
            destroyed_on=SOON.date(),
            marking="SECRET//ALPHA",
            proposed_at=SOON,
        )


def test_the_database_refuses_one_person_as_both_signatories(org, document):
    with transaction.atomic(), pytest.raises(IntegrityError):
        Destruction.objects.create(
            copy=_copy(document),
            destroyer=org.custodian,
            witness=org.custodian,
            method="burning",
            destroyed_on=SOON.date(),
            marking="SECRET//ALPHA",
            proposed_at=SOON,
        )


# --- the witness's countersignature ----------------------------------------------------------


def test_the_witness_countersigns_and_the_copy_is_destroyed(org, document, pending, settings):
    settings.STRONGROOM_DESTRUCTION_RETENTION_YEARS = 2
    with clock.frozen(LATER):
        destructions.witness_destruction(_destruction(pending), by=org.registrar)

    stored = _copy(document)
    assert (stored.state, stored.holder, stored.location) == (
        "destroyed",
        None,
        "destroyed by shredding",
    )
    assert (stored.since, stored.version) == (LATER, 3)
    row = _destruction(pending)
    kept = SOON.date().replace(year=SOON.year + 2)
    assert (row.state, row.resolved_at, row.resolved_by, row.witnessed_at) == (
        "witnessed",
        LATER,
        org.registrar,
        LATER,
    )
    assert (row.kept_until, row.reason, row.version) == (kept, "", 2)
    entry = last_entry()
    assert (entry.kind, entry.actor, entry.subject) == (
        "destruction.witnessed",
        org.registrar,
        f"copy:{document.control_number}/1",
    )
    assert entry.data == {
        "destruction": str(row.reference),
        "destroyer": "carl",
        "method": "shredding",
        "destroyed_on": SOON.date().isoformat(),
        "kept_until": kept.isoformat(),
        "state": "destroyed",
        "holder": None,
        "location": "destroyed by shredding",
    }


def test_the_record_is_kept_as_long_as_the_setting_says(org, pending, settings):
    settings.STRONGROOM_DESTRUCTION_RETENTION_YEARS = 5
    destructions.witness_destruction(_destruction(pending), by=org.registrar)
    assert _destruction(pending).kept_until == SOON.date().replace(year=SOON.year + 5)


def test_only_the_named_witness_may_countersign(org, document, pending):
    for someone in (org.custodian, org.inspector):
        with pytest.raises(Denied) as refused:
            destructions.witness_destruction(_destruction(pending), by=someone)
        assert refused.value.reason == (
            "only the witness named in the destruction may countersign it"
        )
        _refused(last_entry(), someone, f"destruction:{pending.reference}", "destruction:witness")
    assert _destruction(pending).state == "pending"
    assert _copy(document).state == "awaiting_destruction"


def test_a_witness_no_longer_cleared_may_not_countersign(org, document, pending):
    clearances.suspend_clearance(org.registrar, reason="inquiry", by=org.second_officer)
    with pytest.raises(Denied, match="you may not hold SECRET//ALPHA material: clearance is"):
        destructions.witness_destruction(_destruction(pending), by=org.registrar)
    assert _copy(document).state == "awaiting_destruction"


def test_a_destroyer_suspended_since_stops_the_countersignature(org, document, pending):
    people.set_status(
        org.custodian, status=PersonStatus.SUSPENDED, reason="inquiry", by=org.officer
    )
    with pytest.raises(Denied) as refused:
        destructions.witness_destruction(_destruction(pending), by=org.registrar)
    assert refused.value.reason == (
        "the destroyer may not hold SECRET//ALPHA material: the person is suspended"
    )
    assert _destruction(pending).state == "pending"
    assert _copy(document).state == "awaiting_destruction"


def test_a_stale_destruction_version_is_a_conflict(org, document, pending):
    before = last_entry().seq
    with pytest.raises(Conflict, match="was changed by someone else a moment ago"):
        destructions.witness_destruction(
            _destruction(pending), by=org.registrar, expected_version=7
        )
    assert _destruction(pending).state == "pending"
    assert _copy(document).state == "awaiting_destruction"
    assert last_entry().seq == before


# --- refused and withdrawn ---------------------------------------------------------------------


def test_the_witness_refuses_and_the_copy_is_back_in_the_registry(org, document, pending):
    with clock.frozen(LATER):
        destructions.refuse_destruction(
            _destruction(pending), by=org.registrar, reason="  not the copy I saw  "
        )

    stored = _copy(document)
    assert (stored.state, stored.holder, stored.location, stored.version) == (
        "in_registry",
        None,
        "HQ registry",
        3,
    )
    row = _destruction(pending)
    assert (row.state, row.resolved_at, row.resolved_by, row.reason, row.kept_until) == (
        "refused",
        LATER,
        org.registrar,
        "not the copy I saw",
        None,
    )
    assert row.witnessed_at is None
    entry = last_entry()
    assert (entry.kind, entry.actor) == ("destruction.refused", org.registrar)
    assert entry.data == {
        "destruction": str(row.reference),
        "reason": "not the copy I saw",
        "state": "in_registry",
        "holder": None,
        "location": "HQ registry",
    }


def test_a_refusal_needs_a_reason(org, pending):
    before = last_entry().seq
    with pytest.raises(InvalidInput, match="A reason is required") as invalid:
        destructions.refuse_destruction(_destruction(pending), by=org.registrar, reason=" ")
    assert invalid.value.field == "reason"
    assert _destruction(pending).state == "pending"
    assert last_entry().seq == before


def test_a_witness_no_longer_cleared_may_still_refuse(org, document, pending):
    clearances.suspend_clearance(org.registrar, reason="inquiry", by=org.second_officer)
    destructions.refuse_destruction(_destruction(pending), by=org.registrar, reason="suspended")
    assert _copy(document).state == "in_registry"


def test_only_the_witness_may_refuse(org, pending):
    with pytest.raises(Denied, match="only the witness named in the destruction may refuse it"):
        destructions.refuse_destruction(_destruction(pending), by=org.custodian, reason="no")
    assert _destruction(pending).state == "pending"


@pytest.mark.parametrize("who", ["custodian", "registrar"], ids=["the-destroyer", "the-registry"])
def test_the_destroyer_or_the_registry_withdraws_it(org, document, pending, who):
    actor = getattr(org, who)
    destructions.withdraw_destruction(_destruction(pending), by=actor, reason="wrong copy")
    assert _copy(document).state == "in_registry"
    row = _destruction(pending)
    assert (row.state, row.resolved_by, row.reason) == ("withdrawn", actor, "wrong copy")
    entry = last_entry()
    assert (entry.kind, entry.actor, entry.data["state"]) == (
        "destruction.withdrawn",
        actor,
        "in_registry",
    )


def test_an_inspector_may_not_withdraw_it(org, pending):
    with pytest.raises(Denied, match="this needs the role of registrar or custodian"):
        destructions.withdraw_destruction(_destruction(pending), by=org.inspector, reason="x")
    assert _destruction(pending).state == "pending"


def test_after_a_refusal_the_copy_may_be_put_forward_again(org, document, pending):
    destructions.refuse_destruction(_destruction(pending), by=org.registrar, reason="not now")
    again = _propose(org, document, witness=org.inspector, method="burning")
    assert _destruction(again).state == "pending"
    assert Destruction.objects.count() == 2


def test_a_resolved_destruction_cannot_be_resolved_again(org, pending):
    destructions.withdraw_destruction(_destruction(pending), by=org.custodian, reason="no")
    before = last_entry().seq
    with pytest.raises(IllegalTransition, match=r"Destruction \w{8} is already withdrawn."):
        destructions.witness_destruction(_destruction(pending), by=org.registrar)
    with pytest.raises(IllegalTransition, match="is already withdrawn"):
        destructions.refuse_destruction(_destruction(pending), by=org.registrar, reason="x")
    assert last_entry().seq == before


# --- destroyed is final ------------------------------------------------------------------------


@pytest.fixture
def destroyed(org, document, pending):
    destructions.witness_destruction(_destruction(pending), by=org.registrar)
    return _copy(document)


def test_a_destroyed_copy_can_never_change_state_again(org, document, pending, destroyed):
    before = last_entry().seq
    with pytest.raises(IllegalTransition, match="The copy is destroyed; only a copy in the regi"):
        custody.issue_copy(_copy(document), to=org.inspector, by=org.registrar)
    with pytest.raises(IllegalTransition, match="The copy is destroyed; only a copy that is held"):
        custody.return_copy(_copy(document), by=org.registrar)
    with pytest.raises(IllegalTransition, match="The copy is destroyed; only a copy in the regi"):
        _propose(org, document, witness=org.inspector, by=org.registrar)
    with pytest.raises(IllegalTransition, match="is already witnessed"):
        destructions.witness_destruction(_destruction(pending), by=org.registrar)
    with pytest.raises(IllegalTransition, match="is already witnessed"):
        destructions.withdraw_destruction(_destruction(pending), by=org.custodian, reason="x")
    assert last_entry().seq == before
    # Nobody holds it, so nobody may hand it over: refused (and recorded) before its state.
    with pytest.raises(Denied, match="only the person who holds the copy"):
        hand_overs.dispatch_hand_over(_copy(document), to=org.inspector, by=org.registrar)
    stored = _copy(document)
    assert (stored.state, stored.version) == ("destroyed", 3)


def test_a_copy_is_destroyed_at_most_once_even_behind_the_services_back(org, destroyed, pending):
    with transaction.atomic(), pytest.raises(IntegrityError):
        Destruction.objects.create(
            copy=destroyed,
            destroyer=org.registrar,
            witness=org.inspector,
            method="burning",
            destroyed_on=SOON.date(),
            marking="SECRET//ALPHA",
            proposed_at=SOON,
            state="witnessed",
        )


def test_the_register_entry_and_the_record_cannot_be_deleted(org, destroyed, pending):
    with transaction.atomic(), pytest.raises(ProtectedError):
        destroyed.delete()
    with transaction.atomic(), pytest.raises(ProtectedError):
        org.custodian.delete()
    assert Destruction.objects.filter(pk=pending.pk).exists()


# --- the ledger --------------------------------------------------------------------------------


@pytest.mark.parametrize("parallel", [False, True], ids=["serial", "parallel"])
def test_every_outcome_of_a_destruction_replays(org, register, parallel):
    document = register("SECRET//ALPHA", copies=4)
    witnessed = _propose(org, document)
    destructions.witness_destruction(_destruction(witnessed), by=org.registrar)
    refused = destructions.propose_destruction(
        _copy(document, 2), witness=org.registrar, method="pulping", by=org.custodian
    )
    destructions.refuse_destruction(_destruction(refused), by=org.registrar, reason="no")
    withdrawn = destructions.propose_destruction(
        _copy(document, 3), witness=org.inspector, method="burning", by=org.custodian
    )
    destructions.withdraw_destruction(_destruction(withdrawn), by=org.registrar, reason="no")
    destructions.propose_destruction(
        _copy(document, 4), witness=org.inspector, method="burning", by=org.custodian
    )

    report = verify(parallel=parallel)

    assert report.ok, report.problems
