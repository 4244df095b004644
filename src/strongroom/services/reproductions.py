"""Reproducing a document: a registrar or custodian asks for more copies, giving a reason, and a
second person, a registrar answerable for the document, approves or refuses the request.

Approved copies extend the document's numbering: a document of 7 copies that gains 3 has copies
8-10 of 10, and every copy, old or new, now reads "copy n of 10". The new copies start in the
registry of the document's unit. A document whose marking carries NO COPY is never reproduced.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings

from strongroom.domain.custody import CopyState
from strongroom.domain.errors import Conflict
from strongroom.domain.reproduction import Numbering, ReproductionState, extend, require_pending
from strongroom.domain.text import gettext_noop
from strongroom.ledger.events import Event
from strongroom.ledger.record import record
from strongroom.models import Document, Person, Reproduction
from strongroom.models.documents import insert_copies
from strongroom.policy import Action, ReproductionFacts
from strongroom.services.base import check, now, writes
from strongroom.services.inputs import text, whole
from strongroom.services.registry import MAX_COPIES, registry_location

MAX_NOTE = 500


def _subject(reproduction: Reproduction) -> str:
    return f"document:{reproduction.document.control_number}"


def _target(reproduction: Reproduction) -> str:
    return f"reproduction:{reproduction.reference}"


@writes
def request_reproduction(
    document: Document, *, copies: int, reason: str, by: Person
) -> Reproduction:
    """Ask for ``copies`` more copies of ``document``; nothing is copied until approved."""
    control = document.control_number
    facts = ReproductionFacts(document.facts(), by.pk)
    check(by, Action.REPRODUCTION_REQUEST, facts, f"document:{control}")
    count = whole(
        copies,
        "copies",
        gettext_noop("The number of copies"),
        1,
        settings.STRONGROOM_REPRODUCTION_MAX_COPIES,
    )
    why = text(reason, "reason", gettext_noop("A reason for the reproduction"), max_length=MAX_NOTE)
    # Refused now what could never be approved.
    extend(document.copy_count, count, most=MAX_COPIES)
    at = now()
    reproduction = Reproduction.objects.create(
        document=document, requested_by=by, count=count, reason=why, requested_at=at
    )
    record(
        Event.REPRODUCTION_REQUESTED,
        actor=by,
        subject=f"document:{control}",
        data={"reproduction": str(reproduction.reference), "copies": count, "reason": why},
        at=at,
    )
    return reproduction


def _close(
    reproduction: Reproduction,
    outcome: ReproductionState,
    *,
    by: Person,
    note: str,
    at: datetime,
    expected_version: int | None,
    numbering: Numbering | None = None,
) -> None:
    """Close a pending request, conditionally on nobody having changed it since it was read."""
    version = reproduction.version if expected_version is None else expected_version
    first = numbering.first if numbering else None
    last = numbering.last if numbering else None
    closed = Reproduction.objects.filter(
        pk=reproduction.pk, state=ReproductionState.PENDING.value, version=version
    ).update(
        state=outcome.value,
        decided_by=by,
        decided_at=at,
        decision_note=note,
        first_number=first,
        last_number=last,
        version=version + 1,
    )
    if closed != 1:
        raise Conflict(
            gettext_noop(
                "Reproduction request %(reference)s was changed by someone else a moment ago; "
                "reload it and try again.",
                reference=reproduction.short_reference,
            )
        )
    reproduction.state, reproduction.decided_by, reproduction.decided_at = outcome.value, by, at
    reproduction.decision_note, reproduction.version = note, version + 1
    reproduction.first_number, reproduction.last_number = first, last


@writes
def approve_reproduction(
    reproduction: Reproduction,
    *,
    by: Person,
    note: str = "",
    expected_version: int | None = None,
) -> Reproduction:
    """Authorise the request: its copies are made, numbered on from the document's last copy.

    The document's copy count grows only if nobody changed the document since it was read (its
    version), so two approvals at once can never hand out the same numbers: the second is a
    Conflict, and approved again after a reload it takes the numbers after the first's."""
    check(by, Action.REPRODUCTION_APPROVE, reproduction.facts(), _target(reproduction))
    require_pending(reproduction.reproduction_state, reproduction.short_reference)
    remark = text(note, "note", gettext_noop("The note"), required=False, max_length=MAX_NOTE)
    document = reproduction.document
    numbering = extend(document.copy_count, reproduction.count, most=MAX_COPIES)
    at = now()
    grown = Document.objects.filter(pk=document.pk, version=document.version).update(
        copy_count=numbering.total, version=document.version + 1
    )
    if grown != 1:
        raise Conflict(
            gettext_noop(
                "%(control)s was changed by someone else a moment ago (another reproduction "
                "approved, or its registration corrected); reload it and try again.",
                control=document.control_number,
            )
        )
    _close(
        reproduction,
        ReproductionState.APPROVED,
        by=by,
        note=remark,
        at=at,
        expected_version=expected_version,
        numbering=numbering,
    )
    location = registry_location(document.unit)
    insert_copies(
        document.pk,
        range(numbering.first, numbering.last + 1),
        unit_id=document.unit_id,
        location=location,
        since=at,
    )
    record(
        Event.REPRODUCTION_APPROVED,
        actor=by,
        subject=_subject(reproduction),
        data={
            "reproduction": str(reproduction.reference),
            "requested_by": reproduction.requested_by.username,
            "copies": numbering.count,
            "first_number": numbering.first,
            "last_number": numbering.last,
            "copy_count": numbering.total,
            "state": CopyState.IN_REGISTRY.value,
            "location": location,
            "note": remark,
        },
        at=at,
    )
    document.copy_count, document.version = numbering.total, document.version + 1
    return reproduction


