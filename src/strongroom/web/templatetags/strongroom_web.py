"""Banners, badges and labels for the web templates."""

from __future__ import annotations

from typing import Any, Protocol

from django import template
from django.conf import settings
from django.utils.translation import gettext, ngettext

from strongroom.domain.markings import Marking
from strongroom.models import Person
from strongroom.web import labels
from strongroom.web.forms.hand_overs import ScanForm
from strongroom.web.rendering import page_marking

register = template.Library()


def tone(marking: Marking) -> str:
    """The banner colour, by the level's place in the scheme, so any scheme gets sensible colours.

    The lowest level is green, the top level yellow on red, the one below the top orange and any
    in between blue — the colours classification banners conventionally use.
    """
    top = marking.scheme.highest_rank
    if marking.rank == 0:
        return "lowest"
    if marking.rank == top:
        return "highest"
    if marking.rank == top - 1:
        return "high"
    return "middle"


@register.inclusion_tag("strongroom/_banner.html")
def marking_banner(marking: object, position: str, oob: bool = False) -> dict[str, Any]:
    """The banner at the top or bottom of a page; ``oob`` refreshes it from an htmx fragment.

    Pages that show no documents (sign-in, errors) pass no marking and get the lowest level.
    """
    shown = marking if isinstance(marking, Marking) else page_marking(())
    return {"marking": shown, "tone": tone(shown), "position": position, "oob": oob}


@register.inclusion_tag("strongroom/_scan.html")
def scan_field() -> dict[str, Any]:
    """The scan field: on the pages where a desk starts or finishes an operation from paper."""
    return {"scan": ScanForm()}


@register.inclusion_tag("strongroom/_badge.html")
def marking_badge(marking: Marking) -> dict[str, Any]:
    return {"marking": marking, "tone": tone(marking)}


@register.filter
def level_name(rank: int) -> str:
    return str(settings.STRONGROOM_MARKING_SCHEME.level_name(rank))


@register.filter
def copy_state(code: str) -> str:
    return labels.label(labels.COPY_STATES, code)


@register.filter
def hand_over_state(code: str) -> str:
    return labels.label(labels.HAND_OVER_STATES, code)


@register.filter
def reproduction_state(code: str) -> str:
    return labels.label(labels.REPRODUCTION_STATES, code)


@register.filter
def destruction_state(code: str) -> str:
    return labels.label(labels.DESTRUCTION_STATES, code)


@register.filter
def method(code: str) -> str:
    return labels.label(labels.METHODS, code)


@register.filter
def transit_state(code: str) -> str:
    return labels.label(labels.TRANSIT_STATES, code)


@register.filter
def campaign_step(code: str) -> str:
    return labels.label(labels.CAMPAIGN_STEPS, code)


@register.filter
def incident_kind(code: str) -> str:
    return labels.label(labels.INCIDENT_KINDS, code)


@register.filter
def incident_state(code: str) -> str:
    return labels.label(labels.INCIDENT_STATES, code)


@register.filter
def person_status(code: str) -> str:
    return labels.label(labels.PERSON_STATUSES, code)


@register.filter
def clearance_status(code: str) -> str:
    return labels.label(labels.CLEARANCE_STATUSES, code)


@register.filter
def medium(code: str) -> str:
    return labels.label(labels.MEDIA, code)


@register.filter
def event(code: str) -> str:
    return labels.label(labels.EVENTS, code)


@register.filter
def roles(person: Person) -> str:
    names = sorted(labels.label(labels.ROLES, role.value) for role in person.role_set)
    return ", ".join(names) or "—"


class _Entry(Protocol):
    """A ledger entry or a copy-history step: both carry a kind and their data."""

    @property
    def kind(self) -> str: ...

    @property
    def data(self) -> dict[str, Any]: ...


def _plain(value: object) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "—"
    return str(value)


