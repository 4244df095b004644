"""Check the ledger end to end: every entry's bytes, hashes and chain, then replay all entries and
compare the state they describe with the state tables. Names the first entry or row that disagrees.

Both passes run the same checks, entry by entry, in one class, ``_Scan``:

- **The serial pass** scans the whole ledger in ``seq`` order in this process, then compares the
  state it replayed with the tables, and describes every problem. Its report is the report
  ``verify()`` returns whenever anything at all disagrees.
- **The parallel pass** splits the ledger at entry M. This process scans entries 1..M exactly as
  the serial pass does; a forked child scans M+1..N with the same checks, replaying what it can
  without the state before M (see ``_Scan``, ``partial``) and comparing the copies it decided
  with the copy table. This process then joins the halves (``_earlier``) and compares the other
  tables as the serial pass does. It only ever answers "everything agrees": on any
  disagreement, or if it cannot run, ``verify()`` runs the serial pass for the report. So the
  report is the same either way, and a tampered ledger costs both passes.

A million entries cost a few microseconds each, so the loop is written for speed: small fetches
whose objects are still in the CPU caches when used, no cyclic garbage collection (nothing here
makes cycles), and the common entry, an issue or return of a copy, replayed lazily (``_Scan``).
``strongroom bench`` measures both passes (figure 2).
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC
from multiprocessing.connection import Connection
from operator import itemgetter
from typing import Any, cast

import orjson
from django.conf import settings
from django.db import DatabaseError, connection, connections
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from strongroom.ledger import entry, replay
from strongroom.ledger.record_tables import record_tables
from strongroom.ledger.tree_check import check_tree
from strongroom.models import Clearance, Person, Unit

# The serial pass reports the problems of each batch of this many entries together, in a fixed
# order (missing, altered, chain, columns, replay), as earlier releases did.
_BATCH = 20_000
# Rows per fetch: a small chunk's objects are still in the CPU caches when they are used.
_CHUNK = 1_000
# Below this many entries, starting a second process costs more than it saves, so by default
# (``parallel=None``) smaller ledgers are checked serially.
_PARALLEL_MINIMUM = 50_000
# The share of the entries this process checks in the parallel pass. What each process does
# besides scanning entries is about the same (this one: the tables other than copies, and
# replaying the child's entries other than copy movements; the child: making the copies'
# rows and comparing the copy table), so about half. Measured on the benchmark's million.
_PARENT_SHARE = 0.5

_NOT_REPLAYED = "state not compared with the database: the ledger could not be replayed"
# Whatever a malformed entry can make replay or parsing raise; anything else is a bug.
_UNREPLAYABLE = (KeyError, TypeError, AttributeError, replay.ReplayError)
# Copy movements: every kind replay.copy_moved replays (issues, returns, hand-overs...); other
# kinds that move a copy do more (replay.MOVING), and replay.apply replays them.
_MOVEMENTS = frozenset(kind for kind, f in replay.HANDLERS.items() if f is replay.copy_moved)
# The data fields replay.moved_row reads: raises KeyError or TypeError exactly when it would.
_MOVED_DATA = itemgetter("state", "holder", "location")

Usernames = dict[int | None, str | None]
Row = tuple[Any, ...]


@dataclass
class Report:
    entries: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def problem(self, message: str) -> None:
        self.problems.append(message)


def verify(*, limit_problems: int = 20, parallel: bool | None = None) -> Report:
    """Verify the whole ledger and the state it describes.

    ``parallel``: None (the default) tries the two-process pass when there are two cores to run
    it on and the ledger is large enough to gain from it; True tries it whenever it is safe;
    False never. It is safe when another process sees exactly what this one sees: a database
    file or server, no transaction open here, no other threads. It can only answer "everything
    agrees"; on any doubt the serial pass runs and its report is returned, so the report is the
    same whichever pass answers.
    """
    with _gc_paused():
        report = None
        if parallel is not False and _may_fork(parallel):
            try:
                report = _verify_in_parallel(force=parallel is True)
            except DatabaseError:
                report = None  # the serial pass meets the same trouble and reports it properly
        if report is None:
            report = _verify_serially(limit_problems)
        room = limit_problems - len(report.problems)
        if room > 0:
            report.problems += check_tree(limit=room)
        return report


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


def _entries(where: str = "", params: Sequence[Any] = ()) -> Iterator[list[Row]]:
    """The entries in ``seq`` order, in chunks, as the tuples ``_Scan.feed`` takes."""
    with connection.cursor() as cursor:
        # A raw cursor: verification reads every entry, and model instances would cost 10x.
        cursor.execute(
            "SELECT seq, body, leaf_hash, chain_hash, kind, subject, actor_id "
            f"FROM ledger_ledgerentry {where} ORDER BY seq",
            params,
        )
        while chunk := cursor.fetchmany(_CHUNK):
            yield chunk


# -- the serial pass ----------------------------------------------------------------------------


def _verify_serially(limit_problems: int) -> Report:
    report = Report()
    scan = _Scan(_usernames())
    rows_in_batch = 0
    for chunk in _entries():
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
        _compare(scan.finish(), database_state(), report, limit_problems)
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

    @property
    def clean(self) -> bool:
        """Whether nothing at all has been found so far."""
        return not (
            self.missing
            or self.altered
            or self.unchained
            or self.unreadable is not None
            or self.columns
            or self.replay
        )

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
    """Every check of one pass over a range of entries, fed in ``seq`` order, chunk by chunk.

    For each entry: its number follows the one before, its bytes match its leaf hash, its chain
    hash follows from the stored one before it, its body is a JSON object whose ``seq``,
    ``kind``, ``subject`` and ``actor`` are its columns, and replay accepts it.

    Copy movements, nearly every entry, are replayed lazily, as making a row for each of them
    costs more than parsing it: a movement is checked as ``replay.copy_moved`` would check it
    (the copy exists, ``replay.moved_row`` can read the body), and its body is put in the
    copy's place in ``state.copies``; a registration puts rows there as replay does; and
    ``finish()`` makes a row of each body left there, as ``replay.copy_moved`` would have.
    Anything unusual goes through ``replay.apply``, which raises the error that is reported.

    ``partial``: the range starts after entry 1, and the state before it is not known here (the
    child of the parallel pass). Then only what entries do to copies is replayed here, as
    ``replay.MOVING`` and ``replay.MAKING`` describe it, and a movement of a copy the range has
    not created is noted in ``needs`` (the copy must exist before the range) instead of being an
    error. Entries other than movements are kept in ``deferred``, for the joining process to
    replay after the state before the range, but for copies (``_replay_deferred``).
    """

    def __init__(
        self,
        usernames: Usernames,
        *,
        first: int = 1,
        previous: bytes = entry.GENESIS,
        partial: bool = False,
    ) -> None:
        self.usernames = usernames
        self.partial = partial
        # Each copy's row, or the body of its last movement until finish() makes it a row.
        self.copies: dict[str, replay.CopyRow | bytes] = {}
        self.state = replay.State(copies=cast(dict[str, replay.CopyRow], self.copies))
        self.previous = previous  # the stored chain hash of the entry before the next
        self.next_seq = first
        self.replaying = True
        self.entries = 0
        self.batch = _Batch()
        self.needs: set[str] = set()  # partial: copies moved before the range created them
        self.deferred: list[bytes] = []  # partial: bodies of the entries other than movements

    @property
    def clean(self) -> bool:
        """Whether every entry fed so far is in order (for the parallel pass)."""
        return self.replaying and self.batch.clean

    def feed(self, rows: Sequence[Row]) -> None:
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
        movements = _MOVEMENTS
        moving = replay.MOVING
        makers = replay.MAKING
        moved_data = _MOVED_DATA
        usernames = self.usernames
        state = self.state
        copies = self.copies
        partial = self.partial
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
            # Kinds are looked up by the column, a string: the body's may be anything (a list).
            if body_kind != kind:
                pass  # replay.apply below decides, by the body's
            elif kind in movements or (partial and kind in moving):
                # replay.copy_moved, lazily (see above); parsed is a dict, as "seq" was read.
                try:
                    known = body_subject in copies
                    readable = "at" in parsed and moved_data(parsed["data"]) is not None
                except (KeyError, TypeError):
                    readable = False  # malformed: replay.apply below reports it precisely
                if readable and (known or partial):
                    if not known:
                        self.needs.add(body_subject)
                    copies[body_subject] = body
                    if kind not in movements:
                        self.deferred.append(body)  # for what else it does (a transit's unit)
                    continue
            elif partial:
                self.deferred.append(body)
                making = makers.get(kind)
                if making is None:
                    continue
                try:
                    for key, row in making(parsed):
                        copies[key] = row
                except _UNREPLAYABLE as error:
                    batch.replay = f"entry #{body_seq}: cannot be replayed: {error}"
                    replaying = False
                continue
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

    def finish(self) -> replay.State:
        """The state replayed, once every entry has been fed: each copy left by its last
        movement made into its row (``row``)."""
        self.state.copies = {key: self.row(key) for key in self.copies}
        self.copies = {}
        return self.state

    def row(self, key: str) -> replay.CopyRow:
        """Copy ``key``'s row, once every entry has been fed: if a movement set it last, the row
        ``replay.copy_moved`` makes of that movement."""
        row = self.copies[key]
        return replay.moved_row(orjson.loads(row)) if isinstance(row, bytes) else row


def _compare(
    expected: replay.State, actual: dict[str, dict[str, Any]], report: Report, limit: int
) -> None:
    tables: list[tuple[str, dict[str, Any]]] = [
        ("unit", expected.units),
        ("person", expected.people),
        ("clearance", expected.clearances),
        ("document", expected.documents),
        ("copy", expected.copies),
        *expected.derived().items(),
        *expected.records.items(),
    ]
    for table, rows in tables:
        present = actual[table]
        copies = table == "copy"
        what = _TABLE_NAMES.get(table, table)
        for key, row in rows.items():
            have = present.get(key)
            # Equal rows first, in one comparison: nearly all are (there are no floats, so
            # equal rows are exactly those with no field to report).
            if have is not None and have == (row[:4] if copies else row):
                continue
            name = replay.copy_key(key) if copies else key
            by = row[4] if copies else expected.set_by.get((table, key))
            if have is None:
                report.problem(
                    f"{what} {name}: missing from the database (last set by entry #{by})"
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
                            f"{what} {name}: {field_name} is {found!r} in the database but "
                            f"{value!r} in the ledger (last set by entry #{by})"
                        )
            if len(report.problems) >= limit:
                return
        # Sorted: in earlier releases their order depended on the process's hash seed.
        for key in sorted(present.keys() - rows.keys()):
            name = replay.copy_key(key) if copies else key
            report.problem(f"{what} {name}: in the database but no ledger entry created it")
            if len(report.problems) >= limit:
                return


# How messages name the rows of a table whose name is not a word (the rest are named as is).
_TABLE_NAMES = {
    "unit_head": "head of unit",
    "copy_unit": "registry unit of copy",
    "hand_over": "hand-over",
    "check_out": "check-out",
    "courier_authorisation": "courier authorisation",
    "campaign_copy": "campaign copy",
}


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
    child = context.Process(target=_child, args=(sender, split, usernames), daemon=True)
    child.start()
    sender.close()
    try:
        return _earlier_half(receiver.recv, split, usernames)
    finally:
        receiver.close()
        if child.is_alive():
            child.terminate()  # it has said all it will, or is no longer needed
        child.join()


def _child(sender: Connection, split: int, usernames: Usernames) -> None:
    """The forked process: send each message of ``_later_half`` as soon as it is ready."""
    # Ctrl-C is the parent's to handle (it ends this process); and whatever the parent made of
    # SIGTERM (a server's graceful stop, say), here it must simply end the process.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    sending: threading.Thread | None = None
    try:
        for message in _later_half(split, usernames):
            if sending is not None:
                sending.join()
            # From a thread: a pipe takes a message only as fast as the parent reads it, and
            # meanwhile this process works out the next one.
            sending = threading.Thread(target=_send, args=(sender, message))
            sending.start()
    except Exception:
        # Whatever went wrong, the parent hears no more; the serial pass will meet it and say so.
        pass
    finally:
        if sending is not None:
            sending.join()
        connections.close_all()
        sender.close()


def _send(sender: Connection, message: _Message) -> None:
    # OSError: the parent stopped listening, having found a problem in its own half.
    with suppress(OSError):
        sender.send(message)


@dataclass
class _Later:
    """What the child found in the entries after the split, when they are all in order."""

    entries: int
    # Copies the later entries moved before creating them: they must exist before the split.
    needs: set[str]
    # Copies the later entries moved or created: the child compared them with the copy table.
    decided: set[str]
    # Bodies of the later entries other than copy movements, in order.
    deferred: list[bytes]


# The child's messages, in order: a _Later, then the rows of the copy table that the later entries
# do not decide (the earlier must); or None, and nothing more, as soon as anything disagrees.
_Message = _Later | dict[str, Row] | None


def _scan_range(scan: _Scan, chunks: Iterable[Sequence[Row]]) -> bool:
    """Feed ``scan`` every chunk; whether every entry was in order (it stops at the first not)."""
    for chunk in chunks:
        scan.feed(chunk)
        if not scan.clean:
            return False
    return True


def _later_half(split: int, usernames: Usernames) -> Iterator[_Message]:
    """Check the entries after ``split``, then every row of the copy table that they decide."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT chain_hash FROM ledger_ledgerentry WHERE seq = %s", [split])
        found = cursor.fetchone()
    if found is None:
        yield None
        return
    later = _entries("WHERE seq > %s", [split])
    yield from _later(split + 1, bytes(found[0]), later, usernames, _copy_rows)


