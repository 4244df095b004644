"""Benchmarks behind ``strongroom bench``: ``run(argv) -> exit status``.

Settings are read when Django starts, so the measuring is done by a child process
(``strongroom.bench.child``) whose environment points strongroom at a scratch data directory;
the user's own database and settings are never touched. This module starts it, passes its
output through and removes the scratch directory afterwards. It imports no Django.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Sizes", "parser", "run", "sizes"]

QUICK = {"copies": 300, "entries": 3_000, "writes": 40, "samples": 200, "staff": 12}
FULL = {"copies": 100_000, "entries": 1_000_000, "writes": 1_000, "samples": 2_000, "staff": 200}


@dataclass(frozen=True)
class Sizes:
    copies: int
    entries: int
    writes: int
    samples: int
    staff: int


def parser() -> argparse.ArgumentParser:
    command = argparse.ArgumentParser(
        prog="strongroom bench",
        description=(
            "Measure durable write rates, ledger verification speed and custody lookup latency "
            "on a scratch database, each beside a reference measured in the same run. "
            "Exits 0 whether or not targets are met; non-zero only on errors."
        ),
    )
    command.add_argument(
        "--quick", action="store_true", help="small sizes for a smoke run (seconds, not minutes)"
    )
    command.add_argument(
        "--copies", type=_positive, metavar="N", help=f"copies in the dataset ({FULL['copies']:,})"
    )
    command.add_argument(
        "--entries",
        type=_positive,
        metavar="N",
        help=f"ledger entries in the dataset ({FULL['entries']:,})",
    )
    command.add_argument(
        "--writes",
        type=_positive,
        metavar="N",
        help=f"registrations, and issue/return operations, to time ({FULL['writes']:,} each)",
    )
    command.add_argument(
        "--samples",
        type=_positive,
        metavar="N",
        help=f"copy lookups for the latency percentiles ({FULL['samples']:,})",
    )
    command.add_argument(
        "--keep",
        metavar="DIR",
        help="build the dataset in DIR and keep it; a later run with the same sizes reuses it",
    )
    command.add_argument(
        "--database-url",
        metavar="URL",
        help="an EMPTY scratch database to use instead of an SQLite file in the data directory",
    )
    # Set by run() for the child; not for people.
    command.add_argument("--data-dir", help=argparse.SUPPRESS)
    return command


def _positive(text: str) -> int:
    try:
        value = int(text.replace("_", "").replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be at least 1")
    return value


def sizes(options: argparse.Namespace) -> Sizes:
    """The sizes asked for: explicit options win over --quick, which wins over the defaults."""
    base = QUICK if options.quick else FULL
    chosen = {name: getattr(options, name, None) or default for name, default in base.items()}
    return Sizes(**chosen)


def run(argv: list[str]) -> int:
    """Run the benchmarks and print the table; 0 unless something went wrong."""
    try:
        options = parser().parse_args(argv)
    except SystemExit as stop:  # --help, or a usage error argparse has already explained
        return stop.code if isinstance(stop.code, int) else 2
    scratch: str | None = None
    if options.keep:
        data_dir = Path(options.keep).expanduser().resolve()
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            print(f"strongroom bench: cannot create {data_dir}: {error}", file=sys.stderr)
            return 1
    else:
        scratch = tempfile.mkdtemp(prefix="strongroom-bench-")
        data_dir = Path(scratch)
    try:
        return _child(argv, data_dir, options.database_url)
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def _child(argv: list[str], data_dir: Path, database_url: str | None) -> int:
    env = {name: value for name, value in os.environ.items() if not name.startswith("STRONGROOM_")}
    env.update(
        STRONGROOM_DATA_DIR=str(data_dir),
        # DEBUG keeps every query in memory: a million of them would skew every figure.
        STRONGROOM_DEBUG="false",
        DJANGO_SETTINGS_MODULE="strongroom.config.settings",
        PYTHONUNBUFFERED="1",
    )
    if database_url:
        env["STRONGROOM_DATABASE_URL"] = database_url
    command = [sys.executable, "-m", "strongroom.bench.child", "--data-dir", str(data_dir), *argv]
    with subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
    ) as child:
        assert child.stdout is not None
        try:
            # Passed through line by line, so progress shows as it happens and callers that
            # capture sys.stdout (the CLI's tests) see everything.
            for line in child.stdout:
                sys.stdout.write(line)
                sys.stdout.flush()
            return child.wait()
        except KeyboardInterrupt:
            child.terminate()
            child.wait()
            return 130
