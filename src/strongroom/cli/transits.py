"""Transport from the command line: send a copy to another unit, receive it, confirm the
receipt came back, list transits (and the suspense list), print the record, and authorise or
revoke couriers."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from strongroom.cli.base import Context, ExitCode, Subcommands, add_expected_version
from strongroom.cli.hand_overs import due_time
from strongroom.cli.output import day, emit_json, framed_table, save, table, when
from strongroom.domain.codes import parse_copy_reference
from strongroom.models import CourierAuthorisation, Person, Transit
from strongroom.queries import couriers as courier_queries
from strongroom.queries import documents as document_queries
from strongroom.queries import people as people_queries
from strongroom.queries import transits as queries
from strongroom.services import couriers, transits


def _who(person: Person) -> str:
    return f"{person.full_name} ({person.username}, {person.unit.code})"


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _json(transit: Transit) -> dict[str, Any]:
    received_by, confirmed_by = transit.received_by, transit.receipt_confirmed_by
    return {
        "reference": str(transit.reference),
        "short_reference": transit.short_reference,
        "copy": transit.copy.reference,
        "marking": transit.copy.document.marking.banner(),
        "from_unit": transit.from_unit.code,
        "to_unit": transit.to_unit.code,
        "courier": transit.courier.username,
        "dispatched_by": transit.dispatched_by.username,
        "dispatched_at": transit.dispatched_at.isoformat(),
        "expected_by": transit.expected_by.isoformat(),
        "inner_wrapping": transit.inner_wrapping,
        "outer_wrapping": transit.outer_wrapping,
        "state": transit.state,
        "received_at": _iso(transit.received_at),
        "received_by": received_by.username if received_by else None,
        "receipt_returned_at": _iso(transit.receipt_returned_at),
        "receipt_confirmed_by": confirmed_by.username if confirmed_by else None,
        "version": transit.version,
    }


def run_send(args: argparse.Namespace, ctx: Context) -> int:
    parse_copy_reference(args.copy)
    copy = document_queries.copy(ctx.person, args.copy)
    to_unit = people_queries.unit(ctx.person, args.to_unit)
    courier = people_queries.person(ctx.person, args.courier)
    sent = transits.send_copy(
        copy,
        to_unit=to_unit,
        courier=courier,
        inner_wrapping=args.inner,
        outer_wrapping=args.outer,
        expected_by=args.expected,
        expected_version=args.expected_version,
        by=ctx.person,
    )
    ctx.say(
        _(
            "Sent {copy} to the registry of {unit} with {courier}, who answers for it until it "
            "is received (expected by {expected}). Record and receipt {reference}."
        ).format(
            copy=copy.reference,
            unit=to_unit.code,
            courier=_who(courier),
            expected=sent.expected_by.isoformat(timespec="minutes"),
            reference=sent.short_reference,
        )
    )
    return ExitCode.OK


def run_receive(args: argparse.Namespace, ctx: Context) -> int:
    found = queries.transit(ctx.person, args.reference)
    transits.receive_transit(found, by=ctx.person, expected_version=args.expected_version)
    ctx.say(
        _(
            "Received {copy} (transit {reference}) into the registry of {unit}; send the signed "
            "receipt back to {sender}."
        ).format(
            copy=found.copy.reference,
            reference=found.short_reference,
            unit=found.to_unit.code,
            sender=found.from_unit.code,
        )
    )
    return ExitCode.OK


def run_confirm(args: argparse.Namespace, ctx: Context) -> int:
    found = queries.transit(ctx.person, args.reference)
    transits.confirm_receipt(found, by=ctx.person, expected_version=args.expected_version)
    ctx.say(
        _("The receipt for {copy} (transit {reference}) is back; the transit is closed.").format(
            copy=found.copy.reference, reference=found.short_reference
        )
    )
    return ExitCode.OK


def run_list(args: argparse.Namespace, ctx: Context) -> int:
    found = list(
        queries.transits(ctx.person, queries.Box(args.box), suspense=args.suspense, late=args.late)
    )
    if args.json:
        emit_json(ctx, [_json(item) for item in found])
        return ExitCode.OK
    if not found:
        ctx.say(_("No transits."))
        return ExitCode.OK
    rows = [
        (
            item.short_reference,
            item.copy.reference,
            item.copy.document.marking.banner(),
            item.state,
            item.from_unit.code,
            item.to_unit.code,
            item.courier.username,
            when(item.expected_by),
        )
        for item in found
    ]
    headers = (
        _("REF"),
        _("COPY"),
        _("MARKING"),
        _("STATE"),
        _("FROM"),
        _("TO"),
        _("COURIER"),
        _("EXPECTED BY"),
    )
    framed_table(ctx, (item.copy.document.marking for item in found), headers, rows)
    return ExitCode.OK


def run_receipt(args: argparse.Namespace, ctx: Context) -> int:
    printed = queries.receipt(ctx.person, args.reference)
    target = save(printed.content, args.output, printed.filename)
    ctx.say(_("Wrote the record and receipt to {path}.").format(path=target))
    return ExitCode.OK


def _authorisation_json(row: CourierAuthorisation) -> dict[str, Any]:
    return {
        "courier": row.courier.username,
        "unit": row.courier.unit.code,
        "level": row.level_name,
        "valid_from": row.valid_from.isoformat(),
        "valid_until": row.valid_until.isoformat(),
        "note": row.note,
        "granted_by": row.granted_by.username,
        "revoked_at": _iso(row.revoked_at),
        "revoked_because": row.revoked_because,
    }


def run_authorise(args: argparse.Namespace, ctx: Context) -> int:
    courier = people_queries.person(ctx.person, args.username)
    granted = couriers.authorise_courier(
        courier,
        level=args.level,
        valid_from=args.valid_from,
        valid_until=args.until,
        note=args.note,
        by=ctx.person,
    )
    ctx.say(
        _("{person} may carry material up to {level} from {start} until {until}.").format(
            person=_who(courier),
            level=granted.level_name,
            start=granted.valid_from.isoformat(),
            until=granted.valid_until.isoformat(),
        )
    )
    return ExitCode.OK


def run_revoke(args: argparse.Namespace, ctx: Context) -> int:
    courier = people_queries.person(ctx.person, args.username)
    couriers.revoke_courier(courier, reason=args.reason, by=ctx.person)
    ctx.say(_("{person} may no longer carry material as a courier.").format(person=_who(courier)))
    return ExitCode.OK


def run_couriers(args: argparse.Namespace, ctx: Context) -> int:
    found = list(courier_queries.authorisations(ctx.person, live_only=not args.all))
    if args.json:
        emit_json(ctx, [_authorisation_json(row) for row in found])
        return ExitCode.OK
    if not found:
        ctx.say(_("No courier authorisations."))
        return ExitCode.OK
    rows = [
        (
            row.courier.username,
            row.courier.unit.code,
            row.level_name,
            day(row.valid_from),
            day(row.valid_until),
            row.granted_by.username,
            when(row.revoked_at),
        )
        for row in found
    ]
    headers = (_("COURIER"), _("UNIT"), _("UP TO"), _("FROM"), _("UNTIL"), _("BY"), _("REVOKED"))
    for line in table(headers, rows):
        ctx.say(line)
    return ExitCode.OK


def a_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{text!r} is not a date; write it as YYYY-MM-DD").format(text=text)
        ) from None


def _reference(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "reference",
        metavar="REF",
        help=_("the transit: the 8 characters on its record and receipt, or the full reference"),
    )


def add_commands(commands: Subcommands) -> None:
    # --expected-version is every move's option: one wording, and one bound on V (cli.base).
    send = commands.add(
        "send",
        run_send,
        help=_("send a copy from its registry to another unit's, with an authorised courier"),
    )
    send.add_argument("copy", metavar="CONTROL/N", help=_("the copy, e.g. HQ-2026-0042/3"))
    send.add_argument(
        "--to-unit", required=True, metavar="CODE", help=_("the unit whose registry receives it")
    )
    send.add_argument(
        "--courier", required=True, metavar="USERNAME", help=_("the authorised courier")
    )
    send.add_argument(
        "--expected",
        type=due_time,
        metavar="TIME",
        help=_("expected arrival, e.g. 2026-11-23T17:00+09:00 (default: the longest allowed)"),
    )
    send.add_argument(
        "--inner", required=True, metavar="TEXT", help=_("the inner wrapping, marked")
    )
    send.add_argument(
        "--outer", required=True, metavar="TEXT", help=_("the outer wrapping, unmarked")
    )
    add_expected_version(send, _("copy"))

    receive = commands.add(
        "receive", run_receive, help=_("receive a transit into your unit's registry")
    )
    _reference(receive)
    add_expected_version(receive, _("transit"))

    confirm = commands.add(
        "confirm-receipt",
        run_confirm,
        help=_("record that a transit's signed receipt is back at your registry"),
    )
    _reference(confirm)
    add_expected_version(confirm, _("transit"))

    listing = commands.add(
        "transits",
        run_list,
        json=True,
        help=_("list transits of your units' registries, or carried or sent by you"),
    )
    listing.add_argument(
        "--box",
        choices=[box.value for box in queries.Box],
        default=queries.Box.ALL.value,
        help=_("all (default), outgoing, incoming, or carrying"),
    )
    listing.add_argument(
        "--suspense",
        action="store_true",
        help=_("only those whose receipt is not yet back at the sending registry"),
    )
    listing.add_argument(
        "--late", action="store_true", help=_("only those not received by their expected time")
    )

    receipt = commands.add(
        "transit-receipt",
        run_receipt,
        help=_("write a transit's record and receipt as a PDF file"),
    )
    _reference(receipt)
    receipt.add_argument(
        "--output", metavar="FILE", help=_("where to write it (default: transit-REF.pdf)")
    )

    authorise = commands.add(
        "authorise-courier",
        run_authorise,
        help=_("authorise a person to carry material between units (security officers)"),
    )
    authorise.add_argument("username", metavar="USERNAME", help=_("the courier"))
    authorise.add_argument(
        "--level", required=True, metavar="LEVEL", help=_("the highest level, e.g. SECRET")
    )
    authorise.add_argument(
        "--until", required=True, type=a_date, metavar="DATE", help=_("the last day, included")
    )
    authorise.add_argument(
        "--from",
        dest="valid_from",
        type=a_date,
        metavar="DATE",
        help=_("the first day (default: today)"),
    )
    authorise.add_argument("--note", default="", metavar="TEXT", help=_("a note, e.g. the route"))

    revoke = commands.add(
        "revoke-courier",
        run_revoke,
        help=_("revoke a courier's authorisation at once (security officers)"),
    )
    revoke.add_argument("username", metavar="USERNAME", help=_("the courier"))
    revoke.add_argument("--reason", required=True, metavar="TEXT", help=_("why"))

    listed = commands.add(
        "couriers",
        run_couriers,
        json=True,
        help=_("list courier authorisations: yours, and your units' people's"),
    )
    listed.add_argument(
        "--all", action="store_true", help=_("include revoked and expired authorisations")
    )
