"""verify(): the parallel pass accepts exactly what the serial pass finds in order.

The parallel pass only ever says "everything agrees" (otherwise verify() runs the serial pass for
the report), so what must hold is: it never agrees when the serial pass finds a problem, and it
agrees on an honest ledger. Here its two halves run one after the other in this process, at
every split point: inside the ``db`` fixture's transaction a forked process could not see the
data. test_verify_forked.py runs the real thing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import orjson
import pytest
from django.db import connection

from strongroom.domain.clearance import PersonStatus
from strongroom.ledger import entry, replay
from strongroom.ledger import verify as verification
from strongroom.ledger.models import LedgerEntry
from strongroom.ledger.verify import Report, verify
from strongroom.models import Clearance, Copy, Document, DocumentCompartment, Person, Unit
from strongroom.policy import Denied
from strongroom.services import clearances, custody, hand_overs, people
from tests.conftest import PASSWORD, behind_the_triggers_back


@pytest.fixture
def history(history: tuple[Any, Any], org: Any, register: Any) -> tuple[Any, Any]:
    """Every kind of entry: the shared history, then refusals, status changes, more movement."""
    secret, confidential = history
    with pytest.raises(Denied):
        register("TOP SECRET", by=org.worker)
    clearances.suspend_clearance(org.reader, reason="review", by=org.second_officer)
    clearances.reinstate_clearance(org.reader, reason="cleared", by=org.second_officer)
    people.change_person(org.worker, full_name="Wally W. Worker", by=org.officer)
    people.set_status(org.worker, status=PersonStatus.SUSPENDED, reason="leave", by=org.officer)
    later = register("RESTRICTED", copies=1)
    custody.issue_copy(later.copies.get(number=1), to=org.custodian, by=org.registrar)
    custody.issue_copy(confidential.copies.get(number=3), to=org.custodian, by=org.registrar)
    return secret, confidential


def _in_halves(split: int) -> Report | None:
    """The parallel pass, its halves run here one after the other."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT MIN(seq) FROM ledger_ledgerentry")
        (first,) = cursor.fetchone()
    if first != 1:
        return None
    usernames = verification._usernames()
    messages = verification._later_half(split, usernames)
    return verification._earlier_half(lambda: next(messages), split, usernames)


def assert_passes_agree() -> Report:
    """The serial report, after checking the parallel pass against it at every split point: it
    agrees exactly when the serial pass finds nothing, and then reports the same."""
    serial = verify(parallel=False)
    last = LedgerEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    for split in range(1, last):
        verdict = _in_halves(split)
        if serial.ok:
            assert verdict == serial, f"split at #{split} refuses"
        else:
            assert verdict is None, f"split at #{split} accepts: {serial.problems}"
    return serial


def _body(seq: int) -> dict[str, Any]:
    value = orjson.loads(bytes(LedgerEntry.objects.get(seq=seq).body))
    assert isinstance(value, dict)
    return value


def _bytes(body: dict[str, Any] | bytes) -> bytes:
    return body if isinstance(body, bytes) else orjson.dumps(body, option=orjson.OPT_SORT_KEYS)


def rewrite(changes: dict[int, dict[str, Any] | bytes]) -> None:
    """What an administrator who also recomputes the hashes could do: replace the bodies of some
    entries (their columns following) and rehash the chain from the first of them on."""
    rows = list(LedgerEntry.objects.filter(seq__gte=min(changes)).order_by("seq"))
    before = LedgerEntry.objects.filter(seq=min(changes) - 1).first()
    previous = bytes(before.chain_hash) if before else entry.GENESIS
    for row in rows:
        new = changes.get(row.seq)
        body = _bytes(new) if new is not None else bytes(row.body)
        leaf = entry.leaf_hash(body)
        previous = entry.chain_hash(previous, leaf)
        kind, subject, actor = row.kind, row.subject, row.actor_id
        if isinstance(new, dict):
            kind, subject = new["kind"], new["subject"]
            actor = Person.objects.get(username=new["actor"]).pk if new["actor"] else None
        behind_the_triggers_back(
            "UPDATE ledger_ledgerentry SET body = %s, leaf_hash = %s, chain_hash = %s, "
            "kind = %s, subject = %s, actor_id = %s WHERE seq = %s",
            [body, leaf, previous, kind, subject, actor, row.seq],
        )


