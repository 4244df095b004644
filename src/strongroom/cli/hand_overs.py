"""Hand-overs from the command line: send, acknowledge, refuse, call back, list, print."""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from strongroom.cli.base import Context, ExitCode, Subcommands, add_expected_version
from strongroom.cli.output import emit_json, framed_table, save, when
from strongroom.domain.codes import parse_copy_reference
from strongroom.models import HandOver, Person
from strongroom.queries import documents as document_queries
from strongroom.queries import hand_overs as queries
from strongroom.queries import people as people_queries
from strongroom.services import hand_overs


def _who(person: Person) -> str:
    return f"{person.full_name} ({person.username}, {person.unit.code})"


def _json(hand_over: HandOver) -> dict[str, Any]:
    return {
        "reference": str(hand_over.reference),
        "short_reference": hand_over.short_reference,
        "copy": hand_over.copy.reference,
        "marking": hand_over.copy.document.marking.banner(),
        "sender": hand_over.sender.username,
        "recipient": hand_over.recipient.username,
        "state": hand_over.state,
        "dispatched_at": hand_over.dispatched_at.isoformat(),
        "due_by": hand_over.due_by.isoformat(),
        "resolved_at": hand_over.resolved_at.isoformat() if hand_over.resolved_at else None,
        "note": hand_over.note,
        "version": hand_over.version,
    }


def due_time(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{text!r} is not a time; write e.g. 2026-11-23T17:00+09:00").format(text=text)
        ) from None
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError(
            _("{text!r} has no time zone; write e.g. 2026-11-23T17:00+09:00").format(text=text)
        )
    return value


def run_dispatch(args: argparse.Namespace, ctx: Context) -> int:
    parse_copy_reference(args.copy)
    copy = document_queries.copy(ctx.person, args.copy)
    recipient = people_queries.person(ctx.person, args.to)
    sent = hand_overs.dispatch_hand_over(
        copy, to=recipient, by=ctx.person, due_by=args.due, expected_version=args.expected_version
    )
    ctx.say(
        _(
            "Sent {copy} to {recipient}; it stays yours until they acknowledge it "
            "(by {due}). Receipt {reference}."
        ).format(
            copy=copy.reference,
            recipient=_who(recipient),
            due=sent.due_by.isoformat(timespec="minutes"),
            reference=sent.short_reference,
        )
    )
    return ExitCode.OK


def _resolved(ctx: Context, hand_over: HandOver, message: str) -> int:
    ctx.say(message.format(copy=hand_over.copy.reference, reference=hand_over.short_reference))
    return ExitCode.OK


def run_accept(args: argparse.Namespace, ctx: Context) -> int:
    found = queries.hand_over(ctx.person, args.reference)
    hand_overs.accept_hand_over(found, by=ctx.person, expected_version=args.expected_version)
    return _resolved(ctx, found, _("Acknowledged {copy} (hand-over {reference}); it is yours now."))


def run_refuse(args: argparse.Namespace, ctx: Context) -> int:
    found = queries.hand_over(ctx.person, args.reference)
    hand_overs.refuse_hand_over(
        found, by=ctx.person, reason=args.reason, expected_version=args.expected_version
    )
    return _resolved(
        ctx, found, _("Refused {copy} (hand-over {reference}); it is back with the sender.")
    )


def run_cancel(args: argparse.Namespace, ctx: Context) -> int:
    found = queries.hand_over(ctx.person, args.reference)
    hand_overs.cancel_hand_over(
        found, by=ctx.person, reason=args.reason, expected_version=args.expected_version
    )
    return _resolved(ctx, found, _("Called back {copy} (hand-over {reference})."))


def run_list(args: argparse.Namespace, ctx: Context) -> int:
    found = list(queries.hand_overs(ctx.person, queries.Box(args.box), pending_only=args.pending))
    if args.json:
        emit_json(ctx, [_json(item) for item in found])
        return ExitCode.OK
    if not found:
        ctx.say(_("No hand-overs."))
        return ExitCode.OK
    rows = [
        (
            item.short_reference,
            item.copy.reference,
            item.copy.document.marking.banner(),
            item.state,
            item.sender.username,
            item.recipient.username,
            when(item.due_by),
        )
        for item in found
    ]
    headers = (_("REF"), _("COPY"), _("MARKING"), _("STATE"), _("FROM"), _("TO"), _("DUE BY"))
    framed_table(ctx, (item.copy.document.marking for item in found), headers, rows)
    return ExitCode.OK


def run_receipt(args: argparse.Namespace, ctx: Context) -> int:
    printed = queries.receipt(ctx.person, args.reference)
    target = save(printed.content, args.output, printed.filename)
    ctx.say(_("Wrote the receipt to {path}.").format(path=target))
    return ExitCode.OK


def _reference(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "reference",
        metavar="REF",
        help=_("the hand-over: the 8 characters on its receipt, or the full reference"),
    )


def add_commands(commands: Subcommands) -> None:
    send = commands.add(
        "hand-over",
        run_dispatch,
        help=_("send a copy you hold to a named person, who must acknowledge it"),
    )
    send.add_argument("copy", metavar="CONTROL/N", help=_("the copy, e.g. HQ-2026-0042/3"))
    send.add_argument("--to", required=True, metavar="USERNAME", help=_("the recipient"))
    send.add_argument(
        "--due",
        type=due_time,
        metavar="TIME",
        help=_("acknowledge by, e.g. 2026-11-23T17:00+09:00 (default: the longest allowed)"),
    )
    add_expected_version(send, _("copy"))

    accept = commands.add(
        "acknowledge", run_accept, help=_("acknowledge a copy handed over to you")
    )
    _reference(accept)
    add_expected_version(accept, _("hand-over"))

    refuse = commands.add(
        "refuse", run_refuse, help=_("refuse a copy handed over to you; it goes back")
    )
    _reference(refuse)
    refuse.add_argument("--reason", default="", help=_("why, kept on the receipt"))
    add_expected_version(refuse, _("hand-over"))

    cancel = commands.add(
        "call-back", run_cancel, help=_("call back a copy you sent before it is acknowledged")
    )
    _reference(cancel)
    cancel.add_argument("--reason", default="", help=_("why, kept on the receipt"))
    add_expected_version(cancel, _("hand-over"))

    listing = commands.add(
        "hand-overs",
        run_list,
        json=True,
        help=_("list hand-overs sent to you, by you, or your units'"),
    )
    listing.add_argument(
        "--box",
        choices=[box.value for box in queries.Box],
        default=queries.Box.INCOMING.value,
        help=_("incoming (default), outgoing, or unit"),
    )
    listing.add_argument(
        "--pending", action="store_true", help=_("only those awaiting acknowledgement")
    )

    receipt = commands.add(
        "receipt", run_receipt, help=_("write a hand-over's receipt as a PDF file")
    )
    _reference(receipt)
    receipt.add_argument(
        "--output", metavar="FILE", help=_("where to write it (default: hand-over-REF.pdf)")
    )