def _later(
    first: int,
    previous: bytes,
    chunks: Iterable[Sequence[Row]],
    usernames: Usernames,
    copy_rows: Callable[[], Iterable[tuple[str, Row]]],
) -> Iterator[_Message]:
    """``_later_half`` given its entries (from ``first`` on, after the chain hash ``previous``)
    and the rows of the copy table."""
    scan = _Scan(usernames, first=first, previous=previous, partial=True)
    if not _scan_range(scan, chunks) or scan.entries == 0:
        yield None
        return
    # First what the parent can use at once, then the copies, which take longer.
    yield _Later(scan.entries, scan.needs, set(scan.copies), scan.deferred)
    yield _unexplained_copies(scan.finish().copies, copy_rows())


def _earlier_half(
    receive: Callable[[], _Message], split: int, usernames: Usernames
) -> Report | None:
    """Check entries 1..split as the serial pass does, join the later half, compare the tables."""
    earlier = _entries("WHERE seq <= %s", [split])
    return _earlier(split, earlier, usernames, receive, _database_tables)


def _earlier(
    last: int,
    chunks: Iterable[Sequence[Row]],
    usernames: Usernames,
    receive: Callable[[], _Message],
    tables: Callable[[], dict[str, dict[str, Any]]],
) -> Report | None:
    """``_earlier_half`` given its entries (1..last), the child's messages and the tables but
    copies.

    Copies are only ever created and changed, and no other table depends on them, nor they on
    another table: so the copies after both halves are those after entries 1..last changed by
    the later entries as the child replayed them, provided every copy they moved before
    creating it exists by then; and the other tables are those after entries 1..last changed by
    the later entries other than movements, replayed here after those."""
    scan = _Scan(usernames)
    if not _scan_range(scan, chunks) or scan.next_seq != last + 1:
        return None
    # Rows are made only of the copies compared here (scan.row), usually few: not finish().
    state, copies = scan.state, scan.copies
    present = tables()  # while the child finishes
    later = _received(receive)
    if not isinstance(later, _Later) or not later.needs.issubset(copies):
        return None
    if not _replay_deferred(state, later.deferred):
        return None
    report = Report(entries=scan.entries + later.entries)
    _compare(state, {**present, "copy": {}}, report, limit=1)
    if not report.ok:
        return None
    # The child compared the copies the later entries decide; the rest of the table is ours.
    others = _received(receive)
    if not isinstance(others, dict):
        return None
    rest = copies.keys() - later.decided
    if rest != others.keys() or any(scan.row(key)[:4] != row for key, row in others.items()):
        return None
    return report