def append(body: dict[str, Any] | bytes, *, kind: str = "", subject: str = "") -> dict[str, Any]:
    """A forged entry after the last, properly hashed; its columns follow its body."""
    last = LedgerEntry.objects.order_by("-seq").first()
    assert last is not None
    if isinstance(body, dict):
        body = {**body, "seq": last.seq + 1}
        kind, subject = body["kind"], body["subject"]
        actor = Person.objects.get(username=body["actor"]) if body["actor"] else None
    else:
        actor = None
    raw = _bytes(body)
    leaf = entry.leaf_hash(raw)
    LedgerEntry.objects.create(
        seq=last.seq + 1,
        recorded_at=last.recorded_at,
        actor=actor,
        kind=kind,
        subject=subject,
        body=raw,
        leaf_hash=leaf,
        chain_hash=entry.chain_hash(bytes(last.chain_hash), leaf),
    )
    return body if isinstance(body, dict) else {}


def _movement_of(copy: Copy) -> dict[str, Any]:
    """A copy of the last genuine issue entry, aimed at ``copy``."""
    issue = LedgerEntry.objects.filter(kind="copy.issued").order_by("-seq").first()
    assert issue is not None
    body = _body(issue.seq)
    body["subject"] = f"copy:{copy.reference}"
    return body


# -- honest histories ---------------------------------------------------------------------------


def test_both_passes_accept_an_honest_history(history: Any) -> None:
    report = assert_passes_agree()
    assert report.ok
    assert report.entries == LedgerEntry.objects.count()


def test_a_refusal_naming_a_copy_that_does_not_exist_changes_nothing(history: Any) -> None:
    refusal = _body(LedgerEntry.objects.get(kind="access.refused").seq)
    append({**refusal, "subject": "copy:HQ-1999-0001/9"})
    assert assert_passes_agree().ok


def test_a_forged_but_consistent_movement_is_accepted_by_both(history: Any, org: Any) -> None:
    _, confidential = history
    copy = confidential.copies.get(number=2)
    body = append(_movement_of(copy))
    Copy.objects.filter(pk=copy.pk).update(
        state=body["data"]["state"],
        holder=Person.objects.get(username=body["data"]["holder"]),
        location=body["data"]["location"],
        since=entry.parse_time(body["at"]),
    )
    assert assert_passes_agree().ok


def test_a_ledger_of_one_entry(db: None) -> None:
    people.bootstrap(
        unit_code="HQ", unit_name="Headquarters", username="olga", full_name="O", password=PASSWORD
    )
    assert LedgerEntry.objects.count() == 2  # the unit and the officer
    assert assert_passes_agree().ok


def test_inside_a_transaction_verify_runs_serially(history: Any) -> None:
    assert connection.in_atomic_block
    assert not verification._may_fork(True)
    assert verify(parallel=True) == verify(parallel=False)


def test_hand_overs_at_every_split(history: Any, org: Any) -> None:
    """Hand-overs move copies as issues and returns do, in either half; a copy's table row
    changed behind the ledger after one is noticed by both passes."""
    _, confidential = history

    def copy(number: int) -> Copy:
        return Copy.objects.select_related("document__unit", "holder").get(
            document=confidential, number=number
        )

    custody.issue_copy(copy(2), to=org.reader, by=org.custodian)
    accepted = hand_overs.dispatch_hand_over(copy(2), to=org.custodian, by=org.reader)
    hand_overs.accept_hand_over(accepted, by=org.custodian)
    custody.issue_copy(copy(1), to=org.reader, by=org.custodian)
    refused = hand_overs.dispatch_hand_over(copy(1), to=org.custodian, by=org.reader)
    hand_overs.refuse_hand_over(refused, by=org.custodian, reason="not mine")
    hand_overs.dispatch_hand_over(copy(1), to=org.custodian, by=org.reader)  # pending
    assert LedgerEntry.objects.filter(kind__startswith="hand_over.").count() == 5
    assert assert_passes_agree().ok
    Copy.objects.filter(pk=copy(2).pk).update(holder=org.reader)
    assert (
        assert_passes_agree()
        .problems[0]
        .startswith(f"copy {confidential.control_number}/2: holder is 'rosa' in the database")
    )


