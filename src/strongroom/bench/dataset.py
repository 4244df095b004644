"""A large, genuine register built in bulk: ``build(copies=..., entries=...)``.

Going through a service per operation would take hours for a million entries, so only the
organisation (units, people, clearances) is made by the services. Documents, compartments and
copies are then written with ``bulk_create`` in large transactions, together with the very
ledger entries the services would have written for them (``record_many``), in the order they
would have happened. ``verify()`` afterwards proves that the two agree.

The history is simulated twice with the same seed: the first pass only learns where each copy
ends up, so that the second pass can insert every copy row once, already in its final state.
"""

from __future__ import annotations

import random
import secrets
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction

from strongroom.adapters import clock
from strongroom.domain.custody import CopyState
from strongroom.domain.markings import Marking
from strongroom.ledger.events import Event
from strongroom.ledger.models import LedgerEntry
from strongroom.ledger.record import PendingEntry, record_many
from strongroom.models import Copy, Document, DocumentCompartment, Person, Unit
from strongroom.services import clearances, people, registry

SEED = 6962
# How far back the history starts; it ends an hour before the build.
HISTORY = timedelta(days=3 * 365)
FLUSH_ENTRIES = 20_000
PROVINCES = ("NORTH", "SOUTH", "EAST", "WEST")
MARKINGS: tuple[tuple[str, int], ...] = (
    ("UNCLASSIFIED", 5),
    ("RESTRICTED", 15),
    ("CONFIDENTIAL", 30),
    ("SECRET", 25),
    ("SECRET//ALPHA", 10),
    ("TOP SECRET", 8),
    ("TOP SECRET//BRAVO//NO COPY", 7),
)
STAFF_CLEARANCES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("TOP SECRET", ("ALPHA", "BRAVO", "CHARLIE")),
    ("TOP SECRET", ("BRAVO",)),
    ("SECRET", ("ALPHA",)),
    ("SECRET", ()),
    ("CONFIDENTIAL", ()),
    ("RESTRICTED", ()),
)
TOPICS = (
    "the power grid", "port security", "rail freight", "procurement", "border crossings",
    "census data", "the fuel reserve", "courier routes", "ground stations", "key control",
)  # fmt: skip


class DatasetError(RuntimeError):
    pass


@dataclass
class Organisation:
    """The people the benchmark acts as."""

    units: list[Unit]
    registrar: Person
    custodian: Person
    inspector: Person
    staff: list[Person]


@dataclass(frozen=True)
class _Doc:
    unit: int
    marking: int
    copies: int
    first_copy: int


def organisation(*, staff: int, at: datetime) -> Organisation:
    """Units, people and clearances, through the services, dated ``at``."""
    with clock.frozen(at):
        officer = people.bootstrap(
            unit_code="HQ",
            unit_name="Headquarters",
            username="bench.officer",
            full_name="Benchmark Officer",
            password=secrets.token_urlsafe(24),  # nobody signs in to a benchmark
        )
        hq = officer.unit
        units = [hq]
        for code in PROVINCES:
            province = people.create_unit(
                code=code, name=f"{code.title()} Province", parent=hq, by=officer
            )
            units.append(province)
            for office in ("CITY", "PORT"):
                units.append(
                    people.create_unit(
                        code=f"{code[0]}{office}",
                        name=f"{code.title()} {office.title()} Office",
                        parent=province,
                        by=officer,
                    )
                )

        def person(username: str, unit: Unit, roles: list[str]) -> Person:
            return people.create_person(
                username=username, full_name=username.replace(".", " ").title(), unit=unit,
                roles=roles, by=officer,
            )  # fmt: skip

        second = person("bench.second", hq, ["security_officer"])
        registrar = person("bench.registrar", hq, ["registrar"])
        custodian = person("bench.custodian", hq, ["custodian"])
        inspector = person("bench.inspector", hq, ["inspector"])
        everything = ("TOP SECRET", ("ALPHA", "BRAVO", "CHARLIE"))
        cleared: list[tuple[Person, tuple[str, tuple[str, ...]]]] = [
            (registrar, everything), (custodian, everything), (inspector, everything),
        ]  # fmt: skip
        members = []
        for index in range(staff):
            member = person(f"bench.staff{index:04d}", units[index % len(units)], ["staff"])
            members.append(member)
            cleared.append((member, STAFF_CLEARANCES[index % len(STAFF_CLEARANCES)]))
        for member, (level, compartments) in cleared:
            clearances.grant_clearance(
                member,
                level=level,
                compartments=compartments,
                expires_on=(at + HISTORY + timedelta(days=730)).date(),
                briefed_on=at.date(),
                by=second,
            )
    return Organisation(units, registrar, custodian, inspector, members)


def _copy_counts(rng: random.Random, copies: int) -> list[int]:
    counts: list[int] = []
    left = copies
    while left > 0:
        counts.append(min(left, rng.randint(1, 8)))
        left -= counts[-1]
    return counts


REGISTER, MOVE = 0, 1


