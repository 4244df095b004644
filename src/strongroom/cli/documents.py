"""The register: registering documents, reading it, and moving copies in and out of custody."""

from __future__ import annotations

import argparse
from collections import Counter
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.translation import gettext as _

from strongroom.adapters import clock
from strongroom.cli import output
from strongroom.cli.base import CliError, Context, ExitCode, version_number
from strongroom.domain.codes import CONTROL_NUMBER, parse_copy_reference
from strongroom.domain.custody import CopyState
from strongroom.domain.errors import InvalidInput
from strongroom.domain.markings import highest
from strongroom.models import Copy, Destruction, DestructionState, Document, Person
from strongroom.models.documents import Medium
from strongroom.queries import destructions as destruction_queries
from strongroom.queries import documents as document_queries
from strongroom.queries import people as people_queries
from strongroom.services import custody, registry

if TYPE_CHECKING:
    from strongroom.cli.base import Subcommands


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{text!r} is not a date; write YYYY-MM-DD").format(text=text)
        ) from None


def _person(person: Person | None) -> str:
    return f"{person.username} ({person.full_name})" if person else output.NOTHING


def _document_json(document: Document) -> dict[str, Any]:
    return {
        "control_number": document.control_number,
        "marking": document.marking.banner(),
        "short_title": document.short_title,
        "full_title": document.full_title,
        "unit": document.unit.code,
        "originator": document.originator,
        "originator_reference": document.originator_reference,
        "received_on": document.received_on,
        "pages": document.pages,
        "medium": document.medium,
        "copy_count": document.copy_count,
        "registered_by": document.registered_by.username,
        "registered_at": document.registered_at,
        "version": document.version,
    }


def _copy_json(copy: Copy) -> dict[str, Any]:
    return {
        "reference": copy.reference,
        "number": copy.number,
        "state": copy.state,
        "holder": copy.holder.username if copy.holder else None,
        "location": copy.location,
        "since": copy.since,
        "version": copy.version,
    }


# --- register -------------------------------------------------------------------------------


def run_register(args: argparse.Namespace, ctx: Context) -> int:
    actor = ctx.person
    unit = people_queries.unit(actor, args.unit) if args.unit else actor.unit
    document = registry.register_document(
        unit=unit,
        short_title=args.short_title,
        full_title=args.full_title,
        marking=args.marking,
        originator=args.originator,
        originator_reference=args.reference,
        received_on=args.received or clock.today(),
        pages=args.pages,
        medium=args.medium,
        copies=args.copies,
        by=actor,
    )
    if args.json:
        output.emit_json(ctx, {"banner": document.marking.banner(), **_document_json(document)})
        return ExitCode.OK
    ctx.say(
        _("Registered {control} ({marking}): copies 1-{count} are in the {location}.").format(
            control=document.control_number,
            marking=document.marking.banner(),
            count=document.copy_count,
            location=registry.registry_location(unit),
        )
    )
    return ExitCode.OK


# --- list -----------------------------------------------------------------------------------


def _copy_summary(copies: list[Copy]) -> str:
    counts = Counter(copy.copy_state for copy in copies)
    return ", ".join(f"{counts[state]} {state.label}" for state in CopyState if counts[state])


def run_list(args: argparse.Namespace, ctx: Context) -> int:
    criteria = document_queries.RegisterFilter(
        text=args.q or "",
        level=document_queries.parse_level(args.level or ""),
        state=args.state or "",
        unit=(args.unit or "").strip().upper(),
    )
    documents = document_queries.register(ctx.person, criteria)
    total = documents.count()
    shown = list((documents[: args.limit] if args.limit else documents).prefetch_related("copies"))
    marking = highest((d.marking for d in shown), settings.STRONGROOM_MARKING_SCHEME)
    if args.json:
        output.emit_json(
            ctx,
            {
                "banner": marking.banner(),
                "total": total,
                "documents": [
                    {**_document_json(d), "copies": [_copy_json(c) for c in d.copies.all()]}
                    for d in shown
                ],
            },
        )
        return ExitCode.OK
    lines = output.table(
        [_("CONTROL"), _("MARKING"), _("SHORT TITLE"), _("UNIT"), _("RECEIVED"), _("COPIES")],
        [
            (
                d.control_number,
                d.marking.banner(),
                d.short_title,
                d.unit.code,
                output.day(d.received_on),
                _copy_summary(list(d.copies.all())),
            )
            for d in shown
        ],
    )
    if not shown:
        lines.append(_("No documents you may see match."))
    elif len(shown) < total:
        lines.append(
            _("Showing {shown} of {total}; use --limit 0 for all.").format(
                shown=len(shown), total=total
            )
        )
    output.framed(ctx, marking, lines)
    return ExitCode.OK


