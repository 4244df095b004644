"""``decide`` answers every "may X do Y to Z?" with a reason; ``require`` raises on refusal.

A refusal on something the actor may not even see is marked ``visible=False``: adapters answer
"not found" then, exactly as for something that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from strongroom.domain.errors import NotFound, not_found_text
from strongroom.domain.markings import Marking
from strongroom.domain.text import Text, gettext_noop
from strongroom.policy import rules
from strongroom.policy.actions import Action
from strongroom.policy.facts import (
    DUTY_ROLES,
    ActorFacts,
    AuthorisationFacts,
    CampaignFacts,
    CheckOutFacts,
    CopyFacts,
    DelegationFacts,
    DestructionFacts,
    DocumentFacts,
    Duty,
    HandOverFacts,
    IssueFacts,
    PersonFacts,
    ReproductionFacts,
    Role,
    SendFacts,
    System,
    Target,
    TransitFacts,
    UnitFacts,
    within,
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
    # Allowed only through a delegation: the delegator's username, for the ledger entry.
    on_behalf_of: str | None = None

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


def _delegated(
    actor: ActorFacts, duty: Duty, unit_path: str, marking: Marking, refusal: rules.Reason
) -> Decision:
    """``refusal`` stands unless a delegation in force covers the unit and the marking, and
    the delegate is active and cleared for the marking themselves."""
    if not refusal:
        return ALLOWED
    if rules.first(rules.is_active(actor), rules.cleared_for(actor, marking)):
        return Decision.refusal(refusal)
    for delegation in actor.delegations:
        if (
            delegation.duty is duty
            and within(unit_path, delegation.unit_path)
            and marking.rank <= delegation.max_rank
            and marking.compartments <= delegation.compartments
            and actor.today <= delegation.ends_on
        ):
            return Decision(True, "allowed", on_behalf_of=delegation.delegator)
    return Decision.refusal(refusal)


def _register_document(actor: ActorFacts, target: Target) -> Decision:
    assert isinstance(target, DocumentFacts)
    return _delegated(
        actor,
        Duty.REGISTER,
        target.unit_path,
        target.marking,
        rules.first(
            rules.is_active(actor),
            rules.has_any_role(actor, Role.REGISTRAR),
            rules.governs_unit(actor, target.unit_path, gettext_noop("the registering unit")),
            rules.cleared_for(actor, target.marking),
        ),
    )


def _correct_document(actor: ActorFacts, target: Target) -> Decision:
    """Corrections stay with registrars themselves: a delegation covers new registrations."""
    assert isinstance(target, DocumentFacts)
    hidden = _hidden_document(actor, target)
    if hidden is not None:
        return hidden
    return _verdict(
        rules.first(
            rules.is_active(actor),
            rules.has_any_role(actor, Role.REGISTRAR),
            rules.governs_unit(actor, target.unit_path, gettext_noop("the registering unit")),
            rules.cleared_for(actor, target.marking),
        )
    )


def _handle_copy(actor: ActorFacts, copy: CopyFacts) -> Decision:
    hidden = _hidden_document(actor, copy.document)
    if hidden is not None:
        return hidden
    return _delegated(
        actor,
        Duty.HANDLE_COPIES,
        copy.unit_path,
        copy.document.marking,
        rules.first(
            rules.has_any_role(actor, Role.REGISTRAR, Role.CUSTODIAN),
            rules.governs_unit(actor, copy.unit_path, gettext_noop("the copy")),
        ),
    )


def _issue_copy(actor: ActorFacts, target: Target) -> Decision:
    assert isinstance(target, IssueFacts)
    decision = _handle_copy(actor, target.copy)
    if not decision:
        return decision
    recipient = rules.recipient_may_hold(target.recipient, target.copy.document.marking, actor)
    return Decision.refusal(recipient) if recipient else decision


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


def _party_or_registry(actor: ActorFacts, copy: CopyFacts, party_id: int) -> Decision:
    """The party who started something (a sender, a destroyer) while active, or an active
    registrar or custodian of the copy's unit who may see it (for one that has stalled)."""
    hidden = _hidden_document(actor, copy.document)
    if hidden is not None:
        return hidden
    if actor.person_id == party_id:
        return _verdict(rules.is_active(actor))
    return _verdict(
        rules.first(
            rules.is_active(actor),
            rules.has_any_role(actor, Role.REGISTRAR, Role.CUSTODIAN),
            rules.governs_unit(actor, copy.unit_path, gettext_noop("the copy")),
        )
    )


