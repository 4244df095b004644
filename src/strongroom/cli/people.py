"""Who is who: the acting person, the units and the people of the organisation."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext as _

from strongroom.adapters import clock
from strongroom.cli import output
from strongroom.cli.base import CliError, Context, ExitCode
from strongroom.cli.documents import iso_date
from strongroom.cli.output import emit_json, framed, table, when
from strongroom.domain.markings import highest
from strongroom.models import Clearance, Person
from strongroom.policy import Action
from strongroom.queries import people as people_queries
from strongroom.queries import timelines as timeline_queries
from strongroom.services import people as people_services

if TYPE_CHECKING:
    from strongroom.cli.base import Subcommands


def _clearance(clearance: Clearance | None) -> str:
    if clearance is None:
        return _("none on record")
    text = f"{clearance.marking().banner()}, {clearance.status}"
    if clearance.expires_on:
        text += _(", expires {day}").format(day=output.day(clearance.expires_on))
    if clearance.briefed_on is None:
        text += _(", not briefed")
    return text


def _roles(person: Person) -> str:
    return ", ".join(sorted(role.label for role in person.role_set)) or output.NOTHING


def run_whoami(args: argparse.Namespace, ctx: Context) -> int:
    me = ctx.person
    for line in output.fields(
        [
            (_("username"), me.username),
            (_("name"), me.full_name),
            (_("unit"), f"{me.unit.code} — {me.unit.name} ({me.unit.path})"),
            (_("roles"), _roles(me)),
            (_("status"), me.status),
            (_("clearance"), _clearance(people_queries.clearance_of(me, me))),
        ]
    ):
        ctx.say(line)
    return ExitCode.OK


def run_units(args: argparse.Namespace, ctx: Context) -> int:
    for line in output.table(
        [_("CODE"), _("NAME"), _("PATH"), _("HEAD")],
        [
            (u.code, u.name, u.path, u.head.username if u.head else output.NOTHING)
            for u in people_queries.units(ctx.person)
        ],
    ):
        ctx.say(line)
    return ExitCode.OK


def run_unit_head(args: argparse.Namespace, ctx: Context) -> int:
    if bool(args.username) == args.none:
        raise CliError(_("give the head's username, or --none to remove the head"))
    unit = people_queries.unit(ctx.person, args.code)
    head = people_queries.person(ctx.person, args.username) if args.username else None
    people_services.set_unit_head(unit, head=head, by=ctx.person)
    if head is None:
        ctx.say(_("{unit} has no head now.").format(unit=unit.code))
    else:
        ctx.say(
            _("{person} is now the head of {unit}.").format(person=head.username, unit=unit.code)
        )
    return ExitCode.OK


def run_people(args: argparse.Namespace, ctx: Context) -> int:
    found = people_queries.people(ctx.person, unit_code=args.unit or "", text=args.q or "")
    rows = []
    for person in found:
        # clearance_of answers None both for "none" and "not yours to see"; tell them apart.
        visible = people_queries.may(ctx.person, Action.CLEARANCE_VIEW, person.as_target())
        clearance = (
            _clearance(people_queries.clearance_of(ctx.person, person))
            if visible
            else _("not shown")
        )
        rows.append(
            (
                person.username,
                person.full_name,
                person.unit.code,
                _roles(person),
                person.status,
                clearance,
            )
        )
    for line in output.table(
        [_("USERNAME"), _("NAME"), _("UNIT"), _("ROLES"), _("STATUS"), _("CLEARANCE")], rows
    ):
        ctx.say(line)
    return ExitCode.OK


def run_held(args: argparse.Namespace, ctx: Context) -> int:
    person = people_queries.person(ctx.person, args.username)
    day = args.on or clock.today()
    found = timeline_queries.held_on(ctx.person, person, day)
    if args.json:
        emit_json(
            ctx,
            {
                "person": person.username,
                "on": day.isoformat(),
                "copies": [
                    {
                        "copy": item.copy.reference,
                        "short_title": item.copy.document.short_title,
                        "marking": item.copy.document.marking.banner(),
                        "state": item.state,
                        "location": item.location,
                        "since": item.since.isoformat(),
                    }
                    for item in found
                ],
            },
        )
        return ExitCode.OK
    if not found:
        ctx.say(
            _("{person} held nothing you may see at the end of {day}.").format(
                person=person.username, day=day.isoformat()
            )
        )
        return ExitCode.OK
    marking = highest((i.copy.document.marking for i in found), settings.STRONGROOM_MARKING_SCHEME)
    rows = [
        (i.copy.reference, i.copy.document.short_title, i.state, when(i.since)) for i in found
    ]
    framed(ctx, marking, table((_("COPY"), _("SHORT TITLE"), _("STATE"), _("SINCE")), rows))
    return ExitCode.OK


def add_commands(commands: Subcommands) -> None:
    commands.add("whoami", run_whoami, help=_("show who you act as: unit, roles and clearance"))
    commands.add("units", run_units, help=_("list the units of the organisation and their heads"))
    head = commands.add(
        "unit-head",
        run_unit_head,
        help=_("appoint the head of a unit, whom campaign reminders escalate to"),
    )
    head.add_argument("code", metavar="CODE", help=_("the unit, e.g. NORTH"))
    head.add_argument(
        "username", metavar="USERNAME", nargs="?", help=_("the new head, one of the unit's people")
    )
    head.add_argument("--none", action="store_true", help=_("remove the unit's head"))
    people = commands.add("people", run_people, help=_("list people, their roles and status"))
    people.add_argument("--unit", metavar="CODE", help=_("only people of this unit"))
    people.add_argument("--q", metavar="TEXT", help=_("words to find in username or full name"))
    held = commands.add(
        "held-by",
        run_held,
        json=True,
        help=_("what a person held at the end of a day (UTC), from the ledger"),
    )
    held.add_argument("username", metavar="USERNAME", help=_("the person"))
    held.add_argument(
        "--on", type=iso_date, metavar="YYYY-MM-DD", help=_("the day (default: today)")
    )