# --- show -----------------------------------------------------------------------------------


def run_show(args: argparse.Namespace, ctx: Context) -> int:
    document = document_queries.document(ctx.person, args.control)
    copies = list(document_queries.copies_of(document))
    if args.json:
        output.emit_json(
            ctx,
            {
                "banner": document.marking.banner(),
                **_document_json(document),
                "copies": [_copy_json(c) for c in copies],
            },
        )
        return ExitCode.OK
    lines = output.fields(
        [
            (_("control number"), document.control_number),
            (_("marking"), document.marking.banner()),
            (_("short title"), document.short_title),
            (_("full title"), document.full_title),
            (_("unit"), document.unit.code),
            (_("originator"), document.originator),
            (_("reference"), document.originator_reference or output.NOTHING),
            (_("received"), output.day(document.received_on)),
            (_("pages"), str(document.pages)),
            (_("medium"), Medium(document.medium).label),
            (
                _("registered"),
                f"{output.when(document.registered_at)} "
                f"{_('by')} {_person(document.registered_by)}",
            ),
            (_("version"), str(document.version)),
        ]
    )
    lines.append("")
    lines += output.table(
        [_("COPY"), _("STATE"), _("HOLDER"), _("LOCATION"), _("SINCE"), _("VERSION")],
        [
            (
                c.reference,
                c.copy_state.label,
                _person(c.holder),
                c.location,
                output.when(c.since),
                str(c.version),
            )
            for c in copies
        ],
    )
    output.framed(ctx, document.marking, lines)
    return ExitCode.OK


# --- history --------------------------------------------------------------------------------


DETAILS_WIDTH = 70


def _summary(data: dict[str, Any]) -> str:
    """A registration carries every field; a table cell shows the start, --json shows all."""

    def plain(value: object) -> str:
        if isinstance(value, list):
            return "/".join(str(v) for v in value) or output.NOTHING
        if isinstance(value, dict):
            return "{" + _summary(value) + "}"
        return output.NOTHING if value is None or value == "" else str(value)

    text = "; ".join(f"{key}={plain(value)}" for key, value in sorted(data.items()))
    return text if len(text) <= DETAILS_WIDTH else text[: DETAILS_WIDTH - 1] + "…"


def _document_history(ctx: Context, control: str, as_json: bool) -> int:
    document = document_queries.document(ctx.person, control)
    entries = list(document_queries.document_history(document).select_related("actor"))
    if as_json:
        output.emit_json(
            ctx,
            {
                "banner": document.marking.banner(),
                "document": document.control_number,
                "entries": [
                    {
                        "seq": e.seq,
                        "at": e.recorded_at,
                        "actor": e.actor.username if e.actor else None,
                        "kind": e.kind,
                        "subject": e.subject,
                        "data": e.data,
                    }
                    for e in entries
                ],
            },
        )
        return ExitCode.OK
    lines = [_("Ledger history of {control}:").format(control=document.control_number), ""]
    lines += output.table(
        ["#", _("AT"), _("BY"), _("EVENT"), _("SUBJECT"), _("DETAILS")],
        [
            (
                str(e.seq),
                output.when(e.recorded_at),
                e.actor.username if e.actor else output.NOTHING,
                e.kind,
                e.subject.partition(":")[2],
                _summary(e.data),
            )
            for e in entries
        ],
    )
    output.framed(ctx, document.marking, lines)
    return ExitCode.OK


def _destruction_line(destruction: Destruction) -> str:
    """Where the copy's destruction stands, and the command that prints its certificate."""
    if destruction.destruction_state is DestructionState.WITNESSED:
        assert destruction.resolved_at is not None  # countersigned
        return _(
            "Destroyed: destruction {reference}, countersigned by {witness} at {when}; "
            "'strongroom certificate {reference}' prints its certificate."
        ).format(
            reference=destruction.short_reference,
            witness=destruction.witness.username,
            when=output.when(destruction.resolved_at),
        )
    return _(
        "Awaiting destruction {reference}, signed by {destroyer}: {witness} has not "
        "countersigned yet."
    ).format(
        reference=destruction.short_reference,
        destroyer=destruction.destroyer.username,
        witness=destruction.witness.username,
    )


