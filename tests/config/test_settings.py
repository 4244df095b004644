"""Settings: safe defaults, loud failures that name the variable, and SQLite as promised."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from strongroom.config import env
from strongroom.ledger.notes import KeyType, Signer


def _vkey(name: str, n: int, key_type: KeyType = KeyType.COSIGNATURE_V1) -> str:
    return Signer(name, key_type, bytes([n]) * 32).verifier.vkey()


W1, W2 = _vkey("witness.test/w1", 1), _vkey("witness.test/w2", 2)


def _start(tmp_path: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    """Import the settings in a fresh interpreter, as start-up does."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("STRONGROOM_")}
    environment.update(STRONGROOM_DATA_DIR=str(tmp_path), **variables)
    return subprocess.run(
        [sys.executable, "-c", "import strongroom.config.settings"],
        env=environment, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("variable", "value", "words"),
    [
        ("STRONGROOM_DEBUG", "maybe", "not a yes/no value"),
        ("STRONGROOM_SESSION_SECONDS", "ten", "not a whole number"),
        ("STRONGROOM_SESSION_SECONDS", "5", "at least 60"),
        ("STRONGROOM_DATABASE_URL", "mysql://x/y", "sqlite:// or postgresql://"),
        ("STRONGROOM_DATABASE_URL", "postgresql://host:99999/db", "bad port"),
        ("STRONGROOM_SECRET_KEY", "short", "at least 32 characters"),
        ("STRONGROOM_MARKING_LEVELS", "LOW,,HIGH", "empty name"),
        ("STRONGROOM_COMPARTMENTS", "SECRET", "distinct names"),
        ("STRONGROOM_TIME_ZONE", "Mars/Olympus", "not a time zone"),
        ("STRONGROOM_LOG_LEVEL", "LOUD", "must be one of"),
        ("STRONGROOM_REPRODUCTION_MAX_COPIES", "0", "at least 1"),
        ("STRONGROOM_DESTRUCTION_RETENTION_YEARS", "0", "at least 1"),
        ("STRONGROOM_DESTRUCTION_RETENTION_YEARS", "two", "not a whole number"),
        ("STRONGROOM_DESTRUCTION_WITNESS_DAYS", "0", "at least 1"),
        ("STRONGROOM_DESTRUCTION_WITNESS_DAYS", "soon", "not a whole number"),
        ("STRONGROOM_CAMPAIGN_LADDER", "0,3", "must be 3 whole numbers"),
        ("STRONGROOM_CAMPAIGN_LADDER", "0,three,7", "must be 3 whole numbers"),
        ("STRONGROOM_CAMPAIGN_LADDER", "0,7,3", "each at least the one before it"),
        ("STRONGROOM_CAMPAIGN_GRACE_DAYS", "soon", "not a whole number"),
        ("STRONGROOM_CAMPAIGN_GRACE_DAYS", "5", "must not end before the last reminder"),
        ("STRONGROOM_LOG_ORIGIN", "my log", "no spaces and no '+'"),
        ("STRONGROOM_LOG_ORIGIN", "log+1", "no spaces and no '+'"),
        ("STRONGROOM_LOG_KEY_FILE", "/no/such/dir/log.key", "does not exist"),
        ("STRONGROOM_CHECKPOINT_ENTRIES", "0", "at least 1"),
        ("STRONGROOM_CHECKPOINT_MINUTES", "often", "not a whole number"),
        ("STRONGROOM_WITNESSES", "witness.test/w1+00000000+AAAA", "is not a verifier key"),
        ("STRONGROOM_WITNESSES", f"{W1},nonsense", "witness key 2 ('nonsense') is not a"),
        ("STRONGROOM_WITNESSES", _vkey("log.test", 1, KeyType.ED25519), "type-0x04 key"),
        ("STRONGROOM_WITNESSES", f"{W1} {_vkey('witness.test/w1', 3)}", "is listed twice"),
        ("STRONGROOM_WITNESSES", _vkey("w" * 201, 1), "names of at most 200"),
        ("STRONGROOM_WITNESS_THRESHOLD", "1", "more than the 0 witness(es)"),
        ("STRONGROOM_WITNESS_THRESHOLD", "-1", "at least 0"),
        ("STRONGROOM_WITNESS_THRESHOLD", "all", "not a whole number"),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(tmp_path, variable, value, words):
    started = _start(tmp_path, **{variable: value})
    assert started.returncode != 0
    last_line = started.stderr.strip().splitlines()[-1]
    assert variable in last_line
    assert words in last_line


def test_defaults_start_and_generate_a_private_secret_key(tmp_path):
    started = _start(tmp_path)
    assert started.returncode == 0, started.stderr
    key = tmp_path / "secret_key"
    assert len(key.read_text().strip()) >= 40
    assert key.stat().st_mode & 0o077 == 0


def test_database_urls():
    assert env.database("X", Path("/d/db.sqlite3"))["NAME"] == "/d/db.sqlite3"
    os.environ["STRONGROOM_TEST_URL"] = "postgresql://sam:p%40ss@db.example:5433/records"
    try:
        parsed = env.database("STRONGROOM_TEST_URL", Path("/unused"))
    finally:
        del os.environ["STRONGROOM_TEST_URL"]
    assert parsed["ENGINE"] == "django.db.backends.postgresql"
    assert (parsed["USER"], parsed["PASSWORD"], parsed["HOST"], parsed["PORT"], parsed["NAME"]) == (
        "sam", "p@ss", "db.example", "5433", "records",
    )  # fmt: skip


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite pragmas")
def test_sqlite_is_recent_durable_and_checks_foreign_keys(db):
    with connection.cursor() as cursor:
        cursor.execute("select sqlite_version()")
        version = tuple(int(p) for p in cursor.fetchone()[0].split("."))
        cursor.execute("pragma synchronous")
        synchronous = cursor.fetchone()[0]
        cursor.execute("pragma foreign_keys")
        foreign_keys = cursor.fetchone()[0]
    assert version >= (3, 51, 3)
    assert synchronous == 2  # FULL
    assert foreign_keys == 1
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_sqlite_file_databases_use_wal(tmp_path):
    started = subprocess.run(
        [
            sys.executable, "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='strongroom.config.settings';"
            "django.setup(); from django.db import connection; c = connection.cursor();"
            "c.execute('pragma journal_mode'); print(c.fetchone()[0])",
        ],
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("STRONGROOM_")},
            "STRONGROOM_DATA_DIR": str(tmp_path),
        },
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert started.stdout.strip() == "wal", started.stderr


def _setting(tmp_path: Path, expression: str, **variables: str) -> str:
    """What ``expression`` (over the settings module ``s``) prints in a fresh interpreter."""
    started = subprocess.run(
        [sys.executable, "-c", f"import strongroom.config.settings as s; print({expression})"],
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("STRONGROOM_")},
            "STRONGROOM_DATA_DIR": str(tmp_path),
            **variables,
        },
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert started.returncode == 0, started.stderr
    return started.stdout.strip()


def test_destruction_records_are_kept_two_years_unless_configured(tmp_path):
    def retention(**variables: str) -> str:
        return _setting(tmp_path, "s.STRONGROOM_DESTRUCTION_RETENTION_YEARS", **variables)

    assert retention() == "2"
    assert retention(STRONGROOM_DESTRUCTION_RETENTION_YEARS="5") == "5"


def test_every_witness_must_cosign_unless_fewer_are_required(tmp_path):
    def policy(**variables: str) -> str:
        expression = "len(s.STRONGROOM_WITNESSES), s.STRONGROOM_WITNESS_THRESHOLD"
        return _setting(tmp_path, expression, **variables)

    assert policy() == "0 0"
    assert policy(STRONGROOM_WITNESSES=f"{W1},\n {W2}") == "2 2"
    assert policy(STRONGROOM_WITNESSES=f"{W1},{W2}", STRONGROOM_WITNESS_THRESHOLD="1") == "2 1"
