"""Distribution campaigns from the command line: distribute, list, the board; incidents."""

from __future__ import annotations

import argparse
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from strongroom.cli.base import Context, ExitCode, Subcommands
from strongroom.cli.hand_overs import due_time
from strongroom.cli.output import NOTHING, emit_json, fields, framed, table, when
from strongroom.domain.campaigns import step_word
from strongroom.domain.markings import highest
from strongroom.models import Campaign, Incident
from strongroom.queries import campaigns as queries
from strongroom.queries import documents as document_queries
from strongroom.queries import incidents as incident_queries
from strongroom.queries import people as people_queries
from strongroom.services import campaigns


def _usernames(values: list[str]) -> list[str]:
    """``--to a,b --to c`` -> ``[a, b, c]``; empty names between commas are dropped."""
    return [name.strip() for value in values for name in value.split(",") if name.strip()]


def run_distribute(args: argparse.Namespace, ctx: Context) -> int:
    document = document_queries.document(ctx.person, args.control)
    recipients = [people_queries.person(ctx.person, name) for name in _usernames(args.to)]
    campaign = campaigns.create_campaign(
        document, title=args.title, due_back=args.due, recipients=recipients, by=ctx.person
    )
    items = list(campaign.items.select_related("copy", "recipient").order_by("id"))
    ctx.say(
        _(
            "Campaign {reference}: issued copies {numbers} of {total} of {control} to {people}, "
            "due back by {due}. Its board: strongroom campaign-board {reference}"
        ).format(
            reference=campaign.short_reference,
            numbers=", ".join(str(item.copy.number) for item in items),
            total=document.copy_count,
            control=document.control_number,
            people=", ".join(item.recipient.username for item in items),
            due=when(campaign.due_back),
        )
    )
    return ExitCode.OK


def _campaign_json(campaign: Campaign) -> dict[str, Any]:
    return {
        "reference": str(campaign.reference),
        "short_reference": campaign.short_reference,
        "title": campaign.title,
        "document": campaign.document.control_number,
        "short_title": campaign.document.short_title,
        "marking": campaign.document.marking.banner(),
        "created_by": campaign.created_by.username,
        "created_at": campaign.created_at.isoformat(),
        "due_back": campaign.due_back.isoformat(),
        "closed_at": campaign.closed_at.isoformat() if campaign.closed_at else None,
    }


def run_campaigns(args: argparse.Namespace, ctx: Context) -> int:
    found = list(queries.campaigns(ctx.person, open_only=args.open))
    marking = highest((c.document.marking for c in found), settings.STRONGROOM_MARKING_SCHEME)
    if args.json:
        emit_json(
            ctx,
            {
                "banner": marking.banner(),
                "campaigns": [
                    {**_campaign_json(c), "copies": c.copies, "out": c.out} for c in found
                ],
            },
        )
        return ExitCode.OK
    if not found:
        ctx.say(_("No campaigns."))
        return ExitCode.OK
    rows = [
        (
            c.short_reference,
            c.document.control_number,
            c.title,
            when(c.due_back),
            f"{c.out}/{c.copies}",
            _("open") if c.is_open else _("closed {at}").format(at=when(c.closed_at)),
        )
        for c in found
    ]
    headers = (_("REF"), _("DOCUMENT"), _("TITLE"), _("DUE BACK"), _("OUT"), _("STATE"))
    framed(ctx, marking, table(headers, rows))
    return ExitCode.OK


