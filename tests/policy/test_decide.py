"""``decide`` and ``require`` with named personas, built from plain facts (no database).

The organisation: HQ with NORTH below it and NCITY below NORTH; SOUTH beside NORTH.
Every Action has at least one allowed and one denied case in CASES; a new Action without both
fails ``test_every_action_has_an_allowed_and_a_denied_case``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from strongroom.domain.clearance import Clearance, ClearanceStatus, PersonStatus
from strongroom.domain.markings import DEFAULT_SCHEME, Marking
from strongroom.domain.transport import CourierAuthorisation
from strongroom.policy import (
    Action,
    ActorFacts,
    CampaignFacts,
    CopyFacts,
    Decision,
    Denied,
    DocumentFacts,
    IssueFacts,
    PersonFacts,
    Role,
    System,
    UnitFacts,
    decide,
    require,
)
from strongroom.policy.facts import (
    DUTY_ROLES,
    AuthorisationFacts,
    CheckOutFacts,
    DelegatedDuty,
    DelegationFacts,
    DestructionFacts,
    Duty,
    HandOverFacts,
    ReproductionFacts,
    SendFacts,
    Target,
    TransitFacts,
    within,
)

TODAY = date(2026, 3, 15)
HQ = "HQ"
NORTH = "HQ/NORTH"
NCITY = "HQ/NORTH/NCITY"
SOUTH = "HQ/SOUTH"


# --- building facts --------------------------------------------------------------------------


def marking(banner: str) -> Marking:
    return DEFAULT_SCHEME.parse(banner)


def clearance(
    banner: str,
    *,
    status: ClearanceStatus = ClearanceStatus.ACTIVE,
    expires_on: date | None = TODAY + timedelta(days=365),
    briefed_on: date | None = TODAY - timedelta(days=30),
) -> Clearance:
    """A clearance reaching the level and compartments of ``banner``; valid today by default."""
    reach = marking(banner)
    return Clearance(reach.rank, reach.compartments, status, expires_on, briefed_on)


def person(
    person_id: int,
    username: str,
    unit_path: str,
    *roles: Role,
    cleared: str | None = None,
    status: PersonStatus = PersonStatus.ACTIVE,
) -> ActorFacts:
    return ActorFacts(
        person_id=person_id,
        username=username,
        unit_path=unit_path,
        roles=frozenset(roles),
        status=status,
        clearance=clearance(cleared) if cleared else None,
        today=TODAY,
    )


def as_target(actor: ActorFacts) -> PersonFacts:
    """The same person as the target of an action."""
    return PersonFacts(actor.person_id, actor.unit_path, actor.status, actor.clearance)


def document(banner: str = "SECRET", unit_path: str = HQ, document_id: int = 101) -> DocumentFacts:
    return DocumentFacts(document_id, unit_path, marking(banner))


def new_document(banner: str = "SECRET", unit_path: str = HQ) -> DocumentFacts:
    """A document about to be registered: it has no id yet."""
    return DocumentFacts(None, unit_path, marking(banner))


def copy(banner: str = "SECRET", unit_path: str = HQ, holder_id: int | None = None) -> CopyFacts:
    return CopyFacts(1001, document(banner, unit_path), holder_id, unit_path)


def issue(banner: str, recipient: PersonFacts, unit_path: str = HQ) -> IssueFacts:
    return IssueFacts(copy(banner, unit_path), recipient)


def hand_over(
    banner: str, sender: ActorFacts, recipient: ActorFacts | PersonFacts, unit_path: str = HQ
) -> HandOverFacts:
    """``sender`` holds (or held, until the recipient acknowledges) a copy of ``banner``."""
    to = recipient if isinstance(recipient, PersonFacts) else as_target(recipient)
    return HandOverFacts(copy(banner, unit_path, sender.person_id), sender.person_id, to)


def delegation(
    delegator: ActorFacts,
    delegate: ActorFacts | PersonFacts,
    duty: Duty = Duty.REGISTER,
    level: str = "SECRET",
    unit_path: str | None = None,
) -> DelegationFacts:
    """``delegator`` hands ``duty`` up to ``level`` to ``delegate``, over the delegator's own unit
    unless ``unit_path`` says otherwise (as the service always does)."""
    to = delegate if isinstance(delegate, PersonFacts) else as_target(delegate)
    return DelegationFacts(
        delegator.person_id, to, duty, unit_path or delegator.unit_path, marking(level)
    )


def delegated(
    duty: Duty = Duty.REGISTER,
    delegator: str = "rita",
    unit_path: str = HQ,
    level: str = "SECRET",
    ends_on: date = TODAY + timedelta(days=7),
    compartments: frozenset[str] | None = None,
) -> DelegatedDuty:
    """A duty held for now on ``delegator``'s behalf, as Person.facts hands it to the rules (only
    those in force today, whose delegator is still active, still holds the duty and is still
    cleared for it); ``compartments`` are the delegator's (rita: ALPHA, BRAVO; carl: ALPHA)."""
    if compartments is None:
        compartments = DELEGATOR_COMPARTMENTS.get(delegator, frozenset())
    return DelegatedDuty(duty, delegator, unit_path, marking(level).rank, ends_on, compartments)


DELEGATOR_COMPARTMENTS = {"rita": frozenset({"ALPHA", "BRAVO"}), "carl": frozenset({"ALPHA"})}


def acting_for(actor: ActorFacts, *duties: DelegatedDuty) -> ActorFacts:
    """``actor`` holding ``duties`` by delegation."""
    return dataclasses.replace(actor, delegations=duties)


def reproduction(banner: str, requester: ActorFacts, unit_path: str = HQ) -> ReproductionFacts:
    """``requester`` asks for copies of a document of ``banner`` registered at ``unit_path``."""
    return ReproductionFacts(document(banner, unit_path), requester.person_id)


def check_out(
    banner: str,
    reader: ActorFacts | PersonFacts,
    unit_path: str = HQ,
    lent_by: ActorFacts | None = None,
) -> CheckOutFacts:
    """A copy of ``banner`` lent (or about to be, without ``lent_by``) to ``reader``."""
    to = reader if isinstance(reader, PersonFacts) else as_target(reader)
    lender = lent_by.person_id if lent_by is not None else None
    holder = to.person_id if lent_by is not None else None
    return CheckOutFacts(copy(banner, unit_path, holder), to, lender)


def destruction(
    banner: str, destroyer: ActorFacts, witness: ActorFacts | PersonFacts, unit_path: str = HQ
) -> DestructionFacts:
    """``destroyer`` puts a copy of ``banner`` (in its registry) forward, naming ``witness``."""
    named = witness if isinstance(witness, PersonFacts) else as_target(witness)
    return DestructionFacts(copy(banner, unit_path), as_target(destroyer), named)


def authorised(
    level: str = "SECRET", *, start: int = -30, end: int = 30, revoked: bool = False
) -> CourierAuthorisation:
    """A courier authorisation up to ``level``, from ``start`` to ``end`` days from TODAY."""
    return CourierAuthorisation(
        DEFAULT_SCHEME.rank(level),
        TODAY + timedelta(days=start),
        TODAY + timedelta(days=end),
        revoked,
    )


def send(
    banner: str,
    courier: ActorFacts | PersonFacts,
    *,
    to: str = NORTH,
    unit_path: str = HQ,
    authorisations: tuple[CourierAuthorisation, ...] = (authorised(),),
) -> SendFacts:
    """Sending a copy of a ``banner`` document, now in ``unit_path``'s registry, to ``to``."""
    carrier = courier if isinstance(courier, PersonFacts) else as_target(courier)
    return SendFacts(copy(banner, unit_path), to, carrier, authorisations)


def transit(
    banner: str = "SECRET",
    *,
    courier: Callable[[], ActorFacts] | None = None,
    sender: Callable[[], ActorFacts] | None = None,
    from_path: str = HQ,
    to_path: str = NORTH,
) -> TransitFacts:
    """A ``banner`` copy sent by rita (HQ) to NORTH with carl as courier, unless told otherwise."""
    carrier = (courier or custodian)()
    dispatcher = (sender or registrar)()
    return TransitFacts(
        CopyFacts(1001, document(banner, from_path), carrier.person_id, from_path),
        from_path,
        to_path,
        carrier.person_id,
        dispatcher.person_id,
    )


def courier_grant(courier: ActorFacts, level: str = "SECRET") -> AuthorisationFacts:
    return AuthorisationFacts(as_target(courier), marking(level))


def campaign(banner: str, *recipients: ActorFacts, unit_path: str = HQ) -> CampaignFacts:
    """Copies of a ``banner`` document of ``unit_path`` issued at once, one to each recipient."""
    named = tuple((r.username, as_target(r)) for r in recipients)
    return CampaignFacts(document(banner, unit_path), named)


# --- personas --------------------------------------------------------------------------------


def registrar() -> ActorFacts:
    """Rita: registrar at HQ, cleared TOP SECRET with ALPHA and BRAVO."""
    return person(1, "rita", HQ, Role.REGISTRAR, cleared="TOP SECRET//ALPHA/BRAVO")


def north_registrar() -> ActorFacts:
    """Nils: registrar at NORTH (below HQ), cleared SECRET, no compartments."""
    return person(2, "nils", NORTH, Role.REGISTRAR, cleared="SECRET")


def custodian() -> ActorFacts:
    """Carl: custodian at HQ, cleared SECRET with ALPHA."""
    return person(3, "carl", HQ, Role.CUSTODIAN, cleared="SECRET//ALPHA")


def officer() -> ActorFacts:
    """Olga: security officer at HQ with no clearance at all."""
    return person(4, "olga", HQ, Role.SECURITY_OFFICER)


def north_officer() -> ActorFacts:
    """Nora: security officer at NORTH with no clearance."""
    return person(5, "nora", NORTH, Role.SECURITY_OFFICER)


def administrator() -> ActorFacts:
    """Adam: administrator at HQ with no clearance."""
    return person(6, "adam", HQ, Role.ADMINISTRATOR)


def inspector() -> ActorFacts:
    """Ines: inspector at HQ, cleared TOP SECRET with every compartment."""
    return person(7, "ines", HQ, Role.INSPECTOR, cleared="TOP SECRET//ALPHA/BRAVO/CHARLIE")


def worker() -> ActorFacts:
    """Wally: ordinary staff at HQ, never cleared."""
    return person(8, "wally", HQ, Role.STAFF)


def reader() -> ActorFacts:
    """Rosa: staff at NORTH, cleared CONFIDENTIAL."""
    return person(9, "rosa", NORTH, Role.STAFF, cleared="CONFIDENTIAL")


def suspended_registrar() -> ActorFacts:
    """Sid: registrar at HQ with a good TOP SECRET clearance, but his account is suspended."""
    return person(
        10,
        "sid",
        HQ,
        Role.REGISTRAR,
        cleared="TOP SECRET//ALPHA/BRAVO",
        status=PersonStatus.SUSPENDED,
    )


def expired_registrar() -> ActorFacts:
    """Eve: registrar at HQ whose TOP SECRET clearance expired yesterday."""
    return dataclasses.replace(
        registrar(),
        person_id=11,
        username="eve",
        clearance=clearance("TOP SECRET//ALPHA/BRAVO", expires_on=TODAY - timedelta(days=1)),
    )


def officer_of_every_role() -> ActorFacts:
    """Omar: holds every role and a TOP SECRET clearance with every compartment."""
    return person(12, "omar", HQ, *Role, cleared="TOP SECRET//ALPHA/BRAVO/CHARLIE")


def departed(actor: ActorFacts) -> PersonFacts:
    return dataclasses.replace(as_target(actor), status=PersonStatus.DEPARTED)


def staff() -> ActorFacts:
    """Dora: ordinary staff at HQ, cleared SECRET with ALPHA; no duty of her own."""
    return person(13, "dora", HQ, Role.STAFF, cleared="SECRET//ALPHA")


def deputy() -> ActorFacts:
    """Dora registering for rita: HQ and below, up to SECRET, for a week from today."""
    return acting_for(staff(), delegated())


def copy_deputy() -> ActorFacts:
    """Dora issuing and taking back copies for carl: HQ and below, up to SECRET, for a week."""
    return acting_for(staff(), delegated(Duty.HANDLE_COPIES, "carl"))


# --- the table: every action, allowed and denied ---------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    action: Action
    actor: Callable[[], ActorFacts]
    target: Callable[[], Target]
    allowed: bool
    reason: str = "allowed"  # a fragment the reason must contain
    visible: bool = True


def allow(
    name: str, action: Action, actor: Callable[[], ActorFacts], target: Callable[[], Target]
) -> Case:
    return Case(name, action, actor, target, True)


