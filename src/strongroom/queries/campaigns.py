"""Reading campaigns: the list of the actor's units', one by reference, and its live board."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, Q, QuerySet

from strongroom.adapters import clock
from strongroom.domain.campaigns import Step, days_between
from strongroom.domain.errors import InvalidInput
from strongroom.domain.text import gettext_noop
from strongroom.models import Campaign, CampaignItem, Document, Incident, Person
from strongroom.models.campaigns import ladder
from strongroom.policy import Action, CampaignFacts, require
from strongroom.policy.querysets import visible_documents
from strongroom.queries import references
from strongroom.queries.documents import UNIT_ROLES

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class Counts(TypedDict):
    """What ``campaigns`` counts for each campaign it lists."""

    copies: int  # issued
    out: int  # still out


def _related() -> QuerySet[WithAnnotations[Campaign, Counts]]:
    """Campaigns ready to show: their document, issuer, and how many copies are out."""
    return Campaign.objects.select_related("document__unit", "created_by").annotate(
        copies=Count("items"), out=Count("items", filter=Q(items__returned_at__isnull=True))
    )


def distributable(actor: Person, document: Document) -> Document:
    """``document``, if the actor may issue its copies in a campaign; raise Denied otherwise.

    For the form, before anyone is named: whether the people named may hold the document is
    judged by the service once they are."""
    facts = CampaignFacts(document.facts())
    subject = f"document:{document.control_number}"
    require(actor.facts(clock.today()), Action.CAMPAIGN_CREATE, facts, subject)
    return document


def _find(text: str) -> WithAnnotations[Campaign, Counts] | None:
    """By full reference or the 8-digit short reference people read out."""
    return references.find(
        _related(),
        text,
        ambiguous=lambda short: InvalidInput(
            gettext_noop(
                "More than one campaign starts with %(reference)s; give the full reference.",
                reference=short,
            ),
            field="campaign",
        ),
        malformed=lambda given: InvalidInput(
            gettext_noop(
                "%(text)s is not a campaign reference; use its 8 characters (e.g. 3F2A9C01) or "
                "the full reference.",
                text=repr(given),
            ),
            field="campaign",
        ),
    )


def campaign(actor: Person, reference: str) -> WithAnnotations[Campaign, Counts]:
    """One campaign the actor may see, with its counts; anything else reads as missing."""
    return references.visible(
        actor,
        _find(reference),
        reference,
        kind="campaign",
        action=Action.CAMPAIGN_VIEW,
    )


def campaigns(
    actor: Person, *, open_only: bool = False
) -> QuerySet[WithAnnotations[Campaign, Counts]]:
    """The campaigns of documents of the actor's unit and below that they may see, newest
    first, with how many copies each issued and how many are still out. For registrars,
    custodians, security officers and inspectors (``campaign:view``); nobody else has any."""
    facts = actor.facts(clock.today())
    # Ordered here: Django leaves Meta.ordering out of a query that counts.
    found = _related().order_by("-created_at", "-id")
    if facts.status.value != "active" or not facts.roles.intersection(UNIT_ROLES):
        return found.none()
    governed = Q(unit__path=facts.unit_path) | Q(unit__path__startswith=f"{facts.unit_path}/")
    found = found.filter(document__in=visible_documents(facts, Document.objects.filter(governed)))
    if open_only:
        found = found.filter(closed_at__isnull=True)
    return found


@dataclass(frozen=True)
class BoardRow:
    """One copy of a campaign, as the live board shows it at ``now``."""

    item: CampaignItem
    number: int
    of: int
    recipient: Person
    # Who holds it now, if it is still out (the recipient, unless they handed it on).
    holder: Person | None
    issued_at: datetime
    returned_at: datetime | None
    # Whole days since it was issued, while it is out.
    days_out: int | None
    # Whole days past the due-back time, while it is out and overdue.
    days_overdue: int | None
    # The highest step of the reminder ladder reached, while it is out.
    step: Step | None
    incident: Incident | None

    @property
    def out(self) -> bool:
        return self.returned_at is None


@dataclass(frozen=True)
class Board:
    campaign: Campaign
    rows: list[BoardRow]
    at: datetime

    @property
    def out(self) -> int:
        return sum(row.out for row in self.rows)


def board(found: Campaign, *, now: datetime | None = None) -> Board:
    """What is still out of ``found``, with whom and for how long, judged at ``now``."""
    at = now or clock.now()
    rungs = ladder()
    items = (
        CampaignItem.objects.filter(campaign=found)
        .select_related("copy__holder__unit", "recipient__unit", "incident")
        .order_by("copy__number")
    )
    due_back = found.due_back
    rows = []
    for item in items:
        item.campaign = found
        out = item.returned_at is None
        rows.append(
            BoardRow(
                item=item,
                number=item.copy.number,
                of=found.document.copy_count,
                recipient=item.recipient,
                holder=item.copy.holder if out else None,
                issued_at=item.issued_at,
                returned_at=item.returned_at,
                days_out=days_between(item.issued_at, at) if out else None,
                days_overdue=days_between(due_back, at) if out and at > due_back else None,
                step=rungs.highest(due_back, at) if out else None,
                incident=getattr(item, "incident", None),
            )
        )
    return Board(found, rows, at)
