"""Custody timelines from the ledger: what a person held on a given day.

The ledger is the record: a copy was held by P at the end of day D exactly when the last entry
about that copy recorded before then names P as its holder. Candidates are found in SQL by the
exact bytes of ``"holder":"<username>"`` in the canonical entry bodies (so only entries that
ever named P are parsed); each candidate's last movement before the moment is then read through
the (subject, seq) index.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import orjson
from django.db import connection

from strongroom.adapters import clock
from strongroom.domain.errors import InvalidInput
from strongroom.domain.text import gettext_noop
from strongroom.ledger.entry import parse, parse_time
from strongroom.ledger.models import LedgerEntry
from strongroom.models import Copy, Person
from strongroom.models.prepared import Statement
from strongroom.policy.querysets import visible_copies

_TABLE = LedgerEntry._meta.db_table
_NAMING = {
    "sqlite": Statement(
        f"SELECT DISTINCT subject FROM {_TABLE} WHERE subject LIKE 'copy:%%' "
        "AND recorded_at < %s AND instr(body, %s) > 0"
    ),
    "postgresql": Statement(
        f"SELECT DISTINCT subject FROM {_TABLE} WHERE subject LIKE 'copy:%%' "
        "AND recorded_at < %s AND position(%s::bytea in body) > 0"
    ),
}


@dataclass(frozen=True)
class HeldCopy:
    copy: Copy
    since: datetime
    state: str
    location: str


def end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=UTC)


def held_on(actor: Person, person: Person, day: date) -> list[HeldCopy]:
    """Copies ``person`` held at the end of ``day`` (UTC), as far as ``actor`` may see them."""
    if day > clock.today():
        raise InvalidInput(
            gettext_noop("That day has not come yet; ask about today or an earlier day."),
            field="on",
        )
    moment = end_of(day)
    needle = b'"holder":' + orjson.dumps(person.username)
    adapt = connection.ops.adapt_datetimefield_value
    subjects = [row[0] for row in _NAMING[connection.vendor].rows([adapt(moment), needle])]
    held: dict[str, tuple[datetime, str, str]] = {}
    for subject in subjects:
        last = (
            LedgerEntry.objects.filter(subject=subject, recorded_at__lt=moment)
            .order_by("-seq")
            .only("body")
            .first()
        )
        if last is None:
            continue
        body = parse(bytes(last.body))
        data = body["data"]
        if data.get("holder") == person.username:
            held[subject.removeprefix("copy:")] = (
                parse_time(body["at"]),
                str(data.get("state", "")),
                str(data.get("location", "")),
            )
    return _visible(actor, held)


def _visible(actor: Person, held: dict[str, tuple[datetime, str, str]]) -> list[HeldCopy]:
    if not held:
        return []
    wanted = {tuple(reference.rsplit("/", 1)) for reference in held}
    controls = {control for control, _ in wanted}
    copies = visible_copies(
        actor.facts(clock.today()),
        Copy.objects.filter(document__control_number__in=sorted(controls)),
    ).select_related("document")
    found = []
    for copy in copies:
        reference = copy.reference
        if reference in held:
            since, state, location = held[reference]
            found.append(HeldCopy(copy, since, state, location))
    return sorted(found, key=lambda item: (item.since, item.copy.reference))
