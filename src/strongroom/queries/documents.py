"""Reading the register: lists, single documents and copies, and custody histories."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet

from strongroom.adapters import clock
from strongroom.domain.codes import parse_copy_reference
from strongroom.domain.errors import InvalidInput, InvalidMarking, NotFound, not_found_text
from strongroom.domain.text import gettext_noop
from strongroom.ledger.entry import parse, parse_time
from strongroom.ledger.events import Event
from strongroom.ledger.models import LedgerEntry
from strongroom.models import Copy, Document, Person
from strongroom.policy import Action, ActorFacts, Denied, Role, decide
from strongroom.policy.querysets import visible_copies, visible_documents


def _facts(actor: Person) -> ActorFacts:
    return actor.facts(clock.today())


@dataclass(frozen=True)
class RegisterFilter:
    text: str = ""
    level: int | None = None
    state: str = ""
    unit: str = ""


def register(actor: Person, criteria: RegisterFilter | None = None) -> QuerySet[Document]:
    """The documents ``actor`` may see, filtered and newest first."""
    criteria = criteria or RegisterFilter()
    documents = Document.objects.select_related("unit", "registered_by")
    documents = visible_documents(_facts(actor), documents)
    if criteria.text:
        words = criteria.text.split()
        for word in words:
            documents = documents.filter(
                Q(control_number__icontains=word)
                | Q(short_title__icontains=word)
                | Q(full_title__icontains=word)
                | Q(originator__icontains=word)
                | Q(originator_reference__icontains=word)
            )
    if criteria.level is not None:
        documents = documents.filter(level=criteria.level)
    if criteria.state:
        documents = documents.filter(copies__state=criteria.state).distinct()
    if criteria.unit:
        documents = documents.filter(
            Q(unit__code=criteria.unit)
            | Q(unit__path__contains=f"/{criteria.unit}/")
            | Q(unit__path__startswith=f"{criteria.unit}/")
            | Q(unit__path__endswith=f"/{criteria.unit}")
        )
    return documents


def _not_found(control: str) -> NotFound:
    return NotFound(not_found_text(f"document:{control}"))


def document(actor: Person, control_number: str) -> Document:
    """One document, or NotFound — the same answer whether it does not exist or is not visible.

    A hidden document raises Denied (visible=False) so the adapter can record the attempt, then
    answer ``denied.as_not_found()``: the same text as a missing one.
    """
    control = control_number.strip().upper()
    found = (
        Document.objects.select_related("unit", "registered_by")
        .filter(control_number=control)
        .first()
    )
    if found is None:
        raise _not_found(control)
    decision = decide(_facts(actor), Action.DOCUMENT_VIEW, found.facts())
    if not decision:
        raise Denied(Action.DOCUMENT_VIEW, decision, f"document:{control}")
    return found


def copies_of(document: Document) -> QuerySet[Copy]:
    return document.copies.select_related("holder", "holder__unit", "unit").order_by("number")


def copy(actor: Person, reference: str) -> Copy:
    """A copy by reference such as ``HQ-2026-0042/3``."""
    control, number = parse_copy_reference(reference)
    parent = document(actor, control)
    found = copies_of(parent).filter(number=number).first()
    if found is None:
        raise NotFound(
            gettext_noop(
                "%(control)s has no copy %(number)s; it has %(count)s.",
                control=control,
                number=number,
                count=parent.copy_count,
            )
        )
    found.document = parent
    return found


@dataclass(frozen=True)
class HistoryStep:
    seq: int
    at: datetime
    kind: str
    actor: str | None
    state: str
    holder: str | None
    location: str
    data: dict[str, Any]


# Refusals stay out of the histories everyone with sight of a document can read: their reasons
# name other people's clearances. Security staff read them in the ledger itself.
REFUSAL = Event.ACCESS_REFUSED.value


def copy_history(copy: Copy) -> list[HistoryStep]:
    """Every place, holder and state of the copy with times and who authorised each step."""
    document = copy.document
    subjects = [f"document:{document.control_number}", f"copy:{copy.reference}"]
    entries = LedgerEntry.objects.filter(subject__in=subjects).exclude(kind=REFUSAL).order_by("seq")
    steps: list[HistoryStep] = []
    state, holder, location = "", None, ""
    for entry in entries.only("seq", "body"):
        body = parse(bytes(entry.body))
        data = body["data"]
        kind = body["kind"]
        if kind == "document.registered" and copy.number <= data["copy_count"]:
            state, holder, location = "in_registry", None, data["location"]
        elif kind == "reproduction.approved" and (
            data["first_number"] <= copy.number <= data["last_number"]
        ):
            # The copy was made by this reproduction: it starts in the registry.
            state, holder, location = data["state"], None, data["location"]
        elif body["subject"] == subjects[1]:
            # Every event about the copy itself (issue, return, hand-over...) says where it is.
            state = data.get("state", state)
            holder = data.get("holder", holder)
            location = data.get("location", location)
        steps.append(
            HistoryStep(
                entry.seq,
                parse_time(body["at"]),
                kind,
                body["actor"],
                state,
                holder,
                location,
                data,
            )
        )
    return steps


def document_history(document: Document) -> QuerySet[LedgerEntry]:
    """Ledger entries about the document and any of its copies, oldest first."""
    control = document.control_number
    return (
        LedgerEntry.objects.filter(
            Q(subject=f"document:{control}") | Q(subject__startswith=f"copy:{control}/")
        )
        .exclude(kind=REFUSAL)
        .order_by("seq")
    )


# Who answers for the copies of their units (and the units below), and so sees their lists.
UNIT_ROLES = (Role.REGISTRAR, Role.CUSTODIAN, Role.SECURITY_OFFICER, Role.INSPECTOR)


def answered_for(facts: ActorFacts) -> QuerySet[Copy]:
    """The copies of the units the actor answers for, as far as they may see them; none
    without one of UNIT_ROLES."""
    if not facts.roles.intersection(UNIT_ROLES):
        return Copy.objects.none()
    # The copy's own unit: its document's until a transit delivers it to another registry.
    governed = Q(unit__path=facts.unit_path) | Q(unit__path__startswith=f"{facts.unit_path}/")
    return visible_copies(facts, Copy.objects.filter(governed))


def held_by(actor: Person, person: Person) -> QuerySet[Copy]:
    """Copies ``person`` holds now, as far as ``actor`` may see them."""
    return visible_copies(_facts(actor), Copy.objects.filter(holder=person)).select_related(
        "document"
    )


def parse_level(value: str) -> int | None:
    """A level name from a filter form or query string, as its rank."""
    if not value:
        return None
    try:
        return int(settings.STRONGROOM_MARKING_SCHEME.rank(" ".join(value.split()).upper()))
    except InvalidMarking as error:
        raise InvalidInput(error.text, field="level") from None
