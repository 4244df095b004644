"""What every service shares: one transaction per use-case, and refusals that are recorded."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import ParamSpec, TypeVar

from django.db import transaction

from strongroom.adapters import clock
from strongroom.domain.errors import InvalidInput
from strongroom.domain.text import gettext_noop
from strongroom.ledger.events import Event
from strongroom.ledger.record import lock_writers, record
from strongroom.models import Person
from strongroom.policy import Action, Decision, Denied, require
from strongroom.policy.facts import PersonFacts, Target

P = ParamSpec("P")
R = TypeVar("R")


def writes(fn: Callable[P, R]) -> Callable[P, R]:
    """Run ``fn`` as one transaction; if policy refuses, record the refusal and re-raise.

    The refusal is written after the failed transaction has rolled back, so it survives it.
    Services take the acting person as the keyword argument ``by``.
    """

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            with transaction.atomic():
                lock_writers()
                return fn(*args, **kwargs)
        except Denied as denied:
            by = kwargs.get("by")
            if isinstance(by, Person):
                record_refusal(by, denied)
            raise

    return wrapper


def record_refusal(actor: Person, denied: Denied) -> None:
    """Write who tried what on what, and why it was refused. Safe to call more than once."""
    if denied.recorded:
        return
    with transaction.atomic():
        lock_writers()
        record(
            Event.ACCESS_REFUSED,
            actor=actor,
            subject=denied.target_ref,
            data={"action": denied.action.value, "reason": denied.reason},
            at=clock.now(),
        )
    denied.recorded = True


def check(actor: Person, action: Action, target: Target, target_ref: str) -> Decision:
    return require(actor.facts(clock.today()), action, target, target_ref)


def check_with(
    actor: Person,
    other: Person,
    action: Action,
    target: Callable[[PersonFacts], Target],
    target_ref: str,
) -> Decision:
    """``check`` on a target made of ``other``'s facts (the person a copy goes to), which are
    read with the actor's in one statement."""
    facts, theirs = actor.facts_with(clock.today(), other)
    return require(facts, action, target(theirs), target_ref)


def on_behalf(decision: Decision) -> dict[str, str]:
    """For a ledger entry's data: whose duty the act was done under, when it was delegated."""
    return {"on_behalf_of": decision.on_behalf_of} if decision.on_behalf_of else {}


def now() -> datetime:
    return clock.now()


def deadline(requested: datetime, *, at: datetime, hours: int | None, field: str) -> datetime:
    """A time by which something must happen, as a person asked for it: with a time zone, after
    ``at`` and at most ``hours`` after it (the handling rules' limit; None: no limit). ``field``
    names the input. Hand-overs, check-outs, transits and campaigns all ask for one."""
    if requested.tzinfo is None:
        raise InvalidInput(
            gettext_noop("The deadline needs a time zone, e.g. 2026-11-23T17:00+09:00."),
            field=field,
        )
    if requested <= at:
        raise InvalidInput(gettext_noop("The deadline must be in the future."), field=field)
    if hours is not None and requested > at + timedelta(hours=hours):
        raise InvalidInput(
            gettext_noop("The deadline may be at most %(hours)s hours from now.", hours=hours),
            field=field,
        )
    return requested
