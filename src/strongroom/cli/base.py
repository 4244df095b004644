"""What every subcommand shares: exit codes, the error a command raises, its context, prompts.

Nothing here touches the ORM at import time, so ``main`` can import it before Django is set up.
"""

from __future__ import annotations

import argparse
import enum
import getpass
import importlib
import os
import stat
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from strongroom.models import Person


class ExitCode(enum.IntEnum):
    OK = 0
    FAILED = 1  # verification found problems, or the database could not be used
    USAGE = 2  # bad input or usage
    REFUSED = 3  # sign-in failed, the rulebook refused, or nothing visible answers to the name
    CONFLICT = 4  # someone changed it first, or its current state does not allow the action
    INTERRUPTED = 130  # the shell convention for Ctrl-C
    # The reader of the output went away first (`strongroom list | head`): what a shell reports
    # for a program that SIGPIPE ended, 128 + 13.
    OUTPUT_CLOSED = 141


class CliError(Exception):
    """A failure the command explains in one line; ``code`` is the exit status."""

    def __init__(self, message: str, code: ExitCode = ExitCode.USAGE) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass
class Context:
    out: TextIO
    err: TextIO
    actor: Person | None = None

    @property
    def person(self) -> Person:
        """The authenticated actor; main authenticates before any command that needs one."""
        if self.actor is None:
            raise RuntimeError("this command runs without an authenticated person")
        return self.actor

    def say(self, text: str = "") -> None:
        print(text, file=self.out)

    def warn(self, text: str) -> None:
        print(f"strongroom: {text}", file=self.err)


# Versions are 32-bit in every table: anything larger is a typing mistake, not a version.
MAX_VERSION = 2**31 - 1


def version_number(text: str) -> int:
    """An argparse type for ``--expected-version``: a whole number from 1 to MAX_VERSION."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{text!r} is not a whole number").format(text=text)
        ) from None
    if not 1 <= value <= MAX_VERSION:
        raise argparse.ArgumentTypeError(
            _("{text!r} is not a version; versions run from 1 to {most}").format(
                text=text, most=MAX_VERSION
            )
        )
    return value


def interactive() -> bool:
    """Prompt only when a person is at the keyboard; scripts must fail, not hang."""
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def ask(prompt: str) -> str:
    return input(prompt).strip()


def ask_secret(prompt: str) -> str:
    return getpass.getpass(prompt)


def optional(module: str, name: str) -> Any:
    """``module.name``, or None when that module (written separately, e.g. the demo) is absent.

    An ImportError from inside a module that does exist is a bug there and is not hidden.
    """
    try:
        found = importlib.import_module(module)
    except ModuleNotFoundError as error:
        if error.name != module:
            raise
        return None
    return getattr(found, name, None)


def read_secret_file(path: str, *, source: str, ctx: Context) -> str:
    """The first line of ``path``; surrounding spaces are part of a password, the newline not."""
    file = Path(path).expanduser()
    try:
        text = file.read_text(encoding="utf-8")
        mode = file.stat().st_mode
    except (OSError, UnicodeDecodeError) as error:
        raise CliError(
            _("{source}: cannot read {path}: {error}").format(
                source=source, path=path, error=getattr(error, "strerror", None) or error
            )
        ) from None
    if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
        ctx.warn(_("warning: {path} can be read by others; chmod 600 it").format(path=path))
    lines = text.splitlines()
    secret = lines[0] if lines else ""
    if not secret:
        raise CliError(_("{source}: {path} is empty").format(source=source, path=path))
    return secret


def add_expected_version(parser: argparse.ArgumentParser, what: str) -> None:
    """``--expected-version V``: refuse unless ``what`` (a copy, a hand-over...) is still at V."""
    parser.add_argument(
        "--expected-version",
        type=version_number,
        metavar="V",
        help=_("refuse (exit 4) unless the {what} is still at version V").format(what=what),
    )


Run = Callable[[argparse.Namespace, Context], int]


class Subcommands:
    """Registers subcommands; each area module calls ``add`` from its ``add_commands``."""

    def __init__(
        self, action: argparse._SubParsersAction, auth_options: argparse.ArgumentParser
    ) -> None:
        self._action = action
        self._auth_options = auth_options
        # Commands that hand their arguments on untouched, e.g. to the benchmark runner.
        self.passthrough: set[str] = set()
        self.parsers: dict[str, argparse.ArgumentParser] = {}

    def add(
        self,
        name: str,
        run: Run,
        *,
        help: str,
        authenticated: bool = True,
        json: bool = False,
        passthrough: bool = False,
    ) -> argparse.ArgumentParser:
        parents = [self._auth_options] if authenticated else []
        parser: argparse.ArgumentParser = self._action.add_parser(
            name, help=help, description=help, parents=parents, add_help=not passthrough
        )
        parser.set_defaults(run=run, authenticated=authenticated)
        self.parsers[name] = parser
        if json:
            parser.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
        if passthrough:
            self.passthrough.add(name)
        return parser
