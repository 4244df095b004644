"""Finding the thing a URL names, so that "missing" and "hidden" read exactly the same.

The queries answer a missing document with NotFound and a hidden one with Denied(visible=False).
Both become the same NotFound text here, written once, so no wording or translation can tell
them apart. The hidden attempt is recorded in the ledger before answering. The texts are left
untranslated (``Text``) for ``web.errors`` to render in the reader's language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from strongroom.domain.errors import NotFound, not_found_text
from strongroom.domain.text import Text, gettext_noop
from strongroom.models import (
    Campaign,
    Copy,
    Destruction,
    Document,
    HandOver,
    Person,
    Reproduction,
    Transit,
)
from strongroom.policy import Denied
from strongroom.queries import campaigns as campaign_queries
from strongroom.queries import destructions as destruction_queries
from strongroom.queries import documents as document_queries
from strongroom.queries import hand_overs as hand_over_queries
from strongroom.queries import people as people_queries
from strongroom.queries import reproductions as reproduction_queries
from strongroom.queries import transits as transit_queries
from strongroom.services.base import record_refusal

T = TypeVar("T")


def document_missing(control_number: str) -> Text:
    return not_found_text(f"document:{control_number.strip().upper()}")


def missing_text(target_ref: str) -> Text:
    """The "not found" text for a refusal's target, e.g. ``document:HQ-2026-0001``."""
    kind, _, name = target_ref.partition(":")
    if kind == "document":
        return document_missing(name)
    if kind == "copy":
        # A copy is hidden exactly when its document is, so it reads as a missing document.
        return document_missing(name.rpartition("/")[0] or name)
    if kind in ("hand_over", "delegation", "reproduction", "destruction", "transit", "campaign"):
        return not_found_text(target_ref)
    return gettext_noop("Nothing of that name is here.")


def document(actor: Person, control_number: str) -> Document:
    try:
        return document_queries.document(actor, control_number)
    except NotFound:
        raise NotFound(document_missing(control_number)) from None
    except Denied as denied:
        if denied.decision.visible:
            raise
        record_refusal(actor, denied)
        raise NotFound(document_missing(control_number)) from None


def copy(actor: Person, control_number: str, number: int) -> Copy:
    parent = document(actor, control_number)
    found = document_queries.copies_of(parent).filter(number=number).first()
    if found is None:
        raise NotFound(
            gettext_noop(
                "%(control)s has no copy %(number)s.", control=parent.control_number, number=number
            )
        )
    found.document = parent
    return found


def _by_reference(actor: Person, lookup: Callable[[], T]) -> T:
    """What ``lookup`` finds by a reference; something the actor may not see reads word for
    word as missing (named as asked, never by the full reference), and the attempt is recorded.
    """
    try:
        return lookup()
    except Denied as denied:
        if denied.decision.visible:
            raise
        record_refusal(actor, denied)
        raise denied.as_not_found() from None


def hand_over(actor: Person, reference: str) -> HandOver:
    """A hand-over by any of its references; one the actor may not see reads as missing."""
    return _by_reference(actor, lambda: hand_over_queries.hand_over(actor, reference))


def destruction(actor: Person, reference: str) -> Destruction:
    """A destruction by any of its references; one the actor may not see reads as missing."""
    return _by_reference(actor, lambda: destruction_queries.destruction(actor, reference))


def reproduction(actor: Person, reference: str) -> Reproduction:
    """A reproduction request by either reference; one the actor may not see reads as missing."""
    return _by_reference(actor, lambda: reproduction_queries.reproduction(actor, reference))


def transit(actor: Person, reference: str) -> Transit:
    """A transit by any of its references; one the actor may not see reads as missing."""
    return _by_reference(actor, lambda: transit_queries.transit(actor, reference))


def campaign(actor: Person, reference: str) -> Campaign:
    """A campaign by its short or full reference; one the actor may not see reads as missing."""
    return _by_reference(actor, lambda: campaign_queries.campaign(actor, reference))


def person(actor: Person, username: str) -> Person:
    try:
        return people_queries.person(actor, username)
    except NotFound:
        raise NotFound(not_found_text(f"person:{username.strip().lower()}")) from None