# -- the ledger altered -------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_an_altered_entry(history: Any, where: str) -> None:
    seq = _position(where)
    forged = bytes(LedgerEntry.objects.get(seq=seq).body).replace(b'"v":1', b'"v":2')
    behind_the_triggers_back(
        "UPDATE ledger_ledgerentry SET body = %s WHERE seq = %s", [forged, seq]
    )
    report = assert_passes_agree()
    assert f"entry #{seq}: its bytes do not match its leaf hash (entry altered)" in report.problems


@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_a_rehashed_entry(history: Any, where: str) -> None:
    seq = _position(where)
    forged = bytes(LedgerEntry.objects.get(seq=seq).body).replace(b'"v":1', b'"v":2')
    behind_the_triggers_back(
        "UPDATE ledger_ledgerentry SET body = %s, leaf_hash = %s WHERE seq = %s",
        [forged, entry.leaf_hash(forged), seq],
    )
    assert not assert_passes_agree().ok


@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_a_deleted_entry(history: Any, where: str) -> None:
    seq = _position(where)
    behind_the_triggers_back("DELETE FROM ledger_ledgerentry WHERE seq = %s", [seq])
    assert not assert_passes_agree().ok


def test_a_stored_chain_hash_changed(history: Any) -> None:
    seq = _position("middle")
    behind_the_triggers_back(
        "UPDATE ledger_ledgerentry SET chain_hash = %s WHERE seq = %s", [bytes(32), seq]
    )
    report = assert_passes_agree()
    assert report.problems[0].startswith(f"entry #{seq}: chain hash does not follow")


@pytest.mark.parametrize(
    ("column", "value"), [("subject", "copy:X"), ("kind", "copy.returned"), ("actor_id", None)]
)
def test_a_column_changed_without_the_bytes(history: Any, column: str, value: Any) -> None:
    seq = LedgerEntry.objects.filter(kind="copy.issued").order_by("seq").values_list("seq")[0][0]
    behind_the_triggers_back(
        f"UPDATE ledger_ledgerentry SET {column} = %s WHERE seq = %s", [value, seq]
    )
    assert not assert_passes_agree().ok


