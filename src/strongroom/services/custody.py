"""Issuing copies from the registry to eligible people and taking them back."""

from __future__ import annotations

from datetime import datetime

from strongroom.domain.custody import CopyState, CustodyEvent, next_state
from strongroom.domain.errors import Conflict
from strongroom.domain.text import gettext_noop
from strongroom.ledger.events import Event
from strongroom.ledger.record import record
from strongroom.models import Campaign, CampaignItem, Copy, Person
from strongroom.models.campaigns import open_item
from strongroom.models.documents import move_copy
from strongroom.policy import Action
from strongroom.policy.facts import IssueFacts
from strongroom.services import alerts
from strongroom.services.base import check, check_with, now, on_behalf, writes
from strongroom.services.registry import registry_location


def move(
    copy: Copy,
    *,
    state: CopyState,
    holder: Person | None,
    location: str,
    expected_version: int,
    at: datetime | None = None,
) -> None:
    """Conditional update: applies only if nobody moved the copy since it was read.

    For services only, inside their transaction, after the policy check."""
    at = at or now()
    moved = move_copy(
        copy.pk,
        expected_version=expected_version,
        state=state.value,
        holder_id=holder.pk if holder else None,
        location=location,
        since=at,
    )
    if not moved:
        raise Conflict(
            gettext_noop(
                "Copy %(copy)s was moved by someone else a moment ago; reload it and try again.",
                copy=copy.reference,
            )
        )
    copy.state, copy.holder, copy.location, copy.since = state.value, holder, location, at
    copy.version = expected_version + 1


def holder_location(person: Person) -> str:
    return f"with {person.username} ({person.unit.code})"


@writes
def issue_copy(copy: Copy, *, to: Person, by: Person, expected_version: int | None = None) -> Copy:
    """Issue a copy from the registry to an eligible person, who becomes its holder."""
    return issue(copy, to=to, by=by, expected_version=expected_version)


def issue(
    copy: Copy,
    *,
    to: Person,
    by: Person,
    expected_version: int | None = None,
    at: datetime | None = None,
    data: dict[str, object] | None = None,
) -> Copy:
    """``issue_copy`` inside a caller's transaction (a campaign issues many at once); ``data``
    adds to the ledger entry's."""
    decision = check_with(
        by,
        to,
        Action.COPY_ISSUE,
        lambda recipient: IssueFacts(copy.facts(), recipient),
        f"copy:{copy.reference}",
    )
    state = next_state(copy.copy_state, CustodyEvent.ISSUE)
    location = holder_location(to)
    move(
        copy,
        state=state,
        holder=to,
        location=location,
        expected_version=copy.version if expected_version is None else expected_version,
        at=at,
    )
    record(
        Event.COPY_ISSUED,
        actor=by,
        subject=f"copy:{copy.reference}",
        data={
            **(data or {}),
            "state": state.value,
            "holder": to.username,
            "location": location,
            **on_behalf(decision),
        },
        at=copy.since,
    )
    return copy


@writes
def return_copy(copy: Copy, *, by: Person, expected_version: int | None = None) -> Copy:
    """Take a held copy back into the registry that answers for it (see ``Copy.unit``); a
    campaign copy is then back."""
    decision = check(by, Action.COPY_RETURN, copy.facts(), f"copy:{copy.reference}")
    previous_holder = copy.holder.username if copy.holder else None
    state = next_state(copy.copy_state, CustodyEvent.RETURN)
    location = registry_location(copy.unit)
    move(
        copy,
        state=state,
        holder=None,
        location=location,
        expected_version=copy.version if expected_version is None else expected_version,
    )
    record(
        Event.COPY_RETURNED,
        actor=by,
        subject=f"copy:{copy.reference}",
        data={
            "state": state.value,
            "holder": None,
            "location": location,
            "returned_by": previous_holder,
            **on_behalf(decision),
        },
        at=copy.since,
    )
    _back_from_campaign(copy, by=by, at=copy.since)
    return copy


def _back_from_campaign(copy: Copy, *, by: Person, at: datetime) -> None:
    """If the copy was out in a campaign: that item is returned, its reminders are cleared, and
    the campaign closes when this was its last copy out."""
    item = open_item(copy)
    if item is None:
        return
    item.copy = copy
    CampaignItem.objects.filter(pk=item.pk).update(returned_at=at)
    campaign = item.campaign
    # Its own entry, not a field of copy.returned: replay keeps the campaign's record from
    # campaign entries alone, and a return stays the plain movement that nearly every entry is.
    record(
        Event.CAMPAIGN_COPY_RETURNED,
        actor=by,
        subject=f"campaign:{campaign.reference}",
        data={"copy": copy.number, "recipient": item.recipient.username},
        at=at,
    )
    alerts.clear(item.subject, because="returned", at=at)
    if CampaignItem.objects.filter(campaign=campaign, returned_at__isnull=True).exists():
        return
    Campaign.objects.filter(pk=campaign.pk).update(closed_at=at)
    record(
        Event.CAMPAIGN_CLOSED,
        actor=by,
        subject=f"campaign:{campaign.reference}",
        data={"copies": campaign.items.count()},
        at=at,
    )