def _history(
    documents: list[_Doc], copy_document: array[int], eligible: list[list[int]], moves: int
) -> Iterator[tuple[int, int, int]]:
    """(REGISTER, document, -1) or (MOVE, copy, new holder or -1 for back in the registry).

    Registrations are spread evenly through the moves, and every move flips a random copy
    registered so far: out to an eligible holder if it is in the registry, back if it is held.
    """
    rng = random.Random(SEED)
    holder = array("i", [-1]) * len(copy_document)
    total = len(documents) + moves
    registered_docs = registered_copies = 0
    for step in range(total):
        docs_left = len(documents) - registered_docs
        if docs_left and (registered_copies == 0 or rng.random() * (total - step) < docs_left):
            registered_copies += documents[registered_docs].copies
            registered_docs += 1
            yield REGISTER, registered_docs - 1, -1
            continue
        copy = rng.randrange(registered_copies)
        if holder[copy] == -1:
            pool = eligible[documents[copy_document[copy]].marking]
            holder[copy] = pool[rng.randrange(len(pool))]
        else:
            holder[copy] = -1
        yield MOVE, copy, holder[copy]


@dataclass
class Built:
    documents: int
    copies: int
    entries: int


def build(
    *,
    copies: int,
    entries: int,
    staff: int,
    progress: Callable[[str], None] = lambda text: None,
) -> tuple[Organisation, Built]:
    """Build the organisation and a register of ``copies`` copies and ``entries`` ledger entries."""
    if Person.objects.exists():
        raise DatasetError("the database is not empty; the benchmark builds only into an empty one")
    scheme = settings.STRONGROOM_MARKING_SCHEME
    end = clock.now() - timedelta(hours=1)
    start = end - HISTORY
    org = organisation(staff=staff, at=start - timedelta(days=1))
    setup_entries = LedgerEntry.objects.count()

    rng = random.Random(SEED + 1)
    markings = [scheme.parse(banner) for banner, _ in MARKINGS]
    weights = [weight for _, weight in MARKINGS]
    documents: list[_Doc] = []
    copy_document = array("i")
    for count in _copy_counts(rng, copies):
        marking = rng.choices(range(len(markings)), weights)[0]
        documents.append(_Doc(rng.randrange(len(org.units)), marking, count, len(copy_document)))
        copy_document.extend([len(documents) - 1] * count)
    moves = entries - setup_entries - len(documents)
    if moves < 0:
        raise DatasetError(
            f"{entries} ledger entries are too few for {copies} copies: the organisation and "
            f"the {len(documents)} registrations alone take {setup_entries + len(documents)}"
        )
    today = start.date()
    eligible = [
        [i for i, member in enumerate(org.staff) if member.may_hold(marking, today) is None]
        for marking in markings
    ]
    if not all(eligible):
        raise DatasetError("some marking has nobody cleared to hold it; use more staff")

    def history() -> Iterator[tuple[int, int, int]]:
        return _history(documents, copy_document, eligible, moves)

    step = (end - start) / (len(documents) + moves)
    writer = _Writer(org, documents, copy_document, markings, start, step)
    progress(f"  simulating {len(documents) + moves:,} events to learn where each copy ends")
    writer.learn_final_states(history())
    progress("  writing documents, copies and ledger entries")
    writer.write(history(), progress)
    built = Built(len(documents), Copy.objects.count(), LedgerEntry.objects.count())
    if built.entries != entries or built.copies != copies:
        raise DatasetError(f"built {built} instead of {copies} copies and {entries} entries")
    return org, built