def run_board(args: argparse.Namespace, ctx: Context) -> int:
    found = queries.campaign(ctx.person, args.reference)
    board = queries.board(found)
    document = found.document
    if args.json:
        emit_json(
            ctx,
            {
                "banner": document.marking.banner(),
                **_campaign_json(found),
                "at": board.at.isoformat(),
                "out": board.out,
                "items": [
                    {
                        "copy": row.item.copy.reference,
                        "number": row.number,
                        "of": row.of,
                        "recipient": row.recipient.username,
                        "holder": row.holder.username if row.holder else None,
                        "issued_at": row.issued_at.isoformat(),
                        "returned_at": row.returned_at.isoformat() if row.returned_at else None,
                        "out": row.out,
                        "days_out": row.days_out,
                        "days_overdue": row.days_overdue,
                        "step": row.step.value if row.step else None,
                        "incident": row.incident.short_reference if row.incident else None,
                    }
                    for row in board.rows
                ],
            },
        )
        return ExitCode.OK
    state = _("open") if found.is_open else _("closed {at}").format(at=when(found.closed_at))
    lines = fields(
        [
            (_("campaign"), f"{found.short_reference} {found.title}"),
            (_("document"), f"{document.control_number} {document.short_title}"),
            (_("issued by"), f"{found.created_by.username}, {when(found.created_at)}"),
            (_("due back"), when(found.due_back)),
            (_("state"), state),
            (_("still out"), f"{board.out} / {len(board.rows)}"),
        ]
    )
    rows = [
        (
            f"{row.number} of {row.of}",
            row.recipient.username,
            row.holder.username if row.holder else NOTHING,
            when(row.issued_at),
            _("back {at}").format(at=when(row.returned_at)) if row.returned_at else _("out"),
            NOTHING if row.days_out is None else str(row.days_out),
            NOTHING if row.days_overdue is None else str(row.days_overdue),
            step_word(row.step).render(_) if row.step else NOTHING,
            row.incident.short_reference if row.incident else NOTHING,
        )
        for row in board.rows
    ]
    headers = (
        _("COPY"),
        _("ISSUED TO"),
        _("HELD BY"),
        _("ISSUED"),
        _("STATE"),
        _("DAYS OUT"),
        _("DAYS OVERDUE"),
        _("ESCALATED TO"),
        _("INCIDENT"),
    )
    framed(ctx, document.marking, [*lines, "", *table(headers, rows)])
    return ExitCode.OK


def _incident_json(incident: Incident) -> dict[str, Any]:
    item = incident.campaign_item
    return {
        "reference": str(incident.reference),
        "short_reference": incident.short_reference,
        "kind": incident.kind,
        "state": incident.state,
        "copy": incident.copy.reference,
        "person": incident.person.username,
        "unit": incident.unit.code,
        "campaign": str(item.campaign.reference) if item else None,
        "opened_at": incident.opened_at.isoformat(),
        "opened_by": incident.opened_by.username if incident.opened_by else None,
        "summary": incident.summary,
    }


def run_incidents(args: argparse.Namespace, ctx: Context) -> int:
    found = list(incident_queries.incidents(ctx.person))
    if args.json:
        emit_json(ctx, [_incident_json(incident) for incident in found])
        return ExitCode.OK
    if not found:
        ctx.say(_("No incidents."))
        return ExitCode.OK
    rows = [
        (
            incident.short_reference,
            when(incident.opened_at),
            incident.kind,
            incident.person.username,
            incident.state,
            incident.summary,
        )
        for incident in found
    ]
    headers = (_("REF"), _("OPENED"), _("KIND"), _("PERSON"), _("STATE"), _("SUMMARY"))
    for line in table(headers, rows):
        ctx.say(line)
    return ExitCode.OK


def add_commands(commands: Subcommands) -> None:
    distribute = commands.add(
        "distribute",
        run_distribute,
        help=_("issue one copy each to a named list, due back by a time (a campaign)"),
    )
    distribute.add_argument("control", metavar="CONTROL", help=_("the document, e.g. HQ-2026-0042"))
    distribute.add_argument("--title", required=True, help=_("what the campaign is, e.g. a course"))
    distribute.add_argument(
        "--due",
        required=True,
        type=due_time,
        metavar="TIME",
        help=_("when the copies are due back, e.g. 2026-12-01T17:00+09:00"),
    )
    distribute.add_argument(
        "--to",
        required=True,
        action="append",
        metavar="USER[,USER...]",
        help=_("the recipients, in order: copies are numbered from the registry in that order"),
    )

    listing = commands.add(
        "campaigns", run_campaigns, json=True, help=_("list the campaigns of your units")
    )
    listing.add_argument("--open", action="store_true", help=_("only those with copies still out"))

    board = commands.add(
        "campaign-board",
        run_board,
        json=True,
        help=_("what a campaign still has out, with whom, for how long, and who was reminded"),
    )
    board.add_argument(
        "reference", metavar="REF", help=_("the campaign: its 8 characters or full reference")
    )

    commands.add(
        "incidents",
        run_incidents,
        json=True,
        help=_("list the incidents of your units (security officers)"),
    )
