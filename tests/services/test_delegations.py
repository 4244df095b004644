"""Delegating a duty: granting it, acting under it on the delegator's behalf, and its end.

The usual scene: rita (HQ registrar, TOP SECRET) is away and delegates registering at HQ up to
SECRET to carl (HQ custodian, SECRET//ALPHA), who is no registrar himself; carl (custodian) in
turn delegates handling copies up to CONFIDENTIAL to rosa (NORTH staff, CONFIDENTIAL).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from strongroom.adapters import clock
from strongroom.domain.clearance import PersonStatus
from strongroom.domain.errors import Conflict, IllegalTransition, InvalidInput
from strongroom.ledger.models import LedgerEntry
from strongroom.ledger.verify import verify
from strongroom.models import Copy, Delegation, Document
from strongroom.policy import Denied
from strongroom.services import clearances, custody, delegations, people, registry
from tests.conftest import PASSWORD, last_entry

REGISTRAR_ONLY = "this needs the role of registrar"
COPIES_ONLY = "this needs the role of registrar or custodian"


def _today() -> date:
    return clock.today()


def _stored(delegation):
    return Delegation.objects.select_related("delegator", "delegate", "unit", "revoked_by").get(
        pk=delegation.pk
    )


def _copy(document, number=1):
    return Copy.objects.select_related("document__unit", "holder").get(
        document=document, number=number
    )


def _refused(entry, actor, subject, action, reason=None):
    assert (entry.kind, entry.actor, entry.subject) == ("access.refused", actor, subject)
    assert entry.data["action"] == action
    if reason is not None:
        assert entry.data["reason"] == reason


def _grant(org, *, to=None, by=None, **values):
    """rita delegates registering at HQ up to SECRET to carl for a week, unless told otherwise."""
    arguments = {
        "duty": "register",
        "level": "SECRET",
        "ends_on": _today() + timedelta(days=7),
        "reason": "on leave for a week",
    }
    arguments.update(values)
    return delegations.grant_delegation(to or org.custodian, by=by or org.registrar, **arguments)


@pytest.fixture
def granted(org):
    """rita has delegated registering at HQ (and below) up to SECRET to carl for a week."""
    return _grant(org)


@pytest.fixture
def copies_to_rosa(org):
    """carl has delegated handling copies at HQ (and below) up to CONFIDENTIAL to rosa."""
    return _grant(org, to=org.reader, by=org.custodian, duty="handle_copies", level="CONFIDENTIAL")


# --- granting --------------------------------------------------------------------------------


def test_a_registrar_delegates_registering_and_it_goes_on_record(org, settings):
    at = datetime.now(UTC).replace(microsecond=0)
    with clock.frozen(at):
        delegation = _grant(org)

    stored = _stored(delegation)
    assert (stored.delegator, stored.delegate, stored.duty, stored.unit) == (
        org.registrar,
        org.custodian,
        "register",
        org.hq,
    )
    assert stored.max_level == settings.STRONGROOM_MARKING_SCHEME.rank("SECRET")
    assert stored.level_name == "SECRET"
    assert (stored.starts_on, stored.ends_on) == (at.date(), at.date() + timedelta(days=7))
    assert (stored.reason, stored.granted_at) == ("on leave for a week", at)
    assert (stored.revoked_at, stored.revoked_by, stored.version) == (None, None, 1)
    entry = last_entry()
    assert (entry.kind, entry.actor, entry.subject) == (
        "delegation.granted",
        org.registrar,
        f"delegation:{stored.pk}",
    )
    assert entry.data == {
        "delegator": "rita",
        "delegate": "carl",
        "duty": "register",
        "unit": "HQ",
        "level": "SECRET",
        "starts_on": at.date().isoformat(),
        "ends_on": (at.date() + timedelta(days=7)).isoformat(),
        "reason": "on leave for a week",
    }
    assert entry.recorded_at == at


def test_a_custodian_delegates_handling_copies(org, copies_to_rosa):
    stored = _stored(copies_to_rosa)
    assert (stored.delegator, stored.delegate, stored.duty, stored.level_name) == (
        org.custodian,
        org.reader,
        "handle_copies",
        "CONFIDENTIAL",
    )
    assert last_entry().data["duty"] == "handle_copies"


def test_the_level_is_read_like_a_marking_and_the_reason_squeezed(org):
    delegation = _grant(org, level="  secret ", reason="  away \n at a  course ")
    stored = _stored(delegation)
    assert stored.level_name == "SECRET"
    assert stored.reason == "away at a course"
    assert last_entry().data["reason"] == "away at a course"


def test_a_delegation_may_start_later_and_is_not_in_force_before(org, register):
    tomorrow = _today() + timedelta(days=1)
    _grant(org, starts_on=tomorrow, ends_on=tomorrow + timedelta(days=2))

    with pytest.raises(Denied, match=REGISTRAR_ONLY):
        register("SECRET", by=org.custodian)
    later = datetime.now(UTC) + timedelta(days=1)
    with clock.frozen(later):
        document = register("SECRET", by=org.custodian)
    entry = last_entry()
    assert entry.subject == f"document:{document.control_number}"
    assert entry.data["on_behalf_of"] == "rita"


def test_delegating_to_someone_not_cleared_is_refused_and_recorded(org):
    with pytest.raises(Denied) as refused:
        _grant(org, to=org.worker)

    reason = "the delegate may not hold SECRET material: the person holds no clearance"
    assert refused.value.reason == reason
    assert refused.value.decision.visible is True
    assert not Delegation.objects.exists()
    entry = last_entry()
    _refused(entry, org.registrar, "person:wally", "delegation:grant", reason)
    assert entry.data == {"action": "delegation:grant", "reason": reason}


@pytest.mark.parametrize(
    ("by", "to", "values", "reason"),
    [
        ("registrar", "registrar", {}, "nobody may delegate a duty for themselves"),
        ("reader", "north_registrar", {"level": "CONFIDENTIAL"}, REGISTRAR_ONLY),
        ("custodian", "registrar", {}, REGISTRAR_ONLY),
        ("worker", "custodian", {"duty": "handle_copies", "level": "UNCLASSIFIED"}, COPIES_ONLY),
        ("officer", "registrar", {"level": "UNCLASSIFIED"}, REGISTRAR_ONLY),
        (
            "north_registrar",
            "registrar",
            {"level": "TOP SECRET"},
            "you may not hold TOP SECRET material: clearance does not reach TOP SECRET",
        ),
        (
            "custodian",
            "inspector",
            {"duty": "handle_copies", "level": "TOP SECRET"},
            "you may not hold TOP SECRET material: clearance does not reach TOP SECRET",
        ),
        (
            "registrar",
            "reader",
            {},
            "the delegate may not hold SECRET material: clearance does not reach SECRET",
        ),
    ],
    ids=[
        "to-oneself",
        "staff-without-the-duty",
        "custodian-delegates-registering",
        "worker-delegates-copies",
        "officer-delegates-registering",
        "above-own-clearance",
        "custodian-above-own-clearance",
        "delegate-cleared-lower",
    ],
)
def test_a_delegation_that_may_not_be_given_is_refused_and_recorded(org, by, to, values, reason):
    actor, delegate = getattr(org, by), getattr(org, to)
    with pytest.raises(Denied) as refused:
        _grant(org, to=delegate, by=actor, **values)

    assert refused.value.reason == reason
    assert not Delegation.objects.exists()
    _refused(last_entry(), actor, f"person:{delegate.username}", "delegation:grant", reason)


def test_delegating_to_a_suspended_person_is_refused(org):
    people.set_status(
        org.custodian, status=PersonStatus.SUSPENDED, reason="inquiry", by=org.officer
    )
    with pytest.raises(Denied) as refused:
        _grant(org)
    assert refused.value.reason == (
        "the delegate may not hold SECRET material: the person is suspended"
    )
    _refused(last_entry(), org.registrar, "person:carl", "delegation:grant")


def test_a_delegate_may_not_pass_the_duty_on(org, granted):
    with pytest.raises(Denied, match=REGISTRAR_ONLY):
        _grant(org, to=org.inspector, by=org.custodian)
    assert Delegation.objects.count() == 1


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        (
            {"ends_on": "today+30"},
            "ends_on",
            "A delegation may last at most 30 days; delegate again when it ends.",
        ),
        ({"starts_on": "today-1"}, "starts_on", "A delegation cannot start in the past."),
        (
            {"starts_on": "today+3", "ends_on": "today+2"},
            "ends_on",
            "A delegation must end on or after the day it starts.",
        ),
        (
            {"ends_on": "today-1"},
            "ends_on",
            "A delegation must end on or after the day it starts.",
        ),
        ({"reason": "  \n "}, "reason", "Give the reason for the delegation; it goes on record."),
        ({"reason": "x" * 501}, "reason", "The reason may be at most 500 characters."),
        ({"duty": "sweep"}, "duty", "Unknown duty 'sweep'; use one of: register, handle_copies."),
        ({"level": "ULTRA"}, "level", None),
    ],
    ids=[
        "longer-than-the-maximum",
        "starting-in-the-past",
        "ending-before-starting",
        "ended-yesterday",
        "empty-reason",
        "reason-too-long",
        "unknown-duty",
        "unknown-level",
    ],
)
def test_bad_delegation_input_names_the_field_and_changes_nothing(org, values, field, message):
    today = _today()

    def day(value):
        if isinstance(value, str) and value.startswith("today"):
            return today + timedelta(days=int(value[5:] or 0))
        return value

    before = last_entry().seq
    with pytest.raises(InvalidInput) as invalid:
        _grant(org, **{name: day(value) for name, value in values.items()})

    assert invalid.value.field == field
    if message is not None:
        assert str(invalid.value) == message
    assert not Delegation.objects.exists()
    assert last_entry().seq == before


def test_the_longest_delegation_follows_the_setting(org, settings):
    settings.STRONGROOM_DELEGATION_MAX_DAYS = 3
    today = _today()
    with pytest.raises(InvalidInput, match="at most 3 days") as invalid:
        _grant(org, ends_on=today + timedelta(days=3))
    assert invalid.value.field == "ends_on"
    longest = _grant(org, ends_on=today + timedelta(days=2))
    assert _stored(longest).ends_on == today + timedelta(days=2)
    one_day = _grant(org, ends_on=today)
    assert (_stored(one_day).starts_on, _stored(one_day).ends_on) == (today, today)


def test_the_default_longest_delegation_is_thirty_days(org):
    today = _today()
    delegation = _grant(org, ends_on=today + timedelta(days=29))
    assert _stored(delegation).ends_on - _stored(delegation).starts_on == timedelta(days=29)


def test_a_refusal_comes_before_bad_input(org):
    """An uncleared delegate is refused (and recorded) even when the period is also wrong."""
    with pytest.raises(Denied):
        _grant(org, to=org.worker, ends_on=_today() + timedelta(days=365))
    _refused(last_entry(), org.registrar, "person:wally", "delegation:grant")


# --- registering under a delegation ----------------------------------------------------------


def test_without_a_delegation_the_custodian_may_not_register(org, register):
    with pytest.raises(Denied) as refused:
        register("SECRET", by=org.custodian)
    assert refused.value.reason == REGISTRAR_ONLY
    _refused(last_entry(), org.custodian, "unit:HQ", "document:register", REGISTRAR_ONLY)


def test_the_delegate_registers_on_the_delegators_behalf(org, register, granted):
    document = register("SECRET", by=org.custodian)

    assert Document.objects.get(pk=document.pk).control_number == document.control_number
    entry = last_entry()
    assert (entry.kind, entry.actor, entry.subject) == (
        "document.registered",
        org.custodian,
        f"document:{document.control_number}",
    )
    assert entry.data["registered_by"] == "carl"
    assert entry.data["on_behalf_of"] == "rita"
    assert entry.data["marking"] == "SECRET"


@pytest.mark.parametrize("first, then", [("registrar", "north_registrar"),
                                         ("north_registrar", "registrar")])  # fmt: skip
def test_of_two_delegations_that_cover_an_act_the_newest_is_named(org, register, first, then):
    for delegator in (first, then):
        _grant(org, by=getattr(org, delegator), level="CONFIDENTIAL")

    register("CONFIDENTIAL", unit=org.north, by=org.custodian)
    assert last_entry().data["on_behalf_of"] == getattr(org, then).username


def test_under_a_delegation_the_delegate_may_register_for_the_units_below(org, register, granted):
    document = register("CONFIDENTIAL//ALPHA", unit=org.ncity, by=org.custodian)
    assert document.control_number.startswith("NCITY-")
    assert last_entry().data["on_behalf_of"] == "rita"


def test_what_the_registrar_registers_herself_names_nobody_else(org, register, granted):
    register("SECRET")
    entry = last_entry()
    assert entry.data["registered_by"] == "rita"
    assert "on_behalf_of" not in entry.data


@pytest.mark.parametrize(
    "marking",
    ["TOP SECRET", "SECRET//BRAVO"],
    ids=["above-the-delegated-level", "outside-the-delegates-compartments"],
)
def test_the_delegation_reaches_no_further_than_its_level_and_the_delegates_clearance(
    org, register, granted, marking
):
    with pytest.raises(Denied) as refused:
        register(marking, by=org.custodian)
    assert refused.value.reason == REGISTRAR_ONLY
    assert not Document.objects.exists()
    _refused(last_entry(), org.custodian, "unit:HQ", "document:register", REGISTRAR_ONLY)


def test_a_delegation_below_the_document_does_not_cover_it(org, register):
    _grant(org, level="CONFIDENTIAL")
    with pytest.raises(Denied, match=REGISTRAR_ONLY):
        register("SECRET", by=org.custodian)
    register("CONFIDENTIAL", by=org.custodian)
    assert last_entry().data["on_behalf_of"] == "rita"


def test_a_delegation_covers_only_the_delegators_unit_tree(org, register):
    # nils delegates registering at NORTH to rosa: HQ and SOUTH stay out of her reach.
    _grant(org, to=org.reader, by=org.north_registrar, level="CONFIDENTIAL")
    for unit in (org.hq, org.south):
        with pytest.raises(Denied, match=REGISTRAR_ONLY):
            register("CONFIDENTIAL", unit=unit, by=org.reader)
    register("CONFIDENTIAL", unit=org.ncity, by=org.reader)
    assert last_entry().data["on_behalf_of"] == "nils"


def test_a_delegation_of_copies_does_not_cover_registering(org, register, copies_to_rosa):
    with pytest.raises(Denied, match=REGISTRAR_ONLY):
        register("CONFIDENTIAL", by=org.reader)


def test_corrections_are_not_delegated(org, register, granted):
    document = register("SECRET", by=org.custodian)
    with pytest.raises(Denied) as refused:
        registry.correct_registration(
            document, changes={"pages": 5}, reason="mis-typed", by=org.custodian
        )
    assert refused.value.reason == REGISTRAR_ONLY
    _refused(
        last_entry(),
        org.custodian,
        f"document:{document.control_number}",
        "document:correct",
        REGISTRAR_ONLY,
    )
    assert Document.objects.get(pk=document.pk).pages == 4


# --- when a delegation ends ------------------------------------------------------------------


def _carl_may_no_longer_register(org, register):
    with pytest.raises(Denied) as refused:
        register("SECRET", by=org.custodian)
    assert refused.value.reason == REGISTRAR_ONLY
    _refused(last_entry(), org.custodian, "unit:HQ", "document:register", REGISTRAR_ONLY)


def test_after_it_is_revoked_the_delegate_is_refused_again(org, register, granted):
    register("SECRET", by=org.custodian)
    delegations.revoke_delegation(granted, reason="back early", by=org.registrar)
    _carl_may_no_longer_register(org, register)


def test_after_its_last_day_the_delegate_is_refused_again(org, register, granted):
    last_day = datetime.now(UTC) + timedelta(days=7)
    with clock.frozen(last_day):
        register("SECRET", by=org.custodian)
        assert last_entry().data["on_behalf_of"] == "rita"
    with clock.frozen(last_day + timedelta(days=1)):
        _carl_may_no_longer_register(org, register)


def test_when_the_delegator_is_suspended_the_delegate_is_refused(org, register, granted):
    people.set_status(
        org.registrar, status=PersonStatus.SUSPENDED, reason="inquiry", by=org.officer
    )
    _carl_may_no_longer_register(org, register)


def test_when_the_delegator_departs_the_delegate_is_refused(org, register, granted):
    people.set_status(org.registrar, status=PersonStatus.DEPARTED, reason="retired", by=org.officer)
    _carl_may_no_longer_register(org, register)


def test_when_the_delegator_is_no_longer_a_registrar_the_delegate_is_refused(
    org, register, granted
):
    people.change_person(org.registrar, roles=["staff"], by=org.officer)
    _carl_may_no_longer_register(org, register)


def test_a_suspended_delegate_is_told_of_the_suspension(org, register, granted):
    people.set_status(
        org.custodian, status=PersonStatus.SUSPENDED, reason="inquiry", by=org.officer
    )
    with pytest.raises(Denied) as refused:
        register("SECRET", by=org.custodian)
    assert refused.value.reason == "your account is suspended"


def test_a_delegate_whose_clearance_is_suspended_is_refused(org, register, granted):
    clearances.suspend_clearance(org.custodian, reason="inquiry", by=org.second_officer)
    _carl_may_no_longer_register(org, register)


# A delegation never outlives the delegator's own clearance: with rita's clearance suspended
# (she may register nothing above UNCLASSIFIED herself) carl may not register for her either.
def test_when_the_delegators_clearance_is_suspended_the_delegate_is_refused(org, register, granted):
    clearances.suspend_clearance(org.registrar, reason="inquiry", by=org.second_officer)
    with pytest.raises(Denied, match="clearance is suspended"):
        register("SECRET", by=org.registrar)
    _carl_may_no_longer_register(org, register)


# A delegate acts inside the delegator's unit tree: once rita is moved to SOUTH she is no
# registrar of HQ any more, and carl may not register HQ documents for her either.
def test_when_the_delegator_moves_to_another_unit_the_old_unit_is_out_of_reach(
    org, register, granted
):
    people.change_person(org.registrar, unit=org.south, by=org.officer)
    with pytest.raises(Denied, match="outside yours"):
        register("SECRET", by=org.registrar)
    _carl_may_no_longer_register(org, register)


# --- handling copies under a delegation ------------------------------------------------------


def test_the_delegate_issues_and_takes_back_copies_on_the_delegators_behalf(
    org, register, copies_to_rosa
):
    document = register("CONFIDENTIAL")
    reference = f"{document.control_number}/1"

    custody.issue_copy(_copy(document), to=org.north_registrar, by=org.reader)

    copy = _copy(document)
    assert (copy.state, copy.holder, copy.location) == (
        "held",
        org.north_registrar,
        "with nils (NORTH)",
    )
    entry = last_entry()
    assert (entry.kind, entry.actor, entry.subject) == (
        "copy.issued",
        org.reader,
        f"copy:{reference}",
    )
    assert entry.data == {
        "state": "held",
        "holder": "nils",
        "location": "with nils (NORTH)",
        "on_behalf_of": "carl",
    }

    custody.return_copy(_copy(document), by=org.reader)

    copy = _copy(document)
    assert (copy.state, copy.holder, copy.location) == ("in_registry", None, "HQ registry")
    entry = last_entry()
    assert (entry.kind, entry.actor) == ("copy.returned", org.reader)
    assert entry.data == {
        "state": "in_registry",
        "holder": None,
        "location": "HQ registry",
        "returned_by": "nils",
        "on_behalf_of": "carl",
    }


def test_what_the_custodian_issues_himself_names_nobody_else(org, register, copies_to_rosa):
    document = register("CONFIDENTIAL")
    custody.issue_copy(_copy(document), to=org.north_registrar, by=org.custodian)
    assert "on_behalf_of" not in last_entry().data


def test_the_delegate_may_not_issue_to_someone_not_cleared(org, register, copies_to_rosa):
    document = register("CONFIDENTIAL")
    with pytest.raises(Denied) as refused:
        custody.issue_copy(_copy(document), to=org.worker, by=org.reader)
    assert refused.value.reason == (
        "the recipient may not hold CONFIDENTIAL material: the person holds no clearance"
    )
    _refused(last_entry(), org.reader, f"copy:{document.control_number}/1", "copy:issue")
    assert _copy(document).state == "in_registry"


def test_the_delegate_may_not_handle_copies_above_the_delegated_level(
    org, register, copies_to_rosa
):
    # rosa is cleared CONFIDENTIAL: a SECRET copy does not exist for her at all.
    secret = register("SECRET")
    with pytest.raises(Denied) as refused:
        custody.issue_copy(_copy(secret), to=org.north_registrar, by=org.reader)
    assert refused.value.decision.visible is False
    # nils is cleared SECRET, but carl gave him copies only up to RESTRICTED.
    _grant(org, to=org.north_registrar, by=org.custodian, duty="handle_copies", level="RESTRICTED")
    confidential = register("CONFIDENTIAL")
    with pytest.raises(Denied) as refused:
        custody.issue_copy(_copy(confidential), to=org.reader, by=org.north_registrar)
    assert refused.value.reason == "the copy belongs to a unit outside yours (HQ/NORTH)"
    _refused(
        last_entry(), org.north_registrar, f"copy:{confidential.control_number}/1", "copy:issue"
    )


def test_a_delegation_of_registering_does_not_cover_copies(org, register, granted):
    document = register("SECRET")
    with pytest.raises(Denied) as refused:
        custody.issue_copy(_copy(document), to=org.registrar, by=org.worker)
    assert refused.value.decision.visible is False
    # carl may register for rita, but he handles copies as custodian in his own right.
    custody.issue_copy(_copy(document), to=org.registrar, by=org.custodian)
    assert "on_behalf_of" not in last_entry().data


def test_after_revoking_the_copies_delegation_the_delegate_is_refused(
    org, register, copies_to_rosa
):
    document = register("CONFIDENTIAL")
    custody.issue_copy(_copy(document), to=org.north_registrar, by=org.custodian)
    delegations.revoke_delegation(copies_to_rosa, reason="done", by=org.custodian)
    with pytest.raises(Denied) as refused:
        custody.return_copy(_copy(document), by=org.reader)
    assert refused.value.reason == COPIES_ONLY
    assert _copy(document).holder == org.north_registrar


# --- revoking --------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["registrar", "officer"], ids=["the-delegator", "an-officer"])
def test_the_delegator_or_a_security_officer_revokes(org, granted, who):
    person = getattr(org, who)
    at = datetime.now(UTC).replace(microsecond=0)
    with clock.frozen(at):
        revoked = delegations.revoke_delegation(granted, reason="  back  early ", by=person)

    assert (revoked.revoked_at, revoked.revoked_by, revoked.version) == (at, person, 2)
    stored = _stored(granted)
    assert (stored.revoked_at, stored.revoked_by, stored.version) == (at, person, 2)
    entry = last_entry()
    assert (entry.kind, entry.actor, entry.subject) == (
        "delegation.revoked",
        person,
        f"delegation:{granted.pk}",
    )
    assert entry.data == {"reason": "back early"}
    assert entry.recorded_at == at


@pytest.mark.parametrize(
    "who", ["custodian", "worker", "inspector"], ids=["the-delegate", "a-bystander", "inspector"]
)
def test_others_may_not_revoke_and_the_attempt_is_recorded(org, granted, who):
    person = getattr(org, who)
    with pytest.raises(Denied) as refused:
        delegations.revoke_delegation(granted, reason="not wanted", by=person)
    reason = "this needs the role of security officer or administrator"
    assert refused.value.reason == reason
    _refused(last_entry(), person, f"delegation:{granted.pk}", "delegation:revoke", reason)
    assert _stored(granted).revoked_at is None


def test_a_security_officer_of_another_unit_may_not_revoke(org, granted):
    nora = people.create_person(
        username="nora",
        full_name="Nora North Officer",
        unit=org.north,
        roles=["security_officer"],
        password=PASSWORD,
        by=org.officer,
    )
    with pytest.raises(Denied) as refused:
        delegations.revoke_delegation(granted, reason="x", by=nora)
    assert refused.value.reason == "the delegation belongs to a unit outside yours (HQ/NORTH)"
    assert _stored(granted).revoked_at is None


def test_revoking_twice_is_an_illegal_transition(org, granted):
    delegations.revoke_delegation(granted, reason="back early", by=org.registrar)
    before = last_entry().seq
    with pytest.raises(IllegalTransition) as illegal:
        delegations.revoke_delegation(_stored(granted), reason="again", by=org.officer)
    assert str(illegal.value) == f"Delegation {granted.pk} is already revoked."
    assert _stored(granted).revoked_by == org.registrar
    assert last_entry().seq == before


def test_a_stale_version_is_a_conflict_and_changes_nothing(org, granted):
    before = last_entry().seq
    with pytest.raises(Conflict) as conflict:
        delegations.revoke_delegation(
            granted, reason="back early", by=org.registrar, expected_version=7
        )
    assert str(conflict.value) == (
        f"Delegation {granted.pk} was changed by someone else a moment ago; reload it and try "
        "again."
    )
    assert _stored(granted).revoked_at is None
    assert last_entry().seq == before


def test_revoking_one_already_revoked_elsewhere_is_a_conflict(org, granted):
    """The caller's copy of the row is stale: it still says "not revoked"."""
    stale = _stored(granted)
    delegations.revoke_delegation(granted, reason="back early", by=org.registrar)
    with pytest.raises(Conflict):
        delegations.revoke_delegation(stale, reason="again", by=org.officer)
    assert _stored(granted).revoked_by == org.registrar