def _answerable_for(actor: ActorFacts, copy: CopyFacts) -> Decision:
    """Someone who may see the document and answers for its unit: its registry, custodians,
    security officers and inspectors. Anyone else is refused as if there were nothing there."""
    hidden = _hidden_document(actor, copy.document)
    if hidden is not None:
        return hidden
    reason = rules.first(
        rules.has_any_role(
            actor, Role.REGISTRAR, Role.CUSTODIAN, Role.SECURITY_OFFICER, Role.INSPECTOR
        ),
        rules.governs_unit(actor, copy.unit_path, gettext_noop("the copy")),
    )
    # Not a party and not answerable for it: none of their business.
    return Decision.refusal(reason, visible=False) if reason else ALLOWED


def _view_between(
    actor: ActorFacts, copy: CopyFacts, party_ids: tuple[int | None, ...]
) -> Decision:
    """Its parties while active; otherwise whoever may see the document and answers for its
    unit. Anyone else is answered as if it did not exist."""
    if actor.person_id in party_ids:
        return _verdict(rules.is_active(actor))
    return _answerable_for(actor, copy)


def _cancel_hand_over(actor: ActorFacts, target: Target) -> Decision:
    """The sender calls the copy back, or the registry of its unit does for a stalled one."""
    assert isinstance(target, HandOverFacts)
    return _party_or_registry(actor, target.copy, target.sender_id)


def _view_hand_over(actor: ActorFacts, target: Target) -> Decision:
    assert isinstance(target, HandOverFacts)
    return _view_between(actor, target.copy, (target.sender_id, target.recipient.person_id))


def _lend_check_out(actor: ActorFacts, target: Target) -> Decision:
    """The registry lends a copy for reading (e.g. in its reading room) to an eligible reader."""
    assert isinstance(target, CheckOutFacts)
    decision = _handle_copy(actor, target.copy)
    if not decision:
        return decision
    reason = rules.first(
        rules.is_active(actor),
        rules.reader_may_hold(target.reader, target.copy.document.marking, actor),
    )
    # Allowed, the decision keeps whose behalf it was done on, under a delegation.
    return Decision.refusal(reason) if reason else decision


def _return_check_out(actor: ActorFacts, target: Target) -> Decision:
    """The reader hands the copy back at the desk; the registry checks it in."""
    assert isinstance(target, CopyFacts)
    decision = _handle_copy(actor, target)
    inactive = rules.is_active(actor)
    return Decision.refusal(inactive) if decision and inactive else decision


def _view_check_out(actor: ActorFacts, target: Target) -> Decision:
    """The reader and the one who lent it; otherwise whoever answers for the copy's unit."""
    assert isinstance(target, CheckOutFacts)
    return _view_between(actor, target.copy, (target.reader.person_id, target.lent_by_id))


def _grant_delegation(actor: ActorFacts, target: Target) -> Decision:
    """Only someone who holds the duty may hand it on, within their own unit and clearance,
    to another active person cleared for everything it covers, for a limited time."""
    assert isinstance(target, DelegationFacts)
    return _verdict(
        rules.first(
            rules.is_active(actor),
            rules.has_any_role(actor, *DUTY_ROLES[target.duty]),
            rules.governs_unit(actor, target.unit_path, gettext_noop("the unit")),
            rules.cleared_for(actor, target.marking),
            rules.not_self(actor, target.delegate, gettext_noop("delegate a duty")),
            rules.delegate_may_hold(target.delegate, target.marking, actor),
        )
    )