def deny(
    name: str,
    action: Action,
    actor: Callable[[], ActorFacts],
    target: Callable[[], Target],
    reason: str,
    *,
    visible: bool = True,
) -> Case:
    return Case(name, action, actor, target, False, reason, visible)


HIDDEN = {"visible": False}

CASES: list[Case] = [
    # campaign:create — as issuing a copy, and every recipient may hold the marking.
    allow(
        "registrar to two cleared recipients",
        Action.CAMPAIGN_CREATE,
        registrar,
        lambda: campaign("CONFIDENTIAL", reader(), north_registrar()),
    ),
    allow(
        "custodian of HQ for a NORTH document",
        Action.CAMPAIGN_CREATE,
        custodian,
        lambda: campaign("CONFIDENTIAL", reader(), unit_path=NORTH),
    ),
    deny(
        "one recipient not cleared",
        Action.CAMPAIGN_CREATE,
        registrar,
        lambda: campaign("CONFIDENTIAL", reader(), worker()),
        "not every recipient may hold CONFIDENTIAL material: wally (the person holds no clearance)",
    ),
    deny(
        "every barred recipient is named, in order",
        Action.CAMPAIGN_CREATE,
        registrar,
        lambda: campaign("SECRET", reader(), north_registrar(), worker()),
        "not every recipient may hold SECRET material: rosa (clearance does not reach SECRET); "
        "wally (the person holds no clearance)",
    ),
    deny(
        "staff may not run a campaign",
        Action.CAMPAIGN_CREATE,
        worker,
        lambda: campaign("UNCLASSIFIED", reader()),
        "this needs the role of registrar or custodian",
    ),
    deny(
        "registrar of a unit below",
        Action.CAMPAIGN_CREATE,
        north_registrar,
        lambda: campaign("CONFIDENTIAL", reader()),
        "the document belongs to a unit outside yours (HQ/NORTH)",
    ),
    deny(
        "officer without clearance cannot see the document",
        Action.CAMPAIGN_CREATE,
        officer,
        lambda: campaign("CONFIDENTIAL", reader()),
        "you may not hold CONFIDENTIAL material",
        **HIDDEN,
    ),
    # campaign:view — who answers for the document's unit and may see the document.
    allow(
        "registrar",
        Action.CAMPAIGN_VIEW,
        registrar,
        lambda: campaign("SECRET"),
    ),
    allow(
        "inspector",
        Action.CAMPAIGN_VIEW,
        inspector,
        lambda: campaign("SECRET", unit_path=NORTH),
    ),
    deny(
        "staff who may see the document",
        Action.CAMPAIGN_VIEW,
        reader,
        lambda: campaign("CONFIDENTIAL", unit_path=NORTH),
        "this needs the role of registrar or custodian or security officer or inspector",
        **HIDDEN,
    ),
    deny(
        "registrar of a unit below",
        Action.CAMPAIGN_VIEW,
        north_registrar,
        lambda: campaign("CONFIDENTIAL"),
        "the campaign belongs to a unit outside yours",
        **HIDDEN,
    ),
    deny(
        "cannot see the document",
        Action.CAMPAIGN_VIEW,
        custodian,
        lambda: campaign("TOP SECRET"),
        "you may not hold TOP SECRET material",
        **HIDDEN,
    ),
    # incident:view — the security officers of the incident's unit or above.
    allow(
        "officer of HQ, incident at NORTH", Action.INCIDENT_VIEW, officer, lambda: UnitFacts(NORTH)
    ),
    allow(
        "north officer, incident at NCITY",
        Action.INCIDENT_VIEW,
        north_officer,
        lambda: UnitFacts(NCITY),
    ),
    deny(
        "north officer, incident at SOUTH",
        Action.INCIDENT_VIEW,
        north_officer,
        lambda: UnitFacts(SOUTH),
        "the incident belongs to a unit outside yours",
        **HIDDEN,
    ),
    deny(
        "a registrar",
        Action.INCIDENT_VIEW,
        registrar,
        lambda: UnitFacts(HQ),
        "this needs the role of security officer",
        **HIDDEN,
    ),
    # unit:set_head — a security officer of the unit or above.
    allow("officer, NORTH", Action.UNIT_SET_HEAD, officer, lambda: UnitFacts(NORTH)),
    allow("north officer, own unit", Action.UNIT_SET_HEAD, north_officer, lambda: UnitFacts(NORTH)),
    deny(
        "administrator",
        Action.UNIT_SET_HEAD,
        administrator,
        lambda: UnitFacts(NORTH),
        "this needs the role of security officer",
    ),
    deny(
        "north officer over HQ",
        Action.UNIT_SET_HEAD,
        north_officer,
        lambda: UnitFacts(HQ),
        "the unit belongs to a unit outside yours",
    ),
    # check_out:lend — the registry of the copy's unit tree, to a reader who may hold it.
    allow(
        "registrar lends TOP SECRET to the inspector",
        Action.CHECK_OUT_LEND,
        registrar,
        lambda: check_out("TOP SECRET//ALPHA", inspector()),
    ),
    allow(
        "custodian lends CONFIDENTIAL to a NORTH reader",
        Action.CHECK_OUT_LEND,
        custodian,
        lambda: check_out("CONFIDENTIAL", reader()),
    ),
    allow(
        "HQ registrar lends a NORTH copy",
        Action.CHECK_OUT_LEND,
        registrar,
        lambda: check_out("CONFIDENTIAL", reader(), NORTH),
    ),
    deny(
        "to an uncleared worker",
        Action.CHECK_OUT_LEND,
        custodian,
        lambda: check_out("CONFIDENTIAL", worker()),
        "the reader may not hold CONFIDENTIAL material: the person holds no clearance",
    ),
    deny(
        "to a reader not read into the compartment",
        Action.CHECK_OUT_LEND,
        registrar,
        lambda: check_out("SECRET//BRAVO", custodian()),
        "the reader may not hold SECRET//BRAVO material",
    ),
    deny(
        "to a reader whose clearance lapsed",
        Action.CHECK_OUT_LEND,
        registrar,
        lambda: check_out("SECRET", expired_registrar()),
        "the reader may not hold SECRET material",
    ),
    deny(
        "to a departed reader",
        Action.CHECK_OUT_LEND,
        custodian,
        lambda: check_out("CONFIDENTIAL", departed(reader())),
        "the reader may not hold CONFIDENTIAL material",
    ),
    deny(
        "north registrar for an HQ copy",
        Action.CHECK_OUT_LEND,
        north_registrar,
        lambda: check_out("CONFIDENTIAL", reader()),
        "the copy belongs to a unit outside yours",
    ),
    deny(
        "staff may not lend",
        Action.CHECK_OUT_LEND,
        reader,
        lambda: check_out("CONFIDENTIAL", north_registrar(), NORTH),
        "this needs the role of registrar or custodian",
    ),
    deny(
        "lender who may not see it",
        Action.CHECK_OUT_LEND,
        custodian,
        lambda: check_out("TOP SECRET", registrar()),
        "you may not hold TOP SECRET material",
        **HIDDEN,
    ),
    # check_out:return — the registry of the copy's unit tree checks it in at the desk.
    allow("custodian checks in", Action.CHECK_OUT_RETURN, custodian, lambda: copy("CONFIDENTIAL")),
    allow(
        "HQ registrar checks in a NORTH copy",
        Action.CHECK_OUT_RETURN,
        registrar,
        lambda: copy("CONFIDENTIAL", NORTH),
    ),
    deny(
        "the reader may not check in for the registry",
        Action.CHECK_OUT_RETURN,
        reader,
        lambda: copy("CONFIDENTIAL", NORTH, 9),
        "this needs the role of registrar or custodian",
    ),
    deny(
        "north registrar for an HQ copy",
        Action.CHECK_OUT_RETURN,
        north_registrar,
        lambda: copy("CONFIDENTIAL"),
        "the copy belongs to a unit outside yours",
    ),
    deny(
        "worker cannot even see it",
        Action.CHECK_OUT_RETURN,
        worker,
        lambda: copy("CONFIDENTIAL"),
        "you may not hold CONFIDENTIAL material",
        **HIDDEN,
    ),
    # check_out:view — the reader, the lender, or someone answerable for the copy's unit.
    allow(
        "the reader",
        Action.CHECK_OUT_VIEW,
        reader,
        lambda: check_out("CONFIDENTIAL", reader(), lent_by=custodian()),
    ),
    allow(
        "the lender",
        Action.CHECK_OUT_VIEW,
        custodian,
        lambda: check_out("CONFIDENTIAL", reader(), lent_by=custodian()),
    ),
    allow(
        "inspector",
        Action.CHECK_OUT_VIEW,
        inspector,
        lambda: check_out("TOP SECRET", registrar(), lent_by=registrar()),
    ),
    deny(
        "security officer with no clearance",
        Action.CHECK_OUT_VIEW,
        officer,
        lambda: check_out("CONFIDENTIAL", reader(), lent_by=custodian()),
        "you may not hold CONFIDENTIAL material",
        **HIDDEN,
    ),
    deny(
        "cleared bystander at NORTH",
        Action.CHECK_OUT_VIEW,
        north_registrar,
        lambda: check_out("CONFIDENTIAL", reader(), lent_by=custodian()),
        "the copy belongs to a unit outside yours",
        **HIDDEN,
    ),
    deny(
        "cleared staff who is not the reader",
        Action.CHECK_OUT_VIEW,
        reader,
        lambda: check_out("CONFIDENTIAL", north_registrar(), NORTH, lent_by=registrar()),
        "this needs the role of",
        **HIDDEN,
    ),
    # hand_over:dispatch — only the holder, to someone else who may hold the marking.
    allow(
        "reader to north registrar",
        Action.HAND_OVER_DISPATCH,
        reader,
        lambda: hand_over("CONFIDENTIAL", reader(), north_registrar()),
    ),
    deny(
        "reader to uncleared worker",
        Action.HAND_OVER_DISPATCH,
        reader,
        lambda: hand_over("CONFIDENTIAL", reader(), worker()),
        "the recipient may not hold CONFIDENTIAL material: the person holds no clearance",
    ),
    deny(
        "custodian sends a copy rosa holds",
        Action.HAND_OVER_DISPATCH,
        custodian,
        lambda: hand_over("CONFIDENTIAL", reader(), registrar()),
        "only the person who holds the copy may hand it over",
    ),
    deny(
        "to oneself",
        Action.HAND_OVER_DISPATCH,
        reader,
        lambda: hand_over("CONFIDENTIAL", reader(), reader()),
        "a hand-over needs a recipient other than the sender",
    ),
    deny(
        "north registrar to a recipient of a lapsed clearance",
        Action.HAND_OVER_DISPATCH,
        north_registrar,
        lambda: hand_over("SECRET", north_registrar(), as_target(expired_registrar())),
        "the recipient may not hold SECRET material",
    ),
    deny(
        "worker cannot even see it",
        Action.HAND_OVER_DISPATCH,
        worker,
        lambda: hand_over("SECRET", worker(), registrar()),
        "you may not hold SECRET material",
        **HIDDEN,
    ),
    # hand_over:accept — only the named recipient, eligible again on receipt.
    allow(
        "north registrar acknowledges",
        Action.HAND_OVER_ACCEPT,
        north_registrar,
        lambda: hand_over("CONFIDENTIAL", reader(), north_registrar()),
    ),
    deny(
        "recipient's clearance lapsed since",
        Action.HAND_OVER_ACCEPT,
        expired_registrar,
        lambda: hand_over("SECRET", north_registrar(), expired_registrar()),
        "you may not hold SECRET material: clearance expired",
    ),
    deny(
        "recipient suspended since",
        Action.HAND_OVER_ACCEPT,
        suspended_registrar,
        lambda: hand_over("SECRET", north_registrar(), suspended_registrar()),
        "your account is suspended",
    ),
    deny(
        "someone else who may see it",
        Action.HAND_OVER_ACCEPT,
        registrar,
        lambda: hand_over("CONFIDENTIAL", reader(), north_registrar()),
        "only the recipient named in the hand-over may acknowledge it",
    ),
    deny(
        "someone else who may not see it",
        Action.HAND_OVER_ACCEPT,
        worker,
        lambda: hand_over("CONFIDENTIAL", reader(), north_registrar()),
        "you may not hold CONFIDENTIAL material",
        **HIDDEN,
    ),
    # hand_over:refuse — the named recipient, always (even when no longer eligible).
    allow(
        "recipient refuses",
        Action.HAND_OVER_REFUSE,
        north_registrar,
        lambda: hand_over("CONFIDENTIAL", reader(), north_registrar()),
    ),
    allow(
        "recipient whose clearance lapsed refuses",
        Action.HAND_OVER_REFUSE,
        expired_registrar,
        lambda: hand_over("SECRET", north_registrar(), expired_registrar()),
    ),
    deny(
        "the sender cannot refuse for the recipient",
        Action.HAND_OVER_REFUSE,
        reader,
        lambda: hand_over("CONFIDENTIAL", reader(), north_registrar()),
        "only the recipient named in the hand-over may refuse it",
    ),
    # hand_over:cancel — the sender, or a registrar/custodian of the copy's unit tree.
    allow(
        "sender calls back",
        Action.HAND_OVER_CANCEL,
        reader,
        lambda: hand_over("CONFIDENTIAL", reader(), north_registrar()),
    ),
    allow(
        "HQ custodian calls back a stalled one",
        Action.HAND_OVER_CANCEL,
        custodian,
        lambda: hand_over("CONFIDENTIAL", reader(), north_registrar()),
    ),
    deny(
        "the recipient cannot call back",
        Action.HAND_OVER_CANCEL,
        reader,
        lambda: hand_over("CONFIDENTIAL", north_registrar(), reader()),
        "this needs the role of registrar or custodian",
    ),
    deny(
        "north registrar for an HQ copy",
        Action.HAND_OVER_CANCEL,
        north_registrar,
        lambda: hand_over("CONFIDENTIAL", reader(), registrar()),
        "the copy belongs to a unit outside yours",
    ),
    # hand_over:view — its two parties, or someone answerable for the copy's unit.
    allow(
        "recipient sees it",
        Action.HAND_OVER_VIEW,
        north_registrar,
        lambda: hand_over("CONFIDENTIAL", reader(), north_registrar()),
    ),
    allow(
        "recipient whose clearance lapsed still sees it",
        Action.HAND_OVER_VIEW,
        expired_registrar,
        lambda: hand_over("SECRET", north_registrar(), expired_registrar()),
    ),
    allow(
        "inspector sees an HQ hand-over",
        Action.HAND_OVER_VIEW,
        inspector,
        lambda: hand_over("CONFIDENTIAL", reader(), north_registrar()),
    ),
    deny(
        "cleared bystander at NORTH",
        Action.HAND_OVER_VIEW,
        north_registrar,
        lambda: hand_over("CONFIDENTIAL", reader(), registrar()),
        "the copy belongs to a unit outside yours",
        **HIDDEN,
    ),
    deny(
        "uncleared worker",
        Action.HAND_OVER_VIEW,
        worker,
        lambda: hand_over("CONFIDENTIAL", reader(), registrar()),
        "you may not hold CONFIDENTIAL material",
        **HIDDEN,
    ),
    # reproduction:request — a registrar or custodian answerable for the document; never NO COPY.
    allow(
        "custodian asks for copies of an HQ document",
        Action.REPRODUCTION_REQUEST,
        custodian,
        lambda: reproduction("SECRET//ALPHA", custodian()),
    ),
    allow(
        "HQ registrar asks for copies of a NORTH document",
        Action.REPRODUCTION_REQUEST,
        registrar,
        lambda: reproduction("SECRET", registrar(), NORTH),
    ),
    deny(
        "NO COPY, whoever asks",
        Action.REPRODUCTION_REQUEST,
        registrar,
        lambda: reproduction("SECRET//NO COPY", registrar()),
        "the marking SECRET//NO COPY carries NO COPY: no copies of it may be made",
    ),
    deny(
        "staff",
        Action.REPRODUCTION_REQUEST,
        reader,
        lambda: reproduction("CONFIDENTIAL", reader(), NORTH),
        "this needs the role of registrar or custodian",
    ),
    deny(
        "inspector",
        Action.REPRODUCTION_REQUEST,
        inspector,
        lambda: reproduction("SECRET", inspector()),
        "this needs the role of registrar or custodian",
    ),
    deny(
        "north registrar for an HQ document",
        Action.REPRODUCTION_REQUEST,
        north_registrar,
        lambda: reproduction("SECRET", north_registrar()),
        "the document belongs to a unit outside yours (HQ/NORTH)",
    ),
    deny(
        "worker cannot even see it",
        Action.REPRODUCTION_REQUEST,
        worker,
        lambda: reproduction("SECRET", worker()),
        "you may not hold SECRET material",
        **HIDDEN,
    ),
    # reproduction:approve / refuse — a registrar answerable for the document, not the requester.
    *[
        case
        for action in (Action.REPRODUCTION_APPROVE, Action.REPRODUCTION_REFUSE)
        for case in (
            allow(
                "HQ registrar decides the custodian's request",
                action,
                registrar,
                lambda: reproduction("SECRET//ALPHA", custodian()),
            ),
            allow(
                "HQ registrar decides a NORTH registrar's request",
                action,
                registrar,
                lambda: reproduction("SECRET", north_registrar(), NORTH),
            ),
            deny(
                "the requester",
                action,
                registrar,
                lambda: reproduction("SECRET", registrar()),
                "the person who asked for the reproduction may not decide it; another registrar "
                "must",
            ),
            deny(
                "the requester at NORTH",
                action,
                north_registrar,
                lambda: reproduction("SECRET", north_registrar(), NORTH),
                "another registrar must",
            ),
            deny(
                "a custodian",
                action,
                custodian,
                lambda: reproduction("SECRET", registrar()),
                "this needs the role of registrar",
            ),
            deny(
                "north registrar for an HQ document",
                action,
                north_registrar,
                lambda: reproduction("SECRET", custodian()),
                "the document belongs to a unit outside yours (HQ/NORTH)",
                **HIDDEN,
            ),
            deny(
                "an officer without clearance",
                action,
                officer,
                lambda: reproduction("SECRET", custodian()),
                "the person holds no clearance",
                **HIDDEN,
            ),
        )
    ],
    deny(
        "approving a NO COPY document",
        Action.REPRODUCTION_APPROVE,
        registrar,
        lambda: reproduction("SECRET//NO COPY", custodian()),
        "carries NO COPY",
    ),
    allow(
        "refusing a NO COPY document",
        Action.REPRODUCTION_REFUSE,
        registrar,
        lambda: reproduction("SECRET//NO COPY", custodian()),
    ),
    # reproduction:view — the requester, or whoever answers for the document's unit.
    allow(
        "the requester",
        Action.REPRODUCTION_VIEW,
        custodian,
        lambda: reproduction("SECRET", custodian()),
    ),
    allow(
        "an HQ inspector",
        Action.REPRODUCTION_VIEW,
        inspector,
        lambda: reproduction("SECRET", custodian(), NORTH),
    ),
    deny(
        "a cleared bystander at NORTH",
        Action.REPRODUCTION_VIEW,
        north_registrar,
        lambda: reproduction("SECRET", custodian()),
        "the document belongs to a unit outside yours",
        **HIDDEN,
    ),
    deny(
        "staff who may see the document",
        Action.REPRODUCTION_VIEW,
        reader,
        lambda: reproduction("CONFIDENTIAL", north_registrar(), NORTH),
        "this needs the role of registrar or custodian or security officer or inspector",
        **HIDDEN,
    ),
    deny(
        "a requester no longer cleared",
        Action.REPRODUCTION_VIEW,
        expired_registrar,
        lambda: reproduction("SECRET", expired_registrar()),
        "clearance expired",
        **HIDDEN,
    ),
    # reproduction:withdraw — only the requester.
    allow(
        "the requester",
        Action.REPRODUCTION_WITHDRAW,
        custodian,
        lambda: reproduction("SECRET", custodian()),
    ),
    deny(
        "the authority",
        Action.REPRODUCTION_WITHDRAW,
        registrar,
        lambda: reproduction("SECRET", custodian()),
        "only the person who asked for a reproduction may withdraw it",
    ),
    deny(
        "a worker",
        Action.REPRODUCTION_WITHDRAW,
        worker,
        lambda: reproduction("SECRET", custodian()),
        "you may not hold SECRET material",
        **HIDDEN,
    ),
    # clearance:grant / revoke / suspend — only a security officer of the person's unit tree,
    # never for themselves.
    *[
        case
        for action in (Action.CLEARANCE_GRANT, Action.CLEARANCE_REVOKE, Action.CLEARANCE_SUSPEND)
        for case in (
            allow("officer for registrar", action, officer, lambda: as_target(registrar())),
            allow(
                "officer for north registrar",
                action,
                officer,
                lambda: as_target(north_registrar()),
            ),
            allow("north officer for reader", action, north_officer, lambda: as_target(reader())),
            deny(
                "officer for herself",
                action,
                officer,
                lambda: as_target(officer()),
                "nobody may grant or withdraw clearance for themselves",
            ),
            deny(
                "every role for himself",
                action,
                officer_of_every_role,
                lambda: as_target(officer_of_every_role()),
                "for themselves",
            ),
            deny(
                "north officer for HQ person",
                action,
                north_officer,
                lambda: as_target(registrar()),
                "the person belongs to a unit outside yours (HQ/NORTH)",
            ),
            deny(
                "administrator",
                action,
                administrator,
                lambda: as_target(worker()),
                "this needs the role of security officer",
            ),
            deny(
                "inspector",
                action,
                inspector,
                lambda: as_target(worker()),
                "this needs the role of security officer",
            ),
            deny(
                "registrar",
                action,
                registrar,
                lambda: as_target(worker()),
                "this needs the role of security officer",
            ),
        )
    ],
    # clearance:view — oneself, or security staff / inspector over the person's unit.
    allow("worker views own", Action.CLEARANCE_VIEW, worker, lambda: as_target(worker())),
    allow("inspector", Action.CLEARANCE_VIEW, inspector, lambda: as_target(registrar())),
    allow("officer", Action.CLEARANCE_VIEW, officer, lambda: as_target(north_registrar())),
    allow("administrator", Action.CLEARANCE_VIEW, administrator, lambda: as_target(reader())),
    deny(
        "custodian views another",
        Action.CLEARANCE_VIEW,
        custodian,
        lambda: as_target(registrar()),
        "this needs the role of security officer or administrator or inspector",
    ),
    deny(
        "worker views another",
        Action.CLEARANCE_VIEW,
        worker,
        lambda: as_target(registrar()),
        "this needs the role of",
    ),
    deny(
        "north officer views HQ",
        Action.CLEARANCE_VIEW,
        north_officer,
        lambda: as_target(registrar()),
        "the person belongs to a unit outside yours",
    ),
    # copy:issue — issuer must see the document, be registrar/custodian of its unit tree, and the
    # recipient must be eligible.
    allow(
        "custodian to registrar",
        Action.COPY_ISSUE,
        custodian,
        lambda: issue("SECRET//ALPHA", as_target(registrar())),
    ),
    allow(
        "registrar issues NCITY copy",
        Action.COPY_ISSUE,
        registrar,
        lambda: issue("SECRET", as_target(north_registrar()), NCITY),
    ),
    allow(
        "unclassified to uncleared worker",
        Action.COPY_ISSUE,
        custodian,
        lambda: issue("UNCLASSIFIED", as_target(worker())),
    ),
    deny(
        "recipient without clearance",
        Action.COPY_ISSUE,
        custodian,
        lambda: issue("SECRET", as_target(worker())),
        "the recipient may not hold SECRET material: the person holds no clearance",
    ),
    deny(
        "recipient is security officer without clearance",
        Action.COPY_ISSUE,
        registrar,
        lambda: issue("CONFIDENTIAL", as_target(officer())),
        "the recipient may not hold CONFIDENTIAL material: the person holds no clearance",
    ),
    deny(
        "recipient level too low",
        Action.COPY_ISSUE,
        registrar,
        lambda: issue("SECRET", as_target(reader())),
        "the recipient may not hold SECRET material: clearance does not reach SECRET",
    ),
    deny(
        "recipient not in compartment",
        Action.COPY_ISSUE,
        registrar,
        lambda: issue("SECRET//BRAVO", as_target(custodian())),
        "the recipient may not hold SECRET//BRAVO material: not read into compartment(s) BRAVO",
    ),
    deny(
        "recipient suspended",
        Action.COPY_ISSUE,
        registrar,
        lambda: issue("SECRET", as_target(suspended_registrar())),
        "the recipient may not hold SECRET material: the person is suspended",
    ),
    deny(
        "recipient departed",
        Action.COPY_ISSUE,
        registrar,
        lambda: issue("UNCLASSIFIED", departed(worker())),
        "the person is departed",
    ),
    deny(
        "recipient clearance expired",
        Action.COPY_ISSUE,
        registrar,
        lambda: issue("SECRET", as_target(expired_registrar())),
        "the recipient may not hold SECRET material: clearance expired on 2026-03-14",
    ),
    deny(
        "worker issues",
        Action.COPY_ISSUE,
        worker,
        lambda: issue("SECRET", as_target(registrar())),
        "you may not hold SECRET material: the person holds no clearance",
        **HIDDEN,
    ),
    deny(
        "worker issues unclassified",
        Action.COPY_ISSUE,
        worker,
        lambda: issue("UNCLASSIFIED", as_target(registrar())),
        "this needs the role of registrar or custodian",
    ),
    deny(
        "custodian above her level",
        Action.COPY_ISSUE,
        custodian,
        lambda: issue("TOP SECRET", as_target(registrar())),
        "you may not hold TOP SECRET material: clearance does not reach TOP SECRET",
        **HIDDEN,
    ),
    deny(
        "custodian outside compartment",
        Action.COPY_ISSUE,
        custodian,
        lambda: issue("SECRET//BRAVO", as_target(registrar())),
        "not read into compartment(s) BRAVO",
        **HIDDEN,
    ),
    deny(
        "north registrar issues HQ copy",
        Action.COPY_ISSUE,
        north_registrar,
        lambda: issue("SECRET", as_target(registrar())),
        "the copy belongs to a unit outside yours (HQ/NORTH)",
    ),
    deny(
        "officer issues",
        Action.COPY_ISSUE,
        officer,
        lambda: issue("SECRET", as_target(registrar())),
        "the person holds no clearance",
        **HIDDEN,
    ),
    deny(
        "inspector issues",
        Action.COPY_ISSUE,
        inspector,
        lambda: issue("SECRET", as_target(registrar())),
        "this needs the role of registrar or custodian",
    ),
    # copy:return — registrar or custodian of the copy's unit tree, able to see it.
    allow("custodian", Action.COPY_RETURN, custodian, lambda: copy("SECRET//ALPHA", holder_id=1)),
    allow("registrar for NORTH", Action.COPY_RETURN, registrar, lambda: copy("SECRET", NORTH, 2)),
    allow("north registrar", Action.COPY_RETURN, north_registrar, lambda: copy("SECRET", NCITY)),
    deny(
        "north registrar HQ copy",
        Action.COPY_RETURN,
        north_registrar,
        lambda: copy("SECRET", HQ),
        "the copy belongs to a unit outside yours",
    ),
    deny(
        "north registrar SOUTH copy",
        Action.COPY_RETURN,
        north_registrar,
        lambda: copy("SECRET", SOUTH),
        "the copy belongs to a unit outside yours",
    ),
    deny(
        "worker",
        Action.COPY_RETURN,
        worker,
        lambda: copy("UNCLASSIFIED", holder_id=8),
        "this needs the role of registrar or custodian",
    ),
    deny(
        "administrator",
        Action.COPY_RETURN,
        administrator,
        lambda: copy("RESTRICTED"),
        "you may not hold RESTRICTED material: the person holds no clearance",
        **HIDDEN,
    ),
    deny(
        "expired registrar",
        Action.COPY_RETURN,
        expired_registrar,
        lambda: copy("SECRET"),
        "clearance expired on 2026-03-14",
        **HIDDEN,
    ),
    # destruction:propose — registry staff of the copy's unit tree, naming another eligible person.
    allow(
        "custodian names the registrar",
        Action.DESTRUCTION_PROPOSE,
        custodian,
        lambda: destruction("SECRET//ALPHA", custodian(), registrar()),
    ),
    deny(
        "custodian names himself",
        Action.DESTRUCTION_PROPOSE,
        custodian,
        lambda: destruction("SECRET", custodian(), custodian()),
        "the destroyer and the witness must be two different people",
    ),
    deny(
        "witness outside the compartment",
        Action.DESTRUCTION_PROPOSE,
        custodian,
        lambda: destruction("SECRET//ALPHA", custodian(), north_registrar()),
        "the witness may not hold SECRET//ALPHA material: not read into compartment(s) ALPHA",
    ),
    deny(
        "cleared reader is no registry staff",
        Action.DESTRUCTION_PROPOSE,
        reader,
        lambda: destruction("CONFIDENTIAL", reader(), registrar()),
        "this needs the role of registrar or custodian",
    ),
    deny(
        "worker may not see it",
        Action.DESTRUCTION_PROPOSE,
        worker,
        lambda: destruction("SECRET", worker(), registrar()),
        "the person holds no clearance",
        **HIDDEN,
    ),
    # destruction:witness — only the named witness, eligible, with an eligible destroyer.
    allow(
        "the named witness",
        Action.DESTRUCTION_WITNESS,
        registrar,
        lambda: destruction("SECRET//ALPHA", custodian(), registrar()),
    ),
    deny(
        "the destroyer countersigns his own",
        Action.DESTRUCTION_WITNESS,
        custodian,
        lambda: destruction("SECRET", custodian(), registrar()),
        "only the witness named in the destruction may countersign it",
    ),
    deny(
        "witness whose clearance lapsed",
        Action.DESTRUCTION_WITNESS,
        expired_registrar,
        lambda: destruction("SECRET", custodian(), expired_registrar()),
        "you may not hold SECRET material: clearance expired",
    ),
    # destruction:refuse — only the named witness, always while active.
    allow(
        "the named witness",
        Action.DESTRUCTION_REFUSE,
        registrar,
        lambda: destruction("SECRET", custodian(), registrar()),
    ),
    deny(
        "the destroyer",
        Action.DESTRUCTION_REFUSE,
        custodian,
        lambda: destruction("SECRET", custodian(), registrar()),
        "only the witness named in the destruction may refuse it",
    ),
    # destruction:withdraw — the destroyer, or registry staff of the copy's unit tree.
    allow(
        "the destroyer",
        Action.DESTRUCTION_WITHDRAW,
        custodian,
        lambda: destruction("SECRET", custodian(), registrar()),
    ),
    allow(
        "another registrar of the unit",
        Action.DESTRUCTION_WITHDRAW,
        registrar,
        lambda: destruction("SECRET", custodian(), inspector()),
    ),
    deny(
        "an inspector",
        Action.DESTRUCTION_WITHDRAW,
        inspector,
        lambda: destruction("SECRET", custodian(), registrar()),
        "this needs the role of registrar or custodian",
    ),
    # destruction:view — its two parties, or someone answerable for the copy's unit.
    allow(
        "the witness",
        Action.DESTRUCTION_VIEW,
        registrar,
        lambda: destruction("SECRET", custodian(), registrar()),
    ),
    allow(
        "an inspector of the unit",
        Action.DESTRUCTION_VIEW,
        inspector,
        lambda: destruction("SECRET", custodian(), registrar()),
    ),
    deny(
        "a cleared reader elsewhere",
        Action.DESTRUCTION_VIEW,
        reader,
        lambda: destruction("CONFIDENTIAL", custodian(), registrar()),
        "this needs the role of",
        **HIDDEN,
    ),
    # document:downgrade — a registrar of the document's unit tree, cleared for its marking now.
    allow(
        "registrar of the unit",
        Action.DOCUMENT_DOWNGRADE,
        registrar,
        lambda: document("TOP SECRET//ALPHA"),
    ),
    deny(
        "registrar of a unit below",
        Action.DOCUMENT_DOWNGRADE,
        north_registrar,
        lambda: document("SECRET", HQ),
        "belongs to a unit outside yours",
    ),
    deny(
        "custodian",
        Action.DOCUMENT_DOWNGRADE,
        custodian,
        lambda: document("SECRET"),
        "this needs the role of registrar",
    ),
    deny(
        "registrar not cleared for the marking now",
        Action.DOCUMENT_DOWNGRADE,
        north_registrar,
        lambda: document("TOP SECRET", NORTH),
        "clearance does not reach TOP SECRET",
        **HIDDEN,
    ),
    # delegation:grant — someone who holds the duty by role, over their own unit and up to their
    # own clearance, to another active person cleared for the level.
    allow(
        "registrar hands registering to custodian",
        Action.DELEGATION_GRANT,
        registrar,
        lambda: delegation(registrar(), custodian()),
    ),
    allow(
        "registrar hands copies to custodian",
        Action.DELEGATION_GRANT,
        registrar,
        lambda: delegation(registrar(), custodian(), Duty.HANDLE_COPIES),
    ),
    allow(
        "custodian hands copies to a staff member of a unit below",
        Action.DELEGATION_GRANT,
        custodian,
        lambda: delegation(custodian(), reader(), Duty.HANDLE_COPIES, "CONFIDENTIAL"),
    ),
    allow(
        "north registrar for NCITY",
        Action.DELEGATION_GRANT,
        north_registrar,
        lambda: delegation(north_registrar(), reader(), level="CONFIDENTIAL", unit_path=NCITY),
    ),
    allow(
        "unclassified to an uncleared worker",
        Action.DELEGATION_GRANT,
        registrar,
        lambda: delegation(registrar(), worker(), level="UNCLASSIFIED"),
    ),
    deny(
        "to an uncleared worker",
        Action.DELEGATION_GRANT,
        registrar,
        lambda: delegation(registrar(), worker()),
        "the delegate may not hold SECRET material: the person holds no clearance",
    ),
    deny(
        "to a delegate cleared below the level",
        Action.DELEGATION_GRANT,
        registrar,
        lambda: delegation(registrar(), reader()),
        "the delegate may not hold SECRET material: clearance does not reach SECRET",
    ),
    deny(
        "to a suspended delegate",
        Action.DELEGATION_GRANT,
        registrar,
        lambda: delegation(registrar(), suspended_registrar()),
        "the delegate may not hold SECRET material: the person is suspended",
    ),
    deny(
        "to a delegate whose clearance expired",
        Action.DELEGATION_GRANT,
        registrar,
        lambda: delegation(registrar(), expired_registrar()),
        "the delegate may not hold SECRET material: clearance expired on 2026-03-14",
    ),
    deny(
        "unclassified to a departed worker",
        Action.DELEGATION_GRANT,
        registrar,
        lambda: delegation(registrar(), departed(worker()), level="UNCLASSIFIED"),
        "the delegate may not hold UNCLASSIFIED material: the person is departed",
    ),
    deny(
        "to oneself",
        Action.DELEGATION_GRANT,
        registrar,
        lambda: delegation(registrar(), registrar()),
        "nobody may delegate a duty for themselves",
    ),
    deny(
        "staff without the duty",
        Action.DELEGATION_GRANT,
        reader,
        lambda: delegation(reader(), north_registrar(), level="CONFIDENTIAL"),
        "this needs the role of registrar",
    ),
    deny(
        "custodian delegates registering",
        Action.DELEGATION_GRANT,
        custodian,
        lambda: delegation(custodian(), registrar()),
        "this needs the role of registrar",
    ),
    deny(
        "worker delegates copies",
        Action.DELEGATION_GRANT,
        worker,
        lambda: delegation(worker(), custodian(), Duty.HANDLE_COPIES, "UNCLASSIFIED"),
        "this needs the role of registrar or custodian",
    ),
    deny(
        "security officer delegates registering",
        Action.DELEGATION_GRANT,
        officer,
        lambda: delegation(officer(), registrar(), level="UNCLASSIFIED"),
        "this needs the role of registrar",
    ),
    deny(
        "a delegate may not pass the duty on",
        Action.DELEGATION_GRANT,
        deputy,
        lambda: delegation(deputy(), custodian()),
        "this needs the role of registrar",
    ),
    deny(
        "above the delegator's own clearance",
        Action.DELEGATION_GRANT,
        north_registrar,
        lambda: delegation(north_registrar(), registrar(), level="TOP SECRET"),
        "you may not hold TOP SECRET material: clearance does not reach TOP SECRET",
    ),
    deny(
        "a delegator whose clearance expired",
        Action.DELEGATION_GRANT,
        expired_registrar,
        lambda: delegation(expired_registrar(), custodian()),
        "you may not hold SECRET material: clearance expired on 2026-03-14",
    ),
    deny(
        "over a unit above one's own",
        Action.DELEGATION_GRANT,
        north_registrar,
        lambda: delegation(north_registrar(), reader(), level="CONFIDENTIAL", unit_path=HQ),
        "the unit belongs to a unit outside yours (HQ/NORTH)",
    ),
    # delegation:revoke — its delegator, or security staff of its unit tree.
    allow(
        "the delegator",
        Action.DELEGATION_REVOKE,
        registrar,
        lambda: delegation(registrar(), custodian()),
    ),
    allow(
        "the delegator who has since lost the role",
        Action.DELEGATION_REVOKE,
        lambda: dataclasses.replace(registrar(), roles=frozenset({Role.STAFF})),
        lambda: delegation(registrar(), custodian()),
    ),
    allow(
        "an officer of its unit",
        Action.DELEGATION_REVOKE,
        officer,
        lambda: delegation(registrar(), custodian()),
    ),
    allow(
        "an administrator of its unit",
        Action.DELEGATION_REVOKE,
        administrator,
        lambda: delegation(registrar(), custodian()),
    ),
    allow(
        "north officer over a NORTH delegation",
        Action.DELEGATION_REVOKE,
        north_officer,
        lambda: delegation(north_registrar(), reader(), level="CONFIDENTIAL"),
    ),
    deny(
        "the delegate",
        Action.DELEGATION_REVOKE,
        custodian,
        lambda: delegation(registrar(), custodian()),
        "this needs the role of security officer or administrator",
    ),
    deny(
        "a bystander",
        Action.DELEGATION_REVOKE,
        worker,
        lambda: delegation(registrar(), custodian()),
        "this needs the role of security officer or administrator",
    ),
    deny(
        "another registrar of the unit tree",
        Action.DELEGATION_REVOKE,
        registrar,
        lambda: delegation(north_registrar(), reader(), level="CONFIDENTIAL"),
        "this needs the role of security officer or administrator",
    ),
    deny(
        "an inspector",
        Action.DELEGATION_REVOKE,
        inspector,
        lambda: delegation(registrar(), custodian()),
        "this needs the role of security officer or administrator",
    ),
    deny(
        "north officer over an HQ delegation",
        Action.DELEGATION_REVOKE,
        north_officer,
        lambda: delegation(registrar(), custodian()),
        "the delegation belongs to a unit outside yours (HQ/NORTH)",
    ),
    # delegation:view — its two parties and the security staff of its unit tree; to anyone
    # else it does not exist.
    allow(
        "the delegator",
        Action.DELEGATION_VIEW,
        registrar,
        lambda: delegation(registrar(), custodian()),
    ),
    allow(
        "the delegate",
        Action.DELEGATION_VIEW,
        custodian,
        lambda: delegation(registrar(), custodian()),
    ),
    allow(
        "the delegate whose clearance lapsed since",
        Action.DELEGATION_VIEW,
        expired_registrar,
        lambda: delegation(registrar(), expired_registrar()),
    ),
    allow(
        "an officer", Action.DELEGATION_VIEW, officer, lambda: delegation(registrar(), custodian())
    ),
    allow(
        "an administrator",
        Action.DELEGATION_VIEW,
        administrator,
        lambda: delegation(registrar(), custodian()),
    ),
    allow(
        "north officer over a NORTH delegation",
        Action.DELEGATION_VIEW,
        north_officer,
        lambda: delegation(north_registrar(), reader(), level="CONFIDENTIAL"),
    ),
    deny(
        "a bystander",
        Action.DELEGATION_VIEW,
        worker,
        lambda: delegation(registrar(), custodian()),
        "this needs the role of security officer or administrator",
        **HIDDEN,
    ),
    deny(
        "a cleared registrar of the unit",
        Action.DELEGATION_VIEW,
        registrar,
        lambda: delegation(north_registrar(), reader(), level="CONFIDENTIAL"),
        "this needs the role of security officer or administrator",
        **HIDDEN,
    ),
    deny(
        "an inspector",
        Action.DELEGATION_VIEW,
        inspector,
        lambda: delegation(registrar(), custodian()),
        "this needs the role of security officer or administrator",
        **HIDDEN,
    ),
    deny(
        "north officer over an HQ delegation",
        Action.DELEGATION_VIEW,
        north_officer,
        lambda: delegation(registrar(), custodian()),
        "the delegation belongs to a unit outside yours (HQ/NORTH)",
        **HIDDEN,
    ),
    deny(
        "a suspended delegator is told so",
        Action.DELEGATION_VIEW,
        suspended_registrar,
        lambda: delegation(suspended_registrar(), custodian()),
        "your account is suspended",
    ),
    # document:register under a delegation — the delegate stands in for the registrar inside
    # the delegation's unit tree, up to its level, until its last day, cleared themselves.
    allow(
        "staff registering for rita",
        Action.DOCUMENT_REGISTER,
        deputy,
        lambda: new_document("SECRET"),
    ),
    allow(
        "staff registering for rita in her compartment",
        Action.DOCUMENT_REGISTER,
        deputy,
        lambda: new_document("CONFIDENTIAL//ALPHA", NCITY),
    ),
    deny(
        "staff registering beyond the delegator's compartments",
        Action.DOCUMENT_REGISTER,
        lambda: acting_for(staff(), delegated(compartments=frozenset({"BRAVO"}))),
        lambda: new_document("CONFIDENTIAL//ALPHA", NCITY),
        "this needs the role of registrar",
    ),
    allow(
        "staff registering for rita on the last day",
        Action.DOCUMENT_REGISTER,
        lambda: acting_for(staff(), delegated(ends_on=TODAY)),
        lambda: new_document("SECRET"),
    ),
    allow(
        "north registrar registering at HQ for rita",
        Action.DOCUMENT_REGISTER,
        lambda: acting_for(north_registrar(), delegated()),
        lambda: new_document("SECRET", HQ),
    ),
    allow(
        "staff at NORTH registering at HQ for rita",
        Action.DOCUMENT_REGISTER,
        lambda: acting_for(reader(), delegated()),
        lambda: new_document("CONFIDENTIAL", HQ),
    ),
    deny(
        "delegation for another unit",
        Action.DOCUMENT_REGISTER,
        lambda: acting_for(staff(), delegated(delegator="nils", unit_path=NORTH)),
        lambda: new_document("SECRET", HQ),
        "this needs the role of registrar",
    ),
    deny(
        "delegation for a sibling unit",
        Action.DOCUMENT_REGISTER,
        lambda: acting_for(staff(), delegated(delegator="nils", unit_path=NORTH)),
        lambda: new_document("SECRET", SOUTH),
        "this needs the role of registrar",
    ),
    deny(
        "delegation for a lower level",
        Action.DOCUMENT_REGISTER,
        lambda: acting_for(staff(), delegated(level="CONFIDENTIAL")),
        lambda: new_document("SECRET"),
        "this needs the role of registrar",
    ),
    deny(
        "delegation ended yesterday",
        Action.DOCUMENT_REGISTER,
        lambda: acting_for(staff(), delegated(ends_on=TODAY - timedelta(days=1))),
        lambda: new_document("SECRET"),
        "this needs the role of registrar",
    ),
    deny(
        "delegation of another duty",
        Action.DOCUMENT_REGISTER,
        copy_deputy,
        lambda: new_document("SECRET"),
        "this needs the role of registrar",
    ),
    deny(
        "uncleared delegate",
        Action.DOCUMENT_REGISTER,
        lambda: acting_for(worker(), delegated()),
        lambda: new_document("SECRET"),
        "this needs the role of registrar",
    ),
    deny(
        "delegate cleared below the document",
        Action.DOCUMENT_REGISTER,
        lambda: acting_for(reader(), delegated()),
        lambda: new_document("SECRET"),
        "this needs the role of registrar",
    ),
    deny(
        "delegate outside the document's compartment",
        Action.DOCUMENT_REGISTER,
        deputy,
        lambda: new_document("SECRET//BRAVO"),
        "this needs the role of registrar",
    ),
    deny(
        "delegate whose clearance expired",
        Action.DOCUMENT_REGISTER,
        lambda: dataclasses.replace(
            deputy(), clearance=clearance("SECRET//ALPHA", expires_on=TODAY - timedelta(days=1))
        ),
        lambda: new_document("SECRET"),
        "this needs the role of registrar",
    ),
    deny(
        "north registrar with rita's delegation above its level",
        Action.DOCUMENT_REGISTER,
        lambda: acting_for(north_registrar(), delegated(level="CONFIDENTIAL")),
        lambda: new_document("SECRET", HQ),
        "the registering unit belongs to a unit outside yours (HQ/NORTH)",
    ),
    deny(
        "corrections are not delegated",
        Action.DOCUMENT_CORRECT,
        deputy,
        lambda: document("SECRET"),
        "this needs the role of registrar",
    ),
    deny(
        "north registrar may not correct at HQ by delegation",
        Action.DOCUMENT_CORRECT,
        lambda: acting_for(north_registrar(), delegated()),
        lambda: document("SECRET", HQ),
        "the registering unit belongs to a unit outside yours (HQ/NORTH)",
    ),
    # copy:issue / copy:return under a delegation of handling copies.
    allow(
        "staff issues for carl",
        Action.COPY_ISSUE,
        copy_deputy,
        lambda: issue("SECRET", as_target(registrar())),
    ),
    allow(
        "staff issues an NCITY copy for carl",
        Action.COPY_ISSUE,
        copy_deputy,
        lambda: issue("CONFIDENTIAL", as_target(reader()), NCITY),
    ),
    deny(
        "staff issues for carl to an uncleared recipient",
        Action.COPY_ISSUE,
        copy_deputy,
        lambda: issue("SECRET", as_target(worker())),
        "the recipient may not hold SECRET material: the person holds no clearance",
    ),
    deny(
        "staff issues with a delegation for another unit",
        Action.COPY_ISSUE,
        lambda: acting_for(staff(), delegated(Duty.HANDLE_COPIES, "nils", unit_path=NORTH)),
        lambda: issue("SECRET", as_target(registrar())),
        "this needs the role of registrar or custodian",
    ),
    deny(
        "staff issues above the delegated level",
        Action.COPY_ISSUE,
        lambda: acting_for(staff(), delegated(Duty.HANDLE_COPIES, "carl", level="CONFIDENTIAL")),
        lambda: issue("SECRET", as_target(registrar())),
        "this needs the role of registrar or custodian",
    ),
    deny(
        "staff issues after the delegation ended",
        Action.COPY_ISSUE,
        lambda: acting_for(
            staff(), delegated(Duty.HANDLE_COPIES, "carl", ends_on=TODAY - timedelta(days=1))
        ),
        lambda: issue("SECRET", as_target(registrar())),
        "this needs the role of registrar or custodian",
    ),
    deny(
        "staff issues with a delegation of registering",
        Action.COPY_ISSUE,
        deputy,
        lambda: issue("SECRET", as_target(registrar())),
        "this needs the role of registrar or custodian",
    ),
    deny(
        "uncleared staff issues for carl",
        Action.COPY_ISSUE,
        lambda: acting_for(worker(), delegated(Duty.HANDLE_COPIES, "carl")),
        lambda: issue("SECRET", as_target(registrar())),
        "you may not hold SECRET material: the person holds no clearance",
        **HIDDEN,
    ),
    deny(
        "staff issues for carl outside her compartment",
        Action.COPY_ISSUE,
        copy_deputy,
        lambda: issue("SECRET//BRAVO", as_target(registrar())),
        "not read into compartment(s) BRAVO",
        **HIDDEN,
    ),
    allow(
        "staff takes a copy back for carl",
        Action.COPY_RETURN,
        copy_deputy,
        lambda: copy("SECRET", holder_id=1),
    ),
    deny(
        "staff takes back with a delegation of registering",
        Action.COPY_RETURN,
        deputy,
        lambda: copy("SECRET", holder_id=1),
        "this needs the role of registrar or custodian",
    ),
    # destruction:propose is not a duty that can be delegated: handling copies does not reach it.
    deny(
        "staff puts a copy forward for destruction for carl",
        Action.DESTRUCTION_PROPOSE,
        copy_deputy,
        lambda: destruction("SECRET", copy_deputy(), registrar()),
        "this needs the role of registrar or custodian",
    ),
    deny(
        "staff takes back after the delegation ended",
        Action.COPY_RETURN,
        lambda: acting_for(
            staff(), delegated(Duty.HANDLE_COPIES, "carl", ends_on=TODAY - timedelta(days=1))
        ),
        lambda: copy("SECRET", holder_id=1),
        "this needs the role of registrar or custodian",
    ),
    deny(
        "staff takes back above the delegated level",
        Action.COPY_RETURN,
        lambda: acting_for(staff(), delegated(Duty.HANDLE_COPIES, "carl", level="RESTRICTED")),
        lambda: copy("CONFIDENTIAL", holder_id=1),
        "this needs the role of registrar or custodian",
    ),
    # document:correct — must see it and be allowed to register it.
    allow("registrar", Action.DOCUMENT_CORRECT, registrar, lambda: document("TOP SECRET//ALPHA")),
    allow(
        "north registrar",
        Action.DOCUMENT_CORRECT,
        north_registrar,
        lambda: document("SECRET", NORTH),
    ),
    deny(
        "north registrar HQ document",
        Action.DOCUMENT_CORRECT,
        north_registrar,
        lambda: document("SECRET", HQ),
        "the registering unit belongs to a unit outside yours (HQ/NORTH)",
    ),
    deny(
        "north registrar above level",
        Action.DOCUMENT_CORRECT,
        north_registrar,
        lambda: document("TOP SECRET", NORTH),
        "you may not hold TOP SECRET material: clearance does not reach TOP SECRET",
        **HIDDEN,
    ),
    deny(
        "custodian",
        Action.DOCUMENT_CORRECT,
        custodian,
        lambda: document("SECRET//ALPHA"),
        "this needs the role of registrar",
    ),
    deny(
        "officer",
        Action.DOCUMENT_CORRECT,
        officer,
        lambda: document("CONFIDENTIAL"),
        "the person holds no clearance",
        **HIDDEN,
    ),
    # document:register — a registrar of the unit or a parent unit, cleared for the marking.
    allow("registrar at HQ", Action.DOCUMENT_REGISTER, registrar, lambda: new_document("SECRET")),
    allow(
        "registrar for child unit",
        Action.DOCUMENT_REGISTER,
        registrar,
        lambda: new_document("TOP SECRET//ALPHA/BRAVO//NO COPY", NCITY),
    ),
    allow(
        "north registrar at NORTH",
        Action.DOCUMENT_REGISTER,
        north_registrar,
        lambda: new_document("SECRET//NO FOREIGN", NORTH),
    ),
    allow(
        "north registrar for NCITY",
        Action.DOCUMENT_REGISTER,
        north_registrar,
        lambda: new_document("CONFIDENTIAL", NCITY),
    ),
    deny(
        "north registrar for parent HQ",
        Action.DOCUMENT_REGISTER,
        north_registrar,
        lambda: new_document("SECRET", HQ),
        "the registering unit belongs to a unit outside yours (HQ/NORTH)",
    ),
    deny(
        "north registrar for sibling SOUTH",
        Action.DOCUMENT_REGISTER,
        north_registrar,
        lambda: new_document("SECRET", SOUTH),
        "the registering unit belongs to a unit outside yours",
    ),
    deny(
        "north registrar above level",
        Action.DOCUMENT_REGISTER,
        north_registrar,
        lambda: new_document("TOP SECRET", NORTH),
        "you may not hold TOP SECRET material: clearance does not reach TOP SECRET",
    ),
    deny(
        "registrar outside compartment",
        Action.DOCUMENT_REGISTER,
        registrar,
        lambda: new_document("SECRET//CHARLIE"),
        "not read into compartment(s) CHARLIE",
    ),
    deny(
        "expired registrar",
        Action.DOCUMENT_REGISTER,
        expired_registrar,
        lambda: new_document("SECRET"),
        "clearance expired on 2026-03-14",
    ),
    deny(
        "worker",
        Action.DOCUMENT_REGISTER,
        worker,
        lambda: new_document("SECRET"),
        "this needs the role of registrar",
    ),
    deny(
        "worker unclassified",
        Action.DOCUMENT_REGISTER,
        worker,
        lambda: new_document("UNCLASSIFIED"),
        "this needs the role of registrar",
    ),
    deny(
        "custodian",
        Action.DOCUMENT_REGISTER,
        custodian,
        lambda: new_document("SECRET"),
        "this needs the role of registrar",
    ),
    deny(
        "officer",
        Action.DOCUMENT_REGISTER,
        officer,
        lambda: new_document("SECRET"),
        "this needs the role of registrar",
    ),
    deny(
        "administrator",
        Action.DOCUMENT_REGISTER,
        administrator,
        lambda: new_document("SECRET"),
        "this needs the role of registrar",
    ),
    # document:view — anyone who may hold the marking; otherwise it does not exist for them.
    allow("inspector", Action.DOCUMENT_VIEW, inspector, lambda: document("TOP SECRET//CHARLIE")),
    allow("registrar", Action.DOCUMENT_VIEW, registrar, lambda: document("SECRET//ALPHA")),
    allow("worker unclassified", Action.DOCUMENT_VIEW, worker, lambda: document("UNCLASSIFIED")),
    allow("reader via copy", Action.DOCUMENT_VIEW, reader, lambda: copy("CONFIDENTIAL", NORTH)),
    deny(
        "worker restricted",
        Action.DOCUMENT_VIEW,
        worker,
        lambda: document("RESTRICTED"),
        "you may not hold RESTRICTED material: the person holds no clearance",
        **HIDDEN,
    ),
    deny(
        "worker unclassified in compartment",
        Action.DOCUMENT_VIEW,
        worker,
        lambda: document("UNCLASSIFIED//ALPHA"),
        "the person holds no clearance",
        **HIDDEN,
    ),
    deny(
        "officer secret",
        Action.DOCUMENT_VIEW,
        officer,
        lambda: document("SECRET"),
        "you may not hold SECRET material: the person holds no clearance",
        **HIDDEN,
    ),
    deny(
        "administrator confidential",
        Action.DOCUMENT_VIEW,
        administrator,
        lambda: document("CONFIDENTIAL"),
        "the person holds no clearance",
        **HIDDEN,
    ),
    deny(
        "registrar outside compartment",
        Action.DOCUMENT_VIEW,
        registrar,
        lambda: document("SECRET//CHARLIE"),
        "you may not hold SECRET//CHARLIE material: not read into compartment(s) CHARLIE",
        **HIDDEN,
    ),
    deny(
        "reader above level via copy",
        Action.DOCUMENT_VIEW,
        reader,
        lambda: copy("SECRET", NORTH),
        "clearance does not reach SECRET",
        **HIDDEN,
    ),
    deny(
        "expired registrar",
        Action.DOCUMENT_VIEW,
        expired_registrar,
        lambda: document("RESTRICTED"),
        "clearance expired on 2026-03-14",
        **HIDDEN,
    ),
    # ledger:checkpoint — the same people as ledger:verify.
    allow("inspector", Action.LEDGER_CHECKPOINT, inspector, System),
    allow("officer", Action.LEDGER_CHECKPOINT, officer, System),
    deny(
        "worker",
        Action.LEDGER_CHECKPOINT,
        worker,
        System,
        "this needs the role of inspector or security officer or administrator",
    ),
    # ledger:export — inspectors and security staff, over their unit tree.
    allow("inspector", Action.LEDGER_EXPORT, inspector, lambda: UnitFacts(NORTH)),
    allow("officer", Action.LEDGER_EXPORT, officer, lambda: UnitFacts(HQ)),
    allow("administrator", Action.LEDGER_EXPORT, administrator, lambda: UnitFacts(SOUTH)),
    allow("north officer NCITY", Action.LEDGER_EXPORT, north_officer, lambda: UnitFacts(NCITY)),
    deny(
        "north officer over HQ",
        Action.LEDGER_EXPORT,
        north_officer,
        lambda: UnitFacts(HQ),
        "the unit belongs to a unit outside yours (HQ/NORTH)",
    ),
    deny(
        "worker",
        Action.LEDGER_EXPORT,
        worker,
        lambda: UnitFacts(HQ),
        "this needs the role of inspector or security officer or administrator",
    ),
    deny(
        "registrar",
        Action.LEDGER_EXPORT,
        registrar,
        lambda: UnitFacts(HQ),
        "this needs the role of inspector",
    ),
    deny(
        "suspended",
        Action.LEDGER_EXPORT,
        suspended_registrar,
        lambda: UnitFacts(HQ),
        "your account is suspended",
    ),
    # ledger:verify — inspectors and security staff.
    allow("inspector", Action.LEDGER_VERIFY, inspector, System),
    allow("officer", Action.LEDGER_VERIFY, officer, System),
    allow("administrator", Action.LEDGER_VERIFY, administrator, System),
    deny(
        "worker",
        Action.LEDGER_VERIFY,
        worker,
        System,
        "this needs the role of inspector or security officer or administrator",
    ),
    deny("registrar", Action.LEDGER_VERIFY, registrar, System, "this needs the role of inspector"),
    deny("custodian", Action.LEDGER_VERIFY, custodian, System, "this needs the role of inspector"),
    # person:manage — security officers and administrators over their unit tree.
    allow("officer", Action.PERSON_MANAGE, officer, lambda: as_target(north_registrar())),
    allow("administrator", Action.PERSON_MANAGE, administrator, lambda: as_target(worker())),
    allow("north officer", Action.PERSON_MANAGE, north_officer, lambda: as_target(reader())),
    deny(
        "north officer over HQ",
        Action.PERSON_MANAGE,
        north_officer,
        lambda: as_target(worker()),
        "the person belongs to a unit outside yours (HQ/NORTH)",
    ),
    deny(
        "inspector",
        Action.PERSON_MANAGE,
        inspector,
        lambda: as_target(worker()),
        "this needs the role of security officer or administrator",
    ),
    deny(
        "registrar",
        Action.PERSON_MANAGE,
        registrar,
        lambda: as_target(worker()),
        "this needs the role of security officer or administrator",
    ),
    # person:view — any active person.
    allow("worker", Action.PERSON_VIEW, worker, lambda: as_target(registrar())),
    allow("reader sees HQ", Action.PERSON_VIEW, reader, lambda: as_target(officer())),
    deny(
        "suspended",
        Action.PERSON_VIEW,
        suspended_registrar,
        lambda: as_target(worker()),
        "your account is suspended",
    ),
    # unit:manage — security officers and administrators over their unit tree.
    allow("officer", Action.UNIT_MANAGE, officer, lambda: UnitFacts(NORTH)),
    allow("administrator", Action.UNIT_MANAGE, administrator, lambda: UnitFacts(HQ)),
    allow("north officer NCITY", Action.UNIT_MANAGE, north_officer, lambda: UnitFacts(NCITY)),
    deny(
        "north officer over HQ",
        Action.UNIT_MANAGE,
        north_officer,
        lambda: UnitFacts(HQ),
        "the unit belongs to a unit outside yours (HQ/NORTH)",
    ),
    deny(
        "north officer over SOUTH",
        Action.UNIT_MANAGE,
        north_officer,
        lambda: UnitFacts(SOUTH),
        "the unit belongs to a unit outside yours",
    ),
    deny(
        "registrar",
        Action.UNIT_MANAGE,
        registrar,
        lambda: UnitFacts(HQ),
        "this needs the role of security officer or administrator",
    ),
    # unit:view — any active person.
    allow("worker", Action.UNIT_VIEW, worker, lambda: UnitFacts(SOUTH)),
    deny(
        "suspended",
        Action.UNIT_VIEW,
        suspended_registrar,
        lambda: UnitFacts(HQ),
        "your account is suspended",
    ),
    # transit:send — the registry answering for the copy, with a courier who is active, cleared
    # for the marking and authorised today for at least its level.
    allow(
        "registrar sends with carl",
        Action.TRANSIT_SEND,
        registrar,
        lambda: send("SECRET//ALPHA", custodian()),
    ),
    allow(
        "custodian sends with nils",
        Action.TRANSIT_SEND,
        custodian,
        lambda: send("SECRET", north_registrar(), to=SOUTH),
    ),
    allow(
        "north registrar sends on a copy received into NORTH's registry",
        Action.TRANSIT_SEND,
        north_registrar,
        lambda: send("SECRET", custodian(), to=HQ, unit_path=NORTH),
    ),
    deny(
        "courier without authorisation",
        Action.TRANSIT_SEND,
        registrar,
        lambda: send("SECRET", custodian(), authorisations=()),
        "the courier is not authorised to carry SECRET material: no courier authorisation on "
        "record",
    ),
    deny(
        "courier authorisation expired",
        Action.TRANSIT_SEND,
        registrar,
        lambda: send("SECRET", custodian(), authorisations=(authorised(end=-1),)),
        "the courier is not authorised to carry SECRET material: the courier authorisation "
        "expired on 2026-03-14",
    ),
    deny(
        "courier authorised below the level",
        Action.TRANSIT_SEND,
        registrar,
        lambda: send("SECRET", custodian(), authorisations=(authorised("CONFIDENTIAL"),)),
        "the courier authorisation reaches only CONFIDENTIAL",
    ),
    deny(
        "courier authorisation revoked",
        Action.TRANSIT_SEND,
        registrar,
        lambda: send("SECRET", custodian(), authorisations=(authorised(revoked=True),)),
        "the courier authorisation was revoked",
    ),
    deny(
        "courier not cleared to the level",
        Action.TRANSIT_SEND,
        registrar,
        lambda: send("SECRET", reader()),
        "the courier may not hold SECRET material: clearance does not reach SECRET",
    ),
    deny(
        "courier not read into the compartment",
        Action.TRANSIT_SEND,
        registrar,
        lambda: send("SECRET//BRAVO", custodian()),
        "the courier may not hold SECRET//BRAVO material: not read into compartment(s) BRAVO",
    ),
    deny(
        "courier suspended",
        Action.TRANSIT_SEND,
        custodian,
        lambda: send("SECRET", as_target(suspended_registrar())),
        "the courier may not hold SECRET material: the person is suspended",
    ),
    deny(
        "north registrar for an HQ copy",
        Action.TRANSIT_SEND,
        north_registrar,
        lambda: send("SECRET", custodian(), to=SOUTH),
        "the copy belongs to a unit outside yours (HQ/NORTH)",
    ),
    deny(
        "staff may not send",
        Action.TRANSIT_SEND,
        reader,
        lambda: send("CONFIDENTIAL", custodian(), unit_path=NORTH, to=HQ),
        "this needs the role of registrar or custodian",
    ),
    deny(
        "worker cannot even see it",
        Action.TRANSIT_SEND,
        worker,
        lambda: send("SECRET", custodian()),
        "you may not hold SECRET material",
        **HIDDEN,
    ),
    # transit:receive — a registrar or custodian of the destination (or above).
    allow("north registrar receives", Action.TRANSIT_RECEIVE, north_registrar, transit),
    allow(
        "HQ registrar receives for NORTH what carl sent",
        Action.TRANSIT_RECEIVE,
        registrar,
        lambda: transit(sender=custodian, courier=north_registrar),
    ),
    deny(
        "the sender may not sign for it",
        Action.TRANSIT_RECEIVE,
        registrar,
        transit,
        "whoever sent the copy may not sign for its receipt",
    ),
    deny(
        "the courier may not sign for it",
        Action.TRANSIT_RECEIVE,
        custodian,
        transit,
        "the courier may not sign for the copy they carried",
    ),
    deny(
        "north registrar for SOUTH",
        Action.TRANSIT_RECEIVE,
        north_registrar,
        lambda: transit(to_path=SOUTH),
        "the destination registry belongs to a unit outside yours (HQ/NORTH)",
    ),
    deny(
        "staff may not receive",
        Action.TRANSIT_RECEIVE,
        reader,
        lambda: transit("CONFIDENTIAL"),
        "this needs the role of registrar or custodian",
    ),
    deny(
        "officer sees nothing of it",
        Action.TRANSIT_RECEIVE,
        officer,
        transit,
        "the person holds no clearance",
        **HIDDEN,
    ),
    # transit:confirm_receipt — a registrar or custodian of the sending unit (or above).
    allow("HQ registrar confirms", Action.TRANSIT_CONFIRM_RECEIPT, registrar, transit),
    allow(
        "HQ custodian confirms",
        Action.TRANSIT_CONFIRM_RECEIPT,
        custodian,
        lambda: transit(courier=north_registrar),
    ),
    deny(
        "the courier may not confirm",
        Action.TRANSIT_CONFIRM_RECEIPT,
        custodian,
        transit,
        "the courier may not sign for the copy they carried",
    ),
    deny(
        "the destination may not confirm for the sender",
        Action.TRANSIT_CONFIRM_RECEIPT,
        north_registrar,
        transit,
        "the sending registry belongs to a unit outside yours (HQ/NORTH)",
    ),
    deny(
        "worker",
        Action.TRANSIT_CONFIRM_RECEIPT,
        worker,
        transit,
        "you may not hold SECRET material",
        **HIDDEN,
    ),
    # transit:view — the dispatcher and the courier; registry and security staff of either end.
    allow("the courier", Action.TRANSIT_VIEW, custodian, transit),
    allow("the dispatcher", Action.TRANSIT_VIEW, registrar, transit),
    allow("the destination registrar", Action.TRANSIT_VIEW, north_registrar, transit),
    allow("inspector", Action.TRANSIT_VIEW, inspector, transit),
    deny(
        "cleared staff at the destination",
        Action.TRANSIT_VIEW,
        reader,
        lambda: transit("CONFIDENTIAL"),
        "this needs the role of",
        **HIDDEN,
    ),
    deny(
        "north registrar between HQ and SOUTH",
        Action.TRANSIT_VIEW,
        north_registrar,
        lambda: transit(to_path=SOUTH),
        "the transit concerns units outside yours (HQ/NORTH)",
        **HIDDEN,
    ),
    deny(
        "officer without clearance",
        Action.TRANSIT_VIEW,
        officer,
        transit,
        "the person holds no clearance",
        **HIDDEN,
    ),
    # courier:authorise — a security officer over the courier's unit, never for themselves, for
    # someone cleared to the level.
    allow(
        "officer authorises carl",
        Action.COURIER_AUTHORISE,
        officer,
        lambda: courier_grant(custodian()),
    ),
    allow(
        "north officer authorises rosa",
        Action.COURIER_AUTHORISE,
        north_officer,
        lambda: courier_grant(reader(), "CONFIDENTIAL"),
    ),
    deny(
        "above the courier's clearance",
        Action.COURIER_AUTHORISE,
        officer,
        lambda: courier_grant(reader(), "SECRET"),
        "the courier may not hold SECRET material: clearance does not reach SECRET",
    ),
    deny(
        "a courier without clearance",
        Action.COURIER_AUTHORISE,
        officer,
        lambda: courier_grant(worker(), "RESTRICTED"),
        "the courier may not hold RESTRICTED material: the person holds no clearance",
    ),
    deny(
        "for oneself",
        Action.COURIER_AUTHORISE,
        officer_of_every_role,
        lambda: courier_grant(officer_of_every_role()),
        "nobody may grant or withdraw a courier authorisation for themselves",
    ),
    deny(
        "registrar",
        Action.COURIER_AUTHORISE,
        registrar,
        lambda: courier_grant(custodian()),
        "this needs the role of security officer",
    ),
    deny(
        "north officer for HQ",
        Action.COURIER_AUTHORISE,
        north_officer,
        lambda: courier_grant(custodian()),
        "the person belongs to a unit outside yours (HQ/NORTH)",
    ),
    # courier:revoke — the same officers, whatever the courier's clearance now.
    allow("officer revokes", Action.COURIER_REVOKE, officer, lambda: as_target(custodian())),
    allow(
        "officer revokes from someone no longer cleared",
        Action.COURIER_REVOKE,
        officer,
        lambda: as_target(worker()),
    ),
    deny(
        "registrar",
        Action.COURIER_REVOKE,
        registrar,
        lambda: as_target(custodian()),
        "this needs the role of security officer",
    ),
    deny(
        "for oneself",
        Action.COURIER_REVOKE,
        officer_of_every_role,
        lambda: as_target(officer_of_every_role()),
        "for themselves",
    ),
    # courier:view — oneself; security, registry staff and inspectors over the courier's unit.
    allow("own", Action.COURIER_VIEW, worker, lambda: as_target(worker())),
    allow("registrar", Action.COURIER_VIEW, registrar, lambda: as_target(custodian())),
    allow("north officer", Action.COURIER_VIEW, north_officer, lambda: as_target(reader())),
    deny(
        "worker views another",
        Action.COURIER_VIEW,
        worker,
        lambda: as_target(custodian()),
        "this needs the role of",
    ),
    deny(
        "north registrar views HQ",
        Action.COURIER_VIEW,
        north_registrar,
        lambda: as_target(custodian()),
        "the person belongs to a unit outside yours (HQ/NORTH)",
    ),
]


