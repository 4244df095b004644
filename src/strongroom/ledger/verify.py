"""Check the ledger end to end: every entry's bytes, hashes and chain, then replay all entries and
compare the state they describe with the state tables. Names the first entry or row that disagrees.

Two passes make the same checks:

- **The serial pass** reads the ledger once in ``seq`` order in this process and names every
  problem. Its report is the report ``verify()`` returns whenever anything at all disagrees.
- **The parallel pass** splits the ledger at entry M: this process checks entries 1..M and the
  state tables other than copies while a forked child checks M+1..N and the copy table; the
  halves are then joined (see ``_Sweep`` and ``_join``). It only ever answers "everything
  agrees": on any disagreement, or if it cannot run, ``verify()`` falls back to the serial pass.
  So the report is the same either way, and a tampered ledger costs both passes.

A million entries cost a few microseconds each, so both loops are written for speed: small
fetches whose objects are still in the CPU caches when used, no cyclic garbage collection
(nothing here makes cycles), and the common entry, an issue or return of a copy, replayed
inline. ``strongroom bench`` measures them (figure 2).
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC
from multiprocessing.connection import Connection
from typing import Any

import orjson
from django.conf import settings
from django.db import DatabaseError, connection, connections
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from strongroom.ledger import entry, replay
from strongroom.models import Clearance, Person, Unit

# The serial pass reports the problems of each batch of this many entries together, in a fixed
# order (missing, altered, chain, columns, replay), as earlier releases did.
_BATCH = 20_000
# Rows per fetch: a small chunk's objects are still in the CPU caches when they are used.
_CHUNK = 1_000
# Below this many entries, starting a second process costs more than it saves.
_PARALLEL_MINIMUM = 50_000
# The share of the entries this process checks in the parallel pass: a little over half, as
# what the child does next (comparing the copy table) takes longer than what this process does
# before it needs the child's answer (loading the other tables, replaying the entries other
# than copy movements). Measured on the benchmark's million entries.
_PARENT_SHARE = 0.55

_NOT_REPLAYED = "state not compared with the database: the ledger could not be replayed"
# Whatever a malformed entry can make replay or parsing raise; anything else is a bug.
_UNREPLAYABLE = (KeyError, TypeError, AttributeError, replay.ReplayError)

Usernames = dict[int | None, str | None]


@dataclass
class Report:
    entries: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def problem(self, message: str) -> None:
        self.problems.append(message)


def verify(*, limit_problems: int = 20, parallel: bool = False) -> Report:
    """Verify the whole ledger and the state it describes.

    ``parallel=True`` first tries the two-process pass (when that is safe: another process must
    see exactly what this one sees — a database file or server, no transaction open here, no
    other threads). It can only answer "everything agrees"; on any doubt the serial pass runs
    and its report is returned, so the report is the same either way. The serial pass is the
    default: it is the reference, short enough for an inspector to read, and the parallel pass
    restates its rules and has had less review.
    """
    with _gc_paused():
        if parallel and _may_fork(parallel):
            try:
                clean = _verify_in_parallel(force=True)
            except DatabaseError:
                clean = None  # the serial pass meets the same trouble and reports it properly
            if clean is not None:
                return clean
        return _verify_serially(limit_problems)


@contextmanager
def _gc_paused() -> Iterator[None]:
    # Verification allocates millions of short-lived objects and makes no cycles, and every
    # automatic collection would walk all the state built so far, again and again.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _usernames() -> Usernames:
    usernames: Usernames = dict(Person.objects.values_list("pk", "username"))
    usernames[None] = None
    return usernames


# -- the serial pass ----------------------------------------------------------------------------


def _verify_serially(limit_problems: int) -> Report:
    report = Report()
    scan = _Scan(_usernames())
    rows_in_batch = 0
    with connection.cursor() as cursor:
        # A raw cursor: verification reads every entry, and model instances would cost 10x.
        cursor.execute(
            "SELECT seq, body, leaf_hash, chain_hash, kind, subject, actor_id "
            "FROM ledger_ledgerentry ORDER BY seq"
        )
        while chunk := cursor.fetchmany(_CHUNK):
            scan.feed(chunk)
            rows_in_batch += len(chunk)
            if rows_in_batch == _BATCH:  # a whole number of chunks
                rows_in_batch = 0
                report.problems += scan.end_batch()
                if len(report.problems) >= limit_problems:
                    break
        else:
            report.problems += scan.end_batch()
    report.entries = scan.entries
    if len(report.problems) >= limit_problems:
        del report.problems[limit_problems:]
        return report
    if scan.replaying:
        _compare(scan.state, database_state(), report, limit_problems)
    else:
        report.problem(_NOT_REPLAYED)
    return report


class _Batch:
    """The problems found in one batch, reported together in the order of earlier releases."""

    def __init__(self) -> None:
        self.first: int | None = None
        self.last: int | None = None
        self.missing: str | None = None
        self.altered: list[int] = []
        self.unchained: list[int] = []
        # Earlier releases parsed a whole batch, then read the column fields of every body, then
        # the actor: the first failure of the earliest of those steps was the one reported.
        self.bad_json: Exception | None = None
        self.bad_fields: Exception | None = None
        self.bad_actor: Exception | None = None
        self.columns: list[str] = []
        self.replay: str | None = None

    @property
    def unreadable(self) -> Exception | None:
        return self.bad_json or self.bad_fields or self.bad_actor

    def problems(self) -> list[str]:
        found = []
        if self.missing:
            found.append(self.missing)
        found += [
            f"entry #{seq}: its bytes do not match its leaf hash (entry altered)"
            for seq in self.altered
        ]
        found += [
            f"entry #{seq}: chain hash does not follow from entry #{seq - 1} "
            "(an entry was altered, removed or reordered)"
            for seq in self.unchained
        ]
        if self.unreadable is not None:
            found.append(
                f"entries #{self.first}-#{self.last}: an entry is not valid JSON: {self.unreadable}"
            )
            return found  # as before: no column or replay problems from such a batch
        found += self.columns
        # Earlier releases did not replay a batch with a gap at all, so nothing to say about it.
        if self.replay and not self.missing:
            found.append(self.replay)
        return found


class _Scan:
    """The serial pass: running state across the chunks of one pass over the whole ledger."""

    def __init__(self, usernames: Usernames) -> None:
        self.usernames = usernames
        self.state = replay.State()
        self.previous = entry.GENESIS
        self.next_seq = 1
        self.replaying = True
        self.entries = 0
        self.batch = _Batch()

    def feed(self, rows: Sequence[tuple[Any, ...]]) -> None:
        """Check one chunk of entries (in ``seq`` order) and replay them.

        Problems are noted in the batch; replay stops at the first entry that cannot be
        replayed, or at a gap or an unreadable entry, as the state could no longer be trusted.
        """
        if not isinstance(rows[0][1], bytes):  # PostgreSQL hands back memoryviews
            rows = [(s, bytes(b), bytes(h), bytes(c), k, j, a) for s, b, h, c, k, j, a in rows]
        batch = self.batch
        if batch.first is None:
            batch.first = rows[0][0]
        # Locals, not attributes, in the loop: it runs a million times.
        sha256 = hashlib.sha256
        loads = orjson.loads
        unreadable = orjson.JSONDecodeError
        usernames = self.usernames
        state = self.state
        copies = state.copies
        previous = self.previous
        expected = self.next_seq
        replaying = self.replaying
        for seq, body, leaf, chain, kind, subject, actor in rows:
            if seq != expected:
                if batch.missing is None:
                    batch.missing = f"entry #{expected}: missing (the next entry is #{seq})"
                replaying = False
            expected = seq + 1
            if sha256(b"\x00" + body).digest() != leaf:
                batch.altered.append(seq)
            # Each chain hash is checked against the stored one before it: that one's own check
            # vouches for it (and this is exactly what earlier releases reported).
            if sha256(previous + leaf).digest() != chain:
                batch.unchained.append(seq)
            previous = chain
            try:
                parsed = loads(body)
                body_seq = parsed["seq"]
                body_kind = parsed["kind"]
                body_subject = parsed["subject"]
            except unreadable as error:
                batch.bad_json = batch.bad_json or error
                replaying = False
                continue
            except (KeyError, TypeError) as error:
                batch.bad_fields = batch.bad_fields or error
                replaying = False
                continue
            try:
                body_actor = parsed["actor"]
            except KeyError as error:
                batch.bad_actor = batch.bad_actor or error
                replaying = False
                continue
            if body_seq != seq or body_kind != kind or body_subject != subject:
                batch.columns.append(f"entry #{seq}: its columns disagree with its hashed bytes")
            elif body_actor != usernames.get(actor):
                batch.columns.append(
                    f"entry #{seq}: its actor column disagrees with its hashed bytes"
                )
            if not replaying:
                continue
            if body_kind == "copy.issued" or body_kind == "copy.returned":
                # replay.copy_moved, inlined for the common case (a million calls cost a tenth
                # of a second); anything unusual goes through it below and fails as it says.
                try:
                    data = parsed["data"]
                    moved = (
                        data["state"],
                        data["holder"],
                        data["location"],
                        parsed["at"],
                        body_seq,
                    )
                    if body_subject in copies:
                        copies[body_subject] = moved
                        continue
                except (KeyError, TypeError):
                    pass  # malformed: the general replay below reports it precisely
            try:
                replay.apply(state, parsed)
            except _UNREPLAYABLE as error:
                batch.replay = f"entry #{body_seq}: cannot be replayed: {error}"
                replaying = False
        self.previous = previous
        self.next_seq = expected
        self.replaying = replaying
        self.entries += len(rows)
        batch.last = rows[-1][0]

    def end_batch(self) -> list[str]:
        """The problems of the batch just fed, in reporting order; starts the next batch."""
        batch, self.batch = self.batch, _Batch()
        if batch.missing or batch.unreadable:
            self.replaying = False  # as before, nothing from this batch on is replayed
        return batch.problems() if batch.first is not None else []


def _compare(
    expected: replay.State, actual: dict[str, dict[str, Any]], report: Report, limit: int
) -> None:
    tables: list[tuple[str, dict[str, Any]]] = [
        ("unit", expected.units),
        ("person", expected.people),
        ("clearance", expected.clearances),
        ("document", expected.documents),
        ("copy", expected.copies),
    ]
    for table, rows in tables:
        present = actual[table]
        copies = table == "copy"
        for key, row in rows.items():
            have = present.get(key)
            name = replay.copy_key(key) if copies else key
            by = row[4] if copies else expected.set_by.get((table, key))
            if have is None:
                report.problem(
                    f"{table} {name}: created by entry #{by} but missing from the database"
                )
            else:
                fields: Iterable[tuple[str, Any, Any]] = (
                    zip(replay.COPY_FIELDS, row, have, strict=False)
                    if copies
                    else ((field, value, have.get(field)) for field, value in row.items())
                )
                for field_name, value, found in fields:
                    if found != value:
                        report.problem(
                            f"{table} {name}: {field_name} is {found!r} in the database but "
                            f"{value!r} in the ledger (last set by entry #{by})"
                        )
            if len(report.problems) >= limit:
                return
        # Sorted: in earlier releases their order depended on the process's hash seed.
        for key in sorted(present.keys() - rows.keys()):
            name = replay.copy_key(key) if copies else key
            report.problem(f"{table} {name}: in the database but no ledger entry created it")
            if len(report.problems) >= limit:
                return


# -- the parallel pass --------------------------------------------------------------------------


def _may_fork(parallel: bool | None) -> bool:
    """Whether a forked process could check half the ledger and see exactly what we see."""
    if parallel is False or not hasattr(os, "fork"):
        return False
    if parallel is None and _cores() < 2:
        return False
    if connection.vendor not in {"sqlite", "postgresql"}:
        return False
    if connection.vendor == "sqlite" and connection.is_in_memory_db():  # type: ignore[attr-defined]
        return False  # a new connection would open a different, empty database
    # Inside a transaction (a request, a test) another connection cannot see our writes; and
    # forking a process that runs other threads can leave the child holding their locks.
    return not connection.in_atomic_block and threading.active_count() == 1


def _cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))  # the cores this process may run on
    return os.cpu_count() or 1


def _verify_in_parallel(*, force: bool) -> Report | None:
    """A clean report, or None when anything at all disagrees (or cannot be checked this way)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT MIN(seq), MAX(seq) FROM ledger_ledgerentry")
        first, last = cursor.fetchone()
    if first != 1 or last < 2 or (not force and last < _PARALLEL_MINIMUM):
        return None
    split = max(1, min(last - 1, int(last * _PARENT_SHARE)))
    usernames = _usernames()
    # The child must open its own connections: a database connection must not be shared.
    connections.close_all()
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, split + 1, last, usernames), daemon=True)
    child.start()
    sender.close()
    try:
        return _check_earlier_entries(receiver.recv, split, last, usernames)
    finally:
        receiver.close()
        if child.is_alive():
            child.terminate()  # it has said all it will, or is no longer needed
        child.join()