def _request_reproduction(actor: ActorFacts, target: Target) -> Decision:
    """A registrar or custodian answerable for the document asks for more copies of it; nobody
    may ask for copies of a NO COPY document, whatever their role."""
    assert isinstance(target, ReproductionFacts)
    document = target.document
    hidden = _hidden_document(actor, document)
    if hidden is not None:
        return hidden
    return _verdict(
        rules.first(
            rules.is_active(actor),
            rules.may_be_copied(document.marking),
            rules.has_any_role(actor, Role.REGISTRAR, Role.CUSTODIAN),
            rules.governs_unit(actor, document.unit_path, gettext_noop("the document")),
        )
    )


def _revoke_delegation(actor: ActorFacts, target: Target) -> Decision:
    """The delegator ends it, or a security officer of the unit does."""
    assert isinstance(target, DelegationFacts)
    if actor.person_id == target.delegator_id:
        return _verdict(rules.is_active(actor))
    return _security_staff_over(actor, target.unit_path, gettext_noop("the delegation"))


def _view_delegation(actor: ActorFacts, target: Target) -> Decision:
    """Its two parties, and the security staff of its unit; nobody else learns of it."""
    assert isinstance(target, DelegationFacts)
    if actor.person_id in (target.delegator_id, target.delegate.person_id):
        return _verdict(rules.is_active(actor))
    decision = _security_staff_over(actor, target.unit_path, gettext_noop("the delegation"))
    return decision if decision else Decision.refusal(decision.text, visible=False)


def _view_reproduction(actor: ActorFacts, target: Target) -> Decision:
    """Whoever asked, or whoever answers for the document's unit; all of them must still be
    able to see the document, as the request names it."""
    assert isinstance(target, ReproductionFacts)
    hidden = _hidden_document(actor, target.document)
    if hidden is not None:
        return hidden
    if actor.person_id == target.requester_id:
        return _verdict(rules.is_active(actor))
    reason = rules.first(
        rules.has_any_role(
            actor, Role.REGISTRAR, Role.CUSTODIAN, Role.SECURITY_OFFICER, Role.INSPECTOR
        ),
        rules.governs_unit(actor, target.document.unit_path, gettext_noop("the document")),
    )
    # Not the requester and not answerable for the document: none of their business.
    return Decision.refusal(reason, visible=False) if reason else ALLOWED


def _hidden_reproduction(actor: ActorFacts, target: ReproductionFacts) -> Decision | None:
    """A request the actor may not see is refused as invisible, whatever else is asked."""
    view = _view_reproduction(actor, target)
    return None if view.allowed or view.visible else view


def _decide_reproduction(actor: ActorFacts, target: Target, *, approving: bool) -> Decision:
    """The authority: an active registrar of the document's unit or above, cleared for the
    marking, other than the requester. Approving checks NO COPY again, as the marking may have
    been corrected since the request."""
    assert isinstance(target, ReproductionFacts)
    hidden = _hidden_reproduction(actor, target)
    if hidden is not None:
        return hidden
    return _verdict(
        rules.first(
            rules.is_active(actor),
            rules.has_any_role(actor, Role.REGISTRAR),
            rules.governs_unit(actor, target.document.unit_path, gettext_noop("the document")),
            rules.not_the_requester(actor, target.requester_id),
            rules.may_be_copied(target.document.marking) if approving else None,
        )
    )


def _approve_reproduction(actor: ActorFacts, target: Target) -> Decision:
    return _decide_reproduction(actor, target, approving=True)


def _refuse_reproduction(actor: ActorFacts, target: Target) -> Decision:
    return _decide_reproduction(actor, target, approving=False)


def _withdraw_reproduction(actor: ActorFacts, target: Target) -> Decision:
    assert isinstance(target, ReproductionFacts)
    hidden = _hidden_reproduction(actor, target)
    if hidden is not None:
        return hidden
    if actor.person_id != target.requester_id:
        return Decision.refusal(
            gettext_noop("only the person who asked for a reproduction may withdraw it")
        )
    return _verdict(rules.is_active(actor))


