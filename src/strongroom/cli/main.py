"""The ``strongroom`` command: set Django up, parse, authenticate, dispatch, and turn every
expected failure into one line on stderr and an exit code (see docs/cli.md)."""

from __future__ import annotations

import argparse
import os
import sys
from importlib import metadata
from typing import NoReturn

from django.core.exceptions import ImproperlyConfigured
from django.db.utils import OperationalError, ProgrammingError
from django.utils.translation import gettext as _

from strongroom.cli.base import CliError, Context, ExitCode, Subcommands
from strongroom.domain.errors import (
    Conflict,
    DomainError,
    IllegalTransition,
    NotFound,
    Unavailable,
)
from strongroom.domain.text import Text
from strongroom.policy import Denied

SETTINGS = "strongroom.config.settings"


class Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line and a return code, never ``sys.exit``."""

    def error(self, message: str) -> NoReturn:
        raise CliError(f"{message} (see '{self.prog} --help')", ExitCode.USAGE)


def setup_django() -> None:
    # setdefault, so a deployment (or a test run) can point at its own settings module.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    import django

    django.setup()


def _version() -> str:
    try:
        return metadata.version("strongroom")
    except metadata.PackageNotFoundError:
        return "unknown"


EXIT_CODES = """\
exit codes: 0 done; 1 verification failed or the database cannot be used; 2 bad input or usage;
3 sign-in failed, refused, or not found; 4 changed by someone else or not allowed in its state;
130 interrupted; 141 the reader of the output stopped first (e.g. head)
"""


def build_parser() -> tuple[argparse.ArgumentParser, Subcommands]:
    """The whole command tree. Needs Django set up: the area modules import models."""
    from strongroom.cli import (
        alerts,
        auth,
        bench,
        campaigns,
        check_outs,
        delegations,
        destructions,
        documents,
        hand_overs,
        ledger,
        people,
        reproductions,
        setup,
        transits,
        witness,
    )

    parser = Parser(
        prog="strongroom",
        description=_("Custody and accountability for confidential documents."),
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"strongroom {_version()}")
    action = parser.add_subparsers(dest="command", metavar="COMMAND", title=_("commands"))
    auth_options = Parser(add_help=False)
    auth.add_options(auth_options)
    commands = Subcommands(action, auth_options)
    areas = (
        setup,
        people,
        documents,
        reproductions,
        hand_overs,
        transits,
        check_outs,
        destructions,
        delegations,
        campaigns,
        alerts,
        ledger,
        witness,
        bench,
    )
    for area in areas:
        area.add_commands(commands)
    return parser, commands


def _translated(text: Text) -> str:
    """A domain or policy sentence (an error, a refusal's reason) in the active language."""
    return text.render(_)


def _fail(ctx: Context, message: str, code: ExitCode) -> int:
    print(f"strongroom: error: {message}", file=ctx.err)
    return code


def _record(ctx: Context, denied: Denied) -> None:
    if ctx.actor is None or denied.recorded:
        return
    from strongroom.services.base import record_refusal

    record_refusal(ctx.actor, denied)


def _parse(argv: list[str], ctx: Context) -> argparse.Namespace | int:
    parser, commands = build_parser()
    if argv[:1] and argv[0] in commands.passthrough:
        # argparse cannot hand on options it does not know ("bench --size 10"); skip it.
        run = commands.parsers[argv[0]].get_default("run")
        return argparse.Namespace(command=argv[0], run=run, authenticated=False, args=argv[1:])
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # --help and --version print and stop
        return int(stop.code or 0) if not isinstance(stop.code, str) else ExitCode.USAGE
    if args.command is None:
        parser.print_usage(ctx.err)
        return _fail(ctx, _("give a command (see 'strongroom --help')"), ExitCode.USAGE)
    return args


def _dispatch(argv: list[str], ctx: Context) -> int:
    try:
        parsed = _parse(argv, ctx)
        if isinstance(parsed, int):
            return parsed
        if parsed.authenticated:
            from strongroom.cli import auth

            ctx.actor = auth.authenticate(parsed, ctx)
        return int(parsed.run(parsed, ctx))
    except CliError as error:
        return _fail(ctx, error.message, error.code)
    except Denied as denied:
        _record(ctx, denied)
        if not denied.decision.visible:
            return _fail(ctx, _translated(denied.as_not_found().text), ExitCode.REFUSED)
        reason = _translated(denied.text)
        return _fail(ctx, _("refused: {reason}").format(reason=reason), ExitCode.REFUSED)
    except NotFound as error:
        return _fail(ctx, _translated(error.text), ExitCode.REFUSED)
    except (Conflict, IllegalTransition) as error:
        return _fail(ctx, _translated(error.text), ExitCode.CONFLICT)
    except Unavailable as error:
        return _fail(ctx, _translated(error.text), ExitCode.FAILED)
    except DomainError as error:
        return _fail(ctx, _translated(error.text), ExitCode.USAGE)
    except (OperationalError, ProgrammingError) as error:
        return _fail(
            ctx,
            _(
                "the database cannot be used ({error}); has 'strongroom init' or 'strongroom "
                "migrate' been run?"
            ).format(error=str(error).strip()),
            ExitCode.FAILED,
        )
    except EOFError:
        return _fail(ctx, _("the input ended before the answer"), ExitCode.USAGE)


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the exit code (the console script exits with it)."""
    ctx = Context(out=sys.stdout, err=sys.stderr)
    try:
        setup_django()
    except (ImproperlyConfigured, RuntimeError) as error:
        # Settings fail loudly with a RuntimeError naming the variable (ConfigurationError) or
        # the too-old SQLite; translations are not available yet, so this line stays English.
        return _fail(ctx, f"configuration: {error}", ExitCode.USAGE)
    try:
        code = _dispatch(sys.argv[1:] if argv is None else list(argv), ctx)
        # Flushed here, inside the try: a reader that has gone away is then noticed now, not
        # by the interpreter's own flush at exit, which would complain on stderr.
        ctx.out.flush()
        return code
    except KeyboardInterrupt:
        print(file=ctx.err)
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        return _output_closed()


def _output_closed() -> int:
    """``strongroom list | head``: head has all it wanted; stop quietly, as other tools do.

    Standard output still holds unwritten text, which the interpreter flushes on the way out;
    pointing it at the null device lets that flush succeed instead of failing again (the recipe
    of Python's "Note on SIGPIPE"). SIGPIPE's own default would end the process just as quietly,
    but also on a broken socket (a mail server or database going away mid-write)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return ExitCode.OUTPUT_CLOSED
