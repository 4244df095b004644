"""Six months of a small organisation's register, played through the services.

Every change goes through a service under a frozen clock, so the ledger is complete, dated as the
history unfolds, and ``verify()`` accepts it. Events are kept in a heap and played in time order;
the random choices come from one seeded generator and the days are counted from a start that
moves with today, so every load tells the same story ending yesterday.
"""

from __future__ import annotations

import functools
import heapq
import itertools
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any, TextIO

from django.conf import settings
from django.db.models import Count

from strongroom.adapters import clock
from strongroom.demo import content
from strongroom.demo.organisation import (
    BOOTSTRAP,
    EXTRA_STAFF,
    EXTRA_STAFF_CLEARANCES,
    EXTRA_STAFF_UNITS,
    HQ,
    PERSONAS,
    REGISTERING,
    UNITS,
)
from strongroom.domain.clearance import PersonStatus
from strongroom.domain.errors import DomainError, InvalidMarking
from strongroom.domain.markings import Marking, MarkingScheme
from strongroom.ledger.models import LedgerEntry
from strongroom.models import Copy, Document, Person, Unit
from strongroom.policy import Denied, Role
from strongroom.policy.facts import within
from strongroom.services import clearances, custody, people, registry

DEMO_PASSWORD = "strongroom-demo"
SEED = 1949
HISTORY_DAYS = 190
DOCUMENTS = 300
FIRST_REGISTRATION_DAY = 3
CORRECTIONS = (
    "pages", "originator_reference", "marking", "short_title", "received_on", "pages",
    "marking", "originator_reference", "short_title", "marking", "received_on", "pages",
)  # fmt: skip
OPENING_HOUR, CLOSING_HOUR = 8.0, 17.5


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role_description: str


def logins() -> list[DemoLogin]:
    return [DemoLogin(p.username, DEMO_PASSWORD, p.description) for p in (BOOTSTRAP, *PERSONAS)]


@dataclass(order=True)
class _Event:
    at: datetime
    order: int
    action: Callable[[], None] = field(compare=False)


Clearance = tuple[str, tuple[str, ...]]


