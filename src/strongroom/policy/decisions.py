"""``decide`` answers every "may X do Y to Z?" with a reason; ``require`` raises on refusal.

A refusal on something the actor may not even see is marked ``visible=False``: adapters answer
"not found" then, exactly as for something that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from strongroom.domain.errors import NotFound, not_found_text
from strongroom.domain.text import Text, gettext_noop
from strongroom.policy import rules
from strongroom.policy.actions import Action
from strongroom.policy.facts import (
    ActorFacts,
    CampaignFacts,
    CopyFacts,
    DocumentFacts,
    HandOverFacts,
    IssueFacts,
    PersonFacts,
    Role,
    System,
    Target,
    UnitFacts,
)

_NO_TEXT = Text("")


@dataclass(frozen=True)
class Decision:
    """``reason`` is English: the ledger records it, byte for byte the same in every language.
    ``text`` is the same reason, translatable, for adapters to show to a person."""

    allowed: bool
    reason: str
    visible: bool = True
    text: Text = field(default=_NO_TEXT, compare=False, repr=False)

    def __post_init__(self) -> None:
        # A Decision built from a plain reason (tests, ALLOWED) is its own, untranslated text.
        if self.text is _NO_TEXT:
            object.__setattr__(self, "text", Text(self.reason))

    @classmethod
    def refusal(cls, reason: Text, *, visible: bool = True) -> Decision:
        return cls(False, str(reason), visible, reason)

    def __bool__(self) -> bool:
        return self.allowed


ALLOWED = Decision(True, "allowed")


class Denied(Exception):
    """A refused action. ``decision.visible`` is False when the target must look non-existent."""

    def __init__(self, action: Action, decision: Decision, target_ref: str) -> None:
        super().__init__(decision.reason)
        self.action = action
        self.decision = decision
        self.target_ref = target_ref
        # Set once the refusal has been written to the ledger, so it is written only once.
        self.recorded = False

    @property
    def reason(self) -> str:
        """Why, in English: what the ledger records."""
        return self.decision.reason

    @property
    def text(self) -> Text:
        """Why, translatable: what a person is shown."""
        return self.decision.text

    def as_not_found(self) -> NotFound:
        """The answer for a target the actor may not see: word for word a missing one."""
        return NotFound(not_found_text(self.target_ref))


def _verdict(reason: rules.Reason) -> Decision:
    return Decision.refusal(reason) if reason else ALLOWED


def _hidden_document(actor: ActorFacts, document: DocumentFacts) -> Decision | None:
    """A document the actor may not see is refused as invisible, whatever else is asked.

    Returns None when visible. (Never chain Decisions with ``or``: a refusal is falsy.)"""
    reason = rules.cleared_for(actor, document.marking)
    return Decision.refusal(reason, visible=False) if reason else None


def _view_document(actor: ActorFacts, target: Target) -> Decision:
    assert isinstance(target, DocumentFacts | CopyFacts)
    document = target.document if isinstance(target, CopyFacts) else target
    hidden = _hidden_document(actor, document)
    return hidden if hidden is not None else ALLOWED


def _register_document(actor: ActorFacts, target: Target) -> Decision:
    assert isinstance(target, DocumentFacts)
    return _verdict(
        rules.first(
            rules.is_active(actor),
            rules.has_any_role(actor, Role.REGISTRAR),
            rules.governs_unit(actor, target.unit_path, gettext_noop("the registering unit")),
            rules.cleared_for(actor, target.marking),
        )
    )


def _correct_document(actor: ActorFacts, target: Target) -> Decision:
    assert isinstance(target, DocumentFacts)
    hidden = _hidden_document(actor, target)
    return hidden if hidden is not None else _register_document(actor, target)


def _handle_copy(actor: ActorFacts, copy: CopyFacts) -> Decision:
    hidden = _hidden_document(actor, copy.document)
    if hidden is not None:
        return hidden
    return _verdict(
        rules.first(
            rules.has_any_role(actor, Role.REGISTRAR, Role.CUSTODIAN),
            rules.governs_unit(actor, copy.document.unit_path, gettext_noop("the copy")),
        )
    )


def _issue_copy(actor: ActorFacts, target: Target) -> Decision:
    assert isinstance(target, IssueFacts)
    decision = _handle_copy(actor, target.copy)
    if not decision:
        return decision
    return _verdict(rules.recipient_may_hold(target.recipient, target.copy.document.marking, actor))


def _return_copy(actor: ActorFacts, target: Target) -> Decision:
    assert isinstance(target, CopyFacts)
    return _handle_copy(actor, target)


def _dispatch_hand_over(actor: ActorFacts, target: Target) -> Decision:
    """The holder sends the copy to a named recipient, who must be eligible for it."""
    assert isinstance(target, HandOverFacts)
    hidden = _hidden_document(actor, target.copy.document)
    if hidden is not None:
        return hidden
    return _verdict(
        rules.first(
            rules.is_active(actor),
            rules.holds(actor, target.copy.holder_id),
            rules.not_to_self(actor, target.recipient),
            rules.recipient_may_hold(target.recipient, target.copy.document.marking, actor),
        )
    )


def _not_the_recipient(actor: ActorFacts, target: HandOverFacts, act: Text) -> Decision:
    hidden = _hidden_document(actor, target.copy.document)
    if hidden is not None:
        return hidden
    return Decision.refusal(
        gettext_noop("only the recipient named in the hand-over may %(act)s it", act=act)
    )


def _accept_hand_over(actor: ActorFacts, target: Target) -> Decision:
    """Eligibility is checked again on receipt: it may have lapsed since the copy was sent."""
    assert isinstance(target, HandOverFacts)
    if actor.person_id != target.recipient.person_id:
        return _not_the_recipient(actor, target, gettext_noop("acknowledge"))
    return _verdict(
        rules.first(rules.is_active(actor), rules.cleared_for(actor, target.copy.document.marking))
    )


def _refuse_hand_over(actor: ActorFacts, target: Target) -> Decision:
    """The recipient may refuse even when no longer cleared: the copy goes back. A suspended
    or departed one may not (nobody inactive may do anything); the sender calls it back."""
    assert isinstance(target, HandOverFacts)
    if actor.person_id != target.recipient.person_id:
        return _not_the_recipient(actor, target, gettext_noop("refuse"))
    return _verdict(rules.is_active(actor))


def _cancel_hand_over(actor: ActorFacts, target: Target) -> Decision:
    """The sender calls the copy back, or the registry of its unit does for a stalled one."""
    assert isinstance(target, HandOverFacts)
    hidden = _hidden_document(actor, target.copy.document)
    if hidden is not None:
        return hidden
    if actor.person_id == target.sender_id:
        return _verdict(rules.is_active(actor))
    return _verdict(
        rules.first(
            rules.is_active(actor),
            rules.has_any_role(actor, Role.REGISTRAR, Role.CUSTODIAN),
            rules.governs_unit(actor, target.copy.document.unit_path, gettext_noop("the copy")),
        )
    )


def _view_hand_over(actor: ActorFacts, target: Target) -> Decision:
    """Its two parties; otherwise whoever may see the document and answers for its unit."""
    assert isinstance(target, HandOverFacts)
    if actor.person_id in (target.sender_id, target.recipient.person_id):
        return _verdict(rules.is_active(actor))
    hidden = _hidden_document(actor, target.copy.document)
    if hidden is not None:
        return hidden
    reason = rules.first(
        rules.has_any_role(
            actor, Role.REGISTRAR, Role.CUSTODIAN, Role.SECURITY_OFFICER, Role.INSPECTOR
        ),
        rules.governs_unit(actor, target.copy.document.unit_path, gettext_noop("the copy")),
    )
    # Not a party and not answerable for it: the hand-over is none of their business.
    return Decision.refusal(reason, visible=False) if reason else ALLOWED


def _create_campaign(actor: ActorFacts, target: Target) -> Decision:
    """Issuing copies to a named list: as issuing each copy, and every recipient must be
    eligible — one who is not refuses the whole campaign, naming everyone who is not."""
    assert isinstance(target, CampaignFacts)
    document = target.document
    hidden = _hidden_document(actor, document)
    if hidden is not None:
        return hidden
    return _verdict(
        rules.first(
            rules.is_active(actor),
            rules.has_any_role(actor, Role.REGISTRAR, Role.CUSTODIAN),
            rules.governs_unit(actor, document.unit_path, gettext_noop("the document")),
            rules.recipients_may_hold(target.recipients, document.marking, actor),
        )
    )


def _view_campaign(actor: ActorFacts, target: Target) -> Decision:
    """Whoever may see the document and answers for its unit; anyone else is answered "not
    found": who holds what is none of their business."""
    assert isinstance(target, CampaignFacts)
    hidden = _hidden_document(actor, target.document)
    if hidden is not None:
        return hidden
    reason = rules.first(
        rules.is_active(actor),
        rules.has_any_role(
            actor, Role.REGISTRAR, Role.CUSTODIAN, Role.SECURITY_OFFICER, Role.INSPECTOR
        ),
        rules.governs_unit(actor, target.document.unit_path, gettext_noop("the campaign")),
    )
    return Decision.refusal(reason, visible=False) if reason else ALLOWED