def _position(where: str) -> int:
    last = LedgerEntry.objects.count()
    return {"first": 1, "middle": last // 2, "last": last}[where]


# -- histories the services could not have written, properly hashed ------------------------------


def test_a_movement_before_the_registration(history: Any) -> None:
    secret, _ = history
    registered = LedgerEntry.objects.get(
        kind="document.registered", subject=f"document:{secret.control_number}"
    ).seq
    moved = LedgerEntry.objects.filter(kind="copy.issued").order_by("seq").first()
    assert moved is not None and moved.seq > registered
    # Swap the two: the copy moves before its document is registered.
    early, late = _body(moved.seq), _body(registered)
    rewrite({registered: {**early, "seq": registered}, moved.seq: {**late, "seq": moved.seq}})
    report = assert_passes_agree()
    assert any("is changed before it was created" in p for p in report.problems)


def test_a_movement_before_the_registration_that_changes_no_state(history: Any) -> None:
    """Only the order is wrong: a forged movement, identical to the copy's last one, in the
    place of an entry that changes nothing (a refusal), before the copy's registration."""
    refusal = LedgerEntry.objects.get(kind="access.refused").seq
    registration = LedgerEntry.objects.filter(kind="document.registered").order_by("-seq")[0]
    control = registration.subject.removeprefix("document:")
    moved = LedgerEntry.objects.get(subject=f"copy:{control}/1").seq
    assert refusal < registration.seq < moved
    rewrite({refusal: {**_body(moved), "seq": refusal}})
    report = assert_passes_agree()
    assert any("is changed before it was created" in p for p in report.problems), report


def test_a_body_naming_another_number(history: Any) -> None:
    seq = _position("middle")
    rewrite({seq: {**_body(seq), "seq": seq + 1}})
    report = assert_passes_agree()
    assert report.problems == [f"entry #{seq}: its columns disagree with its hashed bytes"]


def test_an_entry_removed_and_the_numbers_in_the_bodies_closed_up(history: Any) -> None:
    """Entry #k, a refusal (which changes nothing), gone; the bodies before it renumbered k,
    k-1, ..., 2 and everything rehashed: the bodies count up without a gap, the rows do not."""
    gone = LedgerEntry.objects.get(kind="access.refused").seq
    behind_the_triggers_back("DELETE FROM ledger_ledgerentry WHERE seq = %s", [gone])
    rewrite({seq: {**_body(seq), "seq": seq + 1} for seq in range(1, gone)})
    assert not assert_passes_agree().ok


@pytest.mark.parametrize("subject", ["copy:HQ-1999-0001/1", "copy:", "document:HQ-1999-0001"])
def test_a_movement_of_a_copy_never_created(history: Any, subject: str) -> None:
    _, confidential = history
    append({**_movement_of(confidential.copies.get(number=1)), "subject": subject})
    report = assert_passes_agree()
    assert any("cannot be replayed" in p for p in report.problems)


def test_a_movement_beyond_the_copies_registered(history: Any) -> None:
    _, confidential = history
    body = _movement_of(confidential.copies.get(number=1))
    append({**body, "subject": f"copy:{confidential.control_number}/4"})
    assert not assert_passes_agree().ok


def test_a_movement_of_a_copy_only_the_table_has(history: Any) -> None:
    _, confidential = history
    extra = Copy.objects.create(
        document=confidential,
        number=4,
        state="in_registry",
        location="nowhere",
        since=confidential.registered_at,
        unit=confidential.unit,
    )
    body = append(_movement_of(extra))
    Copy.objects.filter(pk=extra.pk).update(
        state=body["data"]["state"],
        holder=Person.objects.get(username=body["data"]["holder"]),
        location=body["data"]["location"],
        since=entry.parse_time(body["at"]),
    )
    report = assert_passes_agree()
    assert any("is changed before it was created" in p for p in report.problems)


def test_a_registration_recorded_twice(history: Any) -> None:
    secret, _ = history
    append(
        _body(
            LedgerEntry.objects.get(
                kind="document.registered", subject=f"document:{secret.control_number}"
            ).seq
        )
    )
    assert not assert_passes_agree().ok


def test_a_registration_again_after_a_movement(history: Any) -> None:
    """Replayed forwards, registering a document again puts its copies back in the registry,
    and a movement before that is fine: both passes accept it, whichever half the movement and
    the registration fall in."""
    registration = LedgerEntry.objects.filter(kind="document.registered").order_by("-seq")[0]
    control = registration.subject.removeprefix("document:")
    body = append(_body(registration.seq))
    Copy.objects.filter(document__control_number=control).update(
        state="in_registry",
        holder=None,
        location=body["data"]["location"],
        since=entry.parse_time(body["at"]),
    )
    Document.objects.filter(control_number=control).update(
        registered_at=entry.parse_time(body["at"])
    )
    assert assert_passes_agree().ok


@pytest.mark.parametrize("field", ["state", "holder", "location", "data", "at"])
def test_a_movement_lacking_a_field(history: Any, field: str) -> None:
    _, confidential = history
    body = _movement_of(confidential.copies.get(number=1))
    if field in body:
        del body[field]
    else:
        del body["data"][field]
    append(body)
    report = assert_passes_agree()
    assert any("cannot be replayed" in p for p in report.problems)


def test_a_registration_lacking_its_copy_count(history: Any) -> None:
    secret, _ = history
    body = _body(
        LedgerEntry.objects.get(
            kind="document.registered", subject=f"document:{secret.control_number}"
        ).seq
    )
    del body["data"]["copy_count"]
    rewrite({body["seq"]: body})
    assert not assert_passes_agree().ok


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'{"seq": 1}', b"{}", b'"just a string"'])
def test_an_entry_that_is_not_an_entry(history: Any, body: bytes) -> None:
    append(body, kind="copy.issued", subject="copy:X")
    assert not assert_passes_agree().ok


def test_an_unknown_kind(history: Any) -> None:
    refusal = _body(LedgerEntry.objects.get(kind="access.refused").seq)
    append({**refusal, "kind": "copy.teleported"})
    report = assert_passes_agree()
    assert any("unknown event kind 'copy.teleported'" in p for p in report.problems)