class Loader:
    def __init__(self, out: TextIO, *, documents: int = DOCUMENTS) -> None:
        self.out = out
        self.documents_wanted = documents
        self.rng = random.Random(SEED)
        self.origin = datetime.combine(clock.today(), time(), tzinfo=UTC) - timedelta(
            days=HISTORY_DAYS
        )
        self.last_day = HISTORY_DAYS - 1
        self.scheme: MarkingScheme = settings.STRONGROOM_MARKING_SCHEME
        self.markings = [(b, w) for b, w in content.MARKINGS if self._parses(b)] or [
            (level, 1) for level in self.scheme.levels
        ]
        self.units: dict[str, Unit] = {}
        self.people: dict[str, Person] = {}
        self.registrar_of: dict[int, str] = {}
        self.documents: list[Document] = []
        self.copies: list[Copy] = []
        # Copies with an event pending; scripted scenes leave them alone.
        self.busy: set[int] = set()
        # People who are about to leave and get no more copies.
        self.leaving: set[str] = set()
        self.allowed: dict[str, list[tuple[str, int]]] = {}
        self.extra: list[tuple[Person, Clearance | None]] = []
        self.events: list[_Event] = []
        self.order = itertools.count()
        self.setup_at = self.at(0, 8.5)
        self.stats: Counter[str] = Counter()

    # -- time -------------------------------------------------------------------------------

    def at(self, day: float, hour: float) -> datetime:
        return self.origin + timedelta(days=day, hours=hour)

    def working(self, day: int) -> datetime:
        return self.at(day, self.rng.uniform(OPENING_HOUR, CLOSING_HOUR))

    def later(self, after: datetime, low: int, high: int) -> datetime | None:
        """A moment in office hours ``low``..``high`` days after ``after``; None past yesterday."""
        day = (after - self.origin).days + self.rng.randint(low, high)
        start = max(self.at(day, OPENING_HOUR), after + timedelta(minutes=5))
        end = self.at(day, CLOSING_HOUR)
        if start >= end:
            day += 1
            start, end = self.at(day, OPENING_HOUR), self.at(day, CLOSING_HOUR)
        if day > self.last_day:
            return None
        return start + (end - start) * self.rng.random()

    def tick(self) -> datetime:
        """The next moment of the set-up, a few minutes after the last."""
        self.setup_at += timedelta(minutes=self.rng.randint(2, 8), seconds=self.rng.randint(0, 59))
        return self.setup_at

    def schedule(self, at: datetime, action: Callable[[], None]) -> None:
        heapq.heappush(self.events, _Event(at, next(self.order), action))

    # -- markings ---------------------------------------------------------------------------

    def _parses(self, banner: str) -> bool:
        try:
            self.scheme.parse(banner)
        except InvalidMarking:
            return False
        return True

    def level(self, name: str) -> str:
        """The named level, or the highest one if this installation's scheme lacks it."""
        return name if name in self.scheme.levels else self.scheme.levels[-1]

    def clearance(self, spec: Clearance) -> tuple[str, list[str]]:
        level, compartments = spec
        return self.level(level), [c for c in compartments if c in self.scheme.compartments]

    # -- the whole story --------------------------------------------------------------------

    def run(self) -> None:
        self.organisation()
        self.grant_clearances()
        self.plan()
        while self.events:
            event = heapq.heappop(self.events)
            with clock.frozen(event.at):
                event.action()
        self.summary()

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def organisation(self) -> None:
        with clock.frozen(self.tick()):
            helga = people.bootstrap(
                unit_code=HQ[0],
                unit_name=HQ[1],
                username=BOOTSTRAP.username,
                full_name=BOOTSTRAP.full_name,
                password=DEMO_PASSWORD,
            )
        self.people[helga.username] = helga
        self.units[HQ[0]] = helga.unit
        for code, name, parent in UNITS:
            with clock.frozen(self.tick()):
                self.units[code] = people.create_unit(
                    code=code, name=name, parent=self.units[parent], by=helga
                )
        for persona in PERSONAS:
            with clock.frozen(self.tick()):
                self.people[persona.username] = people.create_person(
                    username=persona.username,
                    full_name=persona.full_name,
                    unit=self.units[persona.unit],
                    roles=persona.roles,
                    password=DEMO_PASSWORD,
                    by=helga,
                )
        for index in range(EXTRA_STAFF):
            first = content.FIRST_NAMES[index % len(content.FIRST_NAMES)]
            last = self.rng.choice(content.LAST_NAMES)
            with clock.frozen(self.tick()):
                # No password: they fill the lists and receive copies but nobody signs in as them.
                person = people.create_person(
                    username=f"{first}.{last}".lower(),
                    full_name=f"{first} {last}",
                    unit=self.units[EXTRA_STAFF_UNITS[index % len(EXTRA_STAFF_UNITS)]],
                    roles=["staff"],
                    by=helga,
                )
            self.people[person.username] = person
            self.extra.append((person, self.rng.choice(EXTRA_STAFF_CLEARANCES)))
        self.say(f"Units: {len(self.units)}; people: {len(self.people)}.")

    def grant(
        self,
        person: Person,
        spec: Clearance,
        by: str,
        *,
        briefed: bool = True,
        expires_after_days: int | None = None,
    ) -> None:
        level, compartments = self.clearance(spec)
        at = self.tick()
        days = expires_after_days or self.rng.randint(700, 1100)
        with clock.frozen(at):
            clearances.grant_clearance(
                person,
                level=level,
                compartments=compartments,
                expires_on=(self.origin + timedelta(days=days)).date(),
                briefed_on=(at - timedelta(days=self.rng.randint(1, 20))).date()
                if briefed
                else None,
                by=self.people[by],
            )

    def grant_clearances(self) -> None:
        self.setup_at = self.at(1, 8.25)
        for persona in PERSONAS:
            if persona.clearance is not None:
                self.grant(
                    self.people[persona.username],
                    persona.clearance,
                    persona.granted_by,
                    briefed=persona.briefed,
                    expires_after_days=persona.expires_after_days,
                )
        for person, spec in self.extra:
            if spec is not None:
                self.grant(person, spec, "simon")
        self.say(f"Clearances granted: {self.stats_of('clearance.granted')}.")

    def stats_of(self, kind: str) -> int:
        return LedgerEntry.objects.filter(kind=kind).count()

    def plan(self) -> None:
        span = self.last_day - FIRST_REGISTRATION_DAY
        for index in range(self.documents_wanted):
            day = FIRST_REGISTRATION_DAY + index * span // self.documents_wanted
            self.schedule(self.working(day), self.register)
        # (day, hour, scene): the stories the demo is meant to show, at fixed points in time.
        scenes: list[tuple[int, float, Callable[[], None]]] = [
            (1, 14.4, self.officer_grants_herself),
            (9, 9.6, functools.partial(self.worker_registers, "wally", "HQ", "SECRET")),
            (23, 12.0, functools.partial(self.worker_registers, "uwe", "NWORKS", "CONFIDENTIAL")),
            (37, 9.6, functools.partial(self.worker_registers, "kurt", "NWORKS", "SECRET")),
            (52, 14.4, self.issue_to_unbriefed),
            (75, 9.6, self.issue_outside_unit),
            (100, 11.0, self.issue_to_greta),
            (128, 9.6, self.suspend_greta),
            (131, 14.4, functools.partial(self.issue_to_ineligible, "greta")),
            (140, 8.0, functools.partial(self.leaving.add, "dora")),
            (149, 9.6, self.collect_from_dora),
            (150, 9.6, self.dora_departs),
            (166, 12.0, functools.partial(self.issue_to_ineligible, "emil")),
        ]
        step = (self.last_day - 20) / len(CORRECTIONS)
        for index, kind in enumerate(CORRECTIONS):
            day = 20 + int(index * step)
            scenes.append((day, 13.0 + index % 4, functools.partial(self.correct, kind)))
        for day, hour, scene in scenes:
            self.schedule(self.at(day, hour), scene)

    # -- registrations and custody ----------------------------------------------------------

    def allowed_for(self, registrar: str) -> list[tuple[str, int]]:
        if registrar not in self.allowed:
            person, today = self.people[registrar], clock.today()
            self.allowed[registrar] = [
                (banner, weight)
                for banner, weight in self.markings
                if person.may_hold(self.scheme.parse(banner), today) is None
            ]
        return self.allowed[registrar]

    def register(self) -> None:
        units = [(unit, registrar) for unit, registrar, _ in REGISTERING]
        weights = [weight for _, _, weight in REGISTERING]
        unit_code, registrar = self.rng.choices(units, weights)[0]
        received = clock.today() - timedelta(days=self.rng.choice((0, 0, 0, 1, 1, 2, 3, 6)))
        paper = content.paper(self.rng, received, self.allowed_for(registrar))
        document = registry.register_document(
            unit=self.units[unit_code],
            short_title=paper.short_title,
            full_title=paper.full_title,
            marking=paper.marking,
            originator=paper.originator,
            originator_reference=paper.originator_reference,
            received_on=received,
            pages=paper.pages,
            medium=paper.medium,
            copies=paper.copies,
            by=self.people[registrar],
        )
        self.documents.append(document)
        self.registrar_of[document.pk] = registrar
        copies = list(Copy.objects.filter(document=document).order_by("number"))
        for copy in copies:
            # One shared instance, so a corrected marking is what later checks see.
            copy.document = document
            self.copies.append(copy)
            if paper.lecture:
                # A distribution campaign: nearly every copy goes out in the first days.
                if self.rng.random() < 0.9:
                    self.plan_issue(copy, 0, 3, lecture=True)
            elif self.rng.random() < 0.55:
                self.plan_issue(copy, 0, 10)
        done = len(self.documents)
        if done % 50 == 0 or done == self.documents_wanted:
            self.say(f"  registered {done}/{self.documents_wanted} documents (up to {received}).")

    def plan_issue(self, copy: Copy, low: int, high: int, *, lecture: bool = False) -> None:
        when = self.later(clock.now(), low, high)
        if when is not None:
            self.busy.add(copy.pk)
            self.schedule(when, functools.partial(self.issue, copy, lecture))

    def handler(self, document: Document, exclude: str = "") -> Person | None:
        """The most local registrar or custodian who may handle the document's copies."""
        today, marking = clock.today(), document.marking
        path = document.unit.path
        found: list[Person] = []
        for person in self.people.values():
            if (
                person.username != exclude
                and (person.has_role(Role.REGISTRAR) or person.has_role(Role.CUSTODIAN))
                and within(path, person.unit.path)
                and person.may_hold(marking, today) is None
            ):
                found.append(person)
        if not found:
            return None
        deepest = max(person.unit.depth for person in found)
        return self.rng.choice([person for person in found if person.unit.depth == deepest])

    def recipient(self, document: Document, handler: Person) -> Person | None:
        """Someone in the document's branch of the tree who may hold it, staff preferred."""
        today, marking = clock.today(), document.marking
        path = document.unit.path
        candidates = [
            person
            for person in self.people.values()
            if person.pk != handler.pk
            and person.status == PersonStatus.ACTIVE.value
            and person.username not in self.leaving
            and (within(person.unit.path, path) or within(path, person.unit.path))
        ]
        self.rng.shuffle(candidates)
        if self.rng.random() < 0.8:
            candidates.sort(key=lambda person: not person.has_role(Role.STAFF))
        for person in candidates:
            if person.may_hold(marking, today) is None:
                return person
        return None

    def issue(self, copy: Copy, lecture: bool) -> None:
        self.busy.discard(copy.pk)
        if copy.state != "in_registry":
            return
        handler = self.handler(copy.document)
        recipient = self.recipient(copy.document, handler) if handler else None
        if handler is None or recipient is None:
            return
        custody.issue_copy(copy, to=recipient, by=handler)
        if self.rng.random() < (0.8 if lecture else 0.72):
            when = self.later(clock.now(), 10, 30) if lecture else self.later(clock.now(), 1, 40)
            if when is not None:
                self.busy.add(copy.pk)
                self.schedule(when, functools.partial(self.take_back, copy))

    def take_back(self, copy: Copy) -> None:
        self.busy.discard(copy.pk)
        if copy.state != "held":
            return
        handler = self.handler(copy.document)
        if handler is None:
            return
        custody.return_copy(copy, by=handler)
        if self.rng.random() < 0.3:
            self.plan_issue(copy, 1, 20)

    def free_copy(self, unit_prefix: str, test: Callable[[Copy], bool]) -> Copy | None:
        """A copy in the registry of a unit under ``unit_prefix`` with nothing planned for it."""
        found = [
            copy
            for copy in self.copies
            if copy.state == "in_registry"
            and copy.pk not in self.busy
            and within(copy.document.unit.path, unit_prefix)
            and test(copy)
        ]
        return self.rng.choice(found) if found else None

    # -- scenes -----------------------------------------------------------------------------

    def refused(self, action: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Try something the rules forbid; the service records the refusal in the ledger."""
        try:
            action(*args, **kwargs)
        except Denied:
            self.stats["refused"] += 1
        else:
            self.say(f"  note: {getattr(action, '__name__', action)} was expected to be refused")

    def officer_grants_herself(self) -> None:
        helga = self.people[BOOTSTRAP.username]
        self.refused(
            clearances.grant_clearance,
            helga,
            level=self.level("TOP SECRET"),
            expires_on=clock.today() + timedelta(days=365),
            briefed_on=clock.today(),
            by=helga,
        )

    def worker_registers(self, username: str, unit: str, marking: str) -> None:
        """Story 1: the registrar is too busy and someone else tries to register the mail."""
        self.refused(
            registry.register_document,
            unit=self.units[unit],
            short_title="Directive on site access",
            full_title="Directive on access to works sites by contractors",
            marking=self.level(marking),
            originator="Ministry of Public Works",
            originator_reference=f"MPW/{clock.today().year}/0977",
            received_on=clock.today(),
            pages=6,
            medium="paper",
            copies=2,
            by=self.people[username],
        )

    def issue_to_unbriefed(self) -> None:
        carl, bruno = self.people["carl"], self.people["bruno"]
        today = clock.today()
        copy = self.free_copy(
            "HQ",
            lambda c: c.document.level >= 2 and carl.may_hold(c.document.marking, today) is None,
        )
        if copy is not None:
            self.refused(custody.issue_copy, copy, to=bruno, by=carl)

    def issue_outside_unit(self) -> None:
        nils, petra = self.people["nils"], self.people["petra"]
        today = clock.today()
        copy = self.free_copy(
            "HQ/SOUTH", lambda c: nils.may_hold(c.document.marking, today) is None
        )
        if copy is not None:
            self.refused(custody.issue_copy, copy, to=petra, by=nils)

    def issue_to_greta(self) -> None:
        sofia, greta = self.people["sofia"], self.people["greta"]
        today = clock.today()
        copy = self.free_copy(
            "HQ/SOUTH",
            lambda c: c.document.level >= 2 and greta.may_hold(c.document.marking, today) is None,
        )
        if copy is not None:
            custody.issue_copy(copy, to=greta, by=sofia)

    def suspend_greta(self) -> None:
        greta = self.people["greta"]
        people.set_status(
            greta,
            status=PersonStatus.SUSPENDED,
            reason="Found with a SECRET copy outside the registry after hours; "
            "access suspended pending review.",
            by=self.people[BOOTSTRAP.username],
        )
        with clock.frozen(clock.now() + timedelta(minutes=25)):
            clearances.suspend_clearance(
                greta,
                reason="Suspended together with her access, pending the review.",
                by=self.people["simon"],
            )

    def issue_to_ineligible(self, username: str) -> None:
        sofia = self.people["sofia"]
        today = clock.today()
        copy = self.free_copy(
            "HQ/SOUTH",
            lambda c: c.document.level >= 2 and sofia.may_hold(c.document.marking, today) is None,
        )
        if copy is not None:
            self.refused(custody.issue_copy, copy, to=self.people[username], by=sofia)

    def collect_from_dora(self) -> None:
        dora = self.people["dora"]
        now = clock.now()
        for copy in self.copies:
            if copy.state == "held" and copy.holder is not None and copy.holder.pk == dora.pk:
                handler = self.handler(copy.document)
                if handler is not None:
                    now += timedelta(minutes=4)
                    with clock.frozen(now):
                        custody.return_copy(copy, by=handler)

    def dora_departs(self) -> None:
        people.set_status(
            self.people["dora"],
            status=PersonStatus.DEPARTED,
            reason="Retired; every copy she held was returned to the registry beforehand.",
            by=self.people[BOOTSTRAP.username],
        )

    def correct(self, kind: str) -> None:
        registered = [d for d in self.documents if d.registered_at < clock.now()]
        if not registered:
            return
        if kind == "marking":
            document = self.regradable(registered)
            if document is None:
                kind, document = "pages", self.rng.choice(registered)
        else:
            document = self.rng.choice(registered)
        changes: dict[str, Any]
        if kind == "marking":
            assert document is not None
            new = Marking(
                document.level + 1, document.compartment_set, document.caveat_set, self.scheme
            )
            changes = {"marking": new.banner()}
        elif kind == "pages":
            changes = {"pages": max(1, document.pages + self.rng.choice((-2, -1, 1, 2, 3)))}
        elif kind == "originator_reference":
            reference = content.reference_for(
                self.rng, document.originator, document.received_on.year
            )
            changes = {"originator_reference": reference}
        elif kind == "short_title":
            changes = {"short_title": f"{document.short_title} with annex"}
        else:
            changes = {"received_on": document.received_on - timedelta(days=self.rng.randint(1, 3))}
        try:
            registry.correct_registration(
                document,
                changes=changes,
                reason=content.CORRECTION_REASONS[kind],
                by=self.people[self.registrar_of[document.pk]],
            )
        except DomainError as error:
            # Nothing to correct (the value came out the same); the story goes on without it.
            self.say(f"  note: correction of {document.control_number} skipped: {error.message}")

    def regradable(self, documents: list[Document]) -> Document | None:
        """A document whose registrar may re-grade it one level up, with every copy at home."""
        today = clock.today()
        away = {c.document.pk for c in self.copies if c.state != "in_registry"}
        candidates = []
        for document in documents:
            if document.pk in away or not 1 <= document.level < self.scheme.highest_rank:
                continue
            higher = Marking(
                document.level + 1, document.compartment_set, document.caveat_set, self.scheme
            )
            registrar = self.people[self.registrar_of[document.pk]]
            if registrar.may_hold(higher, today) is None:
                candidates.append(document)
        return self.rng.choice(candidates) if candidates else None

    # -- the end ----------------------------------------------------------------------------

    def summary(self) -> None:
        levels = Counter(dict(Document.objects.values_list("level").annotate(n=Count("id"))))
        by_level = ", ".join(
            f"{self.scheme.level_name(rank)} {levels[rank]}"
            for rank in range(len(self.scheme.levels))
        )
        states = dict(Copy.objects.values_list("state").annotate(n=Count("id")))
        kinds = dict(LedgerEntry.objects.values_list("kind").annotate(n=Count("seq")))
        self.say(f"Documents: {sum(levels.values())} ({by_level}).")
        self.say(
            "Copies: "
            + ", ".join(f"{state.replace('_', ' ')} {n}" for state, n in sorted(states.items()))
            + "."
        )
        self.say(
            f"Ledger: {sum(kinds.values())} entries; {kinds.get('copy.issued', 0)} issues, "
            f"{kinds.get('copy.returned', 0)} returns, "
            f"{kinds.get('document.corrected', 0)} corrections, "
            f"{kinds.get('access.refused', 0)} refused attempts."
        )