def case_id(case: Case) -> str:
    return f"{case.action.value} {'allow' if case.allowed else 'deny'}: {case.name}"


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_decision(case: Case) -> None:
    decision = decide(case.actor(), case.action, case.target())
    assert isinstance(decision, Decision)
    assert decision.allowed is case.allowed, decision.reason
    assert bool(decision) is case.allowed
    assert case.reason in decision.reason
    assert decision.visible is case.visible


@pytest.mark.parametrize("action", list(Action), ids=str)
def test_every_action_has_an_allowed_and_a_denied_case(action: Action) -> None:
    outcomes = {case.allowed for case in CASES if case.action is action}
    assert outcomes == {True, False}, f"add an allowed and a denied case for {action} to CASES"


@pytest.mark.parametrize("action", list(Action), ids=str)
def test_every_action_has_a_rule(action: Action) -> None:
    """decide() answers every action with a Decision, never a KeyError."""
    case = next(case for case in CASES if case.action is action)
    assert isinstance(decide(case.actor(), action, case.target()), Decision)


# --- inactive actors -------------------------------------------------------------------------

ALLOWED_CASES = [case for case in CASES if case.allowed]


@pytest.mark.parametrize("status", [PersonStatus.SUSPENDED, PersonStatus.DEPARTED])
@pytest.mark.parametrize("case", ALLOWED_CASES, ids=case_id)
def test_an_inactive_actor_is_refused_everything(case: Case, status: PersonStatus) -> None:
    """Suspension takes effect immediately everywhere: every allowed case becomes a refusal."""
    actor = dataclasses.replace(case.actor(), status=status)
    decision = decide(actor, case.action, case.target())
    assert not decision.allowed
    assert status.value in decision.reason