def _child(sender: Connection, first: int, last: int, usernames: Usernames) -> None:
    """The forked process: send what ``_later_half`` finds, or None."""
    # Ctrl-C is the parent's to handle (it ends this process); and whatever the parent made of
    # SIGTERM (a server's graceful stop, say), here it must simply end the process.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        half = _later_half(first, last, usernames)
    except Exception:
        half = None  # whatever went wrong, the serial pass will meet it and say so
    finally:
        connections.close_all()
    try:
        sender.send(half)
    except OSError:
        pass  # the parent stopped listening: it found a problem in its own half
    finally:
        sender.close()


@dataclass
class _Half:
    """What the child found in the later entries, when they are all in order."""

    # Copies the later entries moved without creating them: they must exist before the split.
    needs: list[str]
    # Copies the later entries created.
    created: list[str]
    # The rows of the copy table that the later entries do not explain: the earlier must.
    others: dict[str, tuple[Any, ...]]
    # Bodies of the later entries other than copy movements, latest first.
    deferred: list[bytes]


def _later_half(first: int, last: int, usernames: Usernames) -> _Half | None:
    """Check entries first..last, and every row of the copy table that they decide."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT chain_hash FROM ledger_ledgerentry WHERE seq = %s", [first - 1])
        found = cursor.fetchone()
    if found is None:
        return None
    sweep = _Sweep(usernames, first=first, last=last, previous=bytes(found[0]))
    if not sweep.run():
        return None
    needs = list(sweep.needs)
    others = _unexplained_copies(sweep.copies)
    if others is None:
        return None
    return _Half(needs, list(sweep.created), others, sweep.deferred)


def _check_earlier_entries(
    receive: Callable[[], _Half | None], split: int, last: int, usernames: Usernames
) -> Report | None:
    """Check entries 1..split and the tables other than copies, then join the later half."""
    sweep = _Sweep(usernames, first=1, last=split, previous=entry.GENESIS)
    if not sweep.run() or sweep.needs:
        return None
    # While the child finishes: the tables, and the state of everything but the copies (which
    # the sweeps have decided, so registrations need not make them again).
    tables = _database_tables()
    state = _replay_deferred(replay.State(copies=_Discard()), sweep.deferred)
    try:
        later = receive()
    except EOFError:  # the child died without a word
        return None
    if (
        later is None
        or state is None
        or not _join(sweep, later)
        or _replay_deferred(state, later.deferred) is None
        or not _same_tables(state, tables)
    ):
        return None
    return Report(entries=last)


class _Sweep:
    """The checks of the serial pass on the range of entries first..last, for the parallel
    pass: it stops at the first disagreement instead of describing it (the serial pass will),
    and it reads the range backwards, latest entry first.

    Backwards, because replaying copy movements forwards writes every movement into a table of
    a hundred thousand copies, and each write is a few cache misses: the largest cost of an
    entry after parsing and hashing it. Read backwards, a copy's first movement met is its
    last, which fixes the copy's final state, and every later one met only has to be found to
    be not the first: a lookup of a key absent from ``unseen``, which starts as every subject
    the range names. Sets keep each key's hash beside it, so that lookup reads one slot of the
    table and no string. A copy's registration puts the copy back in ``unseen``, so a movement
    met after it, which happened before the copy existed, is met as if first while the copy
    already has a final state, and fails, as replaying it forwards would. (A copy registered
    twice with movements between fails here too, although forwards it would not: the serial
    pass then decides.) Entries other than copy movements are kept (``deferred``) and replayed
    forwards by ``_check_earlier_entries``.

    The ``seq`` column is not read: each chunk must have as many rows as its range of numbers,
    and each body's ``seq`` must be the next number down, so row, column and body all agree.
    """

    def __init__(self, usernames: Usernames, *, first: int, last: int, previous: bytes) -> None:
        self.usernames = usernames
        self.first = first
        self.last = last
        self.previous = previous  # the chain hash of entry first - 1
        # The state in which the range leaves every copy it moved or created.
        self.copies: dict[str, tuple[Any, Any, Any, Any]] = {}
        self.created: set[str] = set()
        self.deferred: list[bytes] = []  # latest first

    @property
    def needs(self) -> set[str]:
        """Copies the range moved without creating them first: they must exist before it."""
        return self.copies.keys() - self.created

    def run(self) -> bool:
        """Whether every entry of the range is in order."""
        sql = (
            "SELECT body, leaf_hash, chain_hash, kind, subject, actor_id "
            "FROM ledger_ledgerentry WHERE seq BETWEEN %s AND %s ORDER BY seq"
        )
        try:
            unseen = set(_subjects(self.first, self.last))
            later: tuple[bytes, bytes] | None = None
            with connection.cursor() as cursor:
                last = self.last
                while last >= self.first:
                    # Chunks are fetched forwards, which SQLite does faster, and walked back.
                    first = max(self.first, last - _CHUNK + 1)
                    cursor.execute(sql, [first, last])
                    rows = cursor.fetchall()
                    if len(rows) != last - first + 1:
                        return False
                    later = self._feed(rows, last, later, unseen)
                    if later is None:
                        return False
                    last = first - 1
        except (orjson.JSONDecodeError, *_UNREPLAYABLE):
            return False
        # The earliest entry's chain hash must follow from the one before the range.
        return later is not None and _chain(self.previous, later[0]) == later[1]

    def _feed(
        self,
        rows: Sequence[tuple[Any, ...]],
        last: int,
        later: tuple[bytes, bytes] | None,
        unseen: set[str],
    ) -> tuple[bytes, bytes] | None:
        """Check the chunk of entries ending with ``last``; None on any problem, or else the
        leaf and chain hashes of its first entry, whose chain hash the next chunk checks."""
        if not isinstance(rows[0][0], bytes):  # PostgreSQL hands back memoryviews
            rows = [(bytes(b), bytes(h), bytes(c), k, j, a) for b, h, c, k, j, a in rows]
        sha256 = hashlib.sha256
        loads = orjson.loads
        usernames = self.usernames
        copies = self.copies
        expected = last
        later_leaf, later_chain = later if later is not None else (None, None)
        for body, leaf, chain, kind, subject, actor in reversed(rows):
            if sha256(b"\x00" + body).digest() != leaf:
                return None
            # The later entry's chain hash must follow from this one's.
            if later_leaf is not None and sha256(chain + later_leaf).digest() != later_chain:
                return None
            later_leaf = leaf
            later_chain = chain
            parsed = loads(body)
            if (
                parsed["seq"] != expected
                or parsed["kind"] != kind
                or parsed["subject"] != subject
                or parsed["actor"] != usernames[actor]
            ):
                return None
            expected -= 1
            # The columns are the body's now. replay.copy_moved, backwards:
            if kind == "copy.issued" or kind == "copy.returned":
                data = parsed["data"]
                moved = (data["state"], data["holder"], data["location"], parsed["at"])
                if subject in unseen:
                    unseen.discard(subject)
                    if subject in copies:
                        return None  # moved before it was created
                    copies[subject] = moved  # its last movement: where it ends up
            elif kind == "document.registered":
                # replay._document_registered, backwards, for the copies it creates; for the
                # document itself (and its errors), when the deferred entries are replayed.
                self.deferred.append(body)
                control = replay.subject_key(subject, "document")
                data = parsed["data"]
                for number in range(1, data["copy_count"] + 1):
                    key = f"{replay.COPY_PREFIX}{control}/{number}"
                    # Unless a later movement (or registration) has fixed where it ends up:
                    if key not in copies:
                        copies[key] = ("in_registry", None, data["location"], parsed["at"])
                    self.created.add(key)
                    unseen.add(key)
            else:
                self.deferred.append(body)
        if later_leaf is None or later_chain is None:
            return None
        return later_leaf, later_chain


def _chain(previous: bytes, leaf: bytes) -> bytes:
    return hashlib.sha256(previous + leaf).digest()


def _subjects(first: int, last: int) -> list[str]:
    """Every subject named by entries first..last."""
    # Through the (subject, seq) index SQLite reads them in order and without the table; left
    # to itself it would read every entry of the range and then sort.
    hint = " INDEXED BY ledger_subject_seq" if connection.vendor == "sqlite" else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT subject FROM ledger_ledgerentry{hint} WHERE seq BETWEEN %s AND %s",
            [first, last],
        )
        return [subject for (subject,) in cursor.fetchall()]


def _unexplained_copies(
    final: dict[str, tuple[Any, Any, Any, Any]],
) -> dict[str, tuple[Any, ...]] | None:
    """Compare the copy table with ``final``, the copies that the later entries moved or
    created (they end as those entries left them). The rows they do not explain, or None if a
    row disagrees or a copy is missing from the table. Empties ``final``."""
    others = {}
    pop = final.pop
    for key, row in _copy_rows():
        found = pop(key, None)
        if found is None:
            others[key] = row
        elif found != row:
            return None
    return None if final else others


def _join(earlier: _Sweep, later: _Half) -> bool:
    """Whether the copies of the two halves together make exactly the copy table."""
    # Copies moved before the later entries created them must exist when the earlier end.
    if not earlier.created.issuperset(later.needs):
        return False
    # The child compared every copy the later entries touched; the others are decided by the
    # earlier entries, and must be exactly the rows the child could not explain.
    touched_later = set(later.needs)
    touched_later.update(later.created)
    rest = earlier.copies.keys() - touched_later
    return len(rest) == len(later.others) and later.others.items() <= earlier.copies.items()


def _replay_deferred(state: replay.State, latest_first: list[bytes]) -> replay.State | None:
    """Replay the entries other than copy movements, forwards; None if one cannot be."""
    try:
        for body in reversed(latest_first):
            replay.apply(state, orjson.loads(body))
    except (orjson.JSONDecodeError, *_UNREPLAYABLE):
        return None
    return state


class _Discard(dict[str, replay.CopyRow]):
    """A table that keeps nothing written to it."""

    def __setitem__(self, key: str, value: replay.CopyRow) -> None:
        pass


def _same_tables(state: replay.State, tables: dict[str, dict[str, Any]]) -> bool:
    return (
        state.units == tables["unit"]
        and state.people == tables["person"]
        and state.clearances == tables["clearance"]
        and state.documents == tables["document"]
    )


# -- the state tables ---------------------------------------------------------------------------


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _names(text: str) -> list[str]:
    return sorted(part for part in text.split("/") if part)


def _date(value: Any) -> str | None:
    """A date column as the ledger writes dates."""
    if value is None or isinstance(value, str):  # SQLite keeps dates as YYYY-MM-DD text
        return value
    return _iso(value)


def _time(value: Any) -> str:
    """A time column as the ledger writes times."""
    if isinstance(value, str):
        # SQLite keeps Django's UTC text, "2026-11-22 09:15:02.123456": rewritten here in a
        # few string operations, as a copy table holds a hundred thousand of them.
        if len(value) == 26 and value[10] == " " and value[19] == ".":
            return f"{value[:10]}T{value[11:]}Z"
        parsed = parse_datetime(value)
        if parsed is None:
            return value
        value = parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=UTC)
    return entry.format_time(value)


def _raw(column: str) -> str:
    # Django's SQLite backend converts date and time columns to Python objects row by row,
    # which is most of the cost of reading them; an expression comes back as its stored text.
    return f"CAST({column} AS TEXT)" if connection.vendor == "sqlite" else column


def _query(sql: str) -> Iterable[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        while chunk := cursor.fetchmany(_CHUNK * 10):
            yield from chunk


def database_state() -> dict[str, dict[str, Any]]:
    """The state tables in the shape replay produces: rows of named fields keyed like the
    ledger's subjects, and copies as ``replay.State.copies`` has them, without the entry number.
    """
    return {**_database_tables(), "copy": _database_copies()}


def _database_tables() -> dict[str, dict[str, Any]]:
    """Every state table but the copies."""
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
    for document_id, code in _query("SELECT document_id, code FROM strongroom_documentcompartment"):
        compartment_rows.setdefault(document_id, []).append(code)
    levels: dict[int, str] = {}
    documents: dict[str, dict[str, Any]] = {}
    # Raw SQL: through the ORM, building these rows took longer than checking a million hashes.
    for (
        pk,
        control,
        unit_id,
        year,
        sequence,
        short_title,
        full_title,
        level,
        compartments_text,
        caveats,
        originator,
        originator_reference,
        received_on,
        pages,
        medium,
        copy_count,
        registered_by_id,
        registered_at,
    ) in _query(
        "SELECT id, control_number, unit_id, year, sequence, short_title, full_title, level, "
        "compartments, caveats, originator, originator_reference, "
        f"{_raw('received_on')}, pages, medium, copy_count, registered_by_id, "
        f"{_raw('registered_at')} FROM strongroom_document"
    ):
        if level not in levels:
            levels[level] = scheme.level_name(level)
        compartments = _names(compartments_text)
        rows = sorted(compartment_rows.get(pk, []))
        documents[control] = {
            "unit": codes[unit_id],
            "year": year,
            "sequence": sequence,
            "short_title": short_title,
            "full_title": full_title,
            "level": levels[level],
            # The filter rows must say the same as the column, or need-to-know filtering lies.
            "compartments": compartments
            if rows == compartments
            else {"column": compartments, "rows": rows},
            "caveats": _names(caveats),
            "originator": originator,
            "originator_reference": originator_reference,
            "received_on": _date(received_on),
            "pages": pages,
            "medium": medium,
            "copy_count": copy_count,
            "registered_by": usernames[registered_by_id],
            "registered_at": _time(registered_at),
        }
    return {"unit": units, "person": people, "clearance": clearances, "document": documents}


def _database_copies() -> dict[str, tuple[Any, ...]]:
    """The copy table: (state, holder, location, since) by subject, ``copy:<control>/<n>``."""
    return dict(_copy_rows())


def _copy_rows() -> Iterator[tuple[str, tuple[Any, ...]]]:
    # The key and the holder's name are made by the database: a hundred thousand rows.
    for key, copy_state, holder, location, since in _query(
        "SELECT 'copy:' || d.control_number || '/' || c.number, c.state, p.username, "
        f"c.location, {_raw('c.since')} FROM strongroom_copy c "
        "JOIN strongroom_document d ON d.id = c.document_id "
        "LEFT JOIN strongroom_person p ON p.id = c.holder_id"
    ):
        yield key, (copy_state, holder, location, _time(since))
