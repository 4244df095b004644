"""Translatable text without Django: English by default, any language through a translator."""

from __future__ import annotations

from datetime import date

import pytest

from strongroom.domain.clearance import Clearance, ClearanceStatus, PersonStatus, may_hold_text
from strongroom.domain.custody import CopyState, CustodyEvent, next_state
from strongroom.domain.errors import (
    IllegalTransition,
    InvalidInput,
    InvalidMarking,
    NotFound,
    not_found_text,
)
from strongroom.domain.markings import DEFAULT_SCHEME
from strongroom.domain.text import Text, as_text, gettext_noop
from strongroom.policy import Action, ActorFacts, Decision, Denied, DocumentFacts, Role, decide

# A pretend catalogue: enough to see which parts went through translation.
CATALOGUE = {
    "No document %(control)s in the register.": "Kein Dokument %(control)s im Register.",
    "this needs the role of %(roles)s": "dafür braucht es die Rolle %(roles)s",
    "%(roles)s or %(role)s": "%(roles)s oder %(role)s",
    "registrar": "Registrator",
    "custodian": "Verwahrer",
}


def translate(template: str) -> str:
    return CATALOGUE.get(template, template)


def test_gettext_noop_returns_the_template_unchanged_with_its_params() -> None:
    text = gettext_noop("No document %(control)s in the register.", control="HQ-2026-0001")
    assert isinstance(text, Text)
    assert text.template == "No document %(control)s in the register."
    assert dict(text.params) == {"control": "HQ-2026-0001"}


def test_str_is_the_english_text() -> None:
    text = gettext_noop("No document %(control)s in the register.", control="HQ-2026-0001")
    assert str(text) == "No document HQ-2026-0001 in the register."


def test_render_translates_the_template_then_fills_it_in() -> None:
    text = gettext_noop("No document %(control)s in the register.", control="HQ-2026-0001")
    assert text.render(translate) == "Kein Dokument HQ-2026-0001 im Register."


def test_nested_texts_are_translated_too_and_plain_params_are_not() -> None:
    roles = gettext_noop(
        "%(roles)s or %(role)s", roles=gettext_noop("registrar"), role=gettext_noop("custodian")
    )
    text = gettext_noop("this needs the role of %(roles)s", roles=roles)
    assert str(text) == "this needs the role of registrar or custodian"
    assert text.render(translate) == "dafür braucht es die Rolle Registrator oder Verwahrer"
    # A plain string parameter is data (a name, a control number): never looked up.
    named = gettext_noop("this needs the role of %(roles)s", roles="registrar")
    assert named.render(translate) == "dafür braucht es die Rolle registrar"


def test_a_text_without_params_is_taken_literally() -> None:
    """A wrapped plain message may hold a "%" of its own; it must not be taken as a format."""
    assert str(Text("100% sure")) == "100% sure"
    assert as_text("50% done").render(translate) == "50% done"


def test_as_text_keeps_a_text_and_wraps_a_string() -> None:
    text = gettext_noop("Not found.")
    assert as_text(text) is text
    assert as_text("Not found.") == Text("Not found.")


def test_texts_compare_by_template_and_params_and_can_be_hashed() -> None:
    assert gettext_noop("No unit %(code)s.", code="HQ") == gettext_noop(
        "No unit %(code)s.", code="HQ"
    )
    assert gettext_noop("No unit %(code)s.", code="HQ") != gettext_noop(
        "No unit %(code)s.", code="NORTH"
    )
    assert len({gettext_noop("No unit %(code)s.", code=["unhashable"])}) == 1


def test_the_params_cannot_be_changed_afterwards() -> None:
    params = {"code": "HQ"}
    text = gettext_noop("No unit %(code)s.", **params)
    params["code"] = "NORTH"
    assert str(text) == "No unit HQ."
    with pytest.raises(TypeError):
        text.params["code"] = "SOUTH"  # type: ignore[index]


# --- errors carry both -------------------------------------------------------------------------


def test_a_domain_error_keeps_the_english_message_and_the_translatable_text() -> None:
    error = NotFound(not_found_text("document:HQ-2026-0001"))
    assert error.message == "No document HQ-2026-0001 in the register."
    assert str(error) == error.message
    assert error.text.template == "No document %(control)s in the register."
    assert error.text.render(translate) == "Kein Dokument HQ-2026-0001 im Register."


def test_a_plain_string_message_still_works() -> None:
    error = InvalidInput("Something is wrong.", field="title")
    assert error.message == str(error) == "Something is wrong."
    assert error.text == Text("Something is wrong.")
    assert error.field == "title"


def test_domain_errors_are_raised_with_templates() -> None:
    with pytest.raises(IllegalTransition) as caught:
        next_state(CopyState.HELD, CustodyEvent.ISSUE)
    assert caught.value.message == "The copy is held; only a copy in the registry can be issued."
    assert caught.value.text.template == "The copy is %(state)s; %(explanation)s."

    with pytest.raises(InvalidMarking) as parsed:
        DEFAULT_SCHEME.parse("SECRET//NOPE")
    assert parsed.value.text.template == (
        "%(name)s is neither a compartment (%(compartments)s) nor a caveat (%(caveats)s)."
    )


def test_a_clearance_problem_is_a_text() -> None:
    expired = Clearance(3, frozenset(), ClearanceStatus.ACTIVE, date(2026, 3, 14), date(2026, 1, 1))
    problem = may_hold_text(
        PersonStatus.ACTIVE, expired, DEFAULT_SCHEME.parse("SECRET"), date(2026, 3, 15)
    )
    assert problem is not None
    assert problem.template == "clearance expired on %(date)s"
    assert str(problem) == "clearance expired on 2026-03-14"


# --- policy: the ledger gets English, people get the text --------------------------------------


def staff_actor() -> ActorFacts:
    return ActorFacts(
        person_id=1,
        username="wally",
        unit_path="HQ",
        roles=frozenset({Role.STAFF}),
        status=PersonStatus.ACTIVE,
        clearance=None,
        today=date(2026, 3, 15),
    )


def test_a_refusal_has_an_english_reason_and_a_translatable_text() -> None:
    facts = DocumentFacts(None, "HQ", DEFAULT_SCHEME.parse("UNCLASSIFIED"))
    decision = decide(staff_actor(), Action.DOCUMENT_REGISTER, facts)
    assert decision.reason == "this needs the role of registrar"
    assert decision.reason == str(decision.text)
    assert decision.text.render(translate) == "dafür braucht es die Rolle Registrator"


def test_denied_hands_on_both() -> None:
    decision = Decision.refusal(gettext_noop("this needs the role of %(roles)s", roles="x"))
    denied = Denied(Action.DOCUMENT_REGISTER, decision, "unit:HQ")
    assert denied.reason == str(denied) == "this needs the role of x"
    assert denied.text is decision.text


def test_a_decision_built_from_a_plain_reason_is_its_own_text() -> None:
    decision = Decision(False, "no")
    assert decision.text == Text("no")
    assert decision == Decision.refusal(Text("no"))