def test_suspended_registrar_may_not_register() -> None:
    decision = decide(suspended_registrar(), Action.DOCUMENT_REGISTER, new_document("SECRET"))
    assert not decision
    assert decision.reason == "your account is suspended"


def test_suspended_registrar_may_not_see_documents() -> None:
    decision = decide(suspended_registrar(), Action.DOCUMENT_VIEW, document("UNCLASSIFIED"))
    assert not decision
    assert decision.visible is False
    assert "suspended" in decision.reason


def test_suspended_actor_may_not_view_even_their_own_clearance() -> None:
    actor = suspended_registrar()
    decision = decide(actor, Action.CLEARANCE_VIEW, as_target(actor))
    assert not decision.allowed
    assert "suspended" in decision.reason


# --- key rules, spelled out ------------------------------------------------------------------


def test_registrar_of_a_child_unit_may_not_register_for_the_parent() -> None:
    decision = decide(north_registrar(), Action.DOCUMENT_REGISTER, new_document("RESTRICTED", HQ))
    assert not decision
    assert "outside yours" in decision.reason
    # ...although the registrar of the parent may register for the child.
    assert decide(registrar(), Action.DOCUMENT_REGISTER, new_document("RESTRICTED", NORTH))


def test_unit_whose_code_starts_like_ours_is_not_ours() -> None:
    """HQ/NORTHERN is not below HQ/NORTH, however the strings compare."""
    decision = decide(
        north_registrar(), Action.DOCUMENT_REGISTER, new_document("SECRET", NORTH + "ERN")
    )
    assert not decision
    assert "outside yours" in decision.reason
    assert not within("HQ/NORTHERN", NORTH)
    assert within(NCITY, NORTH)
    assert within(NORTH, NORTH)
    assert not within(HQ, NORTH)