def _copy_history(ctx: Context, reference: str, as_json: bool) -> int:
    copy = document_queries.copy(ctx.person, reference)
    steps = document_queries.copy_history(copy)
    marking = copy.document.marking
    # Pending or witnessed, when the actor may see it: a destroyed copy has no holder and is in
    # no registry, and this is what answers for it.
    destruction = destruction_queries.on_record_for(ctx.person, copy)
    if as_json:
        output.emit_json(
            ctx,
            {
                "banner": marking.banner(),
                "copy": copy.reference,
                "destruction": None
                if destruction is None
                else {
                    "reference": str(destruction.reference),
                    "short_reference": destruction.short_reference,
                    "state": destruction.state,
                },
                "steps": [
                    {
                        "seq": s.seq,
                        "at": s.at,
                        "kind": s.kind,
                        "actor": s.actor,
                        "state": s.state,
                        "holder": s.holder,
                        "location": s.location,
                        "data": s.data,
                    }
                    for s in steps
                ],
            },
        )
        return ExitCode.OK
    lines = [
        _("Custody timeline of {reference} ({label}):").format(
            reference=copy.reference, label=copy.label
        ),
        "",
    ]
    lines += output.table(
        ["#", _("AT"), _("EVENT"), _("AUTHORISED BY"), _("STATE"), _("HOLDER"), _("LOCATION")],
        [
            (
                str(s.seq),
                output.when(s.at),
                s.kind,
                s.actor or output.NOTHING,
                CopyState(s.state).label if s.state else output.NOTHING,
                s.holder or output.NOTHING,
                s.location or output.NOTHING,
            )
            for s in steps
        ],
    )
    if destruction is not None:
        lines += ["", _destruction_line(destruction)]
    output.framed(ctx, marking, lines)
    return ExitCode.OK


def run_history(args: argparse.Namespace, ctx: Context) -> int:
    reference = " ".join(args.reference.split())
    if CONTROL_NUMBER.match(reference.upper()):
        return _document_history(ctx, reference, args.json)
    try:
        parse_copy_reference(reference)
    except InvalidInput:
        raise CliError(
            _(
                "{reference!r} is neither a control number (e.g. HQ-2026-0042) nor a copy "
                "reference (e.g. HQ-2026-0042/3)"
            ).format(reference=reference)
        ) from None
    return _copy_history(ctx, reference, args.json)


# --- issue and return -----------------------------------------------------------------------


def find_copy(ctx: Context, reference: str) -> Copy:
    # Parse first so "HQ-2026-0001" without "/N" is a usage error, not a lookup.
    parse_copy_reference(reference)
    return document_queries.copy(ctx.person, reference)


def run_issue(args: argparse.Namespace, ctx: Context) -> int:
    copy = find_copy(ctx, args.copy)
    recipient = people_queries.person(ctx.person, args.to)
    custody.issue_copy(copy, to=recipient, by=ctx.person, expected_version=args.expected_version)
    ctx.say(
        _("Issued {reference} to {holder}; it is now at version {version}.").format(
            reference=copy.reference, holder=_person(recipient), version=copy.version
        )
    )
    return ExitCode.OK


def run_return(args: argparse.Namespace, ctx: Context) -> int:
    copy = find_copy(ctx, args.copy)
    previous = copy.holder
    custody.return_copy(copy, by=ctx.person, expected_version=args.expected_version)
    ctx.say(
        _(
            "Returned {reference} from {holder} to the {location}; it is now at version {version}."
        ).format(
            reference=copy.reference,
            holder=_person(previous),
            location=copy.location,
            version=copy.version,
        )
    )
    return ExitCode.OK


# --- downgrade ------------------------------------------------------------------------------


def run_downgrade(args: argparse.Namespace, ctx: Context) -> int:
    document = document_queries.document(ctx.person, args.control)
    old = document.marking.banner()
    changed = registry.change_classification(
        document,
        marking=args.marking,
        authority=args.authority,
        reason=args.reason,
        by=ctx.person,
        expected_version=args.expected_version,
    )
    ctx.say(
        _("{control} is now {new} (was {old}), on the authority of {authority}.").format(
            control=changed.control_number,
            new=changed.marking.banner(),
            old=old,
            authority=" ".join(args.authority.split()),
        )
    )
    return ExitCode.OK