def _view_incident(actor: ActorFacts, target: Target) -> Decision:
    """The security officers of the incident's unit or above; to anyone else it is not there."""
    assert isinstance(target, UnitFacts)
    reason = rules.first(
        rules.is_active(actor),
        rules.has_any_role(actor, Role.SECURITY_OFFICER),
        rules.governs_unit(actor, target.unit_path, gettext_noop("the incident")),
    )
    return Decision.refusal(reason, visible=False) if reason else ALLOWED


def _set_unit_head(actor: ActorFacts, target: Target) -> Decision:
    """A security officer of the unit or above appoints (or removes) its head."""
    assert isinstance(target, UnitFacts)
    return _verdict(
        rules.first(
            rules.is_active(actor),
            rules.has_any_role(actor, Role.SECURITY_OFFICER),
            rules.governs_unit(actor, target.unit_path, gettext_noop("the unit")),
        )
    )


def _security_staff_over(actor: ActorFacts, unit_path: str, what: Text) -> Decision:
    return _verdict(
        rules.first(
            rules.is_active(actor),
            rules.has_any_role(actor, Role.SECURITY_OFFICER, Role.ADMINISTRATOR),
            rules.governs_unit(actor, unit_path, what),
        )
    )


def _manage_unit(actor: ActorFacts, target: Target) -> Decision:
    assert isinstance(target, UnitFacts)
    return _security_staff_over(actor, target.unit_path, gettext_noop("the unit"))