@writes
def refuse_reproduction(
    reproduction: Reproduction,
    *,
    by: Person,
    reason: str,
    expected_version: int | None = None,
) -> Reproduction:
    """Turn the request down, with a reason; no copies change."""
    check(by, Action.REPRODUCTION_REFUSE, reproduction.facts(), _target(reproduction))
    require_pending(reproduction.reproduction_state, reproduction.short_reference)
    why = text(reason, "reason", gettext_noop("A reason for refusing"), max_length=MAX_NOTE)
    return _closed_without_copies(
        reproduction,
        ReproductionState.REFUSED,
        Event.REPRODUCTION_REFUSED,
        by=by,
        reason=why,
        expected_version=expected_version,
    )


@writes
def withdraw_reproduction(
    reproduction: Reproduction,
    *,
    by: Person,
    reason: str = "",
    expected_version: int | None = None,
) -> Reproduction:
    """The requester takes the request back before it is decided."""
    check(by, Action.REPRODUCTION_WITHDRAW, reproduction.facts(), _target(reproduction))
    require_pending(reproduction.reproduction_state, reproduction.short_reference)
    return _closed_without_copies(
        reproduction,
        ReproductionState.WITHDRAWN,
        Event.REPRODUCTION_WITHDRAWN,
        by=by,
        reason=text(
            reason, "reason", gettext_noop("The reason"), required=False, max_length=MAX_NOTE
        ),
        expected_version=expected_version,
    )


def _closed_without_copies(
    reproduction: Reproduction,
    outcome: ReproductionState,
    kind: Event,
    *,
    by: Person,
    reason: str,
    expected_version: int | None,
) -> Reproduction:
    at = now()
    _close(reproduction, outcome, by=by, note=reason, at=at, expected_version=expected_version)
    record(
        kind,
        actor=by,
        subject=_subject(reproduction),
        data={
            "reproduction": str(reproduction.reference),
            "requested_by": reproduction.requested_by.username,
            "copies": reproduction.count,
            "reason": reason,
        },
        at=at,
    )
    return reproduction
