"""Two people acting on the same copy at the same moment: exactly one succeeds, the other is
told that someone else was first. Real processes on a real database file (SQLite, which has no
row locks: the version columns and conditional updates do the work) and on PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
POSTGRES = os.environ.get("POSTGRES_TEST_URL", "postgresql://postgres@127.0.0.1:5432/test")


def _postgres_database() -> Iterator[str]:
    import psycopg

    name = f"race_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(POSTGRES, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"no PostgreSQL at {POSTGRES}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield POSTGRES.rsplit("/", 1)[0] + f"/{name}"
        finally:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def environment(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRONGROOM_")}
    env["STRONGROOM_DATA_DIR"] = str(tmp_path)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    if request.param == "sqlite":
        yield env
        return
    for url in _postgres_database():
        yield {**env, "STRONGROOM_DATABASE_URL": url}


def _run(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.concurrency.race", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _race(env: dict[str, str], tmp_path: Path, contenders: list[tuple[str, str]]) -> list[str]:
    barrier = tmp_path / f"go-{uuid.uuid4().hex}"
    racers = [_run(env, what, who, str(barrier)) for what, who in contenders]
    ready = [Path(f"{barrier}.ready-{who}") for _, who in contenders]
    deadline = time.monotonic() + 120
    while not all(path.exists() for path in ready):
        assert all(r.poll() is None for r in racers), "a racer stopped before the start"
        assert time.monotonic() < deadline, "the racers did not get ready"
        time.sleep(0.01)
    barrier.touch()
    outcomes = []
    for racer in racers:
        out, err = racer.communicate(timeout=120)
        assert racer.returncode == 0, err
        outcomes.append(out.strip())
    return outcomes


def _setup(env: dict[str, str]) -> None:
    done = _run(env, "setup")
    _, err = done.communicate(timeout=300)
    assert done.returncode == 0, err


def _verify(env: dict[str, str]) -> None:
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='strongroom.config.settings';"
        "django.setup(); from strongroom.ledger.verify import verify; r = verify();"
        "print('ok' if r.ok else r.problems)"
    )
    checked = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert checked.stdout.strip() == "ok", checked.stdout + checked.stderr


@pytest.mark.slow
def test_four_issue_the_same_copy_at_once_and_exactly_one_wins(
    environment: dict[str, str], tmp_path: Path
) -> None:
    _setup(environment)

    outcomes = _race(environment, tmp_path, [("issue", f"staff{n}") for n in range(4)])

    assert outcomes.count("ok") == 1, outcomes
    losers = [o for o in outcomes if o != "ok"]
    assert all("was moved by someone else a moment ago" in o for o in losers), losers
    _verify(environment)


@pytest.mark.slow
def test_acknowledge_and_call_back_at_once_exactly_one_wins(
    environment: dict[str, str], tmp_path: Path
) -> None:
    _setup(environment)

    outcomes = _race(environment, tmp_path, [("accept", "staff1"), ("cancel", "staff0")])

    assert sorted(o == "ok" for o in outcomes) == [False, True], outcomes
    [loser] = [o for o in outcomes if o != "ok"]
    assert "changed by someone else a moment ago" in loser
    _verify(environment)
