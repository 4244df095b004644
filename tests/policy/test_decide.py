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
from strongroom.policy.facts import HandOverFacts, Target, within

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
    return CopyFacts(1001, document(banner, unit_path), holder_id)


def issue(banner: str, recipient: PersonFacts, unit_path: str = HQ) -> IssueFacts:
    return IssueFacts(copy(banner, unit_path), recipient)


def hand_over(
    banner: str, sender: ActorFacts, recipient: ActorFacts | PersonFacts, unit_path: str = HQ
) -> HandOverFacts:
    """``sender`` holds (or held, until the recipient acknowledges) a copy of ``banner``."""
    to = recipient if isinstance(recipient, PersonFacts) else as_target(recipient)
    return HandOverFacts(copy(banner, unit_path, sender.person_id), sender.person_id, to)


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
