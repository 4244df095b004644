"""Witnessed destruction from the command line: destroy (the destroyer), witness-destruction,
refuse-destruction, withdraw-destruction, destructions, certificate."""

from __future__ import annotations

import argparse
from typing import Any

from django.utils.translation import gettext as _

from strongroom.cli.base import Context, ExitCode, Subcommands, add_expected_version
from strongroom.cli.documents import iso_date
from strongroom.cli.output import day, emit_json, framed_table, save, when
from strongroom.domain.codes import parse_copy_reference
from strongroom.domain.destruction import Method
from strongroom.models import Destruction, Person
from strongroom.queries import destructions as queries
from strongroom.queries import documents as document_queries
from strongroom.queries import people as people_queries
from strongroom.services import destructions
from strongroom.services.destructions import CallOffService


def _who(person: Person) -> str:
    return f"{person.full_name} ({person.username}, {person.unit.code})"


def _json(destruction: Destruction) -> dict[str, Any]:
    return {
        "reference": str(destruction.reference),
        "short_reference": destruction.short_reference,
        "copy": destruction.copy.reference,
        "marking": destruction.copy.document.marking.banner(),
        "marking_when_proposed": destruction.marking,
        "method": destruction.method,
        "destroyed_on": destruction.destroyed_on,
        "destroyer": destruction.destroyer.username,
        "witness": destruction.witness.username,
        "state": destruction.state,
        "proposed_at": destruction.proposed_at,
        "witnessed_at": destruction.witnessed_at,
        "resolved_at": destruction.resolved_at,
        "kept_until": destruction.kept_until,
        "note": destruction.note,
        "reason": destruction.reason,
        "version": destruction.version,
    }


def run_destroy(args: argparse.Namespace, ctx: Context) -> int:
    parse_copy_reference(args.copy)
    copy = document_queries.copy(ctx.person, args.copy)
    witness = people_queries.person(ctx.person, args.witness)
    proposed = destructions.propose_destruction(
        copy,
        witness=witness,
        method=args.method,
        destroyed_on=args.on,
        note=args.note,
        by=ctx.person,
        expected_version=args.expected_version,
    )
    ctx.say(
        _(
            "Put {copy} forward for destruction by {method} on {day}. It counts as destroyed "
            "only when {witness} countersigns destruction {reference} "
            "('strongroom witness-destruction {reference}')."
        ).format(
            copy=copy.reference,
            method=Method(proposed.method).label,
            day=proposed.destroyed_on.isoformat(),
            witness=_who(witness),
            reference=proposed.short_reference,
        )
    )
    return ExitCode.OK


def run_witness(args: argparse.Namespace, ctx: Context) -> int:
    found = queries.destruction(ctx.person, args.reference)
    destructions.witness_destruction(found, by=ctx.person, expected_version=args.expected_version)
    ctx.say(
        _(
            "Countersigned destruction {reference}: {copy} is destroyed. The record is kept "
            "until {until}; 'strongroom certificate {reference}' prints the certificate."
        ).format(
            reference=found.short_reference,
            copy=found.copy.reference,
            until=day(found.kept_until),
        )
    )
    return ExitCode.OK


def _call_off(args: argparse.Namespace, ctx: Context, service: CallOffService, done: str) -> int:
    found = queries.destruction(ctx.person, args.reference)
    service(found, by=ctx.person, reason=args.reason, expected_version=args.expected_version)
    ctx.say(done.format(reference=found.short_reference, copy=found.copy.reference))
    return ExitCode.OK


def run_refuse(args: argparse.Namespace, ctx: Context) -> int:
    done = _("Refused to countersign destruction {reference}; {copy} is back in the registry.")
    return _call_off(args, ctx, destructions.refuse_destruction, done)


def run_withdraw(args: argparse.Namespace, ctx: Context) -> int:
    done = _("Withdrew destruction {reference}; {copy} is back in the registry.")
    return _call_off(args, ctx, destructions.withdraw_destruction, done)


