"""What the rules look at: plain snapshots of the actor and the target, built by the models."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from strongroom.domain.clearance import Clearance, PersonStatus, may_hold_text
from strongroom.domain.markings import Marking
from strongroom.domain.text import Text


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
    | CampaignFacts
    | System
)