def _propose_destruction(actor: ActorFacts, target: Target) -> Decision:
    """Registry staff of the copy's unit put it forward, naming a witness: another person who
    may hold the marking. Not under a delegation: handling copies is issuing them and taking
    them back, and destroying one stays with the registry itself."""
    assert isinstance(target, DestructionFacts)
    hidden = _hidden_document(actor, target.copy.document)
    if hidden is not None:
        return hidden
    return _verdict(
        rules.first(
            rules.has_any_role(actor, Role.REGISTRAR, Role.CUSTODIAN),
            rules.governs_unit(actor, target.copy.unit_path, gettext_noop("the copy")),
            rules.is_active(actor),
            rules.two_people(actor.person_id, target.witness.person_id),
            rules.party_may_hold(
                target.witness, target.copy.document.marking, actor, gettext_noop("the witness")
            ),
        )
    )


def _not_the_witness(actor: ActorFacts, target: DestructionFacts, act: Text) -> Decision:
    hidden = _hidden_document(actor, target.copy.document)
    if hidden is not None:
        return hidden
    return Decision.refusal(
        gettext_noop("only the witness named in the destruction may %(act)s it", act=act)
    )


def _witness_destruction(actor: ActorFacts, target: Target) -> Decision:
    """The named witness countersigns; both signatories must still be eligible right now."""
    assert isinstance(target, DestructionFacts)
    if actor.person_id != target.witness.person_id:
        return _not_the_witness(actor, target, gettext_noop("countersign"))
    marking = target.copy.document.marking
    return _verdict(
        rules.first(
            rules.is_active(actor),
            rules.cleared_for(actor, marking),
            rules.two_people(target.destroyer.person_id, actor.person_id),
            rules.party_may_hold(target.destroyer, marking, actor, gettext_noop("the destroyer")),
        )
    )


def _refuse_destruction(actor: ActorFacts, target: Target) -> Decision:
    """The witness may refuse even when no longer cleared: refusing destroys nothing."""
    assert isinstance(target, DestructionFacts)
    if actor.person_id != target.witness.person_id:
        return _not_the_witness(actor, target, gettext_noop("refuse"))
    return _verdict(rules.is_active(actor))


def _withdraw_destruction(actor: ActorFacts, target: Target) -> Decision:
    """The destroyer withdraws it, or the registry of the copy's unit does for a stalled one
    (say, a witness who has left)."""
    assert isinstance(target, DestructionFacts)
    return _party_or_registry(actor, target.copy, target.destroyer.person_id)


def _view_destruction(actor: ActorFacts, target: Target) -> Decision:
    assert isinstance(target, DestructionFacts)
    parties = (target.destroyer.person_id, target.witness.person_id)
    return _view_between(actor, target.copy, parties)


def _send_transit(actor: ActorFacts, target: Target) -> Decision:
    """The registry that answers for the copy sends it with a courier who may carry it: active,
    cleared for its marking, and authorised as a courier today for at least its level."""
    assert isinstance(target, SendFacts)
    hidden = _hidden_document(actor, target.copy.document)
    if hidden is not None:
        return hidden
    marking = target.copy.document.marking
    return _verdict(
        rules.first(
            rules.is_active(actor),
            rules.has_any_role(actor, Role.REGISTRAR, Role.CUSTODIAN),
            rules.governs_unit(actor, target.copy.unit_path, gettext_noop("the copy")),
            rules.courier_may_hold(target.courier, marking, actor),
            rules.courier_authorised(target.authorisations, marking, actor),
        )
    )


def _registry_of(actor: ActorFacts, target: TransitFacts, *more: rules.Reason) -> Decision:
    """A registrar or custodian of one end of the transit who may see the document, and
    (``more``) the rules of that end; never the courier, whose word is what a receipt checks."""
    hidden = _hidden_document(actor, target.copy.document)
    if hidden is not None:
        return hidden
    return _verdict(
        rules.first(
            rules.is_active(actor),
            rules.has_any_role(actor, Role.REGISTRAR, Role.CUSTODIAN),
            *more,
            rules.not_the_courier(actor, target.courier_id),
        )
    )