@pytest.mark.parametrize("field", ["kind", "subject"])
def test_a_movement_naming_a_list(history: Any, field: str) -> None:
    """A body may hold any JSON at all: a list where a string belongs is reported, not raised."""
    _, confidential = history
    body = _movement_of(confidential.copies.get(number=1))
    kind, subject = body["kind"], body["subject"]
    body[field] = [body[field]]
    seq = LedgerEntry.objects.count() + 1
    append(_bytes({**body, "seq": seq}), kind=kind, subject=subject)
    report = assert_passes_agree()
    assert report.problems == [
        f"entry #{seq}: its columns disagree with its hashed bytes",
        f"entry #{seq}: cannot be replayed: "
        + (
            "unhashable type: 'list'" if field == "kind" else f"subject {[subject]!r} is not a copy"
        ),
        NOT_REPLAYED,
    ]


def test_a_person_changed_in_the_ledger_only(history: Any, org: Any) -> None:
    changed = _body(LedgerEntry.objects.filter(kind="person.changed").values_list("seq")[0][0])
    append({**changed, "data": {"full_name": "Someone Else"}})
    assert not assert_passes_agree().ok


# -- the tables altered -------------------------------------------------------------------------


def test_tables_changed_behind_the_ledger(history: Any, org: Any) -> None:
    secret, confidential = history
    changes: list[Callable[[], object]] = [
        lambda: Copy.objects.filter(document=secret, number=2).update(holder=org.worker),
        lambda: Copy.objects.filter(document=secret, number=1).update(location="the moon"),
        lambda: Copy.objects.filter(document=confidential, number=2).delete(),
        lambda: Copy.objects.create(
            document=confidential,
            number=9,
            state="in_registry",
            location="x",
            since=secret.registered_at,
            unit=confidential.unit,
        ),
        lambda: Document.objects.filter(pk=secret.pk).update(pages=99),
        lambda: DocumentCompartment.objects.filter(document=secret).delete(),
        lambda: Clearance.objects.filter(person=org.reader).update(level=4),
        lambda: Person.objects.filter(pk=org.worker.pk).update(status="active"),
        lambda: Unit.objects.filter(pk=org.north.pk).update(name="Up North"),
    ]
    for number, change in enumerate(changes):
        sid = connection.savepoint()
        assert sid is not None
        change()
        report = assert_passes_agree()
        assert not report.ok, number
        connection.savepoint_rollback(sid)
    assert assert_passes_agree().ok


def test_a_document_only_the_table_has(history: Any, org: Any) -> None:
    secret, _ = history
    Document.objects.create(
        control_number="HQ-1999-0001",
        unit=org.hq,
        year=1999,
        sequence=1,
        short_title="ghost",
        full_title="ghost",
        level=0,
        originator="?",
        received_on=date.today() - timedelta(days=1),
        pages=1,
        medium="paper",
        copy_count=0,
        registered_by=org.registrar,
        registered_at=secret.registered_at,
    )
    assert assert_passes_agree().problems == [
        "document HQ-1999-0001: in the database but no ledger entry created it"
    ]


# -- the serial pass ----------------------------------------------------------------------------


def test_the_serial_replay_matches_replay_apply(history: Any) -> None:
    """The serial pass replays copy movements lazily; the state must be replay.apply's."""
    state = replay.State()
    for row in LedgerEntry.objects.order_by("seq"):
        replay.apply(state, orjson.loads(bytes(row.body)))
    scan = verification._Scan(verification._usernames())
    rows = list(
        LedgerEntry.objects.order_by("seq").values_list(
            "seq", "body", "leaf_hash", "chain_hash", "kind", "subject", "actor_id"
        )
    )
    scan.feed(rows)
    assert scan.end_batch() == []
    assert any(isinstance(row, bytes) for row in scan.copies.values())  # replayed lazily
    assert scan.finish() == state
    assert state.tables()["copy"]  # as the offline inspector's tool sees them


def test_problems_are_cut_at_the_limit(history: Any) -> None:
    for seq in (3, 5, 7):
        forged = bytes(LedgerEntry.objects.get(seq=seq).body).replace(b'"v":1', b'"v":2')
        behind_the_triggers_back(
            "UPDATE ledger_ledgerentry SET body = %s WHERE seq = %s", [forged, seq]
        )
    assert verify(limit_problems=2).problems == [
        "entry #3: its bytes do not match its leaf hash (entry altered)",
        "entry #5: its bytes do not match its leaf hash (entry altered)",
    ]


def _unreadable(body: bytes) -> str:
    try:
        orjson.loads(body)
    except orjson.JSONDecodeError as error:
        return str(error)
    raise AssertionError(body)


