"""``strongroom witness``: cosign another strongroom's checkpoints, as an outside party.

Runs on its own: it needs a witness key file and a state file, never a strongroom database
(it is not ``authenticated`` here: its token is for the log's API, elsewhere).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from strongroom.cli import output
from strongroom.cli.auth import TOKEN_ENV
from strongroom.cli.base import CliError, Context, ExitCode
from strongroom.cli.ledger import policy_verdict
from strongroom.ledger import witness
from strongroom.ledger.keys import KeyFileError, create_key_file, read_key_file
from strongroom.ledger.notes import KeyType, NoteError, Signer, Verifier, parse_vkey

if TYPE_CHECKING:
    from strongroom.cli.base import Subcommands

# Injected by the tests, which answer from the Django test client instead of a server.
UrlFetch = witness.UrlFetch


def _witness_key(args: argparse.Namespace, ctx: Context) -> Signer:
    path = Path(args.key).expanduser()
    if args.new_key is None and not path.exists():
        raise CliError(
            _("--key: there is no key file at {path}; create one with --new-key NAME").format(
                path=path
            )
        )
    try:
        if args.new_key is not None:
            signer = create_key_file(path, args.new_key, KeyType.COSIGNATURE_V1)
            ctx.warn(_("created the witness key {path} (owner-only)").format(path=path))
            return signer
        return read_key_file(path, key_type=KeyType.COSIGNATURE_V1)
    except (KeyFileError, NoteError) as error:
        raise CliError(_("--key: {problem}").format(problem=error)) from None


def _log_key(text: str | None) -> Verifier:
    if not text:
        raise CliError(
            _(
                "--log-key is required: the log's public key, as 'strongroom log-key' prints it "
                "on the log (a witness must know it in advance, to notice if it is replaced)"
            )
        )
    try:
        verifier = parse_vkey(text.strip())
    except NoteError as error:
        raise CliError(_("--log-key: {problem}").format(problem=error)) from None
    if verifier.key_type is not KeyType.ED25519:
        raise CliError(
            _(
                "--log-key: {label} is a type-0x{type:02x} key, not a log's; give the key "
                "'strongroom log-key' prints on the log (type 0x01)"
            ).format(label=verifier.label, type=verifier.key_type)
        )
    return verifier


def _token(args: argparse.Namespace) -> str:
    token = (args.token or os.environ.get(TOKEN_ENV, "")).strip()
    if not token:
        raise CliError(
            _(
                "give the API token to fetch with: --token KEY or ${env} (a token of any "
                "active person on the log)"
            ).format(env=TOKEN_ENV)
        )
    return token


def run_witness(args: argparse.Namespace, ctx: Context) -> int:
    """Create or show the witness key, or cosign the log's latest checkpoint."""
    signer = _witness_key(args, ctx)
    if args.print_key or args.new_key is not None:
        # The key to give the log's administrator for STRONGROOM_WITNESSES.
        ctx.say(signer.verifier.vkey())
        return ExitCode.OK
    if not args.log or not args.state:
        raise CliError(_("give --log URL and --state PATH to witness a log (or --print-key)"))
    try:
        witness.api_base(args.log)
    except witness.WitnessError as error:
        raise CliError(_("--log: {problem}").format(problem=error)) from None
    log_key = _log_key(args.log_key)
    fetch = UrlFetch(_token(args), timeout=args.timeout)
    try:
        done = witness.witness_log(
            args.log, log_key=log_key, key=signer, state=Path(args.state), fetch=fetch
        )
    except (witness.LogKeyChanged, witness.HistoryRewritten, witness.BadCheckpoint) as error:
        raise CliError(
            _("refusing to cosign: {reason}").format(reason=error), ExitCode.FAILED
        ) from None
    except witness.LogAnswered as error:
        signed_in = error.status not in (401, 403)
        raise CliError(str(error), ExitCode.FAILED if signed_in else ExitCode.REFUSED) from None
    except witness.WitnessError as error:
        raise CliError(str(error), ExitCode.FAILED) from None
    witnessed = done.answer.get("witnessed")
    if args.json:
        output.emit_json(
            ctx,
            {
                "origin": done.origin,
                "size": done.size,
                "previous_size": done.previous.size if done.previous else None,
                "cosignature": done.cosignature,
                "witnessed": witnessed,
            },
        )
        return ExitCode.OK
    ctx.say(_describe(done))
    if isinstance(witnessed, dict):
        verdict = policy_verdict(
            met=bool(witnessed.get("met")),
            cosigned=len(witnessed.get("cosigned") or []),
            witnesses=witnessed.get("witnesses"),
            threshold=witnessed.get("threshold"),
        )
        ctx.say(_("the log keeps it; its {verdict}").format(verdict=verdict))
    return ExitCode.OK


def _describe(done: witness.Cosigned) -> str:
    if done.previous is None:
        return _(
            "cosigned {origin} at {size} entries: the first checkpoint this witness has seen of "
            "it, taken as it is"
        ).format(origin=done.origin, size=done.size)
    if done.previous.size == done.size:
        return _("cosigned {origin} at {size} entries again: nothing new since last time").format(
            origin=done.origin, size=done.size
        )
    return _(
        "cosigned {origin} at {size} entries, consistent with the {old} entries cosigned before"
    ).format(origin=done.origin, size=done.size, old=done.previous.size)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(
            _("{text!r} is not a number of seconds from 1 to 3600").format(text=text)
        )
    return value


def add_commands(commands: Subcommands) -> None:
    parser = commands.add(
        "witness",
        run_witness,
        authenticated=False,
        json=True,
        help=_(
            "act as a witness of another strongroom: check that its latest checkpoint extends "
            "the one cosigned before, then cosign it and hand it the cosignature"
        ),
    )
    parser.add_argument(
        "--key",
        required=True,
        metavar="PATH",
        help=_("the witness's own key file (owner-only; never the log's key)"),
    )
    parser.add_argument(
        "--new-key",
        metavar="NAME",
        help=_(
            "create the key file at --key for a witness named NAME (e.g. witness.north.example"
            ".org), print its public key and stop; an existing file is never replaced"
        ),
    )
    parser.add_argument(
        "--print-key",
        action="store_true",
        help=_("print the witness's public key, for the log's STRONGROOM_WITNESSES, and stop"),
    )
    parser.add_argument(
        "--state",
        metavar="PATH",
        help=_(
            "the witness's memory: per log, the last checkpoint it cosigned (JSON, created on "
            "the first run; keep it, or a rewritten history could go unnoticed)"
        ),
    )
    parser.add_argument(
        "--log", metavar="URL", help=_("the log's API, e.g. https://records.example.org/api/v1/")
    )
    parser.add_argument(
        "--log-key",
        metavar="VKEY",
        help=_("the log's public key, as 'strongroom log-key' prints it there"),
    )
    parser.add_argument(
        "--token",
        metavar="KEY",
        help=_("an API token of a person on the log, to fetch with (default: ${env})").format(
            env=TOKEN_ENV
        ),
    )
    parser.add_argument(
        "--timeout",
        type=_seconds,
        default=witness.DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=_("give up on a log that has not answered within SECONDS (default: %(default)s)"),
    )
