"""Reproduction from the command line: ask for copies, approve, refuse, withdraw, list."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from strongroom.cli.base import Context, ExitCode, Subcommands, add_expected_version
from strongroom.cli.output import NOTHING, emit_json, framed_table, when
from strongroom.domain.reproduction import ReproductionState
from strongroom.models import Reproduction
from strongroom.queries import documents as document_queries
from strongroom.queries import reproductions as queries
from strongroom.services import reproductions


def _json(item: Reproduction) -> dict[str, Any]:
    return {
        "reference": str(item.reference),
        "short_reference": item.short_reference,
        "document": item.document.control_number,
        "marking": item.document.marking.banner(),
        "requested_by": item.requested_by.username,
        "requested_at": item.requested_at.isoformat(),
        "copies": item.count,
        "reason": item.reason,
        "state": item.state,
        "decided_by": item.decided_by.username if item.decided_by else None,
        "decided_at": item.decided_at.isoformat() if item.decided_at else None,
        "decision_note": item.decision_note,
        "first_number": item.first_number,
        "last_number": item.last_number,
        "version": item.version,
    }


def run_request(args: argparse.Namespace, ctx: Context) -> int:
    document = document_queries.document(ctx.person, args.control)
    made = reproductions.request_reproduction(
        document, copies=args.copies, reason=args.reason, by=ctx.person
    )
    ctx.say(
        _(
            "Asked for {copies} copies of {control} (request {reference}); nothing is copied "
            "until another registrar approves it."
        ).format(copies=made.count, control=document.control_number, reference=made.short_reference)
    )
    return ExitCode.OK


def _decide(
    args: argparse.Namespace, ctx: Context, act: Callable[..., Reproduction], said: str, **text: str
) -> int:
    found = queries.reproduction(ctx.person, args.reference)
    act(found, by=ctx.person, expected_version=args.expected_version, **text)
    ctx.say(
        said.format(
            reference=found.short_reference,
            first=found.first_number,
            last=found.last_number,
            control=found.document.control_number,
        )
    )
    return ExitCode.OK


def run_approve(args: argparse.Namespace, ctx: Context) -> int:
    said = _(
        "Approved {reference}: copies {first}-{last} of {last} of {control} are in the registry."
    )
    return _decide(args, ctx, reproductions.approve_reproduction, said, note=args.note)


def run_refuse(args: argparse.Namespace, ctx: Context) -> int:
    said = _("Refused {reference}; no copies were made.")
    return _decide(args, ctx, reproductions.refuse_reproduction, said, reason=args.reason)


def run_withdraw(args: argparse.Namespace, ctx: Context) -> int:
    said = _("Withdrew {reference}; no copies were made.")
    return _decide(args, ctx, reproductions.withdraw_reproduction, said, reason=args.reason)


def run_list(args: argparse.Namespace, ctx: Context) -> int:
    if args.document:
        document = document_queries.document(ctx.person, args.document)
        found = queries.of_document(ctx.person, document)
        if args.pending:
            found = [i for i in found if i.reproduction_state is ReproductionState.PENDING]
    else:
        found = list(queries.reproductions(ctx.person, pending_only=args.pending))
    if args.json:
        emit_json(ctx, [_json(item) for item in found])
        return ExitCode.OK
    if not found:
        ctx.say(_("No reproduction requests."))
        return ExitCode.OK
    rows = [
        (
            item.short_reference,
            item.document.control_number,
            item.document.marking.banner(),
            item.state,
            str(item.count),
            item.requested_by.username,
            when(item.requested_at),
            item.decided_by.username if item.decided_by else NOTHING,
            f"{item.first_number}-{item.last_number}" if item.first_number else NOTHING,
        )
        for item in found
    ]
    headers = (
        _("REF"), _("DOCUMENT"), _("MARKING"), _("STATE"), _("COPIES"), _("ASKED BY"),
        _("ASKED"), _("DECIDED BY"), _("MADE"),
    )  # fmt: skip
    framed_table(ctx, (item.document.marking for item in found), headers, rows)
    return ExitCode.OK


def _reference(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "reference",
        metavar="REF",
        help=_("the request: its 8-character reference, or the full one"),
    )


def add_commands(commands: Subcommands) -> None:
    ask = commands.add(
        "reproduce",
        run_request,
        help=_("ask for more copies of a document; another registrar must approve"),
    )
    ask.add_argument("control", metavar="CONTROL", help=_("the document, e.g. HQ-2026-0042"))
    ask.add_argument(
        "--copies", type=int, required=True, metavar="K", help=_("how many more copies")
    )
    ask.add_argument("--reason", required=True, help=_("why, kept in the ledger"))

    approve = commands.add(
        "approve-reproduction",
        run_approve,
        help=_("approve a reproduction request: its copies are made in the registry"),
    )
    _reference(approve)
    approve.add_argument("--note", default="", help=_("a note kept with the decision"))
    add_expected_version(approve, _("request"))

    refuse = commands.add(
        "refuse-reproduction", run_refuse, help=_("refuse a reproduction request, with a reason")
    )
    _reference(refuse)
    refuse.add_argument("--reason", required=True, help=_("why, kept with the decision"))
    add_expected_version(refuse, _("request"))

    withdraw = commands.add(
        "withdraw-reproduction",
        run_withdraw,
        help=_("withdraw your own reproduction request before it is decided"),
    )
    _reference(withdraw)
    withdraw.add_argument("--reason", default="", help=_("why, kept in the ledger"))
    add_expected_version(withdraw, _("request"))

    listing = commands.add(
        "reproductions",
        run_list,
        json=True,
        help=_("list the reproduction records of your units and your own requests"),
    )
    listing.add_argument("--pending", action="store_true", help=_("only those not yet decided"))
    listing.add_argument(
        "--document", metavar="CONTROL", help=_("only the requests of this document")
    )
