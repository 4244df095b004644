"""Check-outs from the command line: lend a copy for reading, check it in, what is out, who read."""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from strongroom.adapters import clock
from strongroom.cli.base import Context, ExitCode, Subcommands
from strongroom.cli.documents import expected_version_option, find_copy
from strongroom.cli.hand_overs import due_time
from strongroom.cli.output import NOTHING, emit_json, framed, framed_table, table, when
from strongroom.models import CheckOut, Person
from strongroom.queries import check_outs as queries
from strongroom.queries import documents as document_queries
from strongroom.queries import people as people_queries
from strongroom.services import check_outs


def _who(person: Person) -> str:
    return f"{person.full_name} ({person.username}, {person.unit.code})"


def _json(check_out: CheckOut, now: datetime) -> dict[str, Any]:
    return {
        "id": check_out.pk,
        "copy": check_out.copy.reference,
        "marking": check_out.copy.document.marking.banner(),
        "reader": check_out.reader.username,
        "lent_by": check_out.lent_by.username,
        "place": check_out.place,
        "checked_out_at": check_out.checked_out_at.isoformat(),
        "due_back": check_out.due_back.isoformat(),
        "overdue": check_out.overdue_at(now),
        "checked_in_at": check_out.checked_in_at.isoformat() if check_out.checked_in_at else None,
        "checked_in_by": check_out.checked_in_by.username if check_out.checked_in_by else None,
        "version": check_out.version,
    }


def run_check_out(args: argparse.Namespace, ctx: Context) -> int:
    copy = find_copy(ctx, args.copy)
    reader = people_queries.person(ctx.person, args.to)
    lent = check_outs.check_out_copy(
        copy,
        to=reader,
        by=ctx.person,
        due_back=args.due,
        place=args.place,
        expected_version=args.expected_version,
    )
    ctx.say(
        _(
            "Lent {copy} to {reader} in the {place}, due back by {due}; it is now at version "
            "{version}."
        ).format(
            copy=copy.reference,
            reader=_who(reader),
            place=lent.place,
            due=when(lent.due_back),
            version=copy.version,
        )
    )
    return ExitCode.OK


def run_check_in(args: argparse.Namespace, ctx: Context) -> int:
    copy = find_copy(ctx, args.copy)
    returned = check_outs.check_in_copy(copy, by=ctx.person, expected_version=args.expected_version)
    message = (
        _("Checked in {copy} from {reader}, after it was due; it is back in the {location}.")
        if returned.checked_in_at and returned.checked_in_at > returned.due_back
        else _("Checked in {copy} from {reader}; it is back in the {location}.")
    )
    ctx.say(
        message.format(copy=copy.reference, reader=_who(returned.reader), location=copy.location)
    )
    return ExitCode.OK


def run_list(args: argparse.Namespace, ctx: Context) -> int:
    now = clock.now()
    found = list(queries.check_outs(ctx.person, overdue_only=args.overdue, now=now))
    if args.json:
        emit_json(ctx, [_json(item, now) for item in found])
        return ExitCode.OK
    if not found:
        ctx.say(_("Nothing is overdue.") if args.overdue else _("No copies are out for reading."))
        return ExitCode.OK
    rows = [
        (
            item.copy.reference,
            item.copy.document.marking.banner(),
            item.reader.username,
            item.place,
            item.lent_by.username,
            when(item.checked_out_at),
            when(item.due_back),
            _("OVERDUE") if item.overdue_at(now) else "",
        )
        for item in found
    ]
    headers = (
        _("COPY"),
        _("MARKING"),
        _("READER"),
        _("WHERE"),
        _("LENT BY"),
        _("OUT SINCE"),
        _("DUE BACK"),
        "",
    )
    framed_table(ctx, (item.copy.document.marking for item in found), headers, rows)
    return ExitCode.OK


def run_readers(args: argparse.Namespace, ctx: Context) -> int:
    document = document_queries.document(ctx.person, args.control)
    now = clock.now()
    found = list(queries.readers_of(ctx.person, document))
    marking = document.marking
    if args.json:
        emit_json(
            ctx,
            {
                "banner": marking.banner(),
                "document": document.control_number,
                "readers": [_json(item, now) for item in found],
            },
        )
        return ExitCode.OK
    lines = [_("Who read {control}:").format(control=document.control_number), ""]
    if found:
        lines += table(
            (
                _("READER"),
                _("COPY"),
                _("WHERE"),
                _("LENT BY"),
                _("OUT"),
                _("DUE BACK"),
                _("CHECKED IN"),
                _("BY"),
            ),
            [
                (
                    item.reader.username,
                    item.copy.reference,
                    item.place,
                    item.lent_by.username,
                    when(item.checked_out_at),
                    when(item.due_back),
                    when(item.checked_in_at) if item.checked_in_at else _("still out"),
                    item.checked_in_by.username if item.checked_in_by else NOTHING,
                )
                for item in found
            ],
        )
    else:
        lines.append(_("Nobody has been lent a copy of it for reading."))
    framed(ctx, marking, lines)
    return ExitCode.OK


def add_commands(commands: Subcommands) -> None:
    lend = commands.add(
        "check-out",
        run_check_out,
        help=_("lend a copy from the registry to a reader (e.g. in the reading room) until a time"),
    )
    lend.add_argument("copy", metavar="CONTROL/N", help=_("the copy, e.g. HQ-2026-0042/3"))
    lend.add_argument("--to", required=True, metavar="USERNAME", help=_("the reader"))
    lend.add_argument(
        "--due",
        required=True,
        type=due_time,
        metavar="TIME",
        help=_("due back by, e.g. 2026-11-23T17:00+09:00"),
    )
    lend.add_argument(
        "--place", default="", metavar="TEXT", help=_("where it is read (default: reading room)")
    )
    expected_version_option(lend)

    back = commands.add(
        "check-in", run_check_in, help=_("check a lent copy in when the reader hands it back")
    )
    back.add_argument("copy", metavar="CONTROL/N", help=_("the copy, e.g. HQ-2026-0042/3"))
    expected_version_option(back)

    listing = commands.add(
        "check-outs",
        run_list,
        json=True,
        help=_("list the copies out for reading now, overdue ones marked"),
    )
    listing.add_argument("--overdue", action="store_true", help=_("only those past due"))

    readers = commands.add(
        "readers",
        run_readers,
        json=True,
        help=_("who read a document: every check-out of its copies"),
    )
    readers.add_argument("control", metavar="CONTROL", help=_("control number, e.g. HQ-2026-0042"))
