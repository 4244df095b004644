"""Inspection bundles: a unit's ledger entries over a period, with proofs an inspector checks
offline (``strongroom.ledger.bundle`` is the format and the checker; docs/ledger.md, "Inspection
bundles", says what "about a unit" means).

Exporting is itself an entry, ``ledger.exported``: who exported which unit and period, how many
entries, and a digest of exactly those entries. The export then signs a checkpoint, so the
bundle proves every entry it carries, its own record included, against one signed head.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import orjson
from django.conf import settings
from django.db import transaction

from strongroom.adapters import clock
from strongroom.domain.errors import InvalidInput
from strongroom.domain.text import gettext_noop
from strongroom.ledger import bundle, merkle, tree
from strongroom.ledger.events import Event
from strongroom.ledger.kept_checkpoints import Signed, latest
from strongroom.ledger.log_key import log_verifier
from strongroom.ledger.models import Checkpoint, LedgerEntry
from strongroom.ledger.record import lock_writers, record
from strongroom.models import (
    Campaign,
    CheckOut,
    Copy,
    Delegation,
    Destruction,
    Document,
    HandOver,
    Incident,
    Person,
    Reproduction,
    Transit,
    Unit,
)
from strongroom.policy import Action, Denied
from strongroom.policy.querysets import visible_documents
from strongroom.services.base import check, record_refusal
from strongroom.services.checkpoints import sign_checkpoint

# Fields of an entry's data that name a unit by its code, and a person by their username.
UNIT_FIELDS = ("unit", "from_unit", "to_unit", "parent")
PERSON_FIELDS = (
    "courier",
    "delegate",
    "delegator",
    "destroyer",
    "granted_by",
    "head",
    "holder",
    "on_behalf_of",
    "person",
    "reader",
    "received_by",
    "recipient",
    "recipients",
    "registered_by",
    "requested_by",
    "responsible",
    "returned_by",
    "sender",
    "username",
    "witness",
)
WITHHELD = "about a document the exporter may not see"
# Entries read, and proofs made, per round trip.
_CHUNK = 1_000


@dataclass(frozen=True)
class Exported:
    """What was written: the counts, the signed head the proofs are against, and the entry
    that records the export."""

    unit: str
    first_day: date
    last_day: date
    entries: int
    withheld: int
    checkpoint_size: int
    export_record: int


def export_bundle(
    *, unit: Unit, first_day: date, last_day: date, by: Person, out: io.BufferedIOBase
) -> Exported:
    """Write the inspection bundle of ``unit`` (and the units below it) for the days
    ``first_day`` to ``last_day`` (UTC, both included) to ``out``, and record that ``by`` did."""
    _check_period(first_day, last_day)
    try:
        check(by, Action.LEDGER_EXPORT, unit.facts(), f"unit:{unit.code}")
    except Denied as denied:
        record_refusal(by, denied)
        raise
    scope = _Scope.of(unit)
    chosen = _choose(scope, by, first_day, last_day)
    digest = bundle.Digest()
    for item in chosen:
        digest.add(item.seq, item.leaf)
    withheld = sum(1 for item in chosen if item.withheld)
    at = clock.now()
    with transaction.atomic():
        lock_writers()
        before = latest()
        appended = record(
            Event.LEDGER_EXPORTED,
            actor=by,
            subject=f"unit:{unit.code}",
            data=bundle.export_data(
                unit=unit.code,
                first_day=first_day,
                last_day=last_day,
                entries=len(chosen) - withheld,
                withheld=withheld,
                digest=digest.hexdigest(),
            ),
            at=at,
        )
        # The head that proves everything, this export's own record included.
        head = sign_checkpoint(at=at)
    assert head is not None and head.size >= appended.seq
    earlier = _earlier(head, before, first_day)
    manifest = bundle.Manifest(
        generated_at=at,
        generated_by=by.username,
        generated_by_name=by.full_name,
        unit=unit.code,
        unit_name=unit.name,
        units=tuple(sorted(scope.units)),
        first_day=first_day,
        last_day=last_day,
        origin=settings.STRONGROOM_LOG_ORIGIN,
        log_key=log_verifier().vkey(),
        entries=len(chosen) - withheld,
        withheld=withheld,
        checkpoints=len(earlier) + 1,
        seqs=tuple(item.seq for item in chosen),
        export_record=appended.seq,
    )
    _write(out, manifest, earlier, head, chosen, appended.seq)
    return Exported(
        unit=unit.code,
        first_day=first_day,
        last_day=last_day,
        entries=manifest.entries,
        withheld=withheld,
        checkpoint_size=head.size,
        export_record=appended.seq,
    )


def _check_period(first_day: date, last_day: date) -> None:
    if first_day > last_day:
        raise InvalidInput(
            gettext_noop(
                "The period starts on %(first)s, after its last day %(last)s: give --from on or "
                "before --to.",
                first=first_day.isoformat(),
                last=last_day.isoformat(),
            ),
            field="from",
        )
    if last_day > clock.today():
        raise InvalidInput(
            gettext_noop(
                "The period ends on %(last)s, which has not come yet: give --to today or earlier.",
                last=last_day.isoformat(),
            ),
            field="to",
        )


# --- Which entries are about the unit ----------------------------------------------------------


@dataclass(frozen=True)
class _Scope:
    """The unit's subtree, and who and what belongs to it, read once per export."""

    units: frozenset[str]
    # People whose unit is in the subtree now, or was by any person.created or person.changed.
    people: frozenset[str]
    # Documents registered by a unit of the subtree.
    documents: frozenset[str]
    # Copies (``control/n``) whose registry is a unit of the subtree now, and their documents.
    copies: frozenset[str]
    documents_with_copies: frozenset[str]

    @classmethod
    def of(cls, unit: Unit) -> _Scope:
        units = Unit.objects.filter(path=unit.path) | Unit.objects.filter(
            path__startswith=f"{unit.path}/"
        )
        codes = frozenset(units.values_list("code", flat=True))
        people = set(Person.objects.filter(unit__code__in=codes).values_list("username", flat=True))
        moves = LedgerEntry.objects.filter(
            kind__in=[Event.PERSON_CREATED.value, Event.PERSON_CHANGED.value]
        )
        for subject, body in moves.values_list("subject", "body").iterator(chunk_size=_CHUNK):
            if _data(bytes(body)).get("unit") in codes:
                people.add(subject.partition(":")[2])
        copies = Copy.objects.filter(unit__code__in=codes).values_list(
            "document__control_number", "number"
        )
        refs = {f"{control}/{number}" for control, number in copies.iterator(chunk_size=_CHUNK)}
        return cls(
            units=codes,
            people=frozenset(people),
            documents=frozenset(
                Document.objects.filter(unit__code__in=codes).values_list(
                    "control_number", flat=True
                )
            ),
            copies=frozenset(refs),
            documents_with_copies=frozenset(ref.rpartition("/")[0] for ref in refs),
        )