def _without(seq: int, name: str) -> bytes:
    return _bytes({key: value for key, value in _body(seq).items() if key != name})


def _altered(seq: int, body: bytes) -> None:
    behind_the_triggers_back("UPDATE ledger_ledgerentry SET body = %s WHERE seq = %s", [body, seq])


NOT_REPLAYED = "state not compared with the database: the ledger could not be replayed"


def test_the_serial_pass_reports_batch_by_batch_as_before(
    history: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Problems come batch by batch: missing, altered, chain, unreadable or columns, replay; a
    batch with a gap or an unreadable entry is not replayed; as in earlier releases (these
    reports are theirs, with batches of 10 entries in place of 20,000)."""
    monkeypatch.setattr(verification, "_BATCH", 10)
    monkeypatch.setattr(verification, "_CHUNK", 5)
    assert LedgerEntry.objects.count() == 31  # the history these entry numbers are about
    sid = connection.savepoint()
    assert sid is not None

    def report(tamper: Callable[[], object], limit: int = 20) -> list[str]:
        tamper()
        problems = verify(parallel=False, limit_problems=limit).problems
        connection.savepoint_rollback(sid)
        return problems

    def columns_altered_and_missing() -> None:
        behind_the_triggers_back(
            "UPDATE ledger_ledgerentry SET subject = 'copy:X' WHERE seq = 3", []
        )
        _altered(12, bytes(LedgerEntry.objects.get(seq=12).body).replace(b'"v":1', b'"v":2'))
        behind_the_triggers_back("DELETE FROM ledger_ledgerentry WHERE seq = 25", [])

    expected = [
        "entry #3: its columns disagree with its hashed bytes",
        "entry #12: its bytes do not match its leaf hash (entry altered)",
        "entry #25: missing (the next entry is #26)",
        "entry #26: chain hash does not follow from entry #25 "
        "(an entry was altered, removed or reordered)",
        NOT_REPLAYED,
    ]
    assert report(columns_altered_and_missing) == expected
    assert report(columns_altered_and_missing, limit=3) == expected[:3]

    def unreadable_and_columns() -> None:
        _altered(14, b"not json")
        behind_the_triggers_back(
            "UPDATE ledger_ledgerentry SET subject = 'copy:X' WHERE seq = 16", []
        )

    assert report(unreadable_and_columns) == [
        "entry #14: its bytes do not match its leaf hash (entry altered)",
        f"entries #11-#20: an entry is not valid JSON: {_unreadable(b'not json')}",
        NOT_REPLAYED,
    ]

    def no_kind_before_a_list() -> None:
        _altered(12, _without(12, "kind"))
        _altered(14, b"[1, 2]")

    def no_actor_before_no_kind() -> None:
        _altered(13, _without(13, "actor"))
        _altered(15, _without(15, "kind"))

    for tamper, first, second in [
        (no_kind_before_a_list, 12, 14),
        (no_actor_before_no_kind, 13, 15),
    ]:
        assert report(tamper) == [
            f"entry #{first}: its bytes do not match its leaf hash (entry altered)",
            f"entry #{second}: its bytes do not match its leaf hash (entry altered)",
            "entries #11-#20: an entry is not valid JSON: 'kind'",
            NOT_REPLAYED,
        ]

    def unreplayable() -> None:
        rewrite({23: {**_body(23), "kind": "copy.teleported"}})

    assert report(unreplayable) == [
        "entry #23: cannot be replayed: unknown event kind 'copy.teleported'",
        NOT_REPLAYED,
    ]

    def unreplayable_in_a_batch_with_a_gap() -> None:
        unreplayable()
        behind_the_triggers_back("DELETE FROM ledger_ledgerentry WHERE seq = 27", [])

    assert report(unreplayable_in_a_batch_with_a_gap) == [
        "entry #27: missing (the next entry is #28)",
        "entry #28: chain hash does not follow from entry #27 "
        "(an entry was altered, removed or reordered)",
        NOT_REPLAYED,
    ]

    def unreplayable_in_an_unreadable_batch() -> None:
        unreplayable()
        _altered(28, b"{")

    assert report(unreplayable_in_an_unreadable_batch) == [
        "entry #28: its bytes do not match its leaf hash (entry altered)",
        f"entries #21-#30: an entry is not valid JSON: {_unreadable(b'{')}",
        NOT_REPLAYED,
    ]
