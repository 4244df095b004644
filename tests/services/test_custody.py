"""Issuing copies to eligible people and taking them back."""

from __future__ import annotations

import pytest

from strongroom.domain.errors import Conflict, IllegalTransition
from strongroom.models import Copy
from strongroom.policy import Denied
from strongroom.services import custody
from tests.conftest import last_entry


def _copy(document, number=1):
    return Copy.objects.select_related("document__unit", "holder").get(
        document=document, number=number
    )


def test_custodian_issues_copy_to_eligible_reader(org, register):
    document = register("CONFIDENTIAL")
    copy = custody.issue_copy(_copy(document), to=org.reader, by=org.custodian)

    stored = _copy(document)
    assert (stored.state, stored.holder, stored.location) == (
        "held",
        org.reader,
        "with rosa (NORTH)",
    )
    assert stored.version == 2
    entry = last_entry()
    assert entry.kind == "copy.issued"
    assert entry.subject == f"copy:{copy.reference}"
    assert entry.actor == org.custodian
    assert entry.data == {"state": "held", "holder": "rosa", "location": "with rosa (NORTH)"}
    assert entry.recorded_at == stored.since


def test_issue_to_uncleared_person_is_refused_with_the_reason(org, register):
    document = register("SECRET")
    with pytest.raises(Denied) as refused:
        custody.issue_copy(_copy(document), to=org.worker, by=org.registrar)
    assert "recipient may not hold SECRET" in refused.value.reason
    assert _copy(document).state == "in_registry"
    entry = last_entry()
    assert (entry.kind, entry.actor, entry.subject) == (
        "access.refused",
        org.registrar,
        f"copy:{document.control_number}/1",
    )


def test_issue_to_person_lacking_the_compartment_is_refused(org, register):
    document = register("SECRET//BRAVO")
    with pytest.raises(Denied, match="BRAVO"):
        custody.issue_copy(_copy(document), to=org.custodian, by=org.registrar)


def test_worker_cannot_issue(org, register):
    document = register("RESTRICTED")
    with pytest.raises(Denied):
        custody.issue_copy(_copy(document), to=org.reader, by=org.worker)


def test_custodian_cannot_touch_copy_above_their_clearance_and_it_stays_invisible(org, register):
    document = register("TOP SECRET")
    with pytest.raises(Denied) as refused:
        custody.issue_copy(_copy(document), to=org.inspector, by=org.custodian)
    assert refused.value.decision.visible is False


def test_return_brings_copy_back_to_registry(org, register):
    document = register("CONFIDENTIAL")
    custody.issue_copy(_copy(document), to=org.reader, by=org.custodian)

    custody.return_copy(_copy(document), by=org.custodian)

    stored = _copy(document)
    assert (stored.state, stored.holder, stored.location) == ("in_registry", None, "HQ registry")
    entry = last_entry()
    assert entry.kind == "copy.returned"
    assert entry.data["returned_by"] == "rosa"


def test_worker_cannot_record_a_return(org, register):
    document = register("RESTRICTED")
    custody.issue_copy(_copy(document), to=org.reader, by=org.custodian)
    with pytest.raises(Denied):
        custody.return_copy(_copy(document), by=org.worker)
    assert _copy(document).state == "held"


def test_held_copy_cannot_be_issued_again(org, register):
    document = register("CONFIDENTIAL")
    custody.issue_copy(_copy(document), to=org.reader, by=org.custodian)
    before = last_entry().seq
    with pytest.raises(IllegalTransition, match="only a copy in the registry"):
        custody.issue_copy(_copy(document), to=org.inspector, by=org.custodian)
    assert last_entry().seq == before


def test_stale_version_is_a_conflict_not_a_double_issue(org, register):
    document = register("CONFIDENTIAL")
    stale = _copy(document)
    custody.issue_copy(_copy(document), to=org.reader, by=org.custodian)
    custody.return_copy(_copy(document), by=org.custodian)
    before = last_entry().seq

    with pytest.raises(Conflict, match="moved by someone else"):
        custody.issue_copy(stale, to=org.inspector, by=org.custodian)

    assert _copy(document).state == "in_registry"
    assert last_entry().seq == before


def test_suspended_recipient_is_refused(org, register):
    from strongroom.domain.clearance import PersonStatus
    from strongroom.services import people

    document = register("CONFIDENTIAL")
    people.set_status(org.reader, status=PersonStatus.SUSPENDED, reason="inquiry", by=org.officer)
    with pytest.raises(Denied, match="suspended"):
        custody.issue_copy(_copy(document), to=org.reader, by=org.custodian)


def test_a_custodian_may_issue_a_copy_to_himself(org, register):
    # The issuer's and the recipient's facts are read together: here they are one row.
    document = register("SECRET//ALPHA")
    custody.issue_copy(_copy(document), to=org.custodian, by=org.custodian)

    assert (_copy(document).holder, last_entry().data["holder"]) == (org.custodian, "carl")


def test_the_issuers_own_suspension_bites_even_when_the_recipient_may_hold_it(org, register):
    from strongroom.domain.clearance import PersonStatus
    from strongroom.services import people

    document = register("CONFIDENTIAL")
    custodian = org.custodian  # loaded before the suspension: the decision reads it fresh
    people.set_status(
        org.custodian, status=PersonStatus.SUSPENDED, reason="inquiry", by=org.officer
    )
    with pytest.raises(Denied, match="suspended"):
        custody.issue_copy(_copy(document), to=org.reader, by=custodian)
