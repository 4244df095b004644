"""Checking the ledger (hashes, chain, and the state it describes against the tables), its
signed checkpoints, and inspection bundles: exported here, verified offline."""

from __future__ import annotations

import argparse
import base64
import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from strongroom.cli import offline, output
from strongroom.cli.base import Context, ExitCode
from strongroom.cli.documents import iso_date
from strongroom.cli.output import save
from strongroom.ledger import bundle
from strongroom.queries import ledger as ledger_queries
from strongroom.queries import people as people_queries
from strongroom.queries.ledger import verify_ledger
from strongroom.services import bundles, checkpoints

if TYPE_CHECKING:
    from strongroom.cli.base import Subcommands


def run_verify(args: argparse.Namespace, ctx: Context) -> int:
    # Raises Denied; main records the refusal, as for every refused command.
    report = verify_ledger(ctx.person, limit_problems=args.max_problems, parallel=args.parallel)
    if args.json:
        output.emit_json(
            ctx,
            {
                "ok": report.ok,
                "entries": report.entries,
                "problems": report.problems,
            },
        )
    elif report.ok:
        ctx.say(_("ledger verified: {count} entries, state matches").format(count=report.entries))
    else:
        ctx.say(_("ledger verification FAILED after {count} entries:").format(count=report.entries))
        for problem in report.problems:
            ctx.say(f"  {problem}")
        if len(report.problems) >= args.max_problems:
            ctx.say(
                _("  (stopped after {limit} problems; see --max-problems)").format(
                    limit=args.max_problems
                )
            )
    return ExitCode.OK if report.ok else ExitCode.FAILED


def run_checkpoint(args: argparse.Namespace, ctx: Context) -> int:
    """Sign the ledger's head now (it is otherwise signed by the periodic job) and print it,
    with the witnesses' cosignatures it has so far."""
    checkpoints.sign_checkpoint(by=ctx.person)
    published = ledger_queries.latest_checkpoint()
    if published is None:
        ctx.say(_("the ledger is empty: there is nothing to sign"))
        return ExitCode.OK
    if args.json:
        output.emit_json(
            ctx,
            {
                "origin": published.origin,
                "size": published.size,
                "root_hash": base64.b64encode(published.root).decode(),
                "signed_at": published.signed_at,
                "note": published.note,
                "log_key": published.log_key,
                "witnessed": dataclasses.asdict(published.witnessed),
            },
        )
    else:
        # The note alone on standard output, so that it can be saved and checked as it is.
        ctx.out.write(published.note)
        ctx.warn(_witness_verdict(published.witnessed))
    return ExitCode.OK


def policy_verdict(*, met: bool, cosigned: int, witnesses: object, threshold: object) -> str:
    """One line on the k-of-n witness policy, as `checkpoint` and `witness` say it."""
    return _(
        "witness policy {state}: {cosigned} of {witnesses} witnesses cosigned, {threshold} required"
    ).format(
        state=_("met") if met else _("NOT met"),
        cosigned=cosigned,
        witnesses=witnesses,
        threshold=threshold,
    )


def _witness_verdict(witnessed: ledger_queries.Witnessed) -> str:
    if witnessed.witnesses == 0:
        return _(
            "no witnesses are configured (STRONGROOM_WITNESSES): nobody outside this server "
            "vouches for this checkpoint"
        )
    verdict = policy_verdict(
        met=witnessed.met,
        cosigned=len(witnessed.cosigned),
        witnesses=witnessed.witnesses,
        threshold=witnessed.threshold,
    )
    if witnessed.missing:
        verdict += _("; not yet cosigned by {names}").format(names=", ".join(witnessed.missing))
    return verdict


def run_log_key(args: argparse.Namespace, ctx: Context) -> int:
    """Print the log's public key, which verifies its checkpoints."""
    ctx.say(ledger_queries.log_key())
    return ExitCode.OK


