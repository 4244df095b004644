"""Queries on the hot path of every decision, compiled once instead of on every call.

Django compiles a queryset to SQL each time it runs; for the handful of statements every
guarded action makes (who is the actor, what is their clearance), compiling cost more than
running. A PreparedQuery builds its queryset once per database vendor with sentinel parameter
values, keeps the SQL, and afterwards only substitutes the real parameters.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Field, Model, QuerySet


class PreparedQuery:
    def __init__(self, build: Callable[..., QuerySet[Any]], *sentinels: object) -> None:
        self._build = build
        self._sentinels = list(sentinels)
        self._sql: dict[str, str] = {}

    def _compiled(self) -> str:
        sql = self._sql.get(connection.vendor)
        if sql is None:
            sql, params = self._build(*self._sentinels).query.sql_with_params()
            # The sentinels must come back as the only parameters, in order; anything else
            # means the queryset added parameters of its own and substitution would be wrong.
            if list(params) != self._sentinels:
                raise RuntimeError(f"prepared query has unexpected parameters {params!r}")
            self._sql[connection.vendor] = sql
        return sql

    def rows(self, *params: Any) -> list[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(self._compiled(), list(params))
            return list(cursor.fetchall())

    def first(self, *params: Any) -> tuple[Any, ...] | None:
        found = self.rows(*params)
        return found[0] if found else None


class PreparedInsert:
    """An INSERT of the given columns (by attname, e.g. ``unit_id``), built once per vendor.

    Values go through each field's own ``get_db_prep_save``, exactly as the ORM would send them.
    """

    def __init__(self, model: type[Model], attnames: Sequence[str]) -> None:
        self._model = model
        self._attnames = tuple(attnames)
        self._sql: dict[tuple[str, bool], str] = {}
        self._field_list: list[Field[Any, Any]] | None = None

    def _fields(self) -> list[Field[Any, Any]]:
        if self._field_list is None:
            by_attname = {field.attname: field for field in self._model._meta.concrete_fields}
            self._field_list = [by_attname[name] for name in self._attnames]
        return self._field_list

    def _compiled(self, returning: bool) -> str:
        key = (connection.vendor, returning)
        sql = self._sql.get(key)
        if sql is None:
            quote = connection.ops.quote_name
            columns = ", ".join(quote(str(field.column)) for field in self._fields())
            placeholders = ", ".join(["%s"] * len(self._attnames))
            table = quote(str(self._model._meta.db_table))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
            if returning:
                # SQLite (3.35+) and PostgreSQL both hand back the new key this way.
                primary_key = self._model._meta.pk
                assert primary_key is not None
                sql += f" RETURNING {quote(str(primary_key.column))}"
            self._sql[key] = sql
        return sql

    def _params(self, row: Sequence[object]) -> list[Any]:
        # The real connection object, not the thread-local proxy: it is read once per value.
        current = connections[DEFAULT_DB_ALIAS]
        return [
            field.get_db_prep_save(value, current)
            for field, value in zip(self._fields(), row, strict=True)
        ]

    def one(self, row: Sequence[object]) -> int:
        """Insert one row and return its new primary key."""
        with connection.cursor() as cursor:
            cursor.execute(self._compiled(returning=True), self._params(row))
            return int(cursor.fetchone()[0])

    def many(self, rows: Sequence[Sequence[object]]) -> None:
        if not rows:
            return
        with connection.cursor() as cursor:
            cursor.executemany(self._compiled(returning=False), [self._params(r) for r in rows])
