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
from django.db import transaction
from django.db.models import Count
from django.test.utils import override_settings

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
from strongroom.domain.destruction import METHODS_FOR_MEDIUM, Method
from strongroom.domain.errors import DomainError, InvalidMarking
from strongroom.domain.markings import Marking, MarkingScheme
from strongroom.ledger.models import LedgerEntry
from strongroom.models import (
    Alert,
    Campaign,
    CheckOut,
    Copy,
    CourierAuthorisation,
    Destruction,
    Document,
    HandOver,
    Incident,
    Person,
    Reproduction,
    Transit,
    Unit,
)
from strongroom.policy import Denied, Role
from strongroom.policy.facts import within
from strongroom.services import (
    alerts,
    campaigns,
    check_outs,
    clearances,
    couriers,
    custody,
    delegations,
    destructions,
    hand_overs,
    people,
    registry,
    reproductions,
    transits,
)

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
        # Documents a custody scene has used, so no other scene changes them under it.
        self.touched: set[int] = set()
        self.courier: Person | None = None

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
        # What the worker would have found last night: the overdue hand-over, check-out and
        # transit, and the campaign's reminders and incidents. Their e-mail is history, not
        # news: it is not printed into the demo's output. The checks send it once the load's
        # transaction commits, so the dummy backend is switched on and off around it then, by
        # callbacks queued before and after it (none runs if the load is rolled back).
        quiet = override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
        transaction.on_commit(quiet.enable)
        with clock.frozen(self.at(self.last_day, CLOSING_HOUR)):
            alerts.run_checks()
        transaction.on_commit(quiet.disable)
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
        last = self.last_day
        scenes += [
            # Hand-overs in every outcome, the last two still waiting (one of them overdue).
            (last - 12, 10.0, functools.partial(self.hand_over, "accept")),
            (last - 9, 11.0, functools.partial(self.hand_over, "accept")),
            (last - 7, 15.0, functools.partial(self.hand_over, "refuse")),
            (last - 5, 9.5, functools.partial(self.hand_over, "cancel")),
            (last - 3, 16.0, functools.partial(self.hand_over, "")),
            (last, 9.0, functools.partial(self.hand_over, "")),
            (last - 20, 9.0, self.delegate_registration),
            (last - 2, 8.0, self.refused_delegation),
            # Lecture material handed round with a due-back date long past: its reminders have
            # climbed the ladder and the copies still out have become incidents.
            (last - 31, 9.2, self.campaign),
            # Transport between units: a courier, transits in each state, a refused send.
            (last - 16, 9.0, self.authorise_courier),
            (last - 15, 10.5, self.refused_send),
            (last - 14, 9.75, functools.partial(self.send, "SOUTH", "confirm")),
            (last - 6, 10.25, functools.partial(self.send, "NORTH", "received")),
            (last - 5, 11.5, functools.partial(self.send, "EAST", "late")),
            # Check-outs: a TOP SECRET copy read in the reading room, one overdue, one out now.
            (last - 10, 10.0, self.read_top_secret),
            (last - 2, 9.5, functools.partial(self.check_out, 4.0)),
            (last, 13.0, functools.partial(self.check_out, 6.5)),
            # Witnessed destruction (countersigned, then one the witness refuses, and one the
            # witness has left waiting past STRONGROOM_DESTRUCTION_WITNESS_DAYS), a downgrade.
            (last - 8, 11.0, functools.partial(self.destroy, "witness")),
            (last - 7, 14.0, functools.partial(self.destroy, "refuse")),
            (last - 5, 15.5, functools.partial(self.destroy, "")),
            (last - 9, 15.0, self.downgrade),
            # Reproduction: approved by a second registrar; refused outright for NO COPY.
            (last - 6, 10.0, self.reproduce),
            (last - 4, 11.0, self.refused_reproduction),
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

    def refused(self, action: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
        """Try something the rules forbid; the service records the refusal in the ledger."""
        try:
            action(*args, **kwargs)
        except Denied:
            self.stats["refused"] += 1
            return True
        self.say(f"  note: {getattr(action, '__name__', action)} was expected to be refused")
        return False

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

    def hand_over(self, outcome: str) -> None:
        """A holder hands a copy to someone eligible; ``outcome`` is what the recipient (or
        the sender) then does, a few hours later; empty leaves it waiting."""
        held = [
            copy
            for copy in Copy.objects.filter(state="held").select_related("document__unit", "holder")
            if copy.pk not in self.busy and copy.holder is not None
        ]
        self.rng.shuffle(held)
        for copy in held:
            sender = copy.holder
            assert sender is not None
            if sender.may_hold(copy.document.marking, clock.today()) is not None:
                continue  # a holder who may no longer see it must give it back, not pass it on
            recipient = self.recipient(copy.document, sender)
            if recipient is None:
                continue
            self.busy.add(copy.pk)
            sent = hand_overs.dispatch_hand_over(copy, to=recipient, by=sender)
            self.stats[f"hand-over {outcome or 'waiting'}"] += 1
            if outcome:
                self.schedule(
                    clock.now() + timedelta(hours=self.rng.uniform(1, 5)),
                    functools.partial(self.resolve_hand_over, sent, outcome),
                )
            return

    def resolve_hand_over(self, sent: HandOver, outcome: str) -> None:
        if outcome == "accept":
            hand_overs.accept_hand_over(sent, by=sent.recipient)
        elif outcome == "refuse":
            hand_overs.refuse_hand_over(sent, by=sent.recipient, reason="not expecting this copy")
        else:
            hand_overs.cancel_hand_over(sent, by=sent.sender, reason="sent to the wrong person")
        self.busy.discard(sent.copy_id)

    def delegate_registration(self) -> None:
        """Rita, away on a course, lets Carl register incoming material up to SECRET."""
        rita, carl = self.people.get("rita"), self.people.get("carl")
        if rita is None or carl is None:
            return
        delegations.grant_delegation(
            carl,
            duty="register",
            level=self.level("SECRET"),
            ends_on=clock.today() + timedelta(days=14),
            reason="Rita on a training course; Carl registers incoming material meanwhile",
            by=rita,
        )

    def refused_delegation(self) -> None:
        """Delegating to an uncleared worker is refused, and the attempt is on record."""
        rita, wally = self.people.get("rita"), self.people.get("wally")
        if rita is None or wally is None:
            return
        self.refused(
            delegations.grant_delegation,
            wally,
            duty="register",
            level=self.level("SECRET"),
            ends_on=clock.today() + timedelta(days=3),
            reason="too busy",
            by=rita,
        )

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

    # -- custody scenes: check-outs, transport, a campaign, destruction, reproduction ---------

    def candidates(self, unit_prefix: str, test: Callable[[Copy], bool]) -> list[Copy]:
        """Every copy ``free_copy`` could pick, at home in its own registry and of a document no
        other custody scene has used, shuffled."""
        found = [
            copy
            for copy in self.copies
            if copy.state == "in_registry"
            and copy.pk not in self.busy
            and copy.document.pk not in self.touched
            and copy.unit_id == copy.document.unit_id
            and within(copy.document.unit.path, unit_prefix)
            and test(copy)
        ]
        self.rng.shuffle(found)
        return found

    def take(self, copy: Copy) -> None:
        """The copy is a scene's from now on: random issues and returns and other scenes leave
        it (and its document) alone."""
        self.busy.add(copy.pk)
        self.touched.add(copy.document.pk)

    def registry_at(self, unit: Unit, document: Document, *exclude: Person) -> Person | None:
        """A registrar or custodian of ``unit`` itself who may hold the document."""
        today, skip = clock.today(), {person.pk for person in exclude}
        found = [
            person
            for person in self.people.values()
            if person.unit.pk == unit.pk
            and person.pk not in skip
            and (person.has_role(Role.REGISTRAR) or person.has_role(Role.CUSTODIAN))
            and person.may_hold(document.marking, today) is None
        ]
        return self.rng.choice(found) if found else None

    def lendable(
        self, unit_prefix: str, test: Callable[[Copy], bool]
    ) -> tuple[Copy, Person, Person] | None:
        """A copy, the registry staff who may lend it, and an eligible reader."""
        for copy in self.candidates(unit_prefix, test):
            handler = self.handler(copy.document)
            reader = self.recipient(copy.document, handler) if handler is not None else None
            if handler is not None and reader is not None:
                return copy, handler, reader
        return None

    def read_top_secret(self) -> None:
        """A TOP SECRET copy read in the HQ reading room and checked in the same morning, so
        "who read it" names a reader."""
        top = self.scheme.highest_rank
        found = self.lendable(HQ[0], lambda c: c.document.level == top)
        if found is None:
            return
        copy, handler, reader = found
        self.take(copy)
        check_outs.check_out_copy(
            copy, to=reader, by=handler, due_back=clock.now() + timedelta(hours=4)
        )
        self.schedule(
            clock.now() + timedelta(hours=self.rng.uniform(1.5, 3)),
            functools.partial(self.check_in, copy),
        )

    def check_in(self, copy: Copy) -> None:
        handler = self.handler(copy.document)
        if handler is not None and copy.state == "checked_out":
            check_outs.check_in_copy(copy, by=handler)

    def check_out(self, hours: float) -> None:
        """A copy lent for ``hours`` and not checked in (by the end, overdue if that is past)."""
        found = self.lendable(HQ[0], lambda c: True)
        if found is None:
            return
        copy, handler, reader = found
        self.take(copy)
        check_outs.check_out_copy(
            copy, to=reader, by=handler, due_back=clock.now() + timedelta(hours=hours)
        )

    def authorise_courier(self) -> None:
        """Simon authorises Tara (or another HQ worker cleared for it) to carry up to SECRET."""
        officer = self.people.get("simon")
        if officer is None:
            return
        level = self.level("SECRET")
        marking, today = self.scheme.parse(level), clock.today()
        hq = self.units[HQ[0]]
        workers = [
            p for p in self.people.values() if p.unit.pk == hq.pk and p.role_set == {Role.STAFF}
        ]
        workers.sort(key=lambda person: person.username != "tara")
        for courier in workers:
            if courier.pk != officer.pk and courier.may_hold(marking, today) is None:
                break
        else:
            return
        couriers.authorise_courier(
            courier,
            level=level,
            valid_until=today + timedelta(days=90),
            note="Carries material between HQ and the provincial registries",
            by=officer,
        )
        self.courier = courier

    def reach(self, courier: Person) -> int:
        authorisation = CourierAuthorisation.objects.filter(courier=courier).last()
        return authorisation.level if authorisation is not None else -1

    def wrapping(self, copy: Copy, to_unit: Unit) -> tuple[str, str]:
        """The inner layer marked as the document is, the outer one giving nothing away."""
        return (
            f"opaque envelope marked {copy.document.marking.level}, sealed",
            f"plain envelope addressed to the {to_unit.code} registry, sealed",
        )

    def refused_send(self) -> None:
        """A copy above the courier's authorisation: the registry may not send it with them."""
        courier, to_unit = self.courier, self.units.get("SOUTH")
        if courier is None or to_unit is None:
            return
        hq, reach, today = self.units[HQ[0]], self.reach(courier), clock.today()
        for copy in self.candidates(
            HQ[0],
            lambda c: (
                c.unit_id == hq.pk
                and c.document.level > reach
                and courier.may_hold(c.document.marking, today) is None
            ),
        ):
            sender = self.handler(copy.document, exclude=courier.username)
            if sender is not None:
                inner, outer = self.wrapping(copy, to_unit)
                self.refused(
                    transits.send_copy,
                    copy,
                    to_unit=to_unit,
                    courier=courier,
                    by=sender,
                    inner_wrapping=inner,
                    outer_wrapping=outer,
                )
                return

    def send(self, destination: str, outcome: str) -> None:
        """An HQ copy sent with the courier; ``outcome``: "confirm" (received, its receipt
        back), "received" (its receipt still awaited) or "late" (never arrives)."""
        courier, to_unit = self.courier, self.units.get(destination)
        if courier is None or to_unit is None:
            return
        hq, reach, today = self.units[HQ[0]], self.reach(courier), clock.today()
        for copy in self.candidates(
            HQ[0],
            lambda c: (
                c.unit_id == hq.pk
                and c.document.level <= reach
                and courier.may_hold(c.document.marking, today) is None
            ),
        ):
            sender = self.handler(copy.document, exclude=courier.username)
            if sender is None:
                continue
            receiver = self.registry_at(to_unit, copy.document, courier, sender)
            if receiver is not None:
                break
        else:
            return
        self.take(copy)
        inner, outer = self.wrapping(copy, to_unit)
        transit = transits.send_copy(
            copy,
            to_unit=to_unit,
            courier=courier,
            by=sender,
            expected_by=None if outcome == "late" else clock.now() + timedelta(hours=48),
            inner_wrapping=inner,
            outer_wrapping=outer,
        )
        when = self.later(clock.now(), 1, 1)
        if outcome != "late" and when is not None:
            self.schedule(
                when, functools.partial(self.receive, transit, receiver, outcome == "confirm")
            )

    def receive(self, transit: Transit, receiver: Person, confirm: bool) -> None:
        transits.receive_transit(transit, by=receiver)
        when = self.later(clock.now(), 1, 2)
        if confirm and when is not None:
            self.schedule(when, functools.partial(self.confirm, transit))

    def confirm(self, transit: Transit) -> None:
        """The signed receipt is back at the sending registry."""
        transits.confirm_receipt(transit, by=transit.dispatched_by)

    def campaign(self) -> None:
        """Lecture material issued to a list of readers, due back in five days. Some of it
        comes back; the rest is still out when the reminders climb the ladder."""
        wanted, today = 4, clock.today()
        options: list[tuple[Document, list[Person]]] = []
        for document in self.documents:
            if document.pk in self.touched or not document.short_title.startswith("Lecture"):
                continue
            home = sorted(
                (
                    c
                    for c in self.copies
                    if c.document.pk == document.pk
                    and c.state == "in_registry"
                    and c.unit_id == document.unit_id
                ),
                key=lambda c: c.number,
            )[:wanted]
            if len(home) < wanted or any(c.pk in self.busy for c in home):
                continue
            readers = [
                p
                for p in self.people.values()
                if p.role_set == {Role.STAFF}
                and p.username not in self.leaving
                and within(p.unit.path, document.unit.path)
                and p.may_hold(document.marking, today) is None
            ]
            if len(readers) >= wanted:
                options.append((document, readers))
        if not options:
            return
        document, readers = self.rng.choice(options)
        issuer = self.handler(document)
        if issuer is None:
            return
        self.rng.shuffle(readers)
        chosen = readers[:wanted]
        self.appoint_head(document.unit, chosen)
        with clock.frozen(clock.now() + timedelta(minutes=20)):
            due = clock.now().replace(hour=16, minute=0, second=0, microsecond=0)
            run = campaigns.create_campaign(
                document,
                title=f"Training course: {document.short_title}",
                due_back=due + timedelta(days=5),
                recipients=chosen,
                by=issuer,
            )
        self.touched.add(document.pk)
        items = {item.copy_id for item in run.items.all()}
        for copy in self.copies:
            if copy.pk in items:
                # The campaign issued fresh rows: bring the shared instance up to date.
                copy.refresh_from_db()
                copy.document = document
                self.busy.add(copy.pk)
        back = self.rng.sample(sorted(items), wanted // 2)
        for copy in self.copies:
            if copy.pk in back:
                when = self.later(clock.now(), 6, 12)
                if when is not None:
                    self.schedule(when, functools.partial(self.campaign_return, copy))

    def appoint_head(self, unit: Unit, busy: list[Person]) -> None:
        """Someone of the unit itself heads it, so an overdue copy reaches a supervisor."""
        if unit.head_id is not None:
            return
        officer = self.people[BOOTSTRAP.username]
        taken = {person.pk for person in busy}
        found = sorted(
            (
                p
                for p in self.people.values()
                if p.unit.pk == unit.pk
                and p.pk not in taken
                and p.pk != officer.pk
                and p.status == PersonStatus.ACTIVE.value
                and p.username not in self.leaving
            ),
            key=lambda person: (person.role_set == {Role.STAFF}, person.username),
        )
        if found:
            people.set_unit_head(unit, head=found[0], by=officer)

    def campaign_return(self, copy: Copy) -> None:
        handler = self.handler(copy.document)
        if handler is not None and copy.state == "held":
            custody.return_copy(copy, by=handler)

    def destroy(self, outcome: str) -> None:
        """A surplus copy put forward by its registry; ``outcome`` is what the witness does
        within the hour or two: "witness" or "refuse"; empty leaves it waiting."""
        today = clock.today()
        for copy in self.candidates(HQ[0], lambda c: c.document.copy_count > 1):
            destroyer = self.handler(copy.document)
            if destroyer is None:
                continue
            witness = self.handler(copy.document, exclude=destroyer.username) or self.recipient(
                copy.document, destroyer
            )
            if witness is not None and witness.may_hold(copy.document.marking, today) is None:
                break
        else:
            return
        self.take(copy)
        method = METHODS_FOR_MEDIUM.get(copy.document.medium, tuple(Method))[0]
        destruction = destructions.propose_destruction(
            copy,
            witness=witness,
            method=method.value,
            note="Surplus copy; the registry keeps the others",
            by=destroyer,
        )
        if outcome:
            self.schedule(
                clock.now() + timedelta(hours=self.rng.uniform(0.5, 2)),
                functools.partial(self.countersign, destruction, outcome == "witness"),
            )

    def countersign(self, destruction: Destruction, witnessed: bool) -> None:
        if witnessed:
            destructions.witness_destruction(destruction, by=destruction.witness)
        else:
            destructions.refuse_destruction(
                destruction,
                by=destruction.witness,
                reason="The copy presented is not the one named; check the number and put it "
                "forward again",
            )

    def downgrade(self) -> None:
        """The originator lowers a document's classification; its registrar records it."""
        today = clock.today()
        away = {c.document.pk for c in self.copies if c.pk in self.busy}
        options: list[tuple[Document, Marking, Person]] = []
        for document in self.documents:
            if document.pk in self.touched or document.pk in away or document.level < 2:
                continue
            registrar = self.people[self.registrar_of[document.pk]]
            try:
                lower = Marking(
                    document.level - 1, document.compartment_set, document.caveat_set, self.scheme
                )
            except InvalidMarking:
                continue
            if self._parses(lower.banner()) and registrar.may_hold(document.marking, today) is None:
                options.append((document, lower, registrar))
        if not options:
            return
        document, lower, registrar = self.rng.choice(options)
        self.touched.add(document.pk)
        registry.change_classification(
            document,
            marking=lower.banner(),
            authority=f"{document.originator}, downgrading notice of {today.isoformat()}",
            reason="The operation it covers is over; the originator lowered its classification",
            by=registrar,
        )

    def reproduce(self) -> None:
        """Registry staff ask for two more copies; a second registrar approves them."""
        today = clock.today()
        documents = [
            d for d in self.documents if d.pk not in self.touched and not d.marking.forbids_copying
        ]
        self.rng.shuffle(documents)
        for document in documents:
            requester = self.handler(document)
            if requester is None:
                continue
            approvers = [
                p
                for p in self.people.values()
                if p.pk != requester.pk
                and p.has_role(Role.REGISTRAR)
                and within(document.unit.path, p.unit.path)
                and p.may_hold(document.marking, today) is None
            ]
            if approvers:
                break
        else:
            return
        self.touched.add(document.pk)
        request = reproductions.request_reproduction(
            document,
            copies=2,
            reason="Two more copies for the working group that meets next week",
            by=requester,
        )
        self.schedule(
            clock.now() + timedelta(hours=self.rng.uniform(1, 4)),
            functools.partial(self.approve, request, self.rng.choice(approvers)),
        )

    def approve(self, request: Reproduction, approver: Person) -> None:
        reproductions.approve_reproduction(
            request, by=approver, note="Approved; the new copies stay in the registry until issued"
        )

    def refused_reproduction(self) -> None:
        """Nobody may have a NO COPY document copied; the attempt is on record."""
        documents = [d for d in self.documents if d.marking.forbids_copying]
        self.rng.shuffle(documents)
        for document in documents:
            requester = self.handler(document)
            if requester is not None:
                if self.refused(
                    reproductions.request_reproduction,
                    document,
                    copies=1,
                    reason="A copy for the duty officer's safe",
                    by=requester,
                ):
                    self.stats["reproduction refused"] += 1
                return

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
            f"{kinds.get('access.refused', 0)} refused attempts, "
            f"{kinds.get('hand_over.dispatched', 0)} hand-overs, "
            f"{kinds.get('alert.raised', 0)} alerts."
        )
        transit_states = Counter(dict(Transit.objects.values_list("state").annotate(n=Count("id"))))
        open_alerts = Counter(
            dict(
                Alert.objects.filter(cleared_at__isnull=True)
                .values_list("kind")
                .annotate(n=Count("id"))
            )
        )
        lent = CheckOut.objects.count()
        out = CheckOut.objects.filter(checked_in_at__isnull=True).count()
        self.say(
            f"Check-outs: {lent} ({out} out, {open_alerts['check_out_overdue']} overdue); "
            f"transits: {sum(transit_states.values())} ({transit_states['receipt_returned']} "
            f"closed, {transit_states['received']} awaiting receipt, "
            f"{transit_states['in_transit']} in transit, {open_alerts['transit_late']} late); "
            f"couriers: {CourierAuthorisation.objects.count()}, "
            f"{self.refusals('transit:send')} send refused."
        )
        destroyed = Counter(dict(Destruction.objects.values_list("state").annotate(n=Count("id"))))
        downgraded = kinds.get("document.downgraded", 0) + kinds.get("document.declassified", 0)
        self.say(
            f"Campaigns: {Campaign.objects.count()} "
            f"({Incident.objects.filter(state='open').count()} incidents open); "
            f"destructions: {destroyed['witnessed']} witnessed, {destroyed['refused']} refused, "
            f"{destroyed['pending']} awaiting the witness "
            f"({open_alerts['destruction_unwitnessed']} overdue); "
            f"downgrades: {downgraded}; reproductions: "
            f"{Reproduction.objects.filter(state='approved').count()} approved, "
            f"{self.refusals('reproduction:request')} refused."
        )

    def refusals(self, action: str) -> int:
        """Refused attempts at ``action`` on record."""
        return sum(
            1
            for entry in LedgerEntry.objects.filter(kind="access.refused")
            if entry.data.get("action") == action
        )
