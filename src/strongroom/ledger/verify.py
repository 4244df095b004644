"""Check the ledger end to end: every entry's bytes, hashes and chain, then replay all entries and
compare the state they describe with the state tables. Names the first entry or row that disagrees.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

import orjson
from django.conf import settings
from django.db import connection

from strongroom.ledger import entry, replay
from strongroom.models import Clearance, Copy, Document, DocumentCompartment, Person, Unit

_FETCH = 20_000


@dataclass
class Report:
    entries: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def problem(self, message: str) -> None:
        self.problems.append(message)


def _batches() -> Iterator[list[tuple[int, Any, Any, Any, str, str, int | None]]]:
    # A raw cursor: verification reads every entry, and model instances would cost 10x.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT seq, body, leaf_hash, chain_hash, kind, subject, actor_id "
            "FROM ledger_ledgerentry ORDER BY seq"
        )
        while batch := cursor.fetchmany(_FETCH):
            yield batch


class _Chain:
    """Running state of the hash checks across batches."""

    def __init__(self) -> None:
        self.previous = entry.GENESIS
        self.next_seq = 1
        self.replayable = True


def verify(*, limit_problems: int = 20) -> Report:
    """Verify the whole ledger and the state it describes."""
    report = Report()
    usernames: dict[int | None, str | None] = dict(Person.objects.values_list("pk", "username"))
    usernames[None] = None
    state = replay.State()
    chain = _Chain()
    for batch in _batches():
        _check_batch(batch, chain, state, usernames, report)
        if len(report.problems) >= limit_problems:
            del report.problems[limit_problems:]
            return report
    if chain.replayable:
        _compare(state, database_state(), report, limit_problems)
    else:
        report.problem("state not compared with the database: the ledger could not be replayed")
    return report


_COLUMNS = itemgetter("seq", "kind", "subject")
_ACTOR = itemgetter("actor")


def _check_batch(
    batch: list[tuple[int, Any, Any, Any, str, str, int | None]],
    chain: _Chain,
    state: replay.State,
    usernames: dict[int | None, str | None],
    report: Report,
) -> None:
    """Check one batch. The common path is whole-list work in C (map, comprehensions, list
    equality); entry-by-entry diagnosis runs only when a batch is found to disagree."""
    seqs, bodies, leaves, chains, kinds, subjects, actors = (
        list(c) for c in zip(*batch, strict=True)
    )
    if not isinstance(bodies[0], bytes):  # PostgreSQL hands back memoryviews
        bodies, leaves, chains = ([bytes(v) for v in c] for c in (bodies, leaves, chains))
    report.entries += len(seqs)
    first = chain.next_seq
    if seqs != list(range(first, first + len(seqs))):
        chain.replayable = False
        for expected, (seq) in zip(range(first, first + len(seqs)), seqs, strict=False):
            if seq != expected:
                report.problem(f"entry #{expected}: missing (the next entry is #{seq})")
                break
    chain.next_seq = seqs[-1] + 1
    sha256 = hashlib.sha256
    computed = [sha256(b"\x00" + body).digest() for body in bodies]
    if computed != leaves:
        for seq, mine, stored in zip(seqs, computed, leaves, strict=True):
            if mine != stored:
                report.problem(
                    f"entry #{seq}: its bytes do not match its leaf hash (entry altered)"
                )
    linked: list[bytes] = []
    append = linked.append
    previous = chain.previous
    for leaf in leaves:
        previous = sha256(previous + leaf).digest()
        append(previous)
    if linked != chains:
        previous = chain.previous
        for seq, leaf, stored in zip(seqs, leaves, chains, strict=True):
            if sha256(previous + leaf).digest() != stored:
                report.problem(
                    f"entry #{seq}: chain hash does not follow from entry #{seq - 1} "
                    "(an entry was altered, removed or reordered)"
                )
            previous = stored
    chain.previous = chains[-1]
    try:
        parsed = list(map(orjson.loads, bodies))
        columns_agree = list(map(_COLUMNS, parsed)) == list(zip(seqs, kinds, subjects, strict=True))
        actors_agree = list(map(_ACTOR, parsed)) == list(map(usernames.get, actors))
    except (orjson.JSONDecodeError, KeyError, TypeError) as error:
        report.problem(f"entries #{seqs[0]}-#{seqs[-1]}: an entry is not valid JSON: {error}")
        chain.replayable = False
        return
    if not columns_agree or not actors_agree:
        _diagnose_columns(parsed, seqs, kinds, subjects, actors, usernames, report)
    if chain.replayable:
        _replay(parsed, state, chain, report)


def _diagnose_columns(
    parsed: list[dict[str, Any]],
    seqs: list[int],
    kinds: list[str],
    subjects: list[str],
    actors: list[int | None],
    usernames: dict[int | None, str | None],
    report: Report,
) -> None:
    for body, seq, kind, subject, actor in zip(parsed, seqs, kinds, subjects, actors, strict=True):
        if (body["seq"], body["kind"], body["subject"]) != (seq, kind, subject):
            report.problem(f"entry #{seq}: its columns disagree with its hashed bytes")
        elif body["actor"] != usernames.get(actor):
            report.problem(f"entry #{seq}: its actor column disagrees with its hashed bytes")


def _replay(
    parsed: list[dict[str, Any]], state: replay.State, chain: _Chain, report: Report
) -> None:
    apply = replay.apply
    for body in parsed:
        try:
            apply(state, body)
        except (KeyError, TypeError, replay.ReplayError) as error:
            report.problem(f"entry #{body.get('seq')}: cannot be replayed: {error}")
            chain.replayable = False
            return


def _compare(
    expected: replay.State, actual: dict[str, dict[str, replay.Row]], report: Report, limit: int
) -> None:
    for table, rows in expected.tables().items():
        present = actual[table]
        for key, row in rows.items():
            by = expected.set_by.get((table, key))
            have = present.get(key)
            if have is None:
                report.problem(
                    f"{table} {key}: created by entry #{by} but missing from the database"
                )
            else:
                for name, value in row.items():
                    if have.get(name) != value:
                        report.problem(
                            f"{table} {key}: {name} is {have.get(name)!r} in the database but "
                            f"{value!r} in the ledger (last set by entry #{by})"
                        )
            if len(report.problems) >= limit:
                return
        for key in present.keys() - rows.keys():
            report.problem(f"{table} {key}: in the database but no ledger entry created it")
            if len(report.problems) >= limit:
                return


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _names(text: str) -> list[str]:
    return sorted(part for part in text.split("/") if part)


def database_state() -> dict[str, dict[str, replay.Row]]:
    """The state tables in the shape replay produces."""
    scheme = settings.STRONGROOM_MARKING_SCHEME
    codes = dict(Unit.objects.values_list("pk", "code"))
    usernames = dict(Person.objects.values_list("pk", "username"))
    units = {
        u["code"]: {"name": u["name"], "parent": codes.get(u["parent_id"]), "path": u["path"]}
        for u in Unit.objects.values("code", "name", "parent_id", "path")
    }
    people = {
        p["username"]: {
            "full_name": p["full_name"],
            "unit": codes[p["unit_id"]],
            "roles": sorted(r for r in p["roles"].split(",") if r),
            "status": p["status"],
        }
        for p in Person.objects.values("username", "full_name", "unit_id", "roles", "status")
    }
    clearances = {
        usernames[c["person_id"]]: {
            "level": scheme.level_name(c["level"]),
            "compartments": _names(c["compartments"]),
            "status": c["status"],
            "granted_by": usernames.get(c["granted_by_id"]),
            "granted_on": _iso(c["granted_on"]),
            "expires_on": _iso(c["expires_on"]),
            "briefed_on": _iso(c["briefed_on"]),
        }
        for c in Clearance.objects.values()
    }
    compartment_rows: dict[int, list[str]] = {}
    for document_id, code in DocumentCompartment.objects.values_list("document_id", "code"):
        compartment_rows.setdefault(document_id, []).append(code)
    documents: dict[str, replay.Row] = {}
    controls: dict[int, str] = {}
    for d in Document.objects.values().iterator(chunk_size=_FETCH):
        controls[d["id"]] = d["control_number"]
        compartments = _names(d["compartments"])
        documents[d["control_number"]] = {
            "unit": codes[d["unit_id"]],
            "year": d["year"],
            "sequence": d["sequence"],
            "short_title": d["short_title"],
            "full_title": d["full_title"],
            "level": scheme.level_name(d["level"]),
            # The filter rows must say the same as the column, or need-to-know filtering lies.
            "compartments": compartments
            if sorted(compartment_rows.get(d["id"], [])) == compartments
            else {"column": compartments, "rows": sorted(compartment_rows.get(d["id"], []))},
            "caveats": _names(d["caveats"]),
            "originator": d["originator"],
            "originator_reference": d["originator_reference"],
            "received_on": _iso(d["received_on"]),
            "pages": d["pages"],
            "medium": d["medium"],
            "copy_count": d["copy_count"],
            "registered_by": usernames[d["registered_by_id"]],
            "registered_at": entry.format_time(d["registered_at"]),
        }
    copies = {
        f"{controls[c['document_id']]}/{c['number']}": {
            "state": c["state"],
            "holder": usernames.get(c["holder_id"]),
            "location": c["location"],
            "since": entry.format_time(c["since"]),
        }
        for c in Copy.objects.values(
            "document_id", "number", "state", "holder_id", "location", "since"
        ).iterator(chunk_size=_FETCH)
    }
    return {
        "unit": units,
        "person": people,
        "clearance": clearances,
        "document": documents,
        "copy": copies,
    }
