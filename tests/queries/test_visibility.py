"""Lists and single views apply one rule: what decide() allows is exactly what lists show."""

from __future__ import annotations

from datetime import date

import pytest

from strongroom.domain.clearance import PersonStatus
from strongroom.domain.errors import NotFound
from strongroom.models import Document
from strongroom.policy import Action, Denied, decide
from strongroom.policy.querysets import visible_documents
from strongroom.queries import documents
from strongroom.services import clearances, people

MARKINGS = [
    "UNCLASSIFIED",
    "UNCLASSIFIED//ALPHA",
    "RESTRICTED",
    "CONFIDENTIAL",
    "CONFIDENTIAL//NO COPY",
    "SECRET",
    "SECRET//ALPHA",
    "SECRET//ALPHA/BRAVO",
    "SECRET//BRAVO",
    "TOP SECRET",
    "TOP SECRET//BRAVO//NO FOREIGN",
]


@pytest.fixture
def mixed_register(org, register):
    return [register(marking, short_title=marking) for marking in MARKINGS]


def test_list_filter_and_decide_agree_for_every_persona(org, mixed_register):
    clearances.suspend_clearance(org.custodian, reason="inquiry", by=org.officer)
    people.set_status(
        org.north_registrar, status=PersonStatus.SUSPENDED, reason="x", by=org.officer
    )
    for persona in (
        org.officer,
        org.second_officer,
        org.registrar,
        org.north_registrar,
        org.custodian,
        org.reader,
        org.worker,
        org.inspector,
    ):
        facts = persona.facts(date.today())
        listed = set(visible_documents(facts, Document.objects.all()).values_list("pk", flat=True))
        allowed = {
            d.pk for d in Document.objects.all() if decide(facts, Action.DOCUMENT_VIEW, d.facts())
        }
        assert listed == allowed, persona.username


def test_what_each_persona_sees(org, mixed_register):
    def seen(persona):
        return sorted(d.short_title for d in documents.register(persona))

    assert seen(org.worker) == ["UNCLASSIFIED"]
    assert seen(org.officer) == ["UNCLASSIFIED"]  # the role alone opens nothing
    assert seen(org.reader) == [
        "CONFIDENTIAL",
        "CONFIDENTIAL//NO COPY",
        "RESTRICTED",
        "UNCLASSIFIED",
    ]
    assert "SECRET//ALPHA" in seen(org.custodian)
    assert "SECRET//BRAVO" not in seen(org.custodian)
    assert len(seen(org.inspector)) == len(MARKINGS)


def test_hidden_document_answers_exactly_like_a_missing_one(org, mixed_register):
    secret = next(d for d in mixed_register if d.short_title == "SECRET")
    with pytest.raises(Denied) as hidden:
        documents.document(org.worker, secret.control_number)
    with pytest.raises(NotFound) as missing:
        documents.document(org.worker, "HQ-2026-9999")
    assert hidden.value.decision.visible is False
    assert hidden.value.reason != missing.value.message  # the reason is for the ledger only
    assert str(missing.value) == "No document HQ-2026-9999 in the register."


def test_register_search_and_filters(org, mixed_register):
    found = documents.register(org.inspector, documents.RegisterFilter(text="alpha bravo"))
    assert [d.short_title for d in found] == ["SECRET//ALPHA/BRAVO"]
    by_level = documents.register(org.inspector, documents.RegisterFilter(level=4))
    assert {d.short_title for d in by_level} == {"TOP SECRET", "TOP SECRET//BRAVO//NO FOREIGN"}


def test_copy_history_tells_where_it_is_and_who_held_it(org, register):
    from strongroom.services import custody

    document = register("CONFIDENTIAL", copies=2)
    custody.issue_copy(document.copies.get(number=2), to=org.reader, by=org.custodian)
    custody.return_copy(document.copies.get(number=2), by=org.custodian)
    copy = documents.copy(org.custodian, f"{document.control_number}/2")
    steps = documents.copy_history(copy)
    assert [(s.kind, s.state, s.holder, s.actor) for s in steps] == [
        ("document.registered", "in_registry", None, "rita"),
        ("copy.issued", "held", "rosa", "carl"),
        ("copy.returned", "in_registry", None, "carl"),
    ]
