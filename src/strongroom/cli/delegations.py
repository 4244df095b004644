"""Delegations from the command line: delegate a duty, revoke it, list them."""

from __future__ import annotations

import argparse
from typing import Any

from django.utils.translation import gettext as _

from strongroom.cli.base import Context, ExitCode, Subcommands, version_number
from strongroom.cli.documents import iso_date
from strongroom.cli.output import emit_json, table
from strongroom.models import Delegation
from strongroom.policy.facts import Duty
from strongroom.queries import delegations as queries
from strongroom.queries import people as people_queries
from strongroom.services import delegations


def _json(item: Delegation) -> dict[str, Any]:
    return {
        "number": item.pk,
        "delegator": item.delegator.username,
        "delegate": item.delegate.username,
        "duty": item.duty,
        "unit": item.unit.code,
        "level": item.level_name,
        "starts_on": item.starts_on.isoformat(),
        "ends_on": item.ends_on.isoformat(),
        "reason": item.reason,
        "revoked_at": item.revoked_at.isoformat() if item.revoked_at else None,
        "version": item.version,
    }


def run_delegate(args: argparse.Namespace, ctx: Context) -> int:
    delegate = people_queries.person(ctx.person, args.to)
    granted = delegations.grant_delegation(
        delegate,
        duty=args.duty,
        level=args.level,
        ends_on=args.until,
        reason=args.reason,
        starts_on=args.start,
        by=ctx.person,
    )
    ctx.say(
        _(
            "Delegation {number}: {person} may {duty} for you up to {level} until {day}; "
            "you remain accountable."
        ).format(
            number=granted.pk,
            person=delegate.username,
            duty=granted.duty_enum.label,
            level=granted.level_name,
            day=granted.ends_on.isoformat(),
        )
    )
    return ExitCode.OK


def run_revoke(args: argparse.Namespace, ctx: Context) -> int:
    found = queries.delegation(ctx.person, args.number)
    delegations.revoke_delegation(
        found, reason=args.reason, by=ctx.person, expected_version=args.expected_version
    )
    ctx.say(_("Delegation {number} is revoked.").format(number=found.pk))
    return ExitCode.OK


def run_list(args: argparse.Namespace, ctx: Context) -> int:
    found = list(
        queries.delegations(ctx.person, queries.Box(args.box), in_force_only=args.in_force)
    )
    if args.json:
        emit_json(ctx, [_json(item) for item in found])
        return ExitCode.OK
    if not found:
        ctx.say(_("No delegations."))
        return ExitCode.OK
    rows = [
        (
            str(item.pk),
            item.delegator.username,
            item.delegate.username,
            item.duty,
            item.level_name,
            f"{item.starts_on.isoformat()}..{item.ends_on.isoformat()}",
            _("revoked") if item.revoked_at else _("granted"),
        )
        for item in found
    ]
    headers = (_("NO"), _("FROM"), _("TO"), _("DUTY"), _("UP TO"), _("DAYS"), _("STATE"))
    for line in table(headers, rows):
        ctx.say(line)
    return ExitCode.OK


def add_commands(commands: Subcommands) -> None:
    delegate = commands.add(
        "delegate",
        run_delegate,
        help=_("hand one of your duties to an eligible person for a limited time"),
    )
    delegate.add_argument("--to", required=True, metavar="USERNAME", help=_("the delegate"))
    delegate.add_argument(
        "--duty",
        required=True,
        choices=[d.value for d in Duty],
        help=_("register (incoming documents) or handle_copies (issue and take back)"),
    )
    delegate.add_argument(
        "--level", required=True, metavar="LEVEL", help=_("the highest level it covers")
    )
    delegate.add_argument(
        "--until", required=True, type=iso_date, metavar="YYYY-MM-DD", help=_("its last day")
    )
    delegate.add_argument(
        "--start", type=iso_date, metavar="YYYY-MM-DD", help=_("its first day (default: today)")
    )
    delegate.add_argument("--reason", required=True, help=_("why; it goes on record"))

    revoke = commands.add(
        "revoke-delegation", run_revoke, help=_("end a delegation before its last day")
    )
    revoke.add_argument("number", metavar="NUMBER", help=_("the delegation's number"))
    revoke.add_argument("--reason", required=True, help=_("why it ends early"))
    revoke.add_argument(
        "--expected-version",
        type=version_number,
        metavar="V",
        help=_("refuse (exit 4) unless the delegation is still at version V"),
    )

    listing = commands.add(
        "delegations",
        run_list,
        json=True,
        help=_("list delegations given to you, by you, or (security officers) of your units"),
    )
    listing.add_argument(
        "--box",
        choices=[b.value for b in queries.Box],
        default=queries.Box.RECEIVED.value,
        help=_("received (default), given, or unit"),
    )
    listing.add_argument("--in-force", action="store_true", help=_("only those in force today"))
