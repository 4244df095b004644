"""The prepared statements on the write path behave as the ORM would, minus its cost."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from strongroom.models import Copy, Document
from strongroom.models.documents import _DOCUMENT_FIELDS, _INSERT_COMPARTMENT, _INSERT_DOCUMENT
from strongroom.models.prepared import Statement, adapt_datetime
from strongroom.services import custody


def test_statements_show_in_django_query_log_when_it_is_on(org, register):
    copy = Copy.objects.select_related("document__unit").get(
        document=register("CONFIDENTIAL"), number=1
    )
    with CaptureQueriesContext(connection) as captured:
        custody.issue_copy(copy, to=org.reader, by=org.custodian)

    statements = [query["sql"] for query in captured.captured_queries]
    assert any(sql.startswith("UPDATE strongroom_copy SET state") for sql in statements)
    # executemany is logged as "1 times INSERT ...".
    assert any("INSERT INTO ledger_ledgerentry" in sql for sql in statements)


def test_driver_errors_arrive_as_django_errors(register):
    document = register("SECRET//ALPHA")
    with pytest.raises(IntegrityError), transaction.atomic():
        _INSERT_COMPARTMENT.many([(document.pk, "ALPHA")])  # already there


def test_no_statement_runs_after_a_failure_inside_the_same_atomic_block(register):
    document = register("SECRET//ALPHA")
    with transaction.atomic():
        with pytest.raises(IntegrityError), transaction.atomic():
            _INSERT_COMPARTMENT.many([(document.pk, "ALPHA")])
        # The inner block rolled back to its savepoint: the outer one may go on.
        assert Statement("SELECT 1").rows(()) == [(1,)]
    with transaction.atomic():
        # Without a savepoint there is nothing to roll back to: the whole block is broken.
        with pytest.raises(IntegrityError), transaction.atomic(savepoint=False):
            _INSERT_COMPARTMENT.many([(document.pk, "ALPHA")])
        with pytest.raises(TransactionManagementError):
            Statement("SELECT 1").rows(())


def test_inserted_dates_and_times_read_back_as_the_orm_wrote_them(register):
    template = register("CONFIDENTIAL")
    at = datetime(2026, 3, 4, 5, 6, 7, 891011, tzinfo=UTC)
    values = {name: getattr(template, name) for name in _DOCUMENT_FIELDS}
    values.update(control_number="HQ-1999-0001", year=1999, sequence=1,
                  received_on=date(2026, 3, 1), registered_at=at)  # fmt: skip
    with transaction.atomic():
        pk = _INSERT_DOCUMENT.one([values[name] for name in _DOCUMENT_FIELDS])

    stored = Document.objects.get(pk=pk)
    assert (stored.received_on, stored.registered_at) == (date(2026, 3, 1), at)
    assert Document.objects.filter(registered_at=at, received_on=date(2026, 3, 1)).get() == stored


@pytest.mark.parametrize(
    "value",
    [
        datetime(2026, 3, 4, 5, 6, 7, 891011, tzinfo=UTC),
        datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC),  # no microseconds: str() leaves them out
        datetime(2026, 1, 1, 8, 30, tzinfo=timezone(timedelta(hours=9))),  # the day before, UTC
        datetime(2026, 3, 4, 5, 6, 7, 1),  # naive: passed as it is
        None,
    ],
)
def test_times_are_adapted_as_django_adapts_them(db, settings, value):
    assert adapt_datetime(value, connection) == connection.ops.adapt_datetimefield_value(value)
    if value is not None and value.tzinfo is None:
        settings.USE_TZ = False
        assert adapt_datetime(value, connection) == connection.ops.adapt_datetimefield_value(value)


def test_on_sqlite_the_ledger_sequence_is_the_rowid_and_the_triggers_survived(db):
    if connection.vendor != "sqlite":
        pytest.skip("the rowid is SQLite's")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'ledger_ledgerentry'")
        names = {row[0] for row in cursor.fetchall()}
        cursor.execute("PRAGMA table_info(ledger_ledgerentry)")
        seq = next(row for row in cursor.fetchall() if row[1] == "seq")
    assert seq[2].lower() == "integer" and seq[5] == 1  # declared type, primary-key position
    assert not any(name.startswith("sqlite_autoindex") for name in names)
    assert {"ledger_entry_no_update", "ledger_entry_no_delete"} <= names


def test_on_sqlite_a_registration_writes_no_sqlite_sequence_row(org, register):
    if connection.vendor != "sqlite":
        pytest.skip("AUTOINCREMENT is SQLite's")
    tables = ("strongroom_document", "strongroom_documentcompartment", "strongroom_copy")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_sequence")
        before = {row[0] for row in cursor.fetchall()}
        register("SECRET//ALPHA")
        cursor.execute("SELECT name FROM sqlite_sequence")
        after = {row[0] for row in cursor.fetchall()}
    assert not (before | after) & set(tables)