def test_a_registrar_must_be_cleared_for_what_they_register() -> None:
    decision = decide(registrar(), Action.DOCUMENT_REGISTER, new_document("TOP SECRET//CHARLIE"))
    assert not decision
    assert decision.reason == (
        "you may not hold TOP SECRET//CHARLIE material: not read into compartment(s) CHARLIE"
    )


@pytest.mark.parametrize("staff", [officer, administrator], ids=lambda f: f.__name__)
@pytest.mark.parametrize(
    ("action", "target"),
    [
        (Action.DOCUMENT_VIEW, lambda: document("RESTRICTED")),
        (Action.DOCUMENT_VIEW, lambda: copy("SECRET//ALPHA")),
        (Action.DOCUMENT_CORRECT, lambda: document("SECRET")),
        (Action.COPY_RETURN, lambda: copy("CONFIDENTIAL")),
        (Action.COPY_ISSUE, lambda: issue("TOP SECRET", as_target(registrar()))),
    ],
    ids=["view", "view-copy", "correct", "return", "issue"],
)
def test_security_staff_get_no_content_from_their_role(
    staff: Callable[[], ActorFacts], action: Action, target: Callable[[], Target]
) -> None:
    decision = decide(staff(), action, target())
    assert not decision
    assert decision.visible is False
    assert "the person holds no clearance" in decision.reason