class _Writer:
    """Turns the simulated history into rows and ledger entries, a large transaction at a time."""

    def __init__(
        self,
        org: Organisation,
        documents: list[_Doc],
        copy_document: array[int],
        markings: list[Marking],
        start: datetime,
        step: timedelta,
    ) -> None:
        self.org = org
        self.documents = documents
        self.copy_document = copy_document
        self.markings = markings
        self.start = start
        self.step = step
        copies = sum(d.copies for d in documents)
        self.final_holder = array("i", [-1]) * copies
        self.last_step = array("q", [-1]) * copies
        self.moves = array("i", [0]) * copies
        self.rng = random.Random(SEED + 2)
        self.sequences: dict[tuple[int, int], int] = {}
        # As services.custody writes it; tests/bench compares the two.
        self.locations = [f"with {m.username} ({m.unit.code})" for m in org.staff]
        self.registries = [registry.registry_location(unit) for unit in org.units]

    def at(self, step: int) -> datetime:
        return self.start + self.step * (step + 1)

    def learn_final_states(self, history: Iterator[tuple[int, int, int]]) -> None:
        for step, (kind, index, holder) in enumerate(history):
            if kind == MOVE:
                self.final_holder[index] = holder
                self.last_step[index] = step
                self.moves[index] += 1

    def write(
        self, history: Iterator[tuple[int, int, int]], progress: Callable[[str], None]
    ) -> None:
        new_documents: list[tuple[Document, _Doc, Marking]] = []
        pending: list[PendingEntry] = []
        holder = array("i", [-1]) * len(self.final_holder)
        references: list[str] = []
        written = 0
        for step, (kind, index, to) in enumerate(history):
            at = self.at(step)
            if kind == REGISTER:
                doc = self.documents[index]
                document, entry = self._registration(doc, at)
                new_documents.append((document, doc, self.markings[doc.marking]))
                pending.append(entry)
                control = document.control_number
                references.extend(f"{control}/{n}" for n in range(1, doc.copies + 1))
            else:
                pending.append(self._move(index, references[index], holder[index], to, at))
                holder[index] = to
            if len(pending) >= FLUSH_ENTRIES:
                written += self._flush(new_documents, pending)
                progress(f"    {written:,} entries")
                new_documents, pending = [], []
        written += self._flush(new_documents, pending)
        progress(f"    {written:,} entries")

    def _registration(self, doc: _Doc, at: datetime) -> tuple[Document, PendingEntry]:
        """The rows and the entry ``registry.register_document`` would write."""
        unit = self.org.units[doc.unit]
        marking = self.markings[doc.marking]
        key = (doc.unit, at.year)
        sequence = self.sequences[key] = self.sequences.get(key, 0) + 1
        received: date = at.date() - timedelta(days=self.rng.randint(0, 4))
        topic = self.rng.choice(TOPICS)
        number = self.rng.randint(1, 999)
        fields: dict[str, Any] = {
            "short_title": f"Report {number} on {topic}",
            "full_title": f"Report {number} of the planning staff on {topic}",
            "originator": "Benchmark Ministry",
            "originator_reference": f"BM/{at.year}/{number:04d}",
            "pages": self.rng.randint(1, 200),
            "medium": "paper",
            "copy_count": doc.copies,
        }
        document = Document(
            control_number=f"{unit.code}-{at.year:04d}-{sequence:04d}",
            unit=unit,
            year=at.year,
            sequence=sequence,
            level=marking.rank,
            compartments="/".join(sorted(marking.compartments)),
            caveats="/".join(sorted(marking.caveats)),
            received_on=received,
            registered_by=self.org.registrar,
            registered_at=at,
            **fields,
        )
        data = {
            "control_number": document.control_number,
            "unit": unit.code,
            "year": at.year,
            "sequence": sequence,
            "marking": marking.banner(),
            "level": marking.level,
            "compartments": sorted(marking.compartments),
            "caveats": sorted(marking.caveats),
            **fields,
            "received_on": received.isoformat(),
            "registered_by": self.org.registrar.username,
            "location": self.registries[doc.unit],
        }
        subject = f"document:{document.control_number}"
        return document, PendingEntry(
            Event.DOCUMENT_REGISTERED, self.org.registrar, subject, data, at
        )

    def _move(self, copy: int, reference: str, before: int, to: int, at: datetime) -> PendingEntry:
        """The entry ``custody.issue_copy`` or ``custody.return_copy`` would write."""
        subject = f"copy:{reference}"
        if to != -1:
            data: dict[str, Any] = {
                "state": CopyState.HELD.value,
                "holder": self.org.staff[to].username,
                "location": self.locations[to],
            }
            return PendingEntry(Event.COPY_ISSUED, self.org.custodian, subject, data, at)
        doc = self.documents[self.copy_document[copy]]
        data = {
            "state": CopyState.IN_REGISTRY.value,
            "holder": None,
            "location": self.registries[doc.unit],
            "returned_by": self.org.staff[before].username,
        }
        return PendingEntry(Event.COPY_RETURNED, self.org.custodian, subject, data, at)

    def _flush(
        self, new_documents: list[tuple[Document, _Doc, Marking]], pending: list[PendingEntry]
    ) -> int:
        with transaction.atomic():
            Document.objects.bulk_create([document for document, _, _ in new_documents])
            compartments: list[DocumentCompartment] = []
            copies: list[Copy] = []
            for document, doc, marking in new_documents:
                compartments.extend(
                    DocumentCompartment(document_id=document.pk, code=code)
                    for code in sorted(marking.compartments)
                )
                registry_location = self.registries[doc.unit]
                for number in range(1, doc.copies + 1):
                    index = doc.first_copy + number - 1
                    holder = self.final_holder[index]
                    last = self.last_step[index]
                    copies.append(
                        Copy(
                            document_id=document.pk,
                            number=number,
                            state=(CopyState.HELD if holder != -1 else CopyState.IN_REGISTRY).value,
                            holder=self.org.staff[holder] if holder != -1 else None,
                            location=self.locations[holder] if holder != -1 else registry_location,
                            since=self.at(last) if last != -1 else document.registered_at,
                            unit_id=document.unit_id,
                            version=1 + self.moves[index],
                        )
                    )
            DocumentCompartment.objects.bulk_create(compartments)
            Copy.objects.bulk_create(copies)
            record_many(pending)
        return len(pending)
