"""The ledger: hashes and chain, append-only at the database, replay and tamper detection."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from django.db import DatabaseError, connection, transaction

from strongroom.ledger import entry
from strongroom.ledger.models import LedgerEntry
from strongroom.ledger.verify import verify
from strongroom.models import Clearance, Copy, Document, DocumentCompartment
from tests.conftest import behind_the_triggers_back


def test_entries_are_leaf_hashed_and_chained(history):
    previous = entry.GENESIS
    rows = list(LedgerEntry.objects.order_by("seq"))
    assert [row.seq for row in rows] == list(range(1, len(rows) + 1))
    for row in rows:
        body = bytes(row.body)
        assert bytes(row.leaf_hash) == hashlib.sha256(b"\x00" + body).digest()
        assert bytes(row.chain_hash) == hashlib.sha256(previous + bytes(row.leaf_hash)).digest()
        assert entry.parse(body)["seq"] == row.seq
        previous = bytes(row.chain_hash)


def test_canonical_bytes_are_sorted_compact_json():
    body = entry.canonical_bytes(
        seq=7,
        at=datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC),
        actor="rita",
        kind="copy.issued",
        subject="copy:HQ-2026-0001/1",
        data={"b": 1, "a": "ü"},
    )
    assert (
        body
        == (
            '{"actor":"rita","at":"2026-01-02T03:04:05.000006Z","data":{"a":"ü","b":1},'
            '"kind":"copy.issued","seq":7,"subject":"copy:HQ-2026-0001/1","v":1}'
        ).encode()
    )


@pytest.mark.parametrize(
    "at",
    [
        datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC),
        datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),  # no microseconds: still six digits
        datetime(2026, 1, 1, 8, 30, tzinfo=timezone(timedelta(hours=9))),  # the day before
        datetime(2026, 6, 1, 12, tzinfo=ZoneInfo("Europe/Berlin")),
        datetime(999, 12, 31, 23, 59, 59, tzinfo=UTC),  # strftime leaves such years unpadded
    ],
)
def test_entry_times_are_formatted_as_strftime_formats_them(at):
    assert entry.format_time(at) == at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE ledger_ledgerentry SET kind = 'forged' WHERE seq = 1",
        "DELETE FROM ledger_ledgerentry WHERE seq = 1",
    ],
)
def test_database_refuses_update_and_delete(history, sql):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert LedgerEntry.objects.get(seq=1).kind == "unit.created"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE exists only on PostgreSQL")
def test_postgresql_refuses_truncate(history):
    with connection.cursor() as cursor:
        # The test's own inserts leave deferred foreign-key checks that TRUNCATE would trip on.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("TRUNCATE ledger_ledgerentry CASCADE")


def test_verify_passes_on_an_honest_history(history):
    report = verify()
    assert report.ok, report.problems
    assert report.entries == LedgerEntry.objects.count()


def test_verify_names_an_altered_entry(history):
    row = LedgerEntry.objects.get(seq=20)
    forged = bytes(row.body).replace(b'"v":1', b'"v":2')
    behind_the_triggers_back("UPDATE ledger_ledgerentry SET body = %s WHERE seq = 20", [forged])
    report = verify()
    assert not report.ok
    assert report.problems[0] == "entry #20: its bytes do not match its leaf hash (entry altered)"


def test_verify_names_a_rehashed_entry_by_the_broken_chain(history):
    row = LedgerEntry.objects.get(seq=20)
    forged = bytes(row.body).replace(b'"v":1', b'"v":2')
    behind_the_triggers_back(
        "UPDATE ledger_ledgerentry SET body = %s, leaf_hash = %s WHERE seq = 20",
        [forged, entry.leaf_hash(forged)],
    )
    report = verify()
    assert report.problems[0].startswith("entry #20: chain hash does not follow from entry #19")


def test_verify_names_a_deleted_entry(history):
    behind_the_triggers_back("DELETE FROM ledger_ledgerentry WHERE seq = 15", [])
    report = verify()
    assert report.problems[0] == "entry #15: missing (the next entry is #16)"


def test_verify_notices_a_column_changed_without_the_bytes(history):
    behind_the_triggers_back("UPDATE ledger_ledgerentry SET subject = 'copy:X' WHERE seq = 20", [])
    assert verify().problems[0] == "entry #20: its columns disagree with its hashed bytes"


def test_verify_names_a_copy_whose_holder_was_changed_directly(history, org):
    secret, _ = history
    Copy.objects.filter(document=secret, number=2).update(holder=org.worker)
    report = verify()
    assert not report.ok
    (problem,) = report.problems
    assert problem.startswith(
        f"copy {secret.control_number}/2: holder is 'wally' in the database "
        "but 'carl' in the ledger"
    )
    assert "(last set by entry #" in problem


def test_verify_names_a_document_inserted_without_a_ledger_entry(history, org):
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
        received_on=secret.received_on,
        pages=1,
        medium="paper",
        copy_count=0,
        registered_by=org.registrar,
        registered_at=secret.registered_at,
    )
    assert verify().problems == [
        "document HQ-1999-0001: in the database but no ledger entry created it"
    ]


def test_verify_names_a_clearance_raised_directly(history, org):
    Clearance.objects.filter(person=org.reader).update(level=4)
    (problem,) = verify().problems
    assert problem.startswith(
        "clearance rosa: level is 'TOP SECRET' in the database but 'CONFIDENTIAL'"
    )


def test_verify_notices_need_to_know_rows_disagreeing_with_the_marking(history):
    secret, _ = history
    DocumentCompartment.objects.filter(document=secret).delete()
    (problem,) = verify().problems
    assert problem.startswith(f"document {secret.control_number}: compartments is")


def test_refusals_are_entries_but_change_no_state(history, org, register):
    from strongroom.policy import Denied

    before = LedgerEntry.objects.count()
    with pytest.raises(Denied):
        register("TOP SECRET", by=org.worker)
    assert LedgerEntry.objects.count() == before + 1
    assert verify().ok