def test_every_role_without_clearance_still_sees_no_content() -> None:
    everyone = dataclasses.replace(officer_of_every_role(), clearance=None)
    decision = decide(everyone, Action.DOCUMENT_VIEW, document("RESTRICTED"))
    assert not decision
    assert decision.visible is False


def test_security_staff_may_not_register_even_when_cleared() -> None:
    cleared_officer = dataclasses.replace(officer(), clearance=clearance("TOP SECRET"))
    decision = decide(cleared_officer, Action.DOCUMENT_REGISTER, new_document("SECRET"))
    assert not decision
    assert decision.reason == "this needs the role of registrar"


@pytest.mark.parametrize(
    "action", [Action.CLEARANCE_GRANT, Action.CLEARANCE_REVOKE, Action.CLEARANCE_SUSPEND]
)
@pytest.mark.parametrize(
    "actor", [officer, north_officer, officer_of_every_role], ids=lambda f: f.__name__
)
def test_nobody_changes_their_own_clearance(
    action: Action, actor: Callable[[], ActorFacts]
) -> None:
    me = actor()
    decision = decide(me, action, as_target(me))
    assert not decision
    assert decision.reason == "nobody may grant or withdraw clearance for themselves"


def test_recipient_eligibility_is_judged_on_the_actors_day() -> None:
    recipient = as_target(
        dataclasses.replace(
            registrar(), person_id=20, clearance=clearance("SECRET", expires_on=TODAY)
        )
    )
    on_the_day = decide(custodian(), Action.COPY_ISSUE, issue("SECRET", recipient))
    assert on_the_day
    next_day = dataclasses.replace(custodian(), today=TODAY + timedelta(days=1))
    late = decide(next_day, Action.COPY_ISSUE, issue("SECRET", recipient))
    assert not late
    assert "clearance expired on 2026-03-15" in late.reason