def run_export_bundle(args: argparse.Namespace, ctx: Context) -> int:
    """Write a unit's inspection bundle for a period; the export is recorded in the ledger."""
    unit = people_queries.unit(ctx.person, args.unit)
    default = f"bundle-{unit.code}-{args.first_day}-{args.last_day}.jsonl"
    target = Path(args.output or default)
    # Opened before anything is exported or recorded: a path that cannot be written is bad input.
    file = output.opened(target, bundle.open_for_writing)
    try:
        with file:
            done = bundles.export_bundle(
                unit=unit,
                first_day=args.first_day,
                last_day=args.last_day,
                by=ctx.person,
                out=file,
            )
    except BaseException:
        # Nothing half-written is left behind to be mistaken for a bundle.
        target.unlink(missing_ok=True)
        raise
    log_key = ledger_queries.log_key()
    if args.json:
        output.emit_json(
            ctx,
            {
                "path": str(target),
                "unit": done.unit,
                "from": done.first_day,
                "to": done.last_day,
                "entries": done.entries,
                "withheld": done.withheld,
                "checkpoint_size": done.checkpoint_size,
                "export_record": done.export_record,
                "log_key": log_key,
            },
        )
        return ExitCode.OK
    ctx.say(
        _(
            "Wrote the inspection bundle of {unit} {first}..{last} to {path}: {entries} entries "
            "({withheld} withheld), proven against the checkpoint at size {size}; the export is "
            "entry #{record}."
        ).format(
            unit=done.unit,
            first=done.first_day,
            last=done.last_day,
            path=target,
            entries=done.entries,
            withheld=done.withheld,
            size=done.checkpoint_size,
            record=done.export_record,
        )
    )
    ctx.say(
        _(
            "Check it anywhere, with no database: strongroom verify-bundle {path} --log-key {key}"
        ).format(path=target, key=log_key)
    )
    return ExitCode.OK


def run_verify_bundle(args: argparse.Namespace, ctx: Context) -> int:
    """Reached only through ``strongroom.cli.main`` (tests, embedding): the console script hands
    ``verify-bundle`` to ``strongroom.cli.offline`` before Django is set up."""
    try:
        return offline.run(args, ctx.out, ctx.err)
    except offline.UsageError as error:
        ctx.warn(_("error: {problem}").format(problem=error))
        return ExitCode.USAGE


def run_print_checkpoint(args: argparse.Namespace, ctx: Context) -> int:
    """Print the latest checkpoint on one page, as a PDF."""
    printed = ledger_queries.checkpoint_printout(ctx.person)
    target = save(printed.content, args.output, printed.filename)
    ctx.say(_("Wrote the checkpoint to {path}.").format(path=target))
    return ExitCode.OK


def _at_least_one(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(
            _("{text!r} is not a whole number of at least 1").format(text=text)
        )
    return value


def add_commands(commands: Subcommands) -> None:
    verify_parser = commands.add(
        "verify",
        run_verify,
        json=True,
        help=_("verify the ledger end to end and compare it with the database"),
    )
    verify_parser.add_argument(
        "--max-problems",
        type=_at_least_one,
        default=20,
        metavar="N",
        help=_("stop after N problems (default: %(default)s)"),
    )
    # Both set ``parallel``; with neither it is None, and verify() chooses.
    mode = verify_parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--parallel",
        dest="parallel",
        action="store_const",
        const=True,
        default=None,
        help=_(
            "try the two-process pass first even on a small ledger or a single core; any "
            "problem or doubt falls back to the serial pass, whose report is the answer"
        ),
    )
    mode.add_argument(
        "--serial",
        dest="parallel",
        action="store_const",
        const=False,
        help=_("check in this process only (the reference pass; slower on a large ledger)"),
    )
    commands.add(
        "checkpoint",
        run_checkpoint,
        json=True,
        help=_(
            "sign the ledger's Merkle tree head now and print the checkpoint (a signed note); "
            "the periodic job also signs them"
        ),
    )
    commands.add(
        "log-key",
        run_log_key,
        help=_("print the log's public key, which verifies its checkpoints"),
    )
    export = commands.add(
        "export-bundle",
        run_export_bundle,
        json=True,
        help=_(
            "write the inspection bundle of a unit for a period: its ledger entries with proofs "
            "against a signed checkpoint, checked anywhere by verify-bundle; the export is recorded"
        ),
    )
    export.add_argument(
        "--unit", required=True, metavar="CODE", help=_("the unit; the units below it are included")
    )
    for option, dest, first_or_last in (
        ("--from", "first_day", _("the period's first day (UTC)")),
        ("--to", "last_day", _("the period's last day (UTC), included")),
    ):
        export.add_argument(
            option,
            dest=dest,
            required=True,
            type=iso_date,
            metavar="YYYY-MM-DD",
            help=first_or_last,
        )
    export.add_argument(
        "--output",
        metavar="FILE",
        help=_(
            "where to write it (default: bundle-UNIT-FROM-TO.jsonl); gzip-compressed when the "
            "name ends in .gz"
        ),
    )
    verify_bundle = commands.add(
        offline.COMMAND, run_verify_bundle, authenticated=False, help=offline.HELP
    )
    offline.add_arguments(verify_bundle)
    printout = commands.add(
        "print-checkpoint",
        run_print_checkpoint,
        help=_("print the latest checkpoint on one page (PDF, with its signed note as a QR code)"),
    )
    printout.add_argument(
        "--output", metavar="FILE", help=_("where to write it (default: checkpoint-SIZE.pdf)")
    )