def _receive_transit(actor: ActorFacts, target: Target) -> Decision:
    """The destination registry signs for the copy the courier brings: someone other than the
    courier and the sender, or the receipt proves nothing."""
    assert isinstance(target, TransitFacts)
    return _registry_of(
        actor,
        target,
        rules.governs_unit(actor, target.to_unit_path, gettext_noop("the destination registry")),
        rules.not_the_sender(actor, target.dispatched_by_id),
    )


def _confirm_transit_receipt(actor: ActorFacts, target: Target) -> Decision:
    """The sending registry records that the signed receipt has come back to it."""
    assert isinstance(target, TransitFacts)
    return _registry_of(
        actor,
        target,
        rules.governs_unit(actor, target.from_unit_path, gettext_noop("the sending registry")),
    )


def _view_transit(actor: ActorFacts, target: Target) -> Decision:
    """Who sent it and who carries it; otherwise whoever may see the document and answers for
    either end."""
    assert isinstance(target, TransitFacts)
    if actor.person_id in (target.dispatched_by_id, target.courier_id):
        return _verdict(rules.is_active(actor))
    hidden = _hidden_document(actor, target.copy.document)
    if hidden is not None:
        return hidden
    reason = rules.first(
        rules.has_any_role(
            actor, Role.REGISTRAR, Role.CUSTODIAN, Role.SECURITY_OFFICER, Role.INSPECTOR
        ),
        rules.governs_either(
            actor, (target.from_unit_path, target.to_unit_path), gettext_noop("the transit")
        ),
    )
    # Neither a party nor answerable for either end: none of their business.
    return Decision.refusal(reason, visible=False) if reason else ALLOWED


_COURIER_ACT = gettext_noop("grant or withdraw a courier authorisation")


def _authorise_courier(actor: ActorFacts, target: Target) -> Decision:
    """A security officer of the courier's unit or above, never for themselves, for someone
    cleared for the level."""
    assert isinstance(target, AuthorisationFacts)
    return _verdict(
        rules.first(
            rules.is_active(actor),
            rules.has_any_role(actor, Role.SECURITY_OFFICER),
            rules.governs_unit(actor, target.courier.unit_path, gettext_noop("the person")),
            rules.not_self(actor, target.courier, _COURIER_ACT),
            rules.courier_may_hold(target.courier, target.level, actor),
        )
    )


def _revoke_courier(actor: ActorFacts, target: Target) -> Decision:
    assert isinstance(target, PersonFacts)
    return _verdict(
        rules.first(
            rules.is_active(actor),
            rules.has_any_role(actor, Role.SECURITY_OFFICER),
            rules.governs_unit(actor, target.unit_path, gettext_noop("the person")),
            rules.not_self(actor, target, _COURIER_ACT),
        )
    )


def _view_courier(actor: ActorFacts, target: Target) -> Decision:
    """The courier themselves; or anyone who authorises couriers or sends copies with them,
    over the courier's unit."""
    assert isinstance(target, PersonFacts)
    if actor.person_id == target.person_id:
        return _verdict(rules.is_active(actor))
    return _verdict(
        rules.first(
            rules.is_active(actor),
            rules.has_any_role(
                actor,
                Role.SECURITY_OFFICER,
                Role.ADMINISTRATOR,
                Role.INSPECTOR,
                Role.REGISTRAR,
                Role.CUSTODIAN,
            ),
            rules.governs_unit(actor, target.unit_path, gettext_noop("the person")),
        )
    )


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


def _export_ledger(actor: ActorFacts, target: Target) -> Decision:
    """An inspection bundle of a unit: its entries carry what the ledger carries; those about
    documents the exporter may not see are withheld by the export itself (services/bundles.py)."""
    assert isinstance(target, UnitFacts)
    return _verdict(
        rules.first(
            rules.is_active(actor),
            rules.has_any_role(actor, Role.INSPECTOR, Role.SECURITY_OFFICER, Role.ADMINISTRATOR),
            rules.governs_unit(actor, target.unit_path, gettext_noop("the unit")),
        )
    )


