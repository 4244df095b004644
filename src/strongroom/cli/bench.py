"""``strongroom bench``: the benchmarks live in strongroom.bench; this only hands over."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from strongroom.cli.base import CliError, Context, ExitCode, optional

if TYPE_CHECKING:
    from strongroom.cli.base import Subcommands


def run_bench(args: argparse.Namespace, ctx: Context) -> int:
    # Looked up by name: the benchmarks are optional, and their imports are heavy.
    run: Callable[[list[str]], int] | None = optional("strongroom.bench", "run")
    if run is None:
        raise CliError(_("the benchmarks are not part of this installation"), ExitCode.FAILED)
    return int(run(list(args.args)))


def add_commands(commands: Subcommands) -> None:
    parser = commands.add(
        "bench",
        run_bench,
        authenticated=False,
        passthrough=True,
        help=_("run the benchmarks; every argument goes to them ('strongroom bench --help')"),
    )
    parser.add_argument("args", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
