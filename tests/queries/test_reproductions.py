"""Reading reproduction records: one by either reference, a document's, and a person's units'."""

from __future__ import annotations

import uuid

import pytest

from strongroom.domain.errors import InvalidInput, NotFound
from strongroom.models import Copy, Document, Reproduction
from strongroom.policy import Denied
from strongroom.queries import reproductions
from strongroom.queries.documents import copy_history
from strongroom.services import custody
from strongroom.services import reproductions as services


def _fresh(document):
    return Document.objects.select_related("unit").get(pk=document.pk)


@pytest.fixture
def hq(org, register):
    """A SECRET HQ document."""
    return _fresh(register("SECRET"))


@pytest.fixture
def north(org, register):
    """A CONFIDENTIAL NORTH document."""
    return _fresh(register("CONFIDENTIAL", unit=org.north, by=org.north_registrar))


@pytest.fixture
def pending(org, hq):
    """carl (HQ custodian) asked for 2 copies of the HQ document."""
    return services.request_reproduction(hq, copies=2, reason="briefing", by=org.custodian)


def test_found_by_full_and_short_reference(org, pending):
    for text in (
        str(pending.reference),
        str(pending.reference).upper(),
        pending.reference.hex,
        pending.short_reference,
        f"  {pending.short_reference.lower()} ",
    ):
        found = reproductions.reproduction(org.registrar, text)
        assert found == pending
    # Ready to show and to act on.
    assert (found.document.unit.code, found.requested_by.unit.code) == ("HQ", "HQ")


def test_a_missing_reference_reads_as_missing(org, pending):
    other = "FFFFFFFF" if pending.short_reference != "FFFFFFFF" else "EEEEEEEE"
    with pytest.raises(NotFound) as missing:
        reproductions.reproduction(org.registrar, other.lower())
    assert missing.value.message == f"No reproduction request {other}."
    with pytest.raises(NotFound):
        reproductions.reproduction(org.registrar, str(uuid.uuid4()))


def test_something_that_is_no_reference_is_invalid_input(org):
    with pytest.raises(InvalidInput) as invalid:
        reproductions.reproduction(org.registrar, "HQ-2026-0001")
    assert invalid.value.field == "reproduction"
    assert "is not a reproduction reference" in invalid.value.message


@pytest.mark.parametrize("who", ["north_registrar", "worker", "reader"])
def test_someone_who_may_not_see_it_is_refused_as_invisible_under_the_name_given(org, pending, who):
    with pytest.raises(Denied) as refused:
        reproductions.reproduction(getattr(org, who), pending.short_reference)
    assert refused.value.decision.visible is False
    assert refused.value.target_ref == f"reproduction:{pending.short_reference}"
    assert str(pending.reference) not in refused.value.as_not_found().message


def test_a_documents_records_as_each_may_see_them(org, hq, pending):
    mine = services.request_reproduction(hq, copies=1, reason="spare", by=org.registrar)
    assert reproductions.of_document(org.registrar, hq) == [mine, pending]
    assert reproductions.of_document(org.inspector, hq) == [mine, pending]
    # carl answers for HQ as its custodian, so he sees rita's request too.
    assert reproductions.of_document(org.custodian, hq) == [mine, pending]
    assert reproductions.of_document(org.north_registrar, hq) == []
    assert reproductions.of_document(org.worker, hq) == []


def test_the_lists_of_a_persons_units(org, hq, north, pending):
    asked_north = services.request_reproduction(
        north, copies=1, reason="NCITY", by=org.north_registrar
    )
    services.approve_reproduction(asked_north, by=org.registrar)

    assert list(reproductions.reproductions(org.registrar)) == [asked_north, pending]
    assert list(reproductions.reproductions(org.registrar, pending_only=True)) == [pending]
    assert list(reproductions.reproductions(org.north_registrar)) == [asked_north]
    assert list(reproductions.reproductions(org.north_registrar, pending_only=True)) == []
    # carl (SECRET//ALPHA) answers for HQ and below and may see both documents.
    assert list(reproductions.reproductions(org.custodian)) == [asked_north, pending]
    # rosa has no role that answers for a unit, and asked for nothing.
    assert list(reproductions.reproductions(org.reader)) == []
    assert list(reproductions.reproductions(org.worker)) == []


def test_a_list_leaves_out_documents_the_person_may_not_see(org, register):
    secret_north = _fresh(register("TOP SECRET", unit=org.north))
    services.request_reproduction(secret_north, copies=1, reason="x", by=org.registrar)
    assert Reproduction.objects.count() == 1
    # nils answers for NORTH but is cleared SECRET only.
    assert list(reproductions.reproductions(org.north_registrar)) == []
    assert len(reproductions.reproductions(org.registrar)) == 1


def test_the_history_of_a_new_copy_begins_at_the_approval(org, hq, pending):
    services.approve_reproduction(pending, by=org.registrar)
    new = Copy.objects.select_related("document").get(document=hq, number=5)
    custody.issue_copy(new, to=org.custodian, by=org.registrar)
    steps = [(s.kind, s.state, s.holder, s.location) for s in copy_history(new)]
    assert steps == [
        ("document.registered", "", None, ""),  # before the copy existed
        ("reproduction.requested", "", None, ""),
        ("reproduction.approved", "in_registry", None, "HQ registry"),
        ("copy.issued", "held", "carl", "with carl (HQ)"),
    ]
    old = Copy.objects.select_related("document").get(document=hq, number=1)
    assert [(s.kind, s.state) for s in copy_history(old)] == [
        ("document.registered", "in_registry"),
        ("reproduction.requested", "in_registry"),
        ("reproduction.approved", "in_registry"),
    ]
