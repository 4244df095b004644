"""Run the command in-process, as a named persona signing in with a password file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from strongroom.cli.main import main
from tests.conftest import PASSWORD


@dataclass
class Result:
    code: int
    out: str
    err: str


Cli = Callable[..., Result]


@pytest.fixture
def password_file(tmp_path: Path) -> Path:
    path = tmp_path / "password"
    path.write_text(PASSWORD + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], password_file: Path) -> Cli:
    """``cli("list", "--json", as_=org.registrar)``; without ``as_`` no credentials are added."""

    def run(*argv: str, as_: Any = None) -> Result:
        capsys.readouterr()
        args = list(argv)
        if as_ is not None:
            args += ["--user", as_.username, "--password-file", str(password_file)]
        code = main(args)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run
