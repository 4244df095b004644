"""Reading check-outs: those a registry has out (overdue ones first), one copy's, and who read a
document — the record a TOP SECRET document must always have."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet

from strongroom.adapters import clock
from strongroom.domain.clearance import PersonStatus
from strongroom.models import CheckOut, Copy, Document, Person
from strongroom.policy import Action, Denied, decide
from strongroom.queries.documents import answered_for


def _related() -> QuerySet[CheckOut]:
    return CheckOut.objects.select_related(
        "copy__document__unit", "copy__unit", "reader__unit", "lent_by", "checked_in_by"
    )


def _visible(actor: Person, found: QuerySet[CheckOut]) -> QuerySet[CheckOut]:
    """``check_out:view`` as a filter, so lists show exactly what a single check-out allows:
    the reader's and the lender's own and, for someone answerable for a unit, every check-out
    of its copies (and those of the units below) that they may see."""
    facts = actor.facts(clock.today())
    if facts.status is not PersonStatus.ACTIVE:
        return found.none()
    allowed = Q(reader=actor) | Q(lent_by=actor) | Q(copy__in=answered_for(facts))
    return found.filter(allowed)


def check_outs(
    actor: Person, *, overdue_only: bool = False, now: datetime | None = None
) -> QuerySet[CheckOut]:
    """Copies out for reading now, as far as the actor may see them; the longest overdue first.

    ``overdue_only``: only those past their due time at ``now`` (default: the clock's now)."""
    found = _visible(actor, _related()).filter(checked_in_at__isnull=True)
    if overdue_only:
        found = found.filter(due_back__lt=now or clock.now())
    return found.order_by("due_back", "id")


def open_for(actor: Person, copy: Copy) -> CheckOut | None:
    """The copy's open check-out, if there is one and the actor may see it."""
    found = _related().filter(copy=copy, checked_in_at__isnull=True).first()
    if found is None:
        return None
    allowed = decide(actor.facts(clock.today()), Action.CHECK_OUT_VIEW, found.facts())
    return found if allowed else None


def readers_of(actor: Person, document: Document) -> QuerySet[CheckOut]:
    """Who read ``document``: every check-out of its copies, open or closed, oldest first, with
    the reader, the place, when it was lent and checked in, and by whom — as far as the actor
    may see them. A document the actor may not see is refused as invisible."""
    decision = decide(actor.facts(clock.today()), Action.DOCUMENT_VIEW, document.facts())
    if not decision:
        raise Denied(Action.DOCUMENT_VIEW, decision, f"document:{document.control_number}")
    found = _visible(actor, _related().filter(copy__document=document))
    return found.order_by("checked_out_at", "id")
