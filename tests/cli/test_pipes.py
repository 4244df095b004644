"""`strongroom list | head`: a reader that stops early ends the command quietly.

Real processes on a real pipe: the reader takes one line and closes its end while the command
still has most of its output to write, as head(1) does.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from strongroom.cli.base import ExitCode
from tests.cli.long_register import DOCUMENTS, PASSWORD

ROOT = Path(__file__).resolve().parents[2]
# Generous: two interpreters start Django and one builds a database, on a busy machine.
TIMEOUT = 120


@pytest.fixture(scope="module")
def installation(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], Path]:
    """Its own data directory with the long register, and rita's password file."""
    data_dir = tmp_path_factory.mktemp("pipes")
    # Only this installation: no database or user from the calling environment.
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRONGROOM_")}
    env["STRONGROOM_DATA_DIR"] = str(data_dir)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    subprocess.run(
        [sys.executable, "-m", "tests.cli.long_register"],
        cwd=ROOT, env=env, check=True, timeout=TIMEOUT,
    )  # fmt: skip
    password = data_dir / "password"
    password.write_text(PASSWORD + "\n", encoding="utf-8")
    password.chmod(0o600)
    return env, password


def _list(password: Path) -> list[str]:
    return [sys.executable, "-m", "strongroom", "list", "--json", "--limit", "0",
            "--user", "rita", "--password-file", str(password)]  # fmt: skip


def test_a_listing_whose_reader_stops_after_one_line_ends_quietly(
    installation: tuple[dict[str, str], Path],
) -> None:
    env, password = installation
    listing = subprocess.Popen(
        _list(password), cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert listing.stdout is not None and listing.stderr is not None
    first = listing.stdout.readline()
    listing.stdout.close()
    errors = listing.stderr.read().decode()
    code = listing.wait(timeout=TIMEOUT)

    assert first == b"{\n"
    assert errors == ""  # no traceback, no "Exception ignored ... BrokenPipeError"
    assert code == ExitCode.OUTPUT_CLOSED == 141


def test_a_listing_read_to_the_end_still_ends_well(
    installation: tuple[dict[str, str], Path],
) -> None:
    """The same command, read whole: the early flush changes nothing for a patient reader."""
    env, password = installation
    listed = subprocess.run(
        _list(password), cwd=ROOT, env=env, capture_output=True, timeout=TIMEOUT
    )

    assert (listed.returncode, listed.stderr) == (0, b"")
    # Far more than a pipe holds, so the first test's reader leaves most of it unread.
    assert len(listed.stdout) > 128 * 1024
    assert listed.stdout.count(b'"control_number"') == DOCUMENTS
