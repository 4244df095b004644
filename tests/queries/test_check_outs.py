"""Reading check-outs: who read a document (always answerable for TOP SECRET), the open ones of a
registry with the overdue ones, and lists that agree with ``check_out:view`` one by one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from strongroom.adapters import clock
from strongroom.domain.clearance import PersonStatus
from strongroom.ledger.models import LedgerEntry
from strongroom.models import CheckOut, Copy
from strongroom.policy import Action, Denied, decide
from strongroom.queries import check_outs as queries
from strongroom.services import check_outs, people

LENT = (datetime.now(UTC) + timedelta(days=2)).replace(hour=9, minute=0, second=0, microsecond=0)


def _copy(document, number=1):
    return Copy.objects.select_related("document__unit", "holder").get(
        document=document, number=number
    )


def _lend(document, number, *, to, by, at, hours=2, place=""):
    with clock.frozen(at):
        return check_outs.check_out_copy(
            _copy(document, number), to=to, by=by, due_back=at + timedelta(hours=hours), place=place
        )


def _check_in(document, number, *, by, at):
    with clock.frozen(at):
        return check_outs.check_in_copy(_copy(document, number), by=by)


@pytest.fixture
def top_secret(org, register):
    """A TOP SECRET//ALPHA document at HQ that rita lent twice: to ines (read and returned) and
    to herself (still out)."""
    document = register("TOP SECRET//ALPHA")
    _lend(document, 1, to=org.inspector, by=org.registrar, at=LENT, place="secure reading room")
    _check_in(document, 1, by=org.registrar, at=LENT + timedelta(hours=1))
    _lend(document, 2, to=org.registrar, by=org.registrar, at=LENT + timedelta(hours=3))
    return document


# --- who read it -----------------------------------------------------------------------------


def test_who_read_a_top_secret_document_is_answerable(org, top_secret):
    readings = list(queries.readers_of(org.registrar, top_secret))

    assert [(r.copy.number, r.reader, r.lent_by, r.place) for r in readings] == [
        (1, org.inspector, org.registrar, "secure reading room"),
        (2, org.registrar, org.registrar, "reading room"),
    ]
    first, second = readings
    assert (first.checked_out_at, first.checked_in_at, first.checked_in_by) == (
        LENT,
        LENT + timedelta(hours=1),
        org.registrar,
    )
    assert (second.checked_out_at, second.checked_in_at) == (LENT + timedelta(hours=3), None)


def test_the_ledger_alone_names_every_reader_of_a_top_secret_document(org, top_secret):
    """Even without the check-out table, the hashed entries say who read it and when."""
    lent = LedgerEntry.objects.filter(
        kind="check_out.lent", subject__startswith=f"copy:{top_secret.control_number}/"
    ).order_by("seq")

    assert [(e.subject.rpartition("/")[2], e.data["reader"], e.recorded_at) for e in lent] == [
        ("1", "ines", LENT),
        ("2", "rita", LENT + timedelta(hours=3)),
    ]
    returned = LedgerEntry.objects.get(kind="check_out.returned")
    assert (returned.data["reader"], returned.recorded_at) == ("ines", LENT + timedelta(hours=1))


def test_the_inspector_sees_every_reader_even_after_the_lender_lost_sight(org, top_secret):
    people.set_status(org.registrar, status=PersonStatus.DEPARTED, reason="left", by=org.officer)

    readers = [r.reader.username for r in queries.readers_of(org.inspector, top_secret)]

    assert readers == ["ines", "rita"]


def test_someone_who_may_not_see_the_document_is_refused_as_if_it_did_not_exist(org, top_secret):
    with pytest.raises(Denied) as caught:
        queries.readers_of(org.custodian, top_secret)

    assert caught.value.decision.visible is False
    assert caught.value.target_ref == f"document:{top_secret.control_number}"


def test_a_reader_sees_only_their_own_readings(org, register):
    document = register("CONFIDENTIAL")
    _lend(document, 1, to=org.reader, by=org.custodian, at=LENT)
    _lend(document, 2, to=org.north_registrar, by=org.custodian, at=LENT)

    mine = [r.reader for r in queries.readers_of(org.reader, document)]

    assert mine == [org.reader]


# --- open check-outs -------------------------------------------------------------------------


@pytest.fixture
def desk(org, register):
    """Carl lent three CONFIDENTIAL copies at 09:00: rosa's due 10:00, nils's due 12:00; one more
    to rosa came back."""
    document = register("CONFIDENTIAL", copies=4)
    _lend(document, 1, to=org.reader, by=org.custodian, at=LENT, hours=1)
    _lend(document, 2, to=org.north_registrar, by=org.custodian, at=LENT, hours=3)
    _lend(document, 3, to=org.reader, by=org.custodian, at=LENT, hours=1)
    _check_in(document, 3, by=org.custodian, at=LENT + timedelta(minutes=30))
    return document


def test_the_registry_lists_what_is_out_the_earliest_due_first(org, desk):
    out = list(queries.check_outs(org.custodian))

    assert [(c.copy.number, c.reader.username) for c in out] == [(1, "rosa"), (2, "nils")]
    assert [c.overdue_at(LENT + timedelta(hours=2)) for c in out] == [True, False]


def test_only_the_overdue_ones(org, desk):
    late = LENT + timedelta(hours=2)

    assert [
        c.copy.number for c in queries.check_outs(org.custodian, overdue_only=True, now=late)
    ] == [1]
    assert not queries.check_outs(org.custodian, overdue_only=True, now=LENT).exists()


def test_a_reader_sees_their_own_check_outs_and_a_bystander_none(org, desk):
    assert [c.copy.number for c in queries.check_outs(org.reader)] == [1]
    assert not queries.check_outs(org.worker).exists()
    assert not queries.check_outs(org.officer).exists()  # no clearance: sees no content


def test_the_copy_page_finds_the_open_check_out_if_the_actor_may_see_it(org, desk):
    copy = _copy(desk, 1)

    assert queries.open_for(org.reader, copy).reader == org.reader
    assert queries.open_for(org.north_registrar, copy) is None
    assert queries.open_for(org.custodian, _copy(desk, 3)) is None  # checked in


def test_an_inactive_person_sees_no_check_outs(org, desk):
    people.set_status(org.reader, status=PersonStatus.SUSPENDED, reason="review", by=org.officer)

    assert not queries.check_outs(org.reader).exists()


# --- the lists agree with the rule -----------------------------------------------------------


def test_lists_show_exactly_what_check_out_view_allows(org, register, top_secret, desk):
    north = register("CONFIDENTIAL", unit=org.north, by=org.north_registrar)
    _lend(north, 1, to=org.reader, by=org.north_registrar, at=LENT)
    everyone = [
        org.officer,
        org.second_officer,
        org.registrar,
        org.north_registrar,
        org.custodian,
        org.reader,
        org.worker,
        org.inspector,
    ]
    every_check_out = list(
        CheckOut.objects.select_related("copy__document__unit", "reader", "lent_by")
    )
    for person in everyone:
        facts = person.facts(clock.today())
        allowed = {c.pk for c in every_check_out if decide(facts, Action.CHECK_OUT_VIEW, c.facts())}
        listed = set(queries._visible(person, CheckOut.objects.all()).values_list("pk", flat=True))
        assert listed == allowed, person.username