# --- parser ---------------------------------------------------------------------------------


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{text!r} is not a whole number").format(text=text)
        ) from None
    if value < 0:
        raise argparse.ArgumentTypeError(_("{text!r} is negative").format(text=text))
    return value


def expected_version_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--expected-version",
        type=version_number,
        metavar="V",
        help=_("refuse (exit 4) unless the copy is still at version V, as shown by 'show'"),
    )


def add_commands(commands: Subcommands) -> None:
    register = commands.add(
        "register",
        run_register,
        json=True,
        help=_("register an incoming document and its numbered copies"),
    )
    register.add_argument(
        "--unit", metavar="CODE", help=_("registering unit (default: your own unit)")
    )
    register.add_argument("--short-title", required=True, help=_("short title"))
    register.add_argument("--full-title", required=True, help=_("full title"))
    register.add_argument(
        "--marking",
        required=True,
        metavar="BANNER",
        help=_("security marking, e.g. 'SECRET//ALPHA//NO COPY'"),
    )
    register.add_argument("--originator", required=True, help=_("who sent the document"))
    register.add_argument("--reference", default="", help=_("the originator's reference"))
    register.add_argument(
        "--received", type=iso_date, metavar="YYYY-MM-DD", help=_("date received (default: today)")
    )
    register.add_argument("--pages", type=_positive, required=True, help=_("number of pages"))
    register.add_argument(
        "--medium",
        choices=list(Medium.values),
        default=Medium.PAPER.value,
        help=_("paper, electronic or removable_media (default: %(default)s)"),
    )
    register.add_argument(
        "--copies", type=_positive, required=True, help=_("number of numbered copies received")
    )

    listing = commands.add(
        "list",
        run_list,
        json=True,
        help=_("list the register: the documents you may see, newest first"),
    )
    listing.add_argument(
        "--q",
        metavar="TEXT",
        help=_("words to find in control number, titles, originator, reference"),
    )
    listing.add_argument("--level", metavar="LEVEL", help=_("only this level, e.g. SECRET"))
    listing.add_argument(
        "--state",
        choices=[s.value for s in CopyState],
        help=_("only documents with a copy in this state"),
    )
    listing.add_argument("--unit", metavar="CODE", help=_("only this unit and the units below"))
    listing.add_argument(
        "--limit",
        type=_positive,
        default=50,
        metavar="N",
        help=_("show at most N documents; 0 for all (default: %(default)s)"),
    )

    show = commands.add(
        "show", run_show, json=True, help=_("show one document and where each of its copies is")
    )
    show.add_argument("control", metavar="CONTROL", help=_("control number, e.g. HQ-2026-0042"))

    history = commands.add(
        "history",
        run_history,
        json=True,
        help=_("the ledger history of a document, or the custody timeline of one copy"),
    )
    history.add_argument(
        "reference", metavar="REF", help=_("CONTROL for the document, CONTROL/N for copy N")
    )

    issue = commands.add("issue", run_issue, help=_("issue a copy from the registry to a person"))
    issue.add_argument("copy", metavar="CONTROL/N", help=_("the copy, e.g. HQ-2026-0042/3"))
    issue.add_argument(
        "--to", required=True, metavar="USERNAME", help=_("the person who will hold it")
    )
    expected_version_option(issue)

    return_ = commands.add("return", run_return, help=_("take a held copy back into the registry"))
    return_.add_argument("copy", metavar="CONTROL/N", help=_("the copy, e.g. HQ-2026-0042/3"))
    expected_version_option(return_)

    downgrade = commands.add(
        "downgrade",
        run_downgrade,
        help=_("downgrade or declassify a document on the order of an authority"),
    )
    downgrade.add_argument(
        "control", metavar="CONTROL", help=_("control number, e.g. HQ-2026-0042")
    )
    downgrade.add_argument(
        "--marking",
        required=True,
        metavar="BANNER",
        help=_("the lower marking, e.g. CONFIDENTIAL (the lowest level declassifies it)"),
    )
    downgrade.add_argument(
        "--authority",
        required=True,
        metavar="TEXT",
        help=_("who ordered it, and by what, e.g. 'Ministry letter MW/12/7 of 2026-03-01'"),
    )
    downgrade.add_argument("--reason", required=True, metavar="TEXT", help=_("why"))
    downgrade.add_argument(
        "--expected-version",
        type=version_number,
        metavar="V",
        help=_("refuse (exit 4) unless the document is still at version V, as shown by 'show'"),
    )
