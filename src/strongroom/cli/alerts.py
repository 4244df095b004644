"""Alerts and the periodic checks: run them once, run the worker, list what needs acting on."""

from __future__ import annotations

import argparse

from django.utils.translation import gettext as _

from strongroom.cli.base import Context, ExitCode, Subcommands
from strongroom.cli.output import emit_json, table, when
from strongroom.queries import alerts as alert_queries
from strongroom.services import alerts


def run_check(args: argparse.Namespace, ctx: Context) -> int:
    results = alerts.run_checks()
    for result in results:
        line = _("{check}: {count} new alert(s)").format(check=result.name, count=result.raised)
        if result.opened:
            line += _(", {count} incident(s) opened").format(count=result.opened)
        ctx.say(line)
    return ExitCode.OK


def run_worker(args: argparse.Namespace, ctx: Context) -> int:
    from huey.consumer import Consumer

    from strongroom.jobs import huey

    ctx.say(_("strongroom worker: running the periodic checks every minute; Ctrl-C stops it."))
    # One worker thread is plenty: the checks are batched and run once a minute.
    Consumer(huey, workers=1, periodic=True).run()
    return ExitCode.OK


def run_alerts(args: argparse.Namespace, ctx: Context) -> int:
    found = list(alert_queries.alerts(ctx.person, open_only=not args.all))
    if args.json:
        emit_json(
            ctx,
            [
                {
                    "kind": alert.kind,
                    "subject": alert.subject,
                    "responsible": alert.responsible.username,
                    "unit": alert.unit.code,
                    "message": alert.message,
                    "raised_at": alert.raised_at.isoformat(),
                    "cleared_at": alert.cleared_at.isoformat() if alert.cleared_at else None,
                }
                for alert in found
            ],
        )
        return ExitCode.OK
    if not found:
        ctx.say(_("No alerts."))
        return ExitCode.OK
    rows = [(when(alert.raised_at), alert.responsible.username, alert.message) for alert in found]
    for line in table((_("RAISED"), _("FOR"), _("ALERT")), rows):
        ctx.say(line)
    return ExitCode.OK


def add_commands(commands: Subcommands) -> None:
    commands.add(
        "check",
        run_check,
        authenticated=False,
        help=_("run every periodic check once now (what the worker does every minute)"),
    )
    commands.add(
        "worker",
        run_worker,
        authenticated=False,
        help=_("run the periodic checks every minute until stopped"),
    )
    listing = commands.add(
        "alerts",
        run_alerts,
        json=True,
        help=_("list the open alerts you must act on (and, for a security officer, your units')"),
    )
    listing.add_argument("--all", action="store_true", help=_("include cleared alerts"))