_RULES: dict[Action, Callable[[ActorFacts, Target], Decision]] = {
    Action.CAMPAIGN_CREATE: _create_campaign,
    Action.CAMPAIGN_VIEW: _view_campaign,
    Action.CHECK_OUT_LEND: _lend_check_out,
    Action.CHECK_OUT_RETURN: _return_check_out,
    Action.CHECK_OUT_VIEW: _view_check_out,
    Action.CLEARANCE_GRANT: _change_clearance,
    Action.CLEARANCE_REVOKE: _change_clearance,
    Action.CLEARANCE_SUSPEND: _change_clearance,
    Action.CLEARANCE_VIEW: _view_clearance,
    Action.COPY_ISSUE: _issue_copy,
    Action.COPY_RETURN: _return_copy,
    Action.COURIER_AUTHORISE: _authorise_courier,
    Action.COURIER_REVOKE: _revoke_courier,
    Action.COURIER_VIEW: _view_courier,
    Action.DELEGATION_GRANT: _grant_delegation,
    Action.DELEGATION_REVOKE: _revoke_delegation,
    Action.DELEGATION_VIEW: _view_delegation,
    Action.DESTRUCTION_PROPOSE: _propose_destruction,
    Action.DESTRUCTION_REFUSE: _refuse_destruction,
    Action.DESTRUCTION_VIEW: _view_destruction,
    Action.DESTRUCTION_WITHDRAW: _withdraw_destruction,
    Action.DESTRUCTION_WITNESS: _witness_destruction,
    Action.DOCUMENT_CORRECT: _correct_document,
    # The registry that answers for the document, cleared for its present (higher) marking.
    Action.DOCUMENT_DOWNGRADE: _correct_document,
    Action.DOCUMENT_REGISTER: _register_document,
    Action.DOCUMENT_VIEW: _view_document,
    Action.HAND_OVER_ACCEPT: _accept_hand_over,
    Action.HAND_OVER_CANCEL: _cancel_hand_over,
    Action.HAND_OVER_DISPATCH: _dispatch_hand_over,
    Action.HAND_OVER_REFUSE: _refuse_hand_over,
    Action.HAND_OVER_VIEW: _view_hand_over,
    Action.INCIDENT_VIEW: _view_incident,
    # Signing a checkpoint now, rather than at the periodic job's next turn, discloses nothing
    # (a size and a root), and is asked for by those who verify.
    Action.LEDGER_CHECKPOINT: _verify_ledger,
    Action.LEDGER_EXPORT: _export_ledger,
    Action.LEDGER_VERIFY: _verify_ledger,
    Action.PERSON_MANAGE: _manage_person,
    Action.PERSON_VIEW: _view_person,
    Action.REPRODUCTION_APPROVE: _approve_reproduction,
    Action.REPRODUCTION_REFUSE: _refuse_reproduction,
    Action.REPRODUCTION_REQUEST: _request_reproduction,
    Action.REPRODUCTION_VIEW: _view_reproduction,
    Action.REPRODUCTION_WITHDRAW: _withdraw_reproduction,
    Action.TRANSIT_CONFIRM_RECEIPT: _confirm_transit_receipt,
    Action.TRANSIT_RECEIVE: _receive_transit,
    Action.TRANSIT_SEND: _send_transit,
    Action.TRANSIT_VIEW: _view_transit,
    Action.UNIT_MANAGE: _manage_unit,
    Action.UNIT_SET_HEAD: _set_unit_head,
    Action.UNIT_VIEW: _view_unit,
}


def decide(actor: ActorFacts, action: Action, target: Target) -> Decision:
    """May ``actor`` do ``action`` to ``target``? Always an answer with a reason."""
    return _RULES[action](actor, target)


def require(actor: ActorFacts, action: Action, target: Target, target_ref: str) -> Decision:
    """Raise Denied unless allowed. ``target_ref`` names the target in the refusal record.

    Returns the decision: it says whether the act is done on a delegator's behalf."""
    decision = decide(actor, action, target)
    if not decision:
        raise Denied(action, decision, target_ref)
    return decision