def run_list(args: argparse.Namespace, ctx: Context) -> int:
    found = list(queries.destructions(ctx.person, queries.Box(args.box), pending_only=args.pending))
    if args.json:
        emit_json(ctx, [_json(item) for item in found])
        return ExitCode.OK
    if not found:
        ctx.say(_("No destructions."))
        return ExitCode.OK
    rows = [
        (
            item.short_reference,
            item.copy.reference,
            item.copy.document.marking.banner(),
            item.state,
            item.method,
            day(item.destroyed_on),
            item.destroyer.username,
            item.witness.username,
            when(item.witnessed_at),
        )
        for item in found
    ]
    headers = (
        _("REF"),
        _("COPY"),
        _("MARKING"),
        _("STATE"),
        _("METHOD"),
        _("DATE"),
        _("DESTROYER"),
        _("WITNESS"),
        _("COUNTERSIGNED"),
    )
    framed_table(ctx, (item.copy.document.marking for item in found), headers, rows)
    return ExitCode.OK


def run_certificate(args: argparse.Namespace, ctx: Context) -> int:
    printed = queries.certificate(ctx.person, args.reference)
    target = save(printed.content, args.output, printed.filename)
    ctx.say(_("Wrote the certificate of destruction to {path}.").format(path=target))
    return ExitCode.OK


def _reference(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "reference",
        metavar="REF",
        help=_("the destruction: the 8 characters it was given, or the full reference"),
    )


def add_commands(commands: Subcommands) -> None:
    destroy = commands.add(
        "destroy",
        run_destroy,
        help=_(
            "sign the destruction of a copy in the registry, naming the witness who countersigns"
        ),
    )
    destroy.add_argument("copy", metavar="CONTROL/N", help=_("the copy, e.g. HQ-2026-0042/3"))
    destroy.add_argument(
        "--method",
        required=True,
        choices=[m.value for m in Method],
        help=_("how it is destroyed; it must fit the copy's medium"),
    )
    destroy.add_argument(
        "--witness", required=True, metavar="USERNAME", help=_("who sees it done and countersigns")
    )
    destroy.add_argument(
        "--on",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help=_("the date of destruction (default: today)"),
    )
    destroy.add_argument("--note", default="", help=_("e.g. a batch or bag number"))
    add_expected_version(destroy, _("copy"))

    witness = commands.add(
        "witness-destruction",
        run_witness,
        help=_("countersign a destruction naming you as witness: the copy is destroyed"),
    )
    _reference(witness)
    add_expected_version(witness, _("destruction"))

    refuse = commands.add(
        "refuse-destruction",
        run_refuse,
        help=_("refuse to countersign a destruction; the copy goes back to the registry"),
    )
    _reference(refuse)
    refuse.add_argument("--reason", required=True, help=_("why, kept in the record"))
    add_expected_version(refuse, _("destruction"))

    withdraw = commands.add(
        "withdraw-destruction",
        run_withdraw,
        help=_("withdraw a destruction awaiting its witness; the copy goes back to the registry"),
    )
    _reference(withdraw)
    withdraw.add_argument("--reason", required=True, help=_("why, kept in the record"))
    add_expected_version(withdraw, _("destruction"))

    listing = commands.add(
        "destructions",
        run_list,
        json=True,
        help=_("list destructions naming you as witness, put forward by you, or your units'"),
    )
    listing.add_argument(
        "--box",
        choices=[box.value for box in queries.Box],
        default=queries.Box.WITNESS.value,
        help=_("witness (default), destroyer, or unit"),
    )
    listing.add_argument(
        "--pending", action="store_true", help=_("only those awaiting the witness")
    )

    certificate = commands.add(
        "certificate", run_certificate, help=_("write a destruction's certificate as a PDF file")
    )
    _reference(certificate)
    certificate.add_argument(
        "--output", metavar="FILE", help=_("where to write it (default: destruction-REF.pdf)")
    )