def _received(receive: Callable[[], _Message]) -> _Message:
    try:
        return receive()
    except EOFError:  # the child ended without a word
        return None


def _replay_deferred(state: replay.State, deferred: list[bytes]) -> bool:
    """Replay the later entries other than copy movements after ``state``, but for copies (the
    child replayed what they do to copies, and vouched that the copies they move exist); whether
    they all replay. Leaves ``state`` without copies."""
    try:
        for body in deferred:
            parsed = orjson.loads(body)
            kind = parsed["kind"]
            if kind in replay.MAKING:
                state.copies = _CopiesStandIn()
            elif kind in replay.MOVING:
                state.copies = _CopiesStandIn(moved=parsed["subject"])
            else:
                state.copies = _CopiesStandIn(untouched=True)
            replay.apply(state, parsed)
    except (orjson.JSONDecodeError, *_UNREPLAYABLE):
        return False
    finally:
        state.copies = {}
    return True


def _unexplained_copies(
    decided: dict[str, replay.CopyRow], rows: Iterable[tuple[str, Row]]
) -> dict[str, Row] | None:
    """Compare ``rows``, the copy table, with ``decided``, the copies as the later entries leave
    them: the rows they do not decide, or None if a row disagrees or a copy is missing from the
    table. Empties ``decided``."""
    others = {}
    pop = decided.pop
    for key, row in rows:
        found = pop(key, None)
        if found is None:
            others[key] = row
        elif found[:4] != row:
            return None
    return None if decided else others


class _CopiesStandIn(dict[str, replay.CopyRow]):
    """``State.copies`` while an entry from after the split is replayed without them: copies
    it writes are not kept; only the copy it moves (``moved``) exists, and with ``untouched``
    even asking fails. Any other use fails, so the serial pass decides."""

    def __init__(self, *, moved: str | None = None, untouched: bool = False) -> None:
        super().__init__()
        self.moved = moved
        self.untouched = untouched

    def __setitem__(self, key: str, value: replay.CopyRow) -> None:
        if self.untouched:
            self._refuse()

    def __contains__(self, key: object) -> bool:
        if self.untouched or self.moved is None:
            self._refuse()
        return key == self.moved

    def _refuse(self, *args: object, **kwargs: object) -> Any:
        raise replay.ReplayError("an entry after the split uses copies as the split cannot")

    __getitem__ = __iter__ = __len__ = _refuse
    get = pop = setdefault = update = keys = values = items = _refuse


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
    return {
        "unit": units,
        "person": people,
        "clearance": clearances,
        "document": documents,
        **record_tables(),
    }


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
