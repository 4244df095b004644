"""init, migrate, serve, demo and bench: the commands that act before anyone can sign in."""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler

from strongroom.cli import setup
from strongroom.models import Person, Unit
from tests.cli.conftest import Cli
from tests.conftest import PASSWORD, Organisation

INIT = [
    "init",
    "--unit-code",
    "hq",
    "--unit-name",
    "Headquarters",
    "--username",
    "Olga",
    "--full-name",
    "Olga Officer",
]


def test_init_creates_the_first_unit_and_security_officer(
    db: None, cli: Cli, password_file: Path
) -> None:
    result = cli(*INIT, "--password-file", str(password_file))

    assert result.code == 0, result.err
    assert "security officer olga" in result.out
    officer = Person.objects.get()
    assert officer.unit.code == "HQ"
    assert officer.check_password(PASSWORD)
    assert {r.value for r in officer.role_set} == {"security_officer", "administrator"}


def test_init_refuses_when_already_initialised(
    org: Organisation, cli: Cli, password_file: Path
) -> None:
    result = cli(*INIT, "--password-file", str(password_file))

    assert result.code == 4
    assert "already initialised" in result.err
    assert Person.objects.filter(username="olga").count() == 1


def test_init_asks_for_what_is_missing_and_the_password_twice(
    db: None, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter(["NORTH", "North Province", "nina", "Nina North"])
    secrets = iter([PASSWORD, PASSWORD])
    monkeypatch.setattr(setup, "interactive", lambda: True)
    monkeypatch.setattr(setup, "ask", lambda prompt: next(answers))
    monkeypatch.setattr(setup, "ask_secret", lambda prompt: next(secrets))

    result = cli("init")

    assert result.code == 0, result.err
    assert Person.objects.get().username == "nina"


def test_init_creates_nothing_when_the_passwords_differ(
    db: None, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    secrets = iter([PASSWORD, PASSWORD + "x"])
    monkeypatch.setattr(setup, "interactive", lambda: True)
    monkeypatch.setattr(setup, "ask_secret", lambda prompt: next(secrets))

    result = cli(*INIT)

    assert result.code == 2
    assert "passwords differ" in result.err
    assert not Unit.objects.exists()


def test_init_in_a_script_names_the_missing_option(db: None, cli: Cli) -> None:
    result = cli("init", "--unit-code", "HQ")

    assert result.code == 2
    assert "--unit-name is required" in result.err


def test_init_rejects_a_weak_password_without_a_traceback(
    db: None, cli: Cli, tmp_path: Path
) -> None:
    weak = tmp_path / "weak"
    weak.write_text("password\n")
    weak.chmod(0o600)

    result = cli(*INIT, "--password-file", str(weak))

    assert result.code == 2
    assert "Traceback" not in result.err
    assert result.err.startswith("strongroom: error: ")
    assert not Person.objects.exists()


def test_migrate_reports_the_schema_is_current(db: None, cli: Cli) -> None:
    result = cli("migrate")

    assert result.code == 0, result.err


def test_serve_runs_the_threaded_server_with_static_files(
    db: None, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[dict[str, Any]] = []

    def fake_run(addr: str, port: int, handler: Any, **options: Any) -> None:
        calls.append({"addr": addr, "port": port, "handler": handler, **options})
        options["on_bind"](port)

    monkeypatch.setattr(setup, "run_server", fake_run)

    result = cli("serve", "--port", "8123")

    assert result.code == 0, result.err
    assert "http://127.0.0.1:8123/" in result.out
    [call] = calls
    assert call["threading"] is True
    assert isinstance(call["handler"], StaticFilesHandler)


def test_serve_explains_a_port_in_use(db: None, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    def busy(*args: Any, **kwargs: Any) -> None:
        raise OSError(98, "Address already in use")

    monkeypatch.setattr(setup, "run_server", busy)

    result = cli("serve")

    assert result.code == 1
    assert "Address already in use" in result.err


@dataclass
class FakeLogin:
    username: str
    password: str
    role_description: str


def test_demo_prints_one_login_per_persona_and_can_serve(
    db: None, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    loads: list[TextIO] = []

    def load_demo(*, out: TextIO) -> list[FakeLogin]:
        loads.append(out)
        return [
            FakeLogin("rita", "demo-pass-1", "registrar at HQ"),
            FakeLogin("wally", "demo-pass-2", "staff, never cleared"),
        ]

    monkeypatch.setitem(sys.modules, "strongroom.demo", types.SimpleNamespace(load_demo=load_demo))
    served: list[int] = []
    monkeypatch.setattr(setup, "run_server", lambda addr, port, handler, **kw: served.append(port))

    result = cli("demo", "--serve", "--port", "8765")

    assert result.code == 0, result.err
    assert len(loads) == 1
    assert "rita" in result.out and "demo-pass-1" in result.out and "registrar at HQ" in result.out
    assert "wally" in result.out
    assert served == [8765]


def test_the_real_demo_loads_once_and_prints_logins_every_time(db: None, cli: Cli) -> None:
    first = cli("demo")
    people = Person.objects.count()
    second = cli("demo")

    assert first.code == second.code == 0, first.err + second.err
    assert people > 0
    assert Person.objects.count() == people
    assert "Demo logins" in second.out


def test_bench_hands_every_argument_on(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[list[str]] = []

    def run(argv: list[str]) -> int:
        seen.append(argv)
        return 7

    monkeypatch.setitem(sys.modules, "strongroom.bench", types.SimpleNamespace(run=run))

    result = cli("bench", "--help", "--size", "10")

    assert result.code == 7
    assert seen == [["--help", "--size", "10"]]


def test_the_real_bench_answers_help(cli: Cli) -> None:
    result = cli("bench", "--help")

    assert result.code == 0, result.err
    assert result.out
