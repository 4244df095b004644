"""verify() with a real second process: the forked parallel pass agrees with the serial pass.

The ``db`` fixture's transaction would hide the data from a forked process, so these tests load
the demonstration history (``strongroom demo``) into a scratch database of their own, and run
verify() in a separate Python process against it, before and after tampering with the database
behind the application's back. The scratch database is an SQLite file, or, when the tests run
against PostgreSQL (``STRONGROOM_DATABASE_URL``), a scratch database on that server.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

POSTGRES = os.environ.get("STRONGROOM_DATABASE_URL", "").startswith(("postgres://", "postgresql:"))
DEMO_PASSWORD = "strongroom-demo"

# Run in the other process: both passes, the parallel pass alone (None unless it agrees), and
# verify() as called by default, told the demo ledger is large: did it try the parallel pass?
VERIFY = """
import json, django
django.setup()
from strongroom.ledger import verify as v
assert v._may_fork(True), "this process could not fork"
serial = v.verify(parallel=False)
alone = v._verify_in_parallel(force=True)
either = v.verify(parallel=True)
v._PARALLEL_MINIMUM = 0
tried = []
in_parallel = v._verify_in_parallel
v._verify_in_parallel = lambda **options: tried.append(options) or in_parallel(**options)
default = v.verify()
print(json.dumps({
    "serial": [serial.entries, serial.problems],
    "parallel": [either.entries, either.problems],
    "alone": None if alone is None else [alone.entries, alone.problems],
    "default": [default.entries, default.problems],
    "default tried the parallel pass": bool(tried),
    "cores": v._cores(),
}))
"""


@dataclass
class Scratch:
    """One scratch installation: its environment, and a way to run SQL behind the triggers."""

    env: dict[str, str]
    tamper: Callable[[list[str]], None]

    def run(self, *argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, *argv], env=self.env, capture_output=True, text=True, check=False
        )

    def verify(self) -> dict[str, Any]:
        done = self.run("-c", VERIFY)
        assert done.returncode == 0, done.stderr
        result: dict[str, Any] = json.loads(done.stdout)
        return result


def _environment(data_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRONGROOM_")}
    env.update(
        STRONGROOM_DATA_DIR=str(data_dir),
        STRONGROOM_DEBUG="false",
        DJANGO_SETTINGS_MODULE="strongroom.config.settings",
    )
    if database_url:
        env["STRONGROOM_DATABASE_URL"] = database_url
    return env


def _load_demo(env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "strongroom", "demo"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


# -- SQLite: a data directory copied for each test ----------------------------------------------


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("demo")
    _load_demo(_environment(data_dir, None))
    import sqlite3  # the module settings chose: a current SQLite

    # Everything into the main file, so that copying the directory copies the database.
    with closing(sqlite3.connect(data_dir / "strongroom.sqlite3")) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return data_dir


def _sqlite_scratch(demo: Path, tmp_path: Path) -> Scratch:
    data_dir = tmp_path / "data"
    shutil.copytree(demo, data_dir)

    def tamper(statements: list[str]) -> None:
        import sqlite3

        with closing(sqlite3.connect(data_dir / "strongroom.sqlite3")) as db:
            db.execute("DROP TRIGGER IF EXISTS ledger_entry_no_update")
            db.execute("DROP TRIGGER IF EXISTS ledger_entry_no_delete")
            for statement in statements:
                db.execute(statement)
            db.commit()

    return Scratch(_environment(data_dir, None), tamper)


# -- PostgreSQL: a database made from a template for each test ----------------------------------


def _server(database: str) -> str:
    url = urlsplit(os.environ["STRONGROOM_DATABASE_URL"])
    return urlunsplit(url._replace(path=f"/{database}"))


def _admin(statement: str) -> None:
    import psycopg

    with psycopg.connect(_server("postgres"), autocommit=True) as db:
        db.execute(statement)  # type: ignore[arg-type,unused-ignore]  # names made here


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    name = f"strongroom_forked_{uuid.uuid4().hex[:12]}"
    _admin(f'CREATE DATABASE "{name}"')
    try:
        _load_demo(_environment(tmp_path_factory.mktemp("demo"), _server(name)))
        yield name
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _postgres_scratch(template: str, tmp_path: Path) -> Iterator[Scratch]:
    import psycopg

    name = f"{template}_{uuid.uuid4().hex[:8]}"
    _admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')

    def tamper(statements: list[str]) -> None:
        with psycopg.connect(_server(name), autocommit=True) as db:
            # What a superuser can do: skip the triggers for this session.
            db.execute("SET session_replication_role = replica")
            for statement in statements:
                db.execute(statement)  # type: ignore[arg-type,unused-ignore]

    try:
        yield Scratch(_environment(tmp_path, _server(name)), tamper)
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def scratch(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Scratch]:
    if POSTGRES:
        yield from _postgres_scratch(request.getfixturevalue("demo_database"), tmp_path)
    else:
        yield _sqlite_scratch(request.getfixturevalue("demo_files"), tmp_path)


# -- the tests ----------------------------------------------------------------------------------


def _default_as_serial(result: dict[str, Any]) -> None:
    """The default verify() reported what the serial pass did, trying the parallel pass first
    wherever there are two cores to run it on."""
    assert result["default"] == result["serial"]
    assert result["default tried the parallel pass"] == (result["cores"] >= 2)


# The demo has approved reproductions and received transits late in its history: the
# two-process pass replays them too (replay.MAKING, replay.MOVING).
def test_the_forked_pass_accepts_the_demo_history(scratch: Scratch) -> None:
    result = scratch.verify()
    entries, problems = result["serial"]
    assert entries > 1000 and problems == []
    assert result["alone"] == result["serial"]  # the child ran, and agreed
    assert result["parallel"] == result["serial"]
    _default_as_serial(result)


_ALTERED = (
    "convert_to(replace(convert_from(body, 'UTF8'), '\"v\":1', '\"v\":2'), 'UTF8')"
    if POSTGRES
    else "CAST(replace(CAST(body AS TEXT), '\"v\":1', '\"v\":2') AS BLOB)"
)
TAMPERING = {
    "an entry altered": [f"UPDATE ledger_ledgerentry SET body = {_ALTERED} WHERE seq = 1200"],
    "an entry removed": ["DELETE FROM ledger_ledgerentry WHERE seq = 700"],
    "a subject column changed": [
        "UPDATE ledger_ledgerentry SET subject = 'copy:X' WHERE seq = "
        "(SELECT MAX(seq) FROM ledger_ledgerentry WHERE kind = 'copy.issued')"
    ],
    "a holder changed in the table": [
        "UPDATE strongroom_copy SET holder_id = (SELECT MIN(id) FROM strongroom_person) "
        "WHERE id = (SELECT MAX(id) FROM strongroom_copy WHERE state = 'held')"
    ],
    "a copy row deleted": ["DELETE FROM strongroom_copy WHERE id = 5"],
    "a document's pages changed": ["UPDATE strongroom_document SET pages = pages + 1 WHERE id = 7"],
    "a stored chain hash changed": [
        "UPDATE ledger_ledgerentry SET chain_hash = leaf_hash WHERE seq = 900"
    ],
    "an actor column changed": [
        "UPDATE ledger_ledgerentry SET actor_id = NULL WHERE seq = "
        "(SELECT MAX(seq) FROM ledger_ledgerentry WHERE actor_id IS NOT NULL)"
    ],
    "a clearance suspended in the table only": [
        "UPDATE strongroom_clearance SET status = 'suspended' WHERE id = "
        "(SELECT MIN(id) FROM strongroom_clearance WHERE status = 'active')"
    ],
}


@pytest.mark.parametrize("statements", TAMPERING.values(), ids=TAMPERING.keys())
def test_after_tampering_both_ways_report_the_same(scratch: Scratch, statements: list[str]) -> None:
    scratch.tamper(statements)
    result = scratch.verify()
    assert result["serial"][1], "the tampering went unnoticed"
    assert result["alone"] is None
    assert result["parallel"] == result["serial"]
    _default_as_serial(result)


def test_the_command_reports_what_verify_reports(scratch: Scratch, tmp_path: Path) -> None:
    password = tmp_path / "password"
    password.write_text(DEMO_PASSWORD + "\n")
    password.chmod(0o600)
    command = ["-m", "strongroom", "verify", "--json", "--user", "ines"]
    command += ["--password-file", str(password)]
    scratch.tamper(TAMPERING["a holder changed in the table"])
    done = scratch.run(*command)
    assert done.returncode == 1, done.stderr
    shown = json.loads(done.stdout)
    entries, problems = scratch.verify()["serial"]
    assert (shown["ok"], shown["entries"], shown["problems"]) == (False, entries, problems)


# Run in the other process before verifying: two reproductions approved, so that new copies and
# grown copy counts come from entries the forked pass does not replay itself.
REPRODUCE = """
import django
django.setup()
from strongroom.models import Document, Person
from strongroom.policy import Action, ReproductionFacts
from strongroom.queries.people import may
from strongroom.services import reproductions

people = [p for p in Person.objects.select_related("unit") if p.is_active]
done = 0
for document in Document.objects.select_related("unit").order_by("id"):
    asking = [p for p in people if may(p, Action.REPRODUCTION_REQUEST,
                                       ReproductionFacts(document.facts(), p.pk))]
    for requester in asking:
        facts = ReproductionFacts(document.facts(), requester.pk)
        deciding = [p for p in people if may(p, Action.REPRODUCTION_APPROVE, facts)]
        if deciding:
            asked = reproductions.request_reproduction(
                document, copies=2, reason="forked", by=requester)
            reproductions.approve_reproduction(asked, by=deciding[0])
            done += 1
            break
    if done == 2:
        break
assert done == 2, done
"""


def test_the_forked_pass_agrees_after_reproductions(scratch: Scratch) -> None:
    done = scratch.run("-c", REPRODUCE)
    assert done.returncode == 0, done.stderr
    result = scratch.verify()
    assert result["serial"][1] == []
    assert result["parallel"] == result["serial"]
    assert result["alone"] == result["serial"]  # the child ran, and agreed
    _default_as_serial(result)
