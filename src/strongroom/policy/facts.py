"""What the rules look at: plain snapshots of the actor and the target, built by the models."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from strongroom.domain.clearance import Clearance, PersonStatus, may_hold_text
from strongroom.domain.markings import Marking
from strongroom.domain.text import Text
from strongroom.domain.transport import CourierAuthorisation


class Role(enum.StrEnum):
    ADMINISTRATOR = "administrator"
    CUSTODIAN = "custodian"
    INSPECTOR = "inspector"
    REGISTRAR = "registrar"
    SECURITY_OFFICER = "security_officer"
    STAFF = "staff"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class Duty(enum.StrEnum):
    """What a registrar or custodian may hand to someone else for a while (a delegation)."""

    REGISTER = "register"  # register incoming documents for the unit
    HANDLE_COPIES = "handle_copies"  # issue copies from the registry and take them back

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


# Who holds a duty by their role, and so may delegate it.
DUTY_ROLES: dict[Duty, tuple[Role, ...]] = {
    Duty.REGISTER: (Role.REGISTRAR,),
    Duty.HANDLE_COPIES: (Role.REGISTRAR, Role.CUSTODIAN),
}


@dataclass(frozen=True)
class DelegatedDuty:
    """A duty the actor holds for now on someone else's behalf; the delegator stays on record."""

    duty: Duty
    delegator: str
    unit_path: str
    max_rank: int
    ends_on: date
    # The delegator's compartments today: a delegate acts within them, never beyond.
    compartments: frozenset[str] = frozenset()


def within(unit_path: str, ancestor_path: str) -> bool:
    """True when ``unit_path`` is ``ancestor_path`` or lies below it in the unit tree."""
    return unit_path == ancestor_path or unit_path.startswith(ancestor_path + "/")


@dataclass(frozen=True)
class ActorFacts:
    person_id: int
    username: str
    unit_path: str
    roles: frozenset[Role]
    status: PersonStatus
    clearance: Clearance | None
    today: date
    # Only delegations in force today whose delegator is still active and still holds the duty.
    delegations: tuple[DelegatedDuty, ...] = ()

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    def cannot_hold(self, marking: Marking) -> Text | None:
        return may_hold_text(self.status, self.clearance, marking, self.today)

    def governs(self, unit_path: str) -> bool:
        return within(unit_path, self.unit_path)


@dataclass(frozen=True)
class UnitFacts:
    unit_path: str


@dataclass(frozen=True)
class DocumentFacts:
    document_id: int | None
    unit_path: str
    marking: Marking


@dataclass(frozen=True)
class CopyFacts:
    copy_id: int
    document: DocumentFacts
    holder_id: int | None
    # The unit whose registry answers for the copy: its document's unit, until a transit
    # delivers it to another unit's registry.
    unit_path: str


@dataclass(frozen=True)
class PersonFacts:
    person_id: int
    unit_path: str
    status: PersonStatus
    clearance: Clearance | None


@dataclass(frozen=True)
class IssueFacts:
    """Issuing ``copy`` to ``recipient``: both the issuer's and the recipient's side are checked."""

    copy: CopyFacts
    recipient: PersonFacts


@dataclass(frozen=True)
class HandOverFacts:
    """A hand-over of ``copy`` from ``sender_id`` to ``recipient``: proposed, or pending."""

    copy: CopyFacts
    sender_id: int
    recipient: PersonFacts


@dataclass(frozen=True)
class DelegationFacts:
    """``delegator_id`` hands ``duty`` over ``unit_path`` up to ``marking`` to ``delegate``."""

    delegator_id: int
    delegate: PersonFacts
    duty: Duty
    unit_path: str
    marking: Marking


@dataclass(frozen=True)
class ReproductionFacts:
    """A request by ``requester_id`` to reproduce ``document``: proposed, or already made."""

    document: DocumentFacts
    requester_id: int


@dataclass(frozen=True)
class CheckOutFacts:
    """``copy`` lent for reading to ``reader``: proposed (``lent_by_id`` None), open, or closed."""

    copy: CopyFacts
    reader: PersonFacts
    lent_by_id: int | None = None


@dataclass(frozen=True)
class DestructionFacts:
    """The destruction of ``copy`` by ``destroyer``, to be countersigned by ``witness``:
    proposed, or pending."""

    copy: CopyFacts
    destroyer: PersonFacts
    witness: PersonFacts


@dataclass(frozen=True)
class AuthorisationFacts:
    """Authorising ``courier`` to carry material up to ``level`` (a marking of the level alone)."""

    courier: PersonFacts
    level: Marking


@dataclass(frozen=True)
class SendFacts:
    """Sending ``copy`` from its registry to the registry of ``to_unit_path`` with ``courier``,
    whose courier authorisations are ``authorisations``."""

    copy: CopyFacts
    to_unit_path: str
    courier: PersonFacts
    authorisations: tuple[CourierAuthorisation, ...]


@dataclass(frozen=True)
class TransitFacts:
    """A transit under way or done: ``copy`` carried by ``courier_id`` between two registries."""

    copy: CopyFacts
    from_unit_path: str
    to_unit_path: str
    courier_id: int
    dispatched_by_id: int


@dataclass(frozen=True)
class CampaignFacts:
    """Copies of ``document`` issued at once, one to each of ``recipients`` (username, facts).

    Viewing a campaign asks about the document alone: then there are no recipients."""

    document: DocumentFacts
    recipients: tuple[tuple[str, PersonFacts], ...] = ()


@dataclass(frozen=True)
class System:
    """The whole installation, as the target of installation-wide actions such as verification."""


Target = (
    UnitFacts
    | DocumentFacts
    | CopyFacts
    | PersonFacts
    | IssueFacts
    | HandOverFacts
    | DelegationFacts
    | ReproductionFacts
    | CheckOutFacts
    | DestructionFacts
    | AuthorisationFacts
    | SendFacts
    | TransitFacts
    | CampaignFacts
    | System
)