def test_issuer_side_is_judged_before_the_recipient() -> None:
    """A worker who may not see the document learns nothing about the recipient."""
    decision = decide(worker(), Action.COPY_ISSUE, issue("SECRET", as_target(worker())))
    assert decision.visible is False
    assert "recipient" not in decision.reason


def test_issue_refused_for_recipient_is_visible() -> None:
    decision = decide(custodian(), Action.COPY_ISSUE, issue("SECRET", as_target(worker())))
    assert not decision
    assert decision.visible is True
    assert decision.reason.startswith("the recipient may not hold SECRET material")


def test_documents_are_visible_by_clearance_not_by_unit() -> None:
    """Need-to-know is carried by compartments; a cleared reader elsewhere in the tree sees it."""
    assert decide(reader(), Action.DOCUMENT_VIEW, document("CONFIDENTIAL", SOUTH))


def test_refusal_on_visible_document_names_the_rule() -> None:
    decision = decide(north_registrar(), Action.DOCUMENT_CORRECT, document("SECRET", HQ))
    assert not decision
    assert decision.visible is True
    assert decision.reason == "the registering unit belongs to a unit outside yours (HQ/NORTH)"


def test_the_most_basic_problem_is_named_first() -> None:
    """A suspended worker is told about the suspension, not about the missing role."""
    suspended_worker = dataclasses.replace(worker(), status=PersonStatus.SUSPENDED)
    assert decide(suspended_worker, Action.UNIT_MANAGE, UnitFacts(HQ)).reason == (
        "your account is suspended"
    )
    # A worker at NORTH managing HQ lacks the role before lacking the unit.
    assert decide(reader(), Action.UNIT_MANAGE, UnitFacts(HQ)).reason == (
        "this needs the role of security officer or administrator"
    )


