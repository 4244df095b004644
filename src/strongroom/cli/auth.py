"""Who is acting: every command that reveals or changes controlled information runs as a named
person who has just proved who they are. There is no "system" identity to fall back on.

Sources, command line before environment: ``--token``, ``--user`` with ``--password-file`` or a
prompt, then ``STRONGROOM_TOKEN``, then ``STRONGROOM_USER`` with ``STRONGROOM_PASSWORD_FILE`` or a
prompt.
"""

from __future__ import annotations

import argparse
import os

from django.contrib.auth import authenticate as django_authenticate
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from strongroom.cli.base import (
    CliError,
    Context,
    ExitCode,
    ask,
    ask_secret,
    interactive,
    read_secret_file,
)
from strongroom.models import Person

USER_ENV = "STRONGROOM_USER"
PASSWORD_FILE_ENV = "STRONGROOM_PASSWORD_FILE"
TOKEN_ENV = "STRONGROOM_TOKEN"


def add_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(_("who acts"))
    group.add_argument(
        "--user", metavar="NAME", help=_("act as this person (default: $%s)") % USER_ENV
    )
    group.add_argument(
        "--password-file",
        metavar="PATH",
        help=_("read the password from the first line of PATH instead of prompting (default: $%s)")
        % PASSWORD_FILE_ENV,
    )
    group.add_argument(
        "--token",
        metavar="KEY",
        help=_("act as the holder of this API token (default: $%s)") % TOKEN_ENV,
    )


def _env(name: str) -> str:
    return os.environ.get(name, "").strip()


def _password(args: argparse.Namespace, ctx: Context) -> str:
    if args.password_file:
        return read_secret_file(args.password_file, source="--password-file", ctx=ctx)
    if _env(PASSWORD_FILE_ENV):
        return read_secret_file(_env(PASSWORD_FILE_ENV), source=PASSWORD_FILE_ENV, ctx=ctx)
    if interactive():
        return ask_secret(_("Password: "))
    raise CliError(
        _("no password: give --password-file PATH or set {env}, or run at a terminal").format(
            env=PASSWORD_FILE_ENV
        )
    )


def _by_token(key: str) -> Person:
    token = Token.objects.select_related("user").filter(key=key.strip()).first()
    # Same words for an unknown token and a suspended holder: a guesser learns nothing.
    if token is None or not token.user.is_active:
        raise CliError(
            _("sign-in failed: the token is not valid or its holder may not act"),
            ExitCode.REFUSED,
        )
    return Person.objects.select_related("unit").get(pk=token.user.pk)


def _by_password(username: str, args: argparse.Namespace, ctx: Context) -> Person:
    # Usernames are stored lower case; people type them as they like.
    username = username.strip().lower()
    password = _password(args, ctx)
    user = django_authenticate(username=username, password=password)
    if user is None:
        # The backend also refuses inactive (suspended, departed) people; say the same for all.
        raise CliError(
            _("sign-in failed: wrong username or password, or the account may not act"),
            ExitCode.REFUSED,
        )
    return Person.objects.select_related("unit").get(pk=user.pk)


def authenticate(args: argparse.Namespace, ctx: Context) -> Person:
    """The person the command acts as, or CliError(REFUSED) if they cannot prove it."""
    if args.token and args.user:
        raise CliError(_("give either --user or --token, not both"))
    if args.token:
        return _by_token(args.token)
    if args.user:
        return _by_password(args.user, args, ctx)
    if _env(TOKEN_ENV):
        return _by_token(_env(TOKEN_ENV))
    if _env(USER_ENV):
        return _by_password(_env(USER_ENV), args, ctx)
    if interactive():
        username = ask(_("Username: "))
        if username:
            return _by_password(username, args, ctx)
    raise CliError(
        _("say who is acting: --user NAME (or ${user}), or --token KEY (or ${token})").format(
            user=USER_ENV, token=TOKEN_ENV
        )
    )