def _view_unit(actor: ActorFacts, target: Target) -> Decision:
    return _verdict(rules.is_active(actor))


def _manage_person(actor: ActorFacts, target: Target) -> Decision:
    assert isinstance(target, PersonFacts)
    return _security_staff_over(actor, target.unit_path, gettext_noop("the person"))


def _view_person(actor: ActorFacts, target: Target) -> Decision:
    return _verdict(rules.is_active(actor))


def _view_clearance(actor: ActorFacts, target: Target) -> Decision:
    assert isinstance(target, PersonFacts)
    inactive = rules.is_active(actor)
    if inactive:
        return Decision.refusal(inactive)
    if actor.person_id == target.person_id:
        return ALLOWED
    return _verdict(
        rules.first(
            rules.is_active(actor),
            rules.has_any_role(actor, Role.SECURITY_OFFICER, Role.ADMINISTRATOR, Role.INSPECTOR),
            rules.governs_unit(actor, target.unit_path, gettext_noop("the person")),
        )
    )


def _change_clearance(actor: ActorFacts, target: Target) -> Decision:
    """Only a security officer grants or withdraws clearance, never their own."""
    assert isinstance(target, PersonFacts)
    return _verdict(
        rules.first(
            rules.is_active(actor),
            rules.has_any_role(actor, Role.SECURITY_OFFICER),
            rules.governs_unit(actor, target.unit_path, gettext_noop("the person")),
            rules.not_self(actor, target, gettext_noop("grant or withdraw clearance")),
        )
    )


def _verify_ledger(actor: ActorFacts, target: Target) -> Decision:
    assert isinstance(target, System)
    return _verdict(
        rules.first(
            rules.is_active(actor),
            rules.has_any_role(actor, Role.INSPECTOR, Role.SECURITY_OFFICER, Role.ADMINISTRATOR),
        )
    )


_RULES: dict[Action, Callable[[ActorFacts, Target], Decision]] = {
    Action.CAMPAIGN_CREATE: _create_campaign,
    Action.CAMPAIGN_VIEW: _view_campaign,
    Action.CLEARANCE_GRANT: _change_clearance,
    Action.CLEARANCE_REVOKE: _change_clearance,
    Action.CLEARANCE_SUSPEND: _change_clearance,
    Action.CLEARANCE_VIEW: _view_clearance,
    Action.COPY_ISSUE: _issue_copy,
    Action.COPY_RETURN: _return_copy,
    Action.DOCUMENT_CORRECT: _correct_document,
    Action.DOCUMENT_REGISTER: _register_document,
    Action.DOCUMENT_VIEW: _view_document,
    Action.HAND_OVER_ACCEPT: _accept_hand_over,
    Action.HAND_OVER_CANCEL: _cancel_hand_over,
    Action.HAND_OVER_DISPATCH: _dispatch_hand_over,
    Action.HAND_OVER_REFUSE: _refuse_hand_over,
    Action.HAND_OVER_VIEW: _view_hand_over,
    Action.INCIDENT_VIEW: _view_incident,
    Action.LEDGER_VERIFY: _verify_ledger,
    Action.PERSON_MANAGE: _manage_person,
    Action.PERSON_VIEW: _view_person,
    Action.UNIT_MANAGE: _manage_unit,
    Action.UNIT_SET_HEAD: _set_unit_head,
    Action.UNIT_VIEW: _view_unit,
}


def decide(actor: ActorFacts, action: Action, target: Target) -> Decision:
    """May ``actor`` do ``action`` to ``target``? Always an answer with a reason."""
    return _RULES[action](actor, target)


def require(actor: ActorFacts, action: Action, target: Target, target_ref: str) -> None:
    """Raise Denied unless allowed. ``target_ref`` names the target in the refusal record."""
    decision = decide(actor, action, target)
    if not decision:
        raise Denied(action, decision, target_ref)