def test_allowed_decision_reads_allowed() -> None:
    decision = decide(worker(), Action.UNIT_VIEW, UnitFacts(HQ))
    assert decision == Decision(True, "allowed", visible=True)


# --- delegated duties ------------------------------------------------------------------------

DELEGATED_ACTS = [
    ("register", deputy, Action.DOCUMENT_REGISTER, lambda: new_document("SECRET"), "rita"),
    (
        "register below",
        deputy,
        Action.DOCUMENT_REGISTER,
        lambda: new_document("CONFIDENTIAL//ALPHA", NCITY),
        "rita",
    ),
    (
        "register as the registrar of another unit",
        lambda: acting_for(north_registrar(), delegated()),
        Action.DOCUMENT_REGISTER,
        lambda: new_document("SECRET", HQ),
        "rita",
    ),
    (
        "issue",
        copy_deputy,
        Action.COPY_ISSUE,
        lambda: issue("SECRET", as_target(registrar())),
        "carl",
    ),
    ("return", copy_deputy, Action.COPY_RETURN, lambda: copy("SECRET", holder_id=1), "carl"),
]


@pytest.mark.parametrize(
    ("actor", "action", "target", "delegator"),
    [act[1:] for act in DELEGATED_ACTS],
    ids=[act[0] for act in DELEGATED_ACTS],
)
def test_an_act_allowed_only_by_a_delegation_names_the_delegator(
    actor: Callable[[], ActorFacts],
    action: Action,
    target: Callable[[], Target],
    delegator: str,
) -> None:
    decision = decide(actor(), action, target())
    assert decision
    assert decision.on_behalf_of == delegator
    assert decision.reason == "allowed"
    assert decision.visible is True


@pytest.mark.parametrize(
    ("actor", "action", "target"),
    [
        (registrar, Action.DOCUMENT_REGISTER, lambda: new_document("SECRET")),
        (custodian, Action.COPY_ISSUE, lambda: issue("SECRET", as_target(registrar()))),
        (custodian, Action.COPY_RETURN, lambda: copy("SECRET", holder_id=1)),
        (worker, Action.UNIT_VIEW, lambda: UnitFacts(HQ)),
    ],
    ids=["register", "issue", "return", "unit-view"],
)
def test_an_act_allowed_by_ones_own_role_names_nobody(
    actor: Callable[[], ActorFacts], action: Action, target: Callable[[], Target]
) -> None:
    decision = decide(actor(), action, target())
    assert decision
    assert decision.on_behalf_of is None


def test_a_registrar_who_also_holds_a_delegation_acts_in_her_own_right() -> None:
    """rita registering at HQ with a delegation from nils too: it is her own act."""
    rita = acting_for(registrar(), delegated(delegator="nils", unit_path=NORTH))
    decision = decide(rita, Action.DOCUMENT_REGISTER, new_document("SECRET", NCITY))
    assert decision
    assert decision.on_behalf_of is None


def test_the_delegation_that_covers_the_act_is_the_one_named() -> None:
    dora = acting_for(
        staff(),
        delegated(Duty.HANDLE_COPIES, "carl"),
        delegated(delegator="nils", unit_path=NORTH),
        delegated(delegator="ned", level="RESTRICTED"),
        delegated(delegator="rita"),
    )
    decision = decide(dora, Action.DOCUMENT_REGISTER, new_document("CONFIDENTIAL", HQ))
    assert decision.on_behalf_of == "rita"
    at_north = decide(dora, Action.DOCUMENT_REGISTER, new_document("CONFIDENTIAL", NORTH))
    assert at_north.on_behalf_of == "nils"


def test_a_refusal_despite_a_delegation_gives_the_plain_reason_and_names_nobody() -> None:
    dora = acting_for(staff(), delegated(level="CONFIDENTIAL"))
    decision = decide(dora, Action.DOCUMENT_REGISTER, new_document("SECRET"))
    assert decision.reason == "this needs the role of registrar"
    assert decision.visible is True
    assert decision.on_behalf_of is None


def test_a_delegation_is_judged_on_the_actors_day() -> None:
    dora = acting_for(staff(), delegated(ends_on=TODAY))
    assert decide(dora, Action.DOCUMENT_REGISTER, new_document("SECRET"))
    next_day = dataclasses.replace(dora, today=TODAY + timedelta(days=1))
    late = decide(next_day, Action.DOCUMENT_REGISTER, new_document("SECRET"))
    assert not late
    assert late.reason == "this needs the role of registrar"


@pytest.mark.parametrize("status", [PersonStatus.SUSPENDED, PersonStatus.DEPARTED])
def test_a_suspended_delegate_is_told_of_the_suspension(status: PersonStatus) -> None:
    dora = dataclasses.replace(deputy(), status=status)
    decision = decide(dora, Action.DOCUMENT_REGISTER, new_document("SECRET"))
    assert decision.reason == f"your account is {status.value}"
    assert decision.on_behalf_of is None


def test_a_delegation_reaches_no_further_than_the_delegates_own_clearance() -> None:
    """rita's delegation reaches TOP SECRET, dora's clearance SECRET: the lower one wins."""
    dora = acting_for(staff(), delegated(level="TOP SECRET"))
    assert decide(dora, Action.DOCUMENT_REGISTER, new_document("SECRET"))
    assert not decide(dora, Action.DOCUMENT_REGISTER, new_document("TOP SECRET"))


def test_require_returns_the_decision_with_the_delegator() -> None:
    decision = require(deputy(), Action.DOCUMENT_REGISTER, new_document("SECRET"), "unit:HQ")
    assert decision == Decision(True, "allowed", on_behalf_of="rita")
    own = require(registrar(), Action.DOCUMENT_REGISTER, new_document("SECRET"), "unit:HQ")
    assert own == Decision(True, "allowed")


def test_require_refuses_a_lapsed_delegation_with_the_role_reason() -> None:
    lapsed = acting_for(staff(), delegated(ends_on=TODAY - timedelta(days=1)))
    with pytest.raises(Denied) as caught:
        require(lapsed, Action.DOCUMENT_REGISTER, new_document("SECRET"), "unit:HQ")
    assert caught.value.reason == "this needs the role of registrar"
    assert caught.value.target_ref == "unit:HQ"


def test_delegation_refusals_name_the_delegate_not_the_recipient() -> None:
    decision = decide(registrar(), Action.DELEGATION_GRANT, delegation(registrar(), worker()))
    assert decision.reason == (
        "the delegate may not hold SECRET material: the person holds no clearance"
    )
    assert decision.visible is True


def test_the_delegator_is_checked_before_the_delegate() -> None:
    """nils may not delegate TOP SECRET: that is said before anything about the delegate."""
    decision = decide(
        north_registrar(),
        Action.DELEGATION_GRANT,
        delegation(north_registrar(), worker(), level="TOP SECRET"),
    )
    assert decision.reason == (
        "you may not hold TOP SECRET material: clearance does not reach TOP SECRET"
    )


def test_whoever_may_not_see_a_delegation_is_told_nothing_of_it() -> None:
    for actor in (worker, north_registrar, inspector, north_officer, custodian):
        target = delegation(registrar(), reader(), level="CONFIDENTIAL")
        decision = decide(actor(), Action.DELEGATION_VIEW, target)
        assert not decision, actor.__name__
        assert decision.visible is False, actor.__name__


def test_the_duty_label_and_who_holds_it() -> None:
    assert Duty.HANDLE_COPIES.label == "handle copies"
    assert DUTY_ROLES == {
        Duty.REGISTER: (Role.REGISTRAR,),
        Duty.HANDLE_COPIES: (Role.REGISTRAR, Role.CUSTODIAN),
    }


# --- require ---------------------------------------------------------------------------------


def test_require_returns_quietly_when_allowed() -> None:
    require(registrar(), Action.DOCUMENT_REGISTER, new_document("SECRET"), "unit:HQ")


def test_require_raises_denied_with_action_decision_and_target() -> None:
    target = new_document("SECRET", HQ)
    with pytest.raises(Denied) as caught:
        require(worker(), Action.DOCUMENT_REGISTER, target, "unit:HQ")
    denied = caught.value
    assert denied.action is Action.DOCUMENT_REGISTER
    assert denied.target_ref == "unit:HQ"
    assert denied.decision == decide(worker(), Action.DOCUMENT_REGISTER, target)
    assert denied.decision.allowed is False
    assert denied.decision.visible is True
    assert denied.reason == "this needs the role of registrar"
    assert str(denied) == denied.reason
    assert denied.recorded is False


def test_require_carries_invisibility() -> None:
    with pytest.raises(Denied) as caught:
        require(officer(), Action.DOCUMENT_VIEW, document("SECRET"), "document:101")
    assert caught.value.decision.visible is False
    assert caught.value.target_ref == "document:101"
    assert caught.value.action is Action.DOCUMENT_VIEW
    assert "the person holds no clearance" in caught.value.reason


# --- the Action enum -------------------------------------------------------------------------


def test_action_values_follow_area_colon_verb() -> None:
    grammar = re.compile(r"^[a-z]+(?:_[a-z]+)*:[a-z]+(?:_[a-z]+)*$")
    for action in Action:
        assert grammar.match(action.value), action.value


def test_action_names_spell_their_values() -> None:
    for action in Action:
        assert action.name == action.value.replace(":", "_").upper()


def test_actions_are_sorted_by_value() -> None:
    values = [action.value for action in Action]
    assert values == sorted(values)
    assert len(values) == len(set(values))