@register.filter
def details(entry: _Entry) -> str:
    """One readable line for a ledger entry's data."""
    data = entry.data
    if entry.kind == "document.registered":
        copies = int(data.get("copy_count") or 0)
        return ngettext(
            "%(marking)s, %(copies)s copy, into %(location)s",
            "%(marking)s, %(copies)s copies, into %(location)s",
            copies,
        ) % {"marking": data.get("marking"), "copies": copies, "location": data.get("location")}
    if entry.kind == "document.corrected":
        changes = "; ".join(
            f"{name}: {_plain(change.get('from'))} → {_plain(change.get('to'))}"
            for name, change in data.get("changes", {}).items()
        )
        return gettext("%(changes)s (reason: %(reason)s)") % {
            "changes": changes,
            "reason": data.get("reason"),
        }
    if entry.kind in ("document.downgraded", "document.declassified"):
        marking = data.get("marking") or {}
        return gettext(
            "%(old)s → %(new)s on the authority of %(authority)s (reason: %(reason)s)"
        ) % {
            "old": marking.get("from"),
            "new": marking.get("to"),
            "authority": data.get("authority"),
            "reason": data.get("reason"),
        }
    if entry.kind == "destruction.proposed":
        return gettext("by %(method)s on %(day)s, to be witnessed by %(witness)s") % {
            "method": method(str(data.get("method"))),
            "day": data.get("destroyed_on"),
            "witness": data.get("witness"),
        }
    if entry.kind == "destruction.witnessed":
        return gettext("put forward by %(destroyer)s; the record is kept until %(until)s") % {
            "destroyer": data.get("destroyer"),
            "until": data.get("kept_until"),
        }
    if entry.kind in ("destruction.refused", "destruction.withdrawn"):
        return gettext("back in the registry (reason: %(reason)s)") % {
            "reason": _plain(data.get("reason")),
        }
    if entry.kind == "copy.issued" and data.get("campaign"):
        return gettext("to %(holder)s in campaign %(campaign)s") % {
            "holder": data.get("holder"),
            "campaign": str(data["campaign"])[:8].upper(),
        }
    if entry.kind == "copy.issued":
        return gettext("to %(holder)s") % {"holder": data.get("holder")}
    if entry.kind == "copy.returned":
        return gettext("from %(holder)s") % {"holder": _plain(data.get("returned_by"))}
    if entry.kind == "hand_over.dispatched":
        return gettext("to %(recipient)s, to be acknowledged by %(due)s") % {
            "recipient": data.get("recipient"),
            "due": data.get("due_by"),
        }
    if entry.kind == "hand_over.accepted":
        return gettext("from %(sender)s") % {"sender": data.get("sender")}
    if entry.kind in ("hand_over.refused", "hand_over.cancelled"):
        return gettext("back to %(holder)s (reason: %(reason)s)") % {
            "holder": data.get("holder"),
            "reason": _plain(data.get("reason")),
        }
    if entry.kind == "reproduction.requested":
        return ngettext(
            "%(copies)s copy asked for (reason: %(reason)s)",
            "%(copies)s copies asked for (reason: %(reason)s)",
            int(data.get("copies") or 0),
        ) % {"copies": data.get("copies"), "reason": _plain(data.get("reason"))}
    if entry.kind == "reproduction.approved":
        return gettext(
            "copies %(first)s-%(last)s of %(total)s made for %(requester)s, into %(location)s"
        ) % {
            "first": data.get("first_number"),
            "last": data.get("last_number"),
            "total": data.get("copy_count"),
            "requester": data.get("requested_by"),
            "location": data.get("location"),
        }
    if entry.kind in ("reproduction.refused", "reproduction.withdrawn"):
        return gettext("asked for by %(requester)s; no copies made (reason: %(reason)s)") % {
            "requester": data.get("requested_by"),
            "reason": _plain(data.get("reason")),
        }
    if entry.kind == "check_out.lent":
        return gettext("to %(reader)s in the %(place)s, due back %(due)s") % {
            "reader": data.get("reader"),
            "place": data.get("place"),
            "due": data.get("due_back"),
        }
    if entry.kind == "check_out.returned":
        if data.get("overdue"):
            return gettext("from %(reader)s, after it was due") % {"reader": data.get("reader")}
        return gettext("from %(reader)s") % {"reader": data.get("reader")}
    if entry.kind == "transit.dispatched":
        return gettext(
            "from %(from_unit)s to %(to_unit)s with %(courier)s, expected by %(expected)s"
        ) % {
            "from_unit": data.get("from_unit"),
            "to_unit": data.get("to_unit"),
            "courier": data.get("courier"),
            "expected": data.get("expected_by"),
        }
    if entry.kind == "transit.received":
        return gettext("from %(from_unit)s with %(courier)s, into the registry of %(unit)s") % {
            "from_unit": data.get("from_unit"),
            "courier": data.get("courier"),
            "unit": data.get("unit"),
        }
    if entry.kind == "transit.receipt_confirmed":
        return gettext("signed at %(to_unit)s by %(received_by)s") % {
            "to_unit": data.get("to_unit"),
            "received_by": _plain(data.get("received_by")),
        }
    return "; ".join(f"{key}: {_plain(value)}" for key, value in sorted(data.items()))