def test_revoking_needs_a_reason(org, granted):
    before = last_entry().seq
    with pytest.raises(InvalidInput) as invalid:
        delegations.revoke_delegation(granted, reason="  ", by=org.registrar)
    assert invalid.value.field == "reason"
    assert _stored(granted).revoked_at is None
    assert last_entry().seq == before


# --- the ledger ------------------------------------------------------------------------------


def test_a_ledger_with_delegations_and_acts_under_them_still_verifies(
    org, register, granted, copies_to_rosa
):
    register("SECRET", by=org.custodian)
    document = register("CONFIDENTIAL")
    custody.issue_copy(_copy(document), to=org.north_registrar, by=org.reader)
    custody.return_copy(_copy(document), by=org.reader)
    delegations.revoke_delegation(granted, reason="back early", by=org.registrar)
    with pytest.raises(Denied):
        _grant(org, to=org.worker)

    report = verify()

    assert report.ok, report.problems
    kinds = list(LedgerEntry.objects.order_by("seq").values_list("kind", flat=True))
    assert kinds.count("delegation.granted") == 2
    assert kinds.count("delegation.revoked") == 1


def test_a_delegate_acts_within_the_delegators_compartments(org, register, granted):
    # carl is read into ALPHA, rita into ALPHA and BRAVO: ALPHA is within both.
    document = register("SECRET//ALPHA", by=org.custodian)
    assert last_entry().data["on_behalf_of"] == "rita"
    assert document.marking.banner() == "SECRET//ALPHA"