def _data(body: bytes) -> dict[str, Any]:
    data = orjson.loads(body).get("data")
    return data if isinstance(data, dict) else {}


@dataclass
class _Chosen:
    seq: int
    leaf: bytes
    documents: frozenset[str]
    withheld: bool = False


@dataclass
class _Names:
    """What an entry is about beyond its plain fields: documents (control numbers), copies
    (``control/n``) and units (codes)."""

    documents: set[str] = field(default_factory=set)
    copies: set[str] = field(default_factory=set)
    units: set[str] = field(default_factory=set)


# Subjects that name a record kept beside the register; _look_up finds what each is about.
_RECORDS = frozenset(
    {
        "hand_over",
        "destruction",
        "transit",
        "incident",
        "check_out",
        "campaign",
        "reproduction",
        "delegation",
    }
)


@dataclass
class _Records:
    """What each record subject (``hand_over:<reference>``...) is about, looked up once."""

    found: dict[str, _Names] = field(default_factory=dict)

    def about(self, kind: str, key: str) -> _Names:
        subject = f"{kind}:{key}"
        if subject not in self.found:
            self.found[subject] = _look_up(kind, key.partition("/")[0])
        return self.found[subject]


def _copy_of(found: Any) -> _Names:
    if found is None:
        return _Names()
    return _Names(copies={found.copy.reference})


