"""Distribution campaigns: numbered copies of one document issued at once to a named list, to be
brought back by a due-back time.

Each copy is issued exactly as ``custody.issue_copy`` issues one — the same rules, the same
ledger entry — all in one transaction: if any recipient may not hold the document, nothing is
issued, and the refusal names everyone who may not, and why. Copies come back one by one with
``custody.return_copy``; the campaign closes with its last. Reminders and the incident after the
grace period are the periodic check's (``services.alerts.check_campaign_reminders``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from strongroom.domain.custody import CopyState
from strongroom.domain.errors import InvalidInput
from strongroom.domain.text import gettext_noop
from strongroom.ledger.events import Event
from strongroom.ledger.record import record
from strongroom.models import Campaign, CampaignItem, Copy, Document, Person
from strongroom.policy import Action, CampaignFacts
from strongroom.services import custody
from strongroom.services.base import check, deadline, now, writes

MAX_TITLE = 200
# One campaign issues at most as many copies as a document can have.
MAX_RECIPIENTS = 999


def _title(value: str) -> str:
    title = " ".join(value.split())
    if not title:
        raise InvalidInput(gettext_noop("The campaign needs a title."), field="title")
    if len(title) > MAX_TITLE:
        raise InvalidInput(
            gettext_noop("The title may be at most %(limit)s characters.", limit=MAX_TITLE),
            field="title",
        )
    return title


def _recipients(people: Sequence[Person]) -> None:
    if not people:
        raise InvalidInput(gettext_noop("Name at least one recipient."), field="to")
    if len(people) > MAX_RECIPIENTS:
        raise InvalidInput(
            gettext_noop("A campaign has at most %(limit)s recipients.", limit=MAX_RECIPIENTS),
            field="to",
        )
    seen: set[int] = set()
    for person in people:
        if person.pk in seen:
            raise InvalidInput(
                gettext_noop(
                    "%(person)s is named twice; each recipient gets one copy.",
                    person=person.username,
                ),
                field="to",
            )
        seen.add(person.pk)


def _copies_in_registry(document: Document, needed: int) -> list[Copy]:
    """The first ``needed`` copies in the registry, in number order; refused if too few."""
    copies = list(
        Copy.objects.select_related("document__unit", "unit", "holder")
        # Its registry's: a copy a transit took to another unit answers to that registry.
        .filter(document=document, unit=document.unit_id, state=CopyState.IN_REGISTRY.value)
        .order_by("number")[:needed]
    )
    if len(copies) < needed:
        raise InvalidInput(
            gettext_noop(
                "%(control)s has %(available)s copies in the registry and the campaign needs "
                "%(needed)s; take copies back or have more reproduced first.",
                control=document.control_number,
                available=len(copies),
                needed=needed,
            ),
            field="to",
        )
    for copy in copies:
        copy.document = document
    return copies


@writes
def create_campaign(
    document: Document,
    *,
    title: str,
    due_back: datetime,
    recipients: Sequence[Person],
    by: Person,
) -> Campaign:
    """Issue one copy of ``document`` to each of ``recipients``, in order, from its registry."""
    _recipients(recipients)
    facts = CampaignFacts(
        document.facts(), tuple((person.username, person.as_target()) for person in recipients)
    )
    check(by, Action.CAMPAIGN_CREATE, facts, f"document:{document.control_number}")
    at = now()
    clean_title = _title(title)
    due = deadline(due_back, at=at, hours=None, field="due_back")
    copies = _copies_in_registry(document, len(recipients))
    campaign = Campaign.objects.create(
        document=document,
        title=clean_title,
        created_by=by,
        due_back=due,
        created_at=at,
    )
    reference = str(campaign.reference)
    record(
        Event.CAMPAIGN_CREATED,
        actor=by,
        subject=f"campaign:{reference}",
        data={
            "document": document.control_number,
            "title": clean_title,
            "due_back": due.isoformat(),
            "recipients": [person.username for person in recipients],
            "copies": [copy.number for copy in copies],
        },
        at=at,
    )
    for copy, person in zip(copies, recipients, strict=True):
        custody.issue(copy, to=person, by=by, at=at, data={"campaign": reference})
    CampaignItem.objects.bulk_create(
        CampaignItem(campaign=campaign, copy=copy, recipient=person, issued_at=at)
        for copy, person in zip(copies, recipients, strict=True)
    )
    return campaign
