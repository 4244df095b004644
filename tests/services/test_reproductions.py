"""Reproduction: a request for more copies, approved or refused by a second person; approved
copies continue the document's numbering.

The usual scene: a SECRET document registered at HQ with 7 copies; carl (HQ custodian, cleared
SECRET with ALPHA) asks for 3 more, and rita (HQ registrar, TOP SECRET) is the authority who
decides. nils (NORTH registrar, SECRET) sees the document but does not answer for it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction

from strongroom.adapters import clock
from strongroom.domain.clearance import PersonStatus
from strongroom.domain.errors import Conflict, IllegalTransition, InvalidInput
from strongroom.ledger.models import LedgerEntry
from strongroom.models import Copy, Document, Reproduction
from strongroom.policy import Denied
from strongroom.services import clearances, custody, people, registry, reproductions
from tests.conftest import last_entry

# A fixed moment well inside everyone's clearance and after every entry the fixtures wrote.
SOON = (datetime.now(UTC) + timedelta(days=2)).replace(hour=9, minute=30, second=0, microsecond=0)
NO_COPY_REASON = "the marking SECRET//NO COPY carries NO COPY: no copies of it may be made"


def _document(document):
    return Document.objects.select_related("unit").get(pk=document.pk)


def _stored(reproduction):
    """The request as stored now, with what the services and the rules read."""
    return Reproduction.objects.select_related(
        "document__unit", "requested_by__unit", "decided_by"
    ).get(pk=reproduction.pk)


def _copies(document):
    """(number, state, holder, location) of every copy, in order."""
    return list(
        Copy.objects.filter(document=document)
        .order_by("number")
        .values_list("number", "state", "holder__username", "location")
    )


def _recorded(kind, actor, document):
    """The last ledger entry, which must be ``kind`` by ``actor`` about ``document``."""
    entry = last_entry()
    assert (entry.kind, entry.actor, entry.subject) == (
        kind,
        actor,
        f"document:{document.control_number}",
    )
    return entry


def _refused(entry, actor, subject, action):
    assert (entry.kind, entry.actor, entry.subject) == ("access.refused", actor, subject)
    assert entry.data["action"] == action


@pytest.fixture
def document(org, register):
    """A SECRET HQ document of 7 copies; copy 1 is with carl."""
    document = register("SECRET", copies=7)
    custody.issue_copy(
        Copy.objects.select_related("document__unit").get(document=document, number=1),
        to=org.custodian,
        by=org.registrar,
    )
    return _document(document)


@pytest.fixture
def pending(org, document):
    """carl has asked for 3 more copies; nobody has decided yet."""
    return reproductions.request_reproduction(
        document, copies=3, reason="briefing of the new section", by=org.custodian
    )


# --- request ---------------------------------------------------------------------------------


def test_a_custodian_requests_a_reproduction_and_nothing_is_copied_yet(org, document):
    before = _copies(document)
    with clock.frozen(SOON):
        made = reproductions.request_reproduction(
            document, copies=3, reason="  briefing of\n the new  section ", by=org.custodian
        )

    row = _stored(made)
    assert (row.document, row.requested_by, row.count, row.reason) == (
        document,
        org.custodian,
        3,
        "briefing of the new section",
    )
    assert (row.state, row.requested_at, row.version) == ("pending", SOON, 1)
    assert (row.decided_by, row.decided_at, row.decision_note) == (None, None, "")
    assert (row.first_number, row.last_number) == (None, None)
    assert row.short_reference == row.reference.hex[:8].upper()
    assert _copies(document) == before
    assert _document(document).copy_count == 7
    entry = _recorded("reproduction.requested", org.custodian, document)
    assert entry.data == {
        "reproduction": str(row.reference),
        "copies": 3,
        "reason": "briefing of the new section",
    }
    assert entry.recorded_at == SOON


def test_a_registrar_may_request_too(org, document):
    made = reproductions.request_reproduction(
        document, copies=1, reason="spare for the archive", by=org.registrar
    )
    assert _stored(made).requested_by == org.registrar


def test_a_no_copy_document_is_refused_with_that_reason_and_the_refusal_is_recorded(org, register):
    document = _document(register("SECRET//NO COPY"))
    with pytest.raises(Denied) as refused:
        reproductions.request_reproduction(
            document, copies=1, reason="for the archive", by=org.registrar
        )
    assert refused.value.reason == NO_COPY_REASON
    assert refused.value.decision.visible is True
    assert not Reproduction.objects.exists()
    entry = last_entry()
    _refused(entry, org.registrar, f"document:{document.control_number}", "reproduction:request")
    assert entry.data["reason"] == NO_COPY_REASON
    assert _document(document).copy_count == 3


@pytest.mark.parametrize(
    ("who", "banner", "reason"),
    [
        ("reader", "CONFIDENTIAL", "this needs the role of registrar or custodian"),
        ("north_registrar", "SECRET", "the document belongs to a unit outside yours (HQ/NORTH)"),
    ],
)
def test_someone_not_eligible_is_refused_with_the_reason(org, register, who, banner, reason):
    document = _document(register(banner))
    actor = getattr(org, who)
    with pytest.raises(Denied) as refused:
        reproductions.request_reproduction(document, copies=1, reason="why not", by=actor)
    assert refused.value.reason == reason
    assert refused.value.decision.visible is True
    assert not Reproduction.objects.exists()
    _refused(last_entry(), actor, f"document:{document.control_number}", "reproduction:request")


def test_someone_who_may_not_see_the_document_is_refused_as_if_it_did_not_exist(org, document):
    with pytest.raises(Denied) as refused:
        reproductions.request_reproduction(document, copies=1, reason="x", by=org.worker)
    assert refused.value.decision.visible is False
    _refused(
        last_entry(), org.worker, f"document:{document.control_number}", "reproduction:request"
    )


def test_a_suspended_custodian_may_not_request(org, document):
    people.set_status(
        org.custodian, status=PersonStatus.SUSPENDED, reason="inquiry", by=org.officer
    )
    with pytest.raises(Denied, match="suspended"):
        reproductions.request_reproduction(document, copies=1, reason="x", by=org.custodian)
    assert not Reproduction.objects.exists()


@pytest.mark.parametrize(
    ("copies", "reason", "field", "message"),
    [
        (0, "why", "copies", "The number of copies must be between 1 and 20."),
        (21, "why", "copies", "The number of copies must be between 1 and 20."),
        ("three", "why", "copies", "The number of copies must be a whole number."),
        (2, "   ", "reason", "A reason for the reproduction is required."),
        (2, "x" * 501, "reason", "A reason for the reproduction must be at most 500 characters."),
    ],
    ids=["none", "too-many", "not-a-number", "no-reason", "overlong-reason"],
)
def test_bad_input_is_invalid_and_nothing_is_recorded(
    org, document, copies, reason, field, message
):
    before = last_entry().seq
    with pytest.raises(InvalidInput) as invalid:
        reproductions.request_reproduction(document, copies=copies, reason=reason, by=org.custodian)
    assert (invalid.value.field, invalid.value.message) == (field, message)
    assert not Reproduction.objects.exists()
    assert last_entry().seq == before


def test_the_most_copies_per_request_is_a_setting(org, document, settings):
    settings.STRONGROOM_REPRODUCTION_MAX_COPIES = 2
    with pytest.raises(InvalidInput, match="between 1 and 2"):
        reproductions.request_reproduction(document, copies=3, reason="x", by=org.custodian)
    settings.STRONGROOM_REPRODUCTION_MAX_COPIES = 50
    made = reproductions.request_reproduction(document, copies=30, reason="x", by=org.custodian)
    assert made.count == 30


def test_no_document_grows_past_the_registers_limit(org, register):
    document = _document(register("SECRET", copies=registry.MAX_COPIES - 1))
    with pytest.raises(InvalidInput) as invalid:
        reproductions.request_reproduction(document, copies=2, reason="x", by=org.registrar)
    assert invalid.value.field == "copies"
    assert "at most 1 more can be made" in invalid.value.message
    assert reproductions.request_reproduction(document, copies=1, reason="x", by=org.registrar)


# --- approve ---------------------------------------------------------------------------------


def test_approval_makes_copies_8_to_10_of_10_in_the_registry(org, document, pending):
    with clock.frozen(SOON):
        reproductions.approve_reproduction(_stored(pending), by=org.registrar, note="granted")

    assert _copies(document) == [
        (1, "held", "carl", "with carl (HQ)"),
        *[(n, "in_registry", None, "HQ registry") for n in range(2, 11)],
    ]
    made = Copy.objects.filter(document=document, number__gte=8)
    assert {(copy.since, copy.version) for copy in made} == {(SOON, 1)}
    grown = _document(document)
    assert (grown.copy_count, grown.version) == (10, 2)
    # Every copy, old and new, is now "copy n of 10".
    labels = [c.label for c in Copy.objects.select_related("document").filter(document=document)]
    assert labels == [f"copy {n} of 10" for n in range(1, 11)]
    row = _stored(pending)
    assert (row.state, row.decided_by, row.decided_at, row.decision_note) == (
        "approved",
        org.registrar,
        SOON,
        "granted",
    )
    assert (row.first_number, row.last_number, row.version) == (8, 10, 2)
    entry = _recorded("reproduction.approved", org.registrar, document)
    assert entry.data == {
        "reproduction": str(row.reference),
        "requested_by": "carl",
        "copies": 3,
        "first_number": 8,
        "last_number": 10,
        "copy_count": 10,
        "state": "in_registry",
        "location": "HQ registry",
        "note": "granted",
    }
    assert entry.recorded_at == SOON


def test_a_second_approval_numbers_on_from_the_first(org, document, pending):
    reproductions.approve_reproduction(_stored(pending), by=org.registrar)
    second = reproductions.request_reproduction(
        _document(document), copies=2, reason="second section", by=org.custodian
    )
    reproductions.approve_reproduction(_stored(second), by=org.registrar)

    assert (_stored(pending).first_number, _stored(pending).last_number) == (8, 10)
    assert (_stored(second).first_number, _stored(second).last_number) == (11, 12)
    assert [number for number, *_ in _copies(document)] == list(range(1, 13))
    assert _document(document).copy_count == 12
    assert last_entry().data["copy_count"] == 12


def test_new_copies_are_copies_like_any_other(org, document, pending):
    reproductions.approve_reproduction(_stored(pending), by=org.registrar)
    ten = Copy.objects.select_related("document__unit").get(document=document, number=10)
    custody.issue_copy(ten, to=org.custodian, by=org.registrar)
    assert Copy.objects.get(pk=ten.pk).holder == org.custodian


def test_the_requester_cannot_approve_their_own_request(org, document):
    mine = reproductions.request_reproduction(document, copies=1, reason="for me", by=org.registrar)
    with pytest.raises(Denied) as refused:
        reproductions.approve_reproduction(_stored(mine), by=org.registrar)
    assert refused.value.reason == (
        "the person who asked for the reproduction may not decide it; another registrar must"
    )
    assert refused.value.decision.visible is True
    assert _stored(mine).state == "pending"
    assert _document(document).copy_count == 7
    _refused(last_entry(), org.registrar, f"reproduction:{mine.reference}", "reproduction:approve")


def test_a_registrar_above_the_document_approves_a_north_request(org, register):
    """nils asks for a copy of a NORTH document; rita at HQ, above NORTH, is an authority."""
    document = _document(register("SECRET", unit=org.north, by=org.north_registrar))
    asked = reproductions.request_reproduction(
        document, copies=1, reason="for NCITY", by=org.north_registrar
    )
    with pytest.raises(Denied, match="another registrar must"):
        reproductions.approve_reproduction(_stored(asked), by=org.north_registrar)
    reproductions.approve_reproduction(_stored(asked), by=org.registrar)
    assert _document(document).copy_count == 4


def test_a_custodian_is_no_authority(org, document):
    asked = reproductions.request_reproduction(document, copies=1, reason="x", by=org.registrar)
    with pytest.raises(Denied) as refused:
        reproductions.approve_reproduction(_stored(asked), by=org.custodian)
    assert refused.value.reason == "this needs the role of registrar"
    _refused(last_entry(), org.custodian, f"reproduction:{asked.reference}", "reproduction:approve")


@pytest.mark.parametrize("who", ["north_registrar", "worker", "officer"])
def test_someone_not_answerable_for_the_document_finds_no_such_request(org, document, pending, who):
    actor = getattr(org, who)
    for decide, kwargs in [
        (reproductions.approve_reproduction, {}),
        (reproductions.refuse_reproduction, {"reason": "no"}),
    ]:
        with pytest.raises(Denied) as refused:
            decide(_stored(pending), by=actor, **kwargs)
        assert refused.value.decision.visible is False
        assert "another registrar" not in refused.value.reason
    assert _stored(pending).state == "pending"
    assert _document(document).copy_count == 7


def test_an_authority_whose_clearance_is_suspended_may_not_approve(org, document, pending):
    clearances.suspend_clearance(org.registrar, reason="inquiry", by=org.officer)
    with pytest.raises(Denied) as refused:
        reproductions.approve_reproduction(_stored(pending), by=org.registrar)
    assert refused.value.decision.visible is False
    assert _document(document).copy_count == 7


def test_a_marking_corrected_to_no_copy_stops_a_pending_approval(org, document, pending):
    registry.correct_registration(
        _document(document),
        changes={"marking": "SECRET//NO COPY"},
        reason="originator says no copies",
        by=org.registrar,
    )
    with pytest.raises(Denied) as refused:
        reproductions.approve_reproduction(_stored(pending), by=org.registrar)
    assert refused.value.reason == NO_COPY_REASON
    assert _copies(document)[-1][0] == 7
    # ...and it can still be refused.
    reproductions.refuse_reproduction(_stored(pending), by=org.registrar, reason="NO COPY now")
    assert _stored(pending).state == "refused"


def test_an_overlong_note_is_invalid(org, pending):
    with pytest.raises(InvalidInput) as invalid:
        reproductions.approve_reproduction(_stored(pending), by=org.registrar, note="x" * 501)
    assert invalid.value.field == "note"
    assert _stored(pending).state == "pending"


# --- two at once -----------------------------------------------------------------------------


def test_two_approvals_at_once_never_hand_out_the_same_numbers(org, document, pending):
    """rita and another authority each opened a pending request before either approved."""
    other = reproductions.request_reproduction(
        _document(document), copies=2, reason="second section", by=org.custodian
    )
    seen_first, seen_second = _stored(pending), _stored(other)
    reproductions.approve_reproduction(seen_first, by=org.registrar)
    before = last_entry().seq

    # The second was read when the document had 7 copies: it would take 8-9. It may not.
    with pytest.raises(Conflict, match="was changed by someone else"):
        reproductions.approve_reproduction(seen_second, by=org.registrar)

    assert _stored(other).state == "pending"
    assert [number for number, *_ in _copies(document)] == list(range(1, 11))
    assert _document(document).copy_count == 10
    assert last_entry().seq == before

    # Read again, it numbers on from the first.
    reproductions.approve_reproduction(_stored(other), by=org.registrar)
    assert (_stored(other).first_number, _stored(other).last_number) == (11, 12)


def test_the_database_refuses_a_copy_number_twice(org, document):
    with pytest.raises(IntegrityError), transaction.atomic():
        Copy.objects.create(
            document=document,
            number=7,
            state="in_registry",
            location="x",
            since=clock.now(),
            unit=document.unit,
        )


def test_the_database_keeps_numbers_only_on_approved_requests(org, pending):
    with pytest.raises(IntegrityError), transaction.atomic():
        Reproduction.objects.filter(pk=pending.pk).update(first_number=8, last_number=10)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reproduction.objects.filter(pk=pending.pk).update(
            state="approved", first_number=8, last_number=11
        )


def test_approving_and_refusing_at_once_is_a_conflict_not_two_outcomes(org, document, pending):
    seen = _stored(pending)
    reproductions.refuse_reproduction(_stored(pending), by=org.registrar, reason="not now")
    with pytest.raises(IllegalTransition, match="already refused"):
        reproductions.approve_reproduction(_stored(pending), by=org.registrar)
    # A stale read still says "pending": the conditional update catches it.
    with pytest.raises(Conflict, match=f"Reproduction request {pending.short_reference} was"):
        reproductions.approve_reproduction(seen, by=org.registrar)
    assert _stored(pending).state == "refused"
    assert _document(document).copy_count == 7


def test_a_stale_expected_version_is_a_conflict(org, document, pending):
    with pytest.raises(Conflict):
        reproductions.approve_reproduction(
            _stored(pending), by=org.registrar, expected_version=pending.version + 1
        )
    assert _document(document).copy_count == 7
    reproductions.approve_reproduction(
        _stored(pending), by=org.registrar, expected_version=pending.version
    )
    assert _stored(pending).version == 2


# --- refuse ----------------------------------------------------------------------------------


def test_a_refused_request_changes_no_copies(org, document, pending):
    before = _copies(document)
    with clock.frozen(SOON):
        reproductions.refuse_reproduction(
            _stored(pending), by=org.registrar, reason="  enough copies\n already "
        )

    assert _copies(document) == before
    assert (_document(document).copy_count, _document(document).version) == (7, 1)
    row = _stored(pending)
    assert (row.state, row.decided_by, row.decided_at, row.decision_note) == (
        "refused",
        org.registrar,
        SOON,
        "enough copies already",
    )
    assert (row.first_number, row.last_number) == (None, None)
    entry = _recorded("reproduction.refused", org.registrar, document)
    assert entry.data == {
        "reproduction": str(row.reference),
        "requested_by": "carl",
        "copies": 3,
        "reason": "enough copies already",
    }


def test_refusing_needs_a_reason(org, pending):
    with pytest.raises(InvalidInput) as invalid:
        reproductions.refuse_reproduction(_stored(pending), by=org.registrar, reason=" ")
    assert (invalid.value.field, invalid.value.message) == (
        "reason",
        "A reason for refusing is required.",
    )
    assert _stored(pending).state == "pending"


def test_the_requester_cannot_refuse_their_own_request_either(org, document):
    mine = reproductions.request_reproduction(document, copies=1, reason="x", by=org.registrar)
    with pytest.raises(Denied, match="another registrar must"):
        reproductions.refuse_reproduction(_stored(mine), by=org.registrar, reason="changed mind")
    _refused(last_entry(), org.registrar, f"reproduction:{mine.reference}", "reproduction:refuse")


# --- withdraw --------------------------------------------------------------------------------


def test_the_requester_withdraws_a_pending_request(org, document, pending):
    reproductions.withdraw_reproduction(_stored(pending), by=org.custodian, reason="not needed")
    row = _stored(pending)
    assert (row.state, row.decided_by, row.decision_note) == (
        "withdrawn",
        org.custodian,
        "not needed",
    )
    entry = last_entry()
    assert (entry.kind, entry.actor, entry.data["reason"]) == (
        "reproduction.withdrawn",
        org.custodian,
        "not needed",
    )
    assert _document(document).copy_count == 7


def test_only_the_requester_may_withdraw(org, pending):
    with pytest.raises(Denied) as refused:
        reproductions.withdraw_reproduction(_stored(pending), by=org.registrar)
    assert refused.value.reason == "only the person who asked for a reproduction may withdraw it"
    assert _stored(pending).state == "pending"
    _refused(
        last_entry(), org.registrar, f"reproduction:{pending.reference}", "reproduction:withdraw"
    )


# --- once decided, decided -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "word"),
    [("approve", "approved"), ("refuse", "refused"), ("withdraw", "withdrawn")],
)
def test_a_decided_request_cannot_be_decided_again(org, document, pending, first, word):
    by = org.custodian if first == "withdraw" else org.registrar
    if first == "approve":
        reproductions.approve_reproduction(_stored(pending), by=by)
    else:
        getattr(reproductions, f"{first}_reproduction")(_stored(pending), by=by, reason="x")
    after = _copies(document)
    before = last_entry().seq

    for again, actor, kwargs in [
        (reproductions.approve_reproduction, org.registrar, {}),
        (reproductions.refuse_reproduction, org.registrar, {"reason": "x"}),
        (reproductions.withdraw_reproduction, org.custodian, {}),
    ]:
        with pytest.raises(IllegalTransition) as illegal:
            again(_stored(pending), by=actor, **kwargs)
        assert illegal.value.message == (
            f"Reproduction request {pending.short_reference} is already {word}."
        )

    assert _copies(document) == after
    assert last_entry().seq == before


# --- the records -----------------------------------------------------------------------------


def test_every_step_is_in_the_ledger_under_the_document(org, document, pending):
    reproductions.approve_reproduction(_stored(pending), by=org.registrar)
    refused = reproductions.request_reproduction(
        _document(document), copies=1, reason="one more", by=org.custodian
    )
    reproductions.refuse_reproduction(_stored(refused), by=org.registrar, reason="enough")
    kinds = list(
        LedgerEntry.objects.filter(
            subject=f"document:{document.control_number}", kind__startswith="reproduction."
        )
        .order_by("seq")
        .values_list("kind", flat=True)
    )
    assert kinds == [
        "reproduction.requested",
        "reproduction.approved",
        "reproduction.requested",
        "reproduction.refused",
    ]