def _look_up(kind: str, reference: str) -> _Names:
    # A refusal names a record as it was asked for, which may be a short or mistyped reference:
    # what cannot be found is about nothing here, and other rules may still include the entry.
    by_reference: dict[str, Any] = {
        "hand_over": HandOver,
        "destruction": Destruction,
        "transit": Transit,
        "incident": Incident,
    }
    if kind in by_reference and _is_uuid(reference):
        related = by_reference[kind].objects.select_related("copy__document")
        return _copy_of(related.filter(reference=reference).first())
    if kind == "check_out" and reference.isdigit():
        related = CheckOut.objects.select_related("copy__document")
        return _copy_of(related.filter(pk=int(reference)).first())
    if kind in ("campaign", "reproduction") and _is_uuid(reference):
        model = Campaign if kind == "campaign" else Reproduction
        controls = model.objects.filter(reference=reference).values_list(
            "document__control_number", flat=True
        )
        return _Names(documents=set(controls))
    if kind == "delegation" and reference.isdigit():
        codes = Delegation.objects.filter(pk=int(reference)).values_list("unit__code", flat=True)
        return _Names(units=set(codes))
    return _Names()


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def _named(subject: tuple[str, str], data: dict[str, Any], records: _Records) -> _Names:
    """The documents, copies and units an entry is about, from its subject and data."""
    kind, key = subject
    names = _Names()
    if kind == "document":
        names.documents.add(key)
    elif kind == "copy":
        names.copies.add(key)
    elif kind in _RECORDS:
        found = records.about(kind, key)
        names = _Names(set(found.documents), set(found.copies), set(found.units))
    for name in ("document", "control_number"):
        if isinstance(data.get(name), str):
            names.documents.add(data[name])
    if isinstance(data.get("copy"), str) and "/" in data["copy"]:
        names.copies.add(data["copy"])
    names.documents.update(copy.rpartition("/")[0] for copy in names.copies)
    return names


def _about(
    subject: tuple[str, str], actor: Any, data: dict[str, Any], names: _Names, scope: _Scope
) -> bool:
    kind, key = subject
    people: list[Any] = [actor]
    for name in PERSON_FIELDS:
        value = data.get(name)
        people.extend(value if isinstance(value, list) else [value])
    return (
        (kind == "unit" and key in scope.units)
        or (kind in ("person", "clearance", "courier") and key in scope.people)
        or any(isinstance(person, str) and person in scope.people for person in people)
        or any(data.get(name) in scope.units for name in UNIT_FIELDS)
        or bool(names.units & scope.units)
        or bool(names.documents & scope.documents)
        or bool(names.copies & scope.copies)
        or (kind == "document" and key in scope.documents_with_copies)
    )


def _period(first_day: date, last_day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(first_day, time.min, tzinfo=UTC)
    return start, datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=UTC)


def _choose(scope: _Scope, by: Person, first_day: date, last_day: date) -> list[_Chosen]:
    """The period's entries about the unit, each marked withheld when it names a document the
    exporter may not see (its body would show what their clearance does not open)."""
    start, end = _period(first_day, last_day)
    records = _Records()
    chosen: list[_Chosen] = []
    rows = (
        LedgerEntry.objects.filter(recorded_at__gte=start, recorded_at__lt=end)
        .order_by("seq")
        .values_list("seq", "leaf_hash", "body")
    )
    for seq, leaf, raw in rows.iterator(chunk_size=_CHUNK):
        body = orjson.loads(bytes(raw))
        kind, _, key = str(body.get("subject", "")).partition(":")
        data = body["data"] if isinstance(body.get("data"), dict) else {}
        names = _named((kind, key), data, records)
        if _about((kind, key), body.get("actor"), data, names, scope):
            chosen.append(_Chosen(seq, bytes(leaf), frozenset(names.documents)))
    hidden = _hidden(by, {control for item in chosen for control in item.documents})
    for item in chosen:
        item.withheld = bool(item.documents & hidden)
    return chosen


