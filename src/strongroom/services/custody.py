"""Issuing copies from the registry to eligible people and taking them back."""

from __future__ import annotations

from datetime import datetime

from strongroom.domain.custody import CopyState, CustodyEvent, next_state
from strongroom.domain.errors import Conflict
from strongroom.domain.text import gettext_noop
from strongroom.ledger.events import Event
from strongroom.ledger.record import record
from strongroom.models import Copy, Person
from strongroom.models.documents import move_copy
from strongroom.policy import Action
from strongroom.policy.facts import IssueFacts
from strongroom.services.base import check, now, on_behalf, writes
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
    decision = check(
        by, Action.COPY_ISSUE, IssueFacts(copy.facts(), to.as_target()), f"copy:{copy.reference}"
    )
    state = next_state(copy.copy_state, CustodyEvent.ISSUE)
    location = holder_location(to)
    move(
        copy,
        state=state,
        holder=to,
        location=location,
        expected_version=copy.version if expected_version is None else expected_version,
    )
    record(
        Event.COPY_ISSUED,
        actor=by,
        subject=f"copy:{copy.reference}",
        data={
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
    """Take a held copy back into the registry that answers for it (see ``Copy.unit``)."""
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
    return copy
