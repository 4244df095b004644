"""Registering and correcting documents: new state and ledger entry, allowed and denied."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from strongroom.domain.errors import InvalidInput
from strongroom.ledger.entry import parse
from strongroom.models import Copy, Document, DocumentCompartment
from strongroom.policy import Denied
from strongroom.services import registry
from tests.conftest import last_entry


def test_registrar_registers_document_with_numbered_copies_in_registry(org, register):
    document = register("SECRET//ALPHA//NO COPY", copies=3)

    assert document.control_number == f"HQ-{date.today().year}-0001"
    assert document.marking.banner() == "SECRET//ALPHA//NO COPY"
    assert list(
        DocumentCompartment.objects.filter(document=document).values_list("code", flat=True)
    ) == ["ALPHA"]
    copies = list(document.copies.order_by("number"))
    assert [(c.number, c.state, c.holder_id, c.location) for c in copies] == [
        (n, "in_registry", None, "HQ registry") for n in (1, 2, 3)
    ]
    entry = last_entry()
    body = parse(bytes(entry.body))
    assert entry.kind == "document.registered"
    assert entry.subject == f"document:{document.control_number}"
    assert entry.actor == org.registrar
    assert body["data"]["marking"] == "SECRET//ALPHA//NO COPY"
    assert body["data"]["copy_count"] == 3
    assert body["data"]["full_title"] == document.full_title


def test_control_numbers_run_in_sequence_per_unit(org, register):
    first = register()
    second = register()
    other_unit = register(unit=org.north, by=org.registrar)
    assert first.control_number.endswith("-0001")
    assert second.control_number.endswith("-0002")
    assert other_unit.control_number.startswith("NORTH-") and other_unit.control_number.endswith(
        "-0001"
    )


def test_ordinary_worker_is_refused_and_the_attempt_recorded(org, register):
    with pytest.raises(Denied) as refused:
        register("CONFIDENTIAL", by=org.worker)

    assert "registrar" in refused.value.reason
    assert not Document.objects.exists()
    entry = last_entry()
    assert entry.kind == "access.refused"
    assert entry.actor == org.worker
    assert entry.data == {"action": "document:register", "reason": refused.value.reason}


def test_registrar_not_cleared_for_the_marking_is_refused(org, register):
    with pytest.raises(Denied) as refused:
        register("TOP SECRET", by=org.north_registrar, unit=org.north)
    assert "TOP SECRET" in refused.value.reason
    assert not Document.objects.exists()
    assert last_entry().kind == "access.refused"


def test_registrar_of_a_child_unit_cannot_register_for_the_parent(org, register):
    with pytest.raises(Denied) as refused:
        register("SECRET", by=org.north_registrar, unit=org.hq)
    assert "outside yours" in refused.value.reason


def test_security_officer_role_gives_no_right_to_register(org, register):
    with pytest.raises(Denied):
        register("RESTRICTED", by=org.officer)


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"marking": "SECRET//DELTA"}, "marking", "DELTA"),
        ({"marking": "VERY SECRET"}, "marking", "not a level"),
        ({"copies": 0}, "copies", "between 1"),
        ({"pages": "many"}, "pages", "whole number"),
        ({"received_on": date.today() + timedelta(days=1)}, "received_on", "future"),
        ({"received_on": "22/11/2026"}, "received_on", "YYYY-MM-DD"),
        ({"medium": "papyrus"}, "medium", "papyrus"),
        ({"short_title": "   "}, "short_title", "required"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_written(
    org, register, fields, field, words
):
    marking = fields.pop("marking", "SECRET")
    before = last_entry().seq
    with pytest.raises(InvalidInput) as invalid:
        register(marking, **fields)
    assert invalid.value.field == field
    assert words in invalid.value.message
    assert not Document.objects.exists()
    assert not Copy.objects.exists()
    assert last_entry().seq == before


def test_correction_keeps_old_and_new_values_in_the_ledger(org, register):
    document = register("SECRET", pages=4)

    corrected = registry.correct_registration(
        document,
        changes={"pages": 5, "marking": "SECRET//ALPHA"},
        reason="page count and compartment mis-typed",
        by=org.registrar,
    )

    assert corrected.pages == 5
    assert corrected.marking.banner() == "SECRET//ALPHA"
    assert list(corrected.compartment_rows.values_list("code", flat=True)) == ["ALPHA"]
    entry = last_entry()
    assert entry.kind == "document.corrected"
    assert entry.data == {
        "changes": {
            "pages": {"from": 4, "to": 5},
            "compartments": {"from": [], "to": ["ALPHA"]},
        },
        "reason": "page count and compartment mis-typed",
    }


def test_correction_needs_a_reason_and_a_real_change(org, register):
    document = register()
    with pytest.raises(InvalidInput, match="reason"):
        registry.correct_registration(document, changes={"pages": 9}, reason=" ", by=org.registrar)
    with pytest.raises(InvalidInput, match="Nothing to correct"):
        registry.correct_registration(
            document, changes={"pages": document.pages}, reason="check", by=org.registrar
        )
    with pytest.raises(InvalidInput, match="copy_count"):
        registry.correct_registration(
            document, changes={"copy_count": 9}, reason="more", by=org.registrar
        )


def test_correction_to_a_marking_above_the_registrar_is_refused(org, register):
    document = register("SECRET", unit=org.north, by=org.north_registrar)
    with pytest.raises(Denied):
        registry.correct_registration(
            document, changes={"marking": "TOP SECRET"}, reason="upgrade", by=org.north_registrar
        )
    document.refresh_from_db()
    assert document.marking.banner() == "SECRET"
    assert last_entry().kind == "access.refused"


def test_worker_cannot_correct(org, register):
    document = register("RESTRICTED")
    with pytest.raises(Denied):
        registry.correct_registration(document, changes={"pages": 1}, reason="x", by=org.worker)


def test_a_new_marking_must_not_strand_a_copy_with_someone_not_cleared_for_it(org, register):
    from strongroom.services import custody

    document = register("CONFIDENTIAL", copies=2)
    custody.issue_copy(document.copies.get(number=2), to=org.reader, by=org.custodian)
    before = last_entry().seq

    with pytest.raises(InvalidInput) as refused:
        registry.correct_registration(
            document, changes={"marking": "SECRET"}, reason="upgraded by originator",
            by=org.registrar,
        )  # fmt: skip

    assert refused.value.field == "marking"
    assert f"{document.control_number}/2 (rosa)" in refused.value.message
    assert last_entry().seq == before
    custody.return_copy(document.copies.get(number=2), by=org.custodian)
    corrected = registry.correct_registration(
        document, changes={"marking": "SECRET"}, reason="upgraded by originator",
        by=org.registrar,
    )  # fmt: skip
    assert corrected.marking.banner() == "SECRET"
