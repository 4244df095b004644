"""Statements on the hot path of every decision and every write, prepared once.

Django compiles a queryset to SQL each time it runs; for the handful of statements every
guarded action makes (who is the actor, what is their clearance) and every write makes (the
registration rows, the copy's move, the ledger append), compiling cost more than running. A
PreparedQuery builds its queryset once per database vendor with sentinel parameter values,
keeps the SQL, and afterwards only substitutes the real parameters.

They run on the database driver's own cursor inside Django's connection and transaction:
Django's cursor wrapper costs as much as a small statement itself. What the wrapper does that
matters is kept — the check that an atomic block has not already failed, and Django's database
exception classes — and when Django is logging queries (DEBUG, or a test capturing them) the
statements go through Django's cursor so they are seen.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import DateField, DateTimeField, Field, Model, QuerySet

# Django's SQL uses %s placeholders (and %% for a literal %); the sqlite3 module wants ?.
_FORMAT = re.compile(r"(?<!%)%s")


class Statement:
    """One SQL text in Django's %s style, run with the driver's own placeholders.

    ``db`` is what ``database()`` returned just before: a caller that runs several statements
    in a row looks the connection up once, as each lookup goes through Django's thread-local
    connection handler (about a sixth of what a small statement costs in all)."""

    def __init__(self, sql: str) -> None:
        self.sql = sql
        self._native: dict[str, str] = {}

    def native(self, vendor: str) -> str:
        found = self._native.get(vendor)
        if found is None:
            found = self.sql
            if vendor == "sqlite":
                found = _FORMAT.sub("?", found).replace("%%", "%")
            self._native[vendor] = found
        return found

    def rows(
        self, params: Sequence[Any], db: BaseDatabaseWrapper | None = None
    ) -> list[tuple[Any, ...]]:
        db = db or database()
        if db.queries_logged:
            with db.cursor() as cursor:
                cursor.execute(self.sql, params)
                return list(cursor.fetchall())
        with db.wrap_database_errors:
            cursor = db.connection.cursor()
            try:
                cursor.execute(self.native(db.vendor), params)
                return list(cursor.fetchall())
            finally:
                cursor.close()

    def count(self, params: Sequence[Any], db: BaseDatabaseWrapper | None = None) -> int:
        """Run a statement that changes rows; the number of rows it changed."""
        db = db or database()
        if db.queries_logged:
            with db.cursor() as cursor:
                cursor.execute(self.sql, params)
                return int(cursor.rowcount)
        with db.wrap_database_errors:
            cursor = db.connection.cursor()
            try:
                cursor.execute(self.native(db.vendor), params)
                return int(cursor.rowcount)
            finally:
                cursor.close()

    def many(self, rows: Sequence[Sequence[Any]], db: BaseDatabaseWrapper | None = None) -> None:
        if not rows:
            return
        db = db or database()
        if db.queries_logged:
            with db.cursor() as cursor:
                cursor.executemany(self.sql, rows)
                return
        with db.wrap_database_errors:
            cursor = db.connection.cursor()
            try:
                cursor.executemany(self.native(db.vendor), rows)
            finally:
                cursor.close()


def database() -> BaseDatabaseWrapper:
    """Django's connection, connected, and checked as Django's cursor would check it first:
    no statements after an error in an atomic block."""
    db = connections[DEFAULT_DB_ALIAS]
    if db.connection is None:
        db.ensure_connection()
    db.validate_no_broken_transaction()
    return db


def vendor() -> str:
    return str(connections[DEFAULT_DB_ALIAS].vendor)


def adapt_datetime(value: datetime | None, db: BaseDatabaseWrapper) -> Any:
    """``db.ops.adapt_datetimefield_value(value)``, the same value for less.

    On SQLite Django's version is a chain of helper calls and settings lookups costing
    several microseconds, and each write adapts one to four times; this is its arithmetic (an
    aware time in the connection's zone, made naive, as text) without the chain."""
    if value is None or db.vendor != "sqlite" or not settings.USE_TZ:
        return db.ops.adapt_datetimefield_value(value)
    if value.utcoffset() is not None:
        zone = db.timezone
        if value.tzinfo is not zone:  # the clock's times are in it already (UTC)
            value = value.astimezone(zone)
        value = value.replace(tzinfo=None)
    return value.isoformat(" ")  # what str() returns, without the indirection


class PreparedQuery:
    def __init__(self, build: Callable[..., QuerySet[Any]], *sentinels: object) -> None:
        self._build = build
        self._sentinels = list(sentinels)
        self._statements: dict[str, Statement] = {}

    def _compiled(self, vendor: str) -> Statement:
        statement = self._statements.get(vendor)
        if statement is None:
            sql, params = self._build(*self._sentinels).query.sql_with_params()
            # The sentinels must come back as the only parameters, in order; anything else
            # means the queryset added parameters of its own and substitution would be wrong.
            if list(params) != self._sentinels:
                raise RuntimeError(f"prepared query has unexpected parameters {params!r}")
            statement = self._statements[vendor] = Statement(sql)
        return statement

    def rows(self, *params: Any) -> list[tuple[Any, ...]]:
        db = database()
        return self._compiled(db.vendor).rows(params, db)

    def first(self, *params: Any) -> tuple[Any, ...] | None:
        found = self.rows(*params)
        return found[0] if found else None


# How a value of a column is made ready for the driver, given the connection.
Adapter = Callable[[Any, BaseDatabaseWrapper], Any]


class PreparedInsert:
    """An INSERT of the given columns (by attname, e.g. ``unit_id``), built once per vendor.

    Dates and times are adapted exactly as the ORM would send them; other values (text,
    numbers, keys) go to the driver as they are, which is what the ORM does for them too.
    """

    def __init__(self, model: type[Model], attnames: Sequence[str]) -> None:
        self._model = model
        self._attnames = tuple(attnames)
        self._prepared: dict[tuple[str, bool], tuple[Statement, list[Adapter | None]]] = {}

    def _fields(self) -> list[Field[Any, Any]]:
        by_attname = {field.attname: field for field in self._model._meta.concrete_fields}
        return [by_attname[name] for name in self._attnames]

    def _compiled(
        self, db: BaseDatabaseWrapper, *, returning: bool
    ) -> tuple[Statement, list[Adapter | None]]:
        key = (db.vendor, returning)
        prepared = self._prepared.get(key)
        if prepared is None:
            quote = db.ops.quote_name
            fields = self._fields()
            columns = ", ".join(quote(str(field.column)) for field in fields)
            placeholders = ", ".join(["%s"] * len(fields))
            table = quote(str(self._model._meta.db_table))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
            if returning:
                # SQLite (3.35+) and PostgreSQL both hand back the new key this way.
                primary_key = self._model._meta.pk
                assert primary_key is not None
                sql += f" RETURNING {quote(str(primary_key.column))}"
            prepared = self._prepared[key] = (Statement(sql), [_adapter(f) for f in fields])
        return prepared

    @staticmethod
    def _params(
        adapters: list[Adapter | None], row: Sequence[object], db: BaseDatabaseWrapper
    ) -> list[Any]:
        return [
            value if adapt is None or value is None else adapt(value, db)
            for adapt, value in zip(adapters, row, strict=True)
        ]

    def one(self, row: Sequence[object]) -> int:
        """Insert one row and return its new primary key."""
        db = database()
        statement, adapters = self._compiled(db, returning=True)
        return int(statement.rows(self._params(adapters, row, db), db)[0][0])

    def many(self, rows: Sequence[Sequence[object]]) -> None:
        if rows:
            db = database()
            statement, adapters = self._compiled(db, returning=False)
            statement.many([self._params(adapters, row, db) for row in rows], db)


def _adapter(field: Field[Any, Any]) -> Adapter | None:
    # DateTimeField is a DateField subclass: test it first.
    if isinstance(field, DateTimeField):
        return adapt_datetime
    if isinstance(field, DateField):
        return lambda value, db: db.ops.adapt_datefield_value(value)
    if field.get_internal_type() in _PASSED_AS_IS:
        return None
    return lambda value, db: field.get_db_prep_save(value, db)


# Field types whose get_db_prep_save hands the driver the value unchanged on SQLite and
# PostgreSQL (for values of the right Python type, which the services have already checked).
_PASSED_AS_IS = frozenset(
    {
        "AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField",
        "ForeignKey", "IntegerField", "PositiveIntegerField", "PositiveSmallIntegerField",
        "SmallIntegerField", "TextField",
    }
)  # fmt: skip
