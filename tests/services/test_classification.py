"""Downgrading and declassification: recorded events naming the authority that ordered them.

rita (HQ registrar, TOP SECRET ALPHA/BRAVO) lowers the markings of HQ documents.
"""

from __future__ import annotations

import pytest

from strongroom.domain.errors import Conflict, InvalidInput
from strongroom.ledger.verify import verify
from strongroom.models import Document, DocumentCompartment
from strongroom.policy import Denied
from strongroom.queries import documents as document_queries
from strongroom.services import custody, registry
from tests.conftest import last_entry

AUTHORITY = "Ministry of Widgets letter MW/12/7 of 2026-03-01"


def _document(document):
    return Document.objects.select_related("unit").get(pk=document.pk)


def _codes(document):
    return sorted(
        DocumentCompartment.objects.filter(document=document).values_list("code", flat=True)
    )


def _change(document, marking, *, by, **overrides):
    values = {"authority": AUTHORITY, "reason": "review of 2026"}
    values.update(overrides)
    return registry.change_classification(_document(document), marking=marking, by=by, **values)


def test_a_registrar_downgrades_on_an_authoritys_order(org, register):
    document = register("TOP SECRET//ALPHA/BRAVO//NO COPY")

    changed = _change(document, "secret//alpha", by=org.registrar)

    stored = _document(document)
    assert stored.marking.banner() == changed.marking.banner() == "SECRET//ALPHA"
    assert (stored.level, stored.compartments, stored.caveats, stored.version) == (
        3,
        "ALPHA",
        "",
        2,
    )
    assert _codes(document) == ["ALPHA"]
    entry = last_entry()
    assert (entry.kind, entry.actor, entry.subject) == (
        "document.downgraded",
        org.registrar,
        f"document:{document.control_number}",
    )
    assert entry.data == {
        "marking": {"from": "TOP SECRET//ALPHA/BRAVO//NO COPY", "to": "SECRET//ALPHA"},
        "changes": {
            "level": {"from": "TOP SECRET", "to": "SECRET"},
            "compartments": {"from": ["ALPHA", "BRAVO"], "to": ["ALPHA"]},
            "caveats": {"from": ["NO COPY"], "to": []},
        },
        "authority": AUTHORITY,
        "reason": "review of 2026",
    }


def test_to_the_lowest_level_it_is_declassified(org, register):
    document = register("SECRET//ALPHA")

    _change(document, "UNCLASSIFIED", by=org.registrar)

    assert _document(document).marking.banner() == "UNCLASSIFIED"
    assert _codes(document) == []
    entry = last_entry()
    assert entry.kind == "document.declassified"
    assert entry.data["marking"] == {"from": "SECRET//ALPHA", "to": "UNCLASSIFIED"}
    assert entry.data["authority"] == AUTHORITY


def test_dropping_a_compartment_at_the_same_level_is_a_downgrade(org, register):
    document = register("SECRET//ALPHA/BRAVO")
    _change(document, "SECRET//BRAVO", by=org.registrar)
    entry = last_entry()
    assert entry.kind == "document.downgraded"
    assert entry.data["changes"] == {"compartments": {"from": ["ALPHA", "BRAVO"], "to": ["BRAVO"]}}


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("SECRET", "TOP SECRET"),
        ("SECRET", "SECRET//ALPHA"),
        ("SECRET//ALPHA", "CONFIDENTIAL//BRAVO"),
        ("SECRET", "CONFIDENTIAL//NO FOREIGN"),
    ],
    ids=["higher-level", "added-compartment", "swapped-compartment", "added-caveat"],
)
def test_nothing_is_raised_through_a_downgrade(org, register, old, new):
    document = register(old)
    before = last_entry().seq
    with pytest.raises(InvalidInput, match=f"{new} is not a downgrade of {old}") as invalid:
        _change(document, new, by=org.registrar)
    assert invalid.value.field == "marking"
    assert "To raise a marking, correct the registration." in invalid.value.message
    assert _document(document).marking.banner() == old
    assert last_entry().seq == before


def test_the_same_marking_is_no_change(org, register):
    document = register("SECRET")
    with pytest.raises(InvalidInput, match="already marked SECRET"):
        _change(document, "secret", by=org.registrar)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"authority": "  "}, "authority", "The authority that ordered it is required."),
        ({"authority": "x" * 501}, "authority", "must be at most 500 characters"),
        ({"reason": ""}, "reason", "A reason for the change is required."),
        ({"marking": "SECRET//DELTA"}, "marking", "'DELTA' is neither a compartment"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(org, register, overrides, field, message):
    document = register("SECRET")
    before = last_entry().seq
    marking = overrides.pop("marking", "CONFIDENTIAL")
    with pytest.raises(InvalidInput, match=message) as invalid:
        _change(document, marking, by=org.registrar, **overrides)
    assert invalid.value.field == field
    assert _document(document).version == 1
    assert last_entry().seq == before


def test_only_a_registrar_of_the_documents_unit_may_downgrade_it(org, register):
    document = register("SECRET")
    with pytest.raises(Denied, match="this needs the role of registrar"):
        _change(document, "CONFIDENTIAL", by=org.custodian)
    entry = last_entry()
    assert (entry.kind, entry.actor, entry.subject) == (
        "access.refused",
        org.custodian,
        f"document:{document.control_number}",
    )
    assert entry.data["action"] == "document:downgrade"
    with pytest.raises(Denied, match="belongs to a unit outside yours"):
        _change(document, "CONFIDENTIAL", by=org.north_registrar)
    assert _document(document).marking.banner() == "SECRET"


def test_someone_who_may_not_see_it_is_refused_as_if_it_did_not_exist(org, register):
    document = register("TOP SECRET")
    with pytest.raises(Denied) as refused:
        _change(document, "SECRET", by=org.north_registrar)
    assert refused.value.decision.visible is False
    assert last_entry().data["action"] == "document:downgrade"


def test_a_stale_document_version_is_a_conflict(org, register):
    document = register("SECRET")
    registry.correct_registration(
        _document(document), changes={"pages": 9}, reason="recount", by=org.registrar
    )
    before = last_entry().seq
    with pytest.raises(Conflict, match="was changed by someone else a moment ago"):
        _change(document, "CONFIDENTIAL", by=org.registrar, expected_version=1)
    assert _document(document).marking.banner() == "SECRET"
    assert last_entry().seq == before


def test_copies_held_stay_with_their_holders(org, register):
    """A lower marking never makes a holder ineligible, so nothing needs recalling first."""
    document = register("SECRET//ALPHA")
    custody.issue_copy(document.copies.get(number=1), to=org.custodian, by=org.registrar)
    _change(document, "CONFIDENTIAL", by=org.registrar)
    copy = document.copies.get(number=1)
    assert (copy.state, copy.holder) == ("held", org.custodian)


def test_the_change_is_in_the_documents_history_and_replays(org, register):
    document = register("TOP SECRET//BRAVO")
    _change(document, "SECRET//BRAVO", by=org.registrar)
    _change(document, "UNCLASSIFIED", by=org.registrar, authority="Cabinet Office order 4")
    kinds = [e.kind for e in document_queries.document_history(_document(document))]
    assert kinds == ["document.registered", "document.downgraded", "document.declassified"]
    for parallel in (False, True):
        report = verify(parallel=parallel)
        assert report.ok, report.problems


def test_a_declassified_document_is_seen_by_everyone_active(org, register):
    document = register("SECRET")
    _change(document, "UNCLASSIFIED", by=org.registrar)
    assert document_queries.document(org.worker, document.control_number) == document
