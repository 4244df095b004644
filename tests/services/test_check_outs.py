"""Check-outs: the registry lends a copy for reading until a due time, and checks it in again.

The usual scene: a CONFIDENTIAL document registered at HQ; carl (HQ custodian) lends copy 1 to
rosa (NORTH staff, cleared CONFIDENTIAL) in the reading room, and takes it back at the desk.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.db import IntegrityError, transaction

from strongroom.adapters import clock
from strongroom.domain.clearance import PersonStatus
from strongroom.domain.errors import Conflict, IllegalTransition, InvalidInput
from strongroom.ledger.verify import verify
from strongroom.models import CheckOut, Copy
from strongroom.policy import Denied
from strongroom.services import check_outs, custody, hand_overs, people, registry
from tests.conftest import last_entry

# A fixed moment well inside everyone's clearance (granted for a year from the real today) and
# after every entry the fixtures wrote.
SOON = (datetime.now(UTC) + timedelta(days=2)).replace(hour=9, minute=30, second=0, microsecond=0)


def _copy(document, number=1):
    return Copy.objects.select_related("document__unit", "holder").get(
        document=document, number=number
    )


def _stored(check_out):
    return CheckOut.objects.select_related("reader", "lent_by", "checked_in_by").get(
        pk=check_out.pk
    )


def _refused(entry, actor, subject, action):
    assert (entry.kind, entry.actor, entry.subject) == ("access.refused", actor, subject)
    assert entry.data["action"] == action


def _lend(document, org, *, hours=2, number=1, **kwargs):
    """Carl lends copy ``number`` to rosa until ``hours`` from now (the clock's now)."""
    values = {
        "to": org.reader,
        "by": org.custodian,
        "due_back": clock.now() + timedelta(hours=hours),
    }
    values.update(kwargs)
    return check_outs.check_out_copy(_copy(document, number), **values)


@pytest.fixture
def document(register):
    return register("CONFIDENTIAL")


@pytest.fixture
def lent(org, document):
    """Copy 1 lent to rosa at SOON, due back two hours later (copy version 2)."""
    with clock.frozen(SOON):
        return _lend(document, org)


# --- lending ---------------------------------------------------------------------------------


def test_the_registry_lends_a_copy_and_the_reader_holds_it(org, document):
    with clock.frozen(SOON):
        check_out = check_outs.check_out_copy(
            _copy(document),
            to=org.reader,
            by=org.custodian,
            due_back=SOON + timedelta(hours=3),
            expected_version=1,
        )

    stored = _copy(document)
    assert (stored.state, stored.holder, stored.location) == (
        "checked_out",
        org.reader,
        "reading room of HQ, with rosa",
    )
    assert (stored.since, stored.version) == (SOON, 2)
    row = _stored(check_out)
    assert (row.copy, row.reader, row.lent_by, row.place) == (
        stored,
        org.reader,
        org.custodian,
        "reading room",
    )
    assert (row.checked_out_at, row.due_back) == (SOON, SOON + timedelta(hours=3))
    assert (row.checked_in_at, row.checked_in_by, row.version) == (None, None, 1)
    entry = last_entry()
    assert (entry.kind, entry.actor, entry.subject) == (
        "check_out.lent",
        org.custodian,
        f"copy:{document.control_number}/1",
    )
    assert entry.data == {
        "check_out": check_out.pk,
        "reader": "rosa",
        "place": "reading room",
        "due_back": (SOON + timedelta(hours=3)).isoformat(),
        "state": "checked_out",
        "holder": "rosa",
        "location": "reading room of HQ, with rosa",
    }


def test_the_place_is_said_in_a_few_words(org, document):
    with clock.frozen(SOON):
        check_out = _lend(document, org, place="  secure   annex ")

    assert _stored(check_out).place == "secure annex"
    assert _copy(document).location == "secure annex of HQ, with rosa"
    assert last_entry().data["place"] == "secure annex"


def test_a_place_too_long_is_refused_and_nothing_changes(org, document):
    with pytest.raises(InvalidInput) as caught:
        _lend(document, org, place="x" * 101)

    assert caught.value.field == "place"
    assert _copy(document).state == "in_registry"
    assert not CheckOut.objects.exists()


def test_the_due_time_is_recorded_in_utc(org, document):
    seoul = timezone(timedelta(hours=9))
    with clock.frozen(SOON):
        _lend(document, org, due_back=(SOON + timedelta(hours=1)).astimezone(seoul))

    assert last_entry().data["due_back"] == (SOON + timedelta(hours=1)).isoformat()


@pytest.mark.parametrize(
    ("due_back", "message"),
    [
        (SOON.replace(tzinfo=None) + timedelta(hours=1), "needs a time zone"),
        (SOON, "must be in the future"),
        (SOON - timedelta(minutes=1), "must be in the future"),
        (SOON + timedelta(hours=8, minutes=1), "at most 8 hours from now"),
    ],
    ids=["no time zone", "now", "past", "beyond the limit"],
)
def test_a_due_time_out_of_bounds_is_refused(org, document, settings, due_back, message):
    settings.STRONGROOM_CHECK_OUT_HOURS = 8
    with clock.frozen(SOON), pytest.raises(InvalidInput) as caught:
        _lend(document, org, due_back=due_back)

    assert caught.value.field == "due_back"
    assert message in caught.value.message
    assert _copy(document).state == "in_registry"
    assert not CheckOut.objects.exists()


def test_the_longest_allowed_due_time_is_the_setting(org, document, settings):
    settings.STRONGROOM_CHECK_OUT_HOURS = 3
    with clock.frozen(SOON):
        check_out = _lend(document, org, hours=3)
        with pytest.raises(InvalidInput):
            _lend(document, org, number=2, hours=4)

    assert _stored(check_out).due_back == SOON + timedelta(hours=3)


def test_an_ineligible_reader_is_refused_and_recorded_against_the_lender(org, document):
    with pytest.raises(Denied) as caught:
        _lend(document, org, to=org.worker)

    assert caught.value.decision.visible is True
    assert "the reader may not hold CONFIDENTIAL material" in caught.value.reason
    _refused(last_entry(), org.custodian, f"copy:{document.control_number}/1", "check_out:lend")
    assert _copy(document).state == "in_registry"
    assert not CheckOut.objects.exists()


def test_a_suspended_reader_may_not_borrow(org, document):
    people.set_status(org.reader, status=PersonStatus.SUSPENDED, reason="review", by=org.officer)

    with pytest.raises(Denied) as caught:
        _lend(document, org)

    assert "the reader may not hold CONFIDENTIAL material" in caught.value.reason


def test_staff_may_not_lend(org, register):
    document = register("CONFIDENTIAL", unit=org.north)

    with pytest.raises(Denied) as caught:
        _lend(document, org, to=org.north_registrar, by=org.reader)

    assert "this needs the role of registrar or custodian" in caught.value.reason
    _refused(last_entry(), org.reader, f"copy:{document.control_number}/1", "check_out:lend")


def test_a_lender_who_may_not_see_the_document_is_refused_invisibly(org, register):
    document = register("TOP SECRET")

    with pytest.raises(Denied) as caught:
        _lend(document, org, to=org.inspector)

    assert caught.value.decision.visible is False
    _refused(last_entry(), org.custodian, f"copy:{document.control_number}/1", "check_out:lend")


def test_only_a_copy_in_the_registry_can_be_lent(org, document, lent):
    with pytest.raises(IllegalTransition) as caught:
        _lend(document, org, to=org.north_registrar)
    assert caught.value.message == (
        "The copy is checked out; only a copy in the registry can be lent for reading."
    )

    custody.issue_copy(_copy(document, 2), to=org.reader, by=org.custodian)
    with pytest.raises(IllegalTransition):
        _lend(document, org, number=2)

    assert CheckOut.objects.count() == 1


def test_a_stale_version_is_a_conflict_and_changes_nothing(org, document):
    custody.issue_copy(_copy(document), to=org.reader, by=org.custodian)
    stale = _copy(document)
    custody.return_copy(stale, by=org.custodian)
    stale = _copy(document)

    with pytest.raises(Conflict):
        check_outs.check_out_copy(
            stale,
            to=org.reader,
            by=org.custodian,
            due_back=clock.now() + timedelta(hours=1),
            expected_version=1,
        )

    assert _copy(document).state == "in_registry"
    assert not CheckOut.objects.exists()


def test_two_lenders_on_the_same_page_one_succeeds_the_other_gets_a_conflict(org, document):
    seen_by_carl, seen_by_rita = _copy(document), _copy(document)
    due = clock.now() + timedelta(hours=1)
    check_outs.check_out_copy(seen_by_carl, to=org.reader, by=org.custodian, due_back=due)
    entries = last_entry().seq

    with pytest.raises(Conflict):
        check_outs.check_out_copy(seen_by_rita, to=org.inspector, by=org.registrar, due_back=due)

    assert last_entry().seq == entries
    assert [c.reader for c in CheckOut.objects.all()] == [org.reader]
    assert _copy(document).holder == org.reader


def test_a_copy_is_lent_to_one_reader_at_a_time(org, document, lent):
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckOut.objects.create(
            copy=_copy(document),
            reader=org.north_registrar,
            lent_by=org.custodian,
            checked_out_at=SOON,
            due_back=SOON + timedelta(hours=1),
        )


def test_while_checked_out_nothing_else_may_happen_to_the_copy(org, document, lent):
    copy = _copy(document)
    with pytest.raises(IllegalTransition):
        custody.issue_copy(copy, to=org.north_registrar, by=org.custodian)
    with pytest.raises(IllegalTransition):
        custody.return_copy(copy, by=org.custodian)
    with pytest.raises(IllegalTransition):
        hand_overs.dispatch_hand_over(copy, to=org.north_registrar, by=org.reader)


def test_a_marking_the_reader_may_not_hold_is_refused_while_it_is_out(org, document, lent):
    with pytest.raises(InvalidInput) as caught:
        registry.correct_registration(
            document, changes={"marking": "SECRET"}, reason="upgraded", by=org.registrar
        )

    assert "(rosa)" in caught.value.message


# --- checking in -----------------------------------------------------------------------------


def test_the_registry_checks_the_copy_in(org, document, lent):
    back = SOON + timedelta(hours=1)
    with clock.frozen(back):
        check_out = check_outs.check_in_copy(_copy(document), by=org.custodian, expected_version=2)

    stored = _copy(document)
    assert (stored.state, stored.holder, stored.location) == ("in_registry", None, "HQ registry")
    assert (stored.since, stored.version) == (back, 3)
    row = _stored(check_out)
    assert (row.pk, row.checked_in_at, row.checked_in_by, row.version) == (
        lent.pk,
        back,
        org.custodian,
        2,
    )
    entry = last_entry()
    assert (entry.kind, entry.actor, entry.subject) == (
        "check_out.returned",
        org.custodian,
        f"copy:{document.control_number}/1",
    )
    assert entry.data == {
        "check_out": lent.pk,
        "reader": "rosa",
        "overdue": False,
        "state": "in_registry",
        "holder": None,
        "location": "HQ registry",
    }


def test_a_late_check_in_is_marked_overdue(org, document, lent):
    with clock.frozen(SOON + timedelta(hours=5)):
        check_outs.check_in_copy(_copy(document), by=org.registrar)

    assert last_entry().data["overdue"] is True


def test_the_reader_may_not_check_in_for_the_registry(org, document, lent):
    with pytest.raises(Denied) as caught:
        check_outs.check_in_copy(_copy(document), by=org.reader)

    assert "this needs the role of registrar or custodian" in caught.value.reason
    _refused(last_entry(), org.reader, f"copy:{document.control_number}/1", "check_out:return")
    assert _copy(document).state == "checked_out"
    assert _stored(lent).checked_in_at is None


def test_a_registrar_of_another_unit_may_not_check_in(org, document, lent):
    with pytest.raises(Denied) as caught:
        check_outs.check_in_copy(_copy(document), by=org.north_registrar)

    assert "the copy belongs to a unit outside yours" in caught.value.reason


def test_only_a_checked_out_copy_can_be_checked_in(org, document):
    with pytest.raises(IllegalTransition) as caught:
        check_outs.check_in_copy(_copy(document), by=org.custodian)

    assert caught.value.message == (
        "The copy is in registry; only a copy that is checked out can be checked in."
    )


def test_checking_in_twice_from_the_same_page_is_a_conflict(org, document, lent):
    seen = _copy(document)
    check_outs.check_in_copy(_copy(document), by=org.custodian)
    entries = last_entry().seq

    with pytest.raises(Conflict):
        check_outs.check_in_copy(seen, by=org.registrar)

    assert last_entry().seq == entries
    assert _stored(lent).checked_in_by == org.custodian


def test_a_stale_version_on_check_in_is_a_conflict(org, document, lent):
    with pytest.raises(Conflict):
        check_outs.check_in_copy(_copy(document), by=org.custodian, expected_version=1)

    assert _copy(document).state == "checked_out"


def test_a_copy_can_be_lent_again_after_check_in(org, document, lent):
    check_outs.check_in_copy(_copy(document), by=org.custodian)

    again = _lend(document, org, to=org.north_registrar)

    assert CheckOut.objects.count() == 2
    assert _stored(again).reader == org.north_registrar
    assert _copy(document).holder == org.north_registrar


# --- the ledger still replays ----------------------------------------------------------------


@pytest.mark.parametrize("parallel", [False, True], ids=["serial", "parallel"])
def test_check_outs_replay_to_the_tables(org, document, lent, parallel):
    check_outs.check_in_copy(_copy(document), by=org.custodian)
    _lend(document, org, number=2, to=org.north_registrar)

    report = verify(parallel=parallel)

    assert report.ok, report.problems