def _hidden(by: Person, controls: set[str]) -> set[str]:
    """Those of ``controls`` the exporter may not see now (or that name no document at all)."""
    facts = by.facts(clock.today())
    ordered = sorted(controls)
    seen: set[str] = set()
    for start in range(0, len(ordered), _CHUNK):
        chunk = Document.objects.filter(control_number__in=ordered[start : start + _CHUNK])
        seen.update(visible_documents(facts, chunk).values_list("control_number", flat=True))
    return controls - seen


# --- Writing ------------------------------------------------------------------------------------


def _earlier(head: Signed, before: Signed | None, first_day: date) -> list[Signed]:
    """Earlier checkpoints the bundle carries, each with a consistency proof to ``head``: the
    last signed before the period began (the log as the period found it), and the latest
    before this export (the one witnesses may already have cosigned)."""
    start, _ = _period(first_day, first_day)
    row = Checkpoint.objects.filter(signed_at__lt=start).order_by("-size").first()
    found = {signed.size: signed for signed in [before, Signed.of(row) if row else None] if signed}
    return [found[size] for size in sorted(found) if size < head.size]


class _CachedNodes:
    """The stored tree, remembering what it read: neighbouring entries' proofs share most of
    their upper nodes."""

    def __init__(self) -> None:
        self._stored = tree.StoredNodes()
        self._known: dict[merkle.Address, bytes] = {}

    def nodes(self, addresses: Sequence[merkle.Address]) -> list[bytes]:
        missing = [address for address in addresses if address not in self._known]
        if missing:
            self._known.update(zip(missing, self._stored.nodes(missing), strict=True))
        found = [self._known[address] for address in addresses]
        # Leaves and their neighbours are seldom read twice; the upper levels are worth keeping.
        for address in missing:
            if address[0] < 4:
                del self._known[address]
        return found


def _write(
    out: io.BufferedIOBase,
    manifest: bundle.Manifest,
    earlier: Sequence[Signed],
    head: Signed,
    chosen: Sequence[_Chosen],
    export_seq: int,
) -> None:
    out.write(manifest.encode())
    for signed in earlier:
        consistency = tree.consistency_proof(signed.size, head.size)
        out.write(bundle.checkpoint_line(signed.note, consistency))
    out.write(bundle.checkpoint_line(head.note, None))
    reader = _CachedNodes()

    def proof(seq: int) -> list[bytes]:
        return merkle.inclusion_proof(seq - 1, head.size, reader)

    for item, body in _with_bodies(chosen):
        if item.withheld:
            out.write(bundle.withheld_line(item.seq, item.leaf, proof(item.seq), WITHHELD))
        else:
            out.write(bundle.entry_line(item.seq, body, item.leaf, proof(item.seq)))
    own = LedgerEntry.objects.values_list("body", "leaf_hash").get(seq=export_seq)
    out.write(bundle.export_line(export_seq, bytes(own[0]), bytes(own[1]), proof(export_seq)))


def _with_bodies(chosen: Sequence[_Chosen]) -> Iterator[tuple[_Chosen, bytes]]:
    """Each chosen entry with its body, read again a chunk at a time (a withheld entry's body
    is not read at all)."""
    for start in range(0, len(chosen), _CHUNK):
        chunk = chosen[start : start + _CHUNK]
        wanted = [item.seq for item in chunk if not item.withheld]
        bodies = dict(LedgerEntry.objects.filter(seq__in=wanted).values_list("seq", "body"))
        for item in chunk:
            yield item, b"" if item.withheld else bytes(bodies[item.seq])
