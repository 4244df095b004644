"""Bringing an installation up: schema, first officer, demo data, and the web server."""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management import call_command
from django.core.servers.basehttp import run as run_server
from django.core.wsgi import get_wsgi_application
from django.utils.translation import gettext as _

from strongroom.cli import output
from strongroom.cli.base import (
    CliError,
    Context,
    ExitCode,
    ask,
    ask_secret,
    interactive,
    optional,
    read_secret_file,
)
from strongroom.models import Person, Unit
from strongroom.services import people

if TYPE_CHECKING:
    from strongroom.cli.base import Subcommands


class DemoLogin(Protocol):
    """What strongroom.demo.load_demo returns for each persona."""

    @property
    def username(self) -> str: ...
    @property
    def password(self) -> str: ...
    @property
    def role_description(self) -> str: ...


def migrate_schema(ctx: Context, *, verbosity: int = 0) -> None:
    # Every command that needs tables calls this first: a fresh checkout then just works.
    call_command("migrate", interactive=False, verbosity=verbosity, stdout=ctx.out)


def _initialised() -> bool:
    return Person.objects.exists() or Unit.objects.exists()


def _value(given: str | None, option: str, prompt: str) -> str:
    if given is not None and given.strip():
        return given.strip()
    if interactive():
        answer = ask(prompt)
        if answer:
            return answer
    raise CliError(_("{option} is required").format(option=option))


def _new_password(args: argparse.Namespace, ctx: Context) -> str:
    if args.password_file:
        return read_secret_file(args.password_file, source="--password-file", ctx=ctx)
    if not interactive():
        raise CliError(_("--password-file is required when not run at a terminal"))
    first = ask_secret(_("Password for the security officer: "))
    if ask_secret(_("The same password again: ")) != first:
        raise CliError(_("the two passwords differ; nothing was created"))
    return first


def run_init(args: argparse.Namespace, ctx: Context) -> int:
    migrate_schema(ctx)
    # Refuse before asking anything: typing a password only to be refused is unkind.
    if _initialised():
        raise CliError(
            _("strongroom is already initialised; sign in as a security officer instead"),
            ExitCode.CONFLICT,
        )
    unit_code = _value(args.unit_code, "--unit-code", _("Code of the first unit (e.g. HQ): "))
    unit_name = _value(args.unit_name, "--unit-name", _("Name of the first unit: "))
    username = _value(args.username, "--username", _("Username of the security officer: "))
    full_name = _value(args.full_name, "--full-name", _("Full name of the security officer: "))
    password = _new_password(args, ctx)
    officer = people.bootstrap(
        unit_code=unit_code,
        unit_name=unit_name,
        username=username,
        full_name=full_name,
        password=password,
    )
    ctx.say(
        _("Initialised: unit {unit} with security officer {username} ({name}).").format(
            unit=officer.unit.code, username=officer.username, name=officer.full_name
        )
    )
    ctx.say(
        _("Next: strongroom serve, and sign in as {username}.").format(username=officer.username)
    )
    return ExitCode.OK


def run_migrate(args: argparse.Namespace, ctx: Context) -> int:
    migrate_schema(ctx, verbosity=1)
    return ExitCode.OK


def serve(ctx: Context, host: str, port: int) -> int:
    # The threaded development server is enough for one office; production sits behind a
    # real WSGI server pointed at strongroom.config.wsgi. Static files come from the app
    # directories, so no collectstatic step is needed for this server.
    handler = StaticFilesHandler(get_wsgi_application())
    shown = f"[{host}]" if ":" in host else host

    def announce(bound_port: object) -> None:  # the stubs say str; Django passes the int port
        ctx.say(
            _("strongroom is serving at http://{host}:{port}/ (Ctrl-C to stop)").format(
                host=shown, port=bound_port
            )
        )
        if host not in settings.ALLOWED_HOSTS and host not in {"0.0.0.0", "::"}:
            ctx.warn(
                _(
                    "warning: {host} is not in STRONGROOM_ALLOWED_HOSTS; requests will be refused"
                ).format(host=host)
            )
        ctx.out.flush()

    try:
        run_server(host, port, handler, ipv6=":" in host, threading=True, on_bind=announce)
    except OSError as error:
        raise CliError(
            _("cannot serve on {host}:{port}: {error}").format(
                host=host, port=port, error=error.strerror or error
            ),
            ExitCode.FAILED,
        ) from None
    except KeyboardInterrupt:
        ctx.say(_("stopped"))
    return ExitCode.OK


def run_serve(args: argparse.Namespace, ctx: Context) -> int:
    migrate_schema(ctx)
    return serve(ctx, args.host, args.port)


def run_demo(args: argparse.Namespace, ctx: Context) -> int:
    load_demo: Callable[..., Iterable[DemoLogin]] | None = optional("strongroom.demo", "load_demo")
    if load_demo is None:
        raise CliError(_("the demo is not part of this installation"), ExitCode.FAILED)
    migrate_schema(ctx)
    logins = list(load_demo(out=ctx.out))
    ctx.say()
    ctx.say(_("Demo logins (one per persona):"))
    rows = [(login.username, login.password, login.role_description) for login in logins]
    for line in output.table([_("USERNAME"), _("PASSWORD"), _("WHO")], rows):
        ctx.say(line)
    if args.serve:
        ctx.say()
        # The periodic checks run beside the web app, as `strongroom worker` would.
        worker = subprocess.Popen([sys.executable, "-m", "strongroom", "worker"])
        ctx.say(_("Started the worker (periodic checks) as process {pid}.").format(pid=worker.pid))
        try:
            return serve(ctx, args.host, args.port)
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
    return ExitCode.OK


def _server_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host", default="127.0.0.1", help=_("address to listen on (default: %(default)s)")
    )
    parser.add_argument(
        "--port",
        type=int,
        default=8000,
        help=_("port to listen on; 0 picks a free one (default: %(default)s)"),
    )


def add_commands(commands: Subcommands) -> None:
    init = commands.add(
        "init",
        run_init,
        help=_("create the database and the first unit and security officer"),
        authenticated=False,
    )
    init.add_argument("--unit-code", help=_("code of the first unit, e.g. HQ"))
    init.add_argument("--unit-name", help=_("name of the first unit"))
    init.add_argument("--username", help=_("username of the first security officer"))
    init.add_argument("--full-name", help=_("full name of the first security officer"))
    init.add_argument(
        "--password-file",
        metavar="PATH",
        help=_(
            "read the officer's password from the first line of PATH instead of prompting twice"
        ),
    )

    commands.add(
        "migrate", run_migrate, help=_("create or update the database schema"), authenticated=False
    )

    serve_parser = commands.add(
        "serve", run_serve, help=_("serve the web application"), authenticated=False
    )
    _server_options(serve_parser)

    demo = commands.add(
        "demo",
        run_demo,
        help=_("load demonstration data (once) and print its logins"),
        authenticated=False,
    )
    demo.add_argument(
        "--serve", action="store_true", help=_("then serve the web application, as 'serve' does")
    )
    _server_options(demo)
