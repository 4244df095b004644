"""The records custody keeps beside the register, read from their tables in the shape
``replay.State.records`` and ``replay.State.derived()`` give them, for ``strongroom verify``.

Each table is keyed as its entries name its rows (a reference, or a number) and every field is
written as the ledger writes it: usernames, unit codes, level names, ``YYYY-MM-DD`` dates and
entry times. Only what the ledger says is compared: a row's ``version`` is the services'
concurrency check, not history. These tables are small beside the copies, so the ORM reads them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db.models import F, Model

from strongroom.ledger import entry
from strongroom.models import (
    Alert,
    Campaign,
    CampaignItem,
    CheckOut,
    Copy,
    CourierAuthorisation,
    Delegation,
    Destruction,
    HandOver,
    Incident,
    Person,
    Reproduction,
    Transit,
    Unit,
)

Row = dict[str, Any]
# The copy a record names, as "<control>/<n>".
_COPY = ("copy__document__control_number", "copy__number")


def record_tables() -> dict[str, dict[str, Row]]:
    """Every record table, and the unit heads and copy units, as replay shapes them."""
    names = _Names()
    return {
        "unit_head": _unit_heads(names),
        "copy_unit": _copy_units(),
        **{table: dict(read(names)) for table, read in _READERS.items()},
    }


class _Names:
    """Usernames and unit codes by primary key, read once."""

    def __init__(self) -> None:
        self.people: dict[int | None, str | None] = dict(
            Person.objects.values_list("pk", "username")
        )
        self.people[None] = None
        self.units: dict[int, str] = dict(Unit.objects.values_list("pk", "code"))
        self.level_name: Callable[[int], str] = settings.STRONGROOM_MARKING_SCHEME.level_name


def _time(value: datetime | None) -> str | None:
    return entry.format_time(value) if value is not None else None


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _copy(row: Row) -> str:
    return f"{row['copy__document__control_number']}/{row['copy__number']}"


def _rows(model: type[Model], *fields: str) -> Iterable[Row]:
    return model._default_manager.values(*fields).order_by()


def _unit_heads(names: _Names) -> dict[str, Row]:
    return {
        names.units[pk]: {"head": names.people[head]}
        for pk, head in Unit.objects.filter(head__isnull=False).values_list("pk", "head_id")
    }


def _copy_units() -> dict[str, Row]:
    """The copies that answer to another registry than their document's (after a transit)."""
    moved = Copy.objects.exclude(unit_id=F("document__unit_id")).values_list(
        "document__control_number", "number", "unit__code"
    )
    return {f"{control}/{number}": {"unit": unit} for control, number, unit in moved}


def _hand_overs(names: _Names) -> Iterable[tuple[str, Row]]:
    for h in _rows(
        HandOver, "reference", *_COPY, "sender_id", "recipient_id", "state", "dispatched_at",
        "due_by", "resolved_at", "resolved_by_id", "note",
    ):  # fmt: skip
        yield (
            str(h["reference"]),
            {
                "copy": _copy(h),
                "sender": names.people[h["sender_id"]],
                "recipient": names.people[h["recipient_id"]],
                "state": h["state"],
                "dispatched_at": _time(h["dispatched_at"]),
                "due_by": _time(h["due_by"]),
                "resolved_at": _time(h["resolved_at"]),
                "resolved_by": names.people[h["resolved_by_id"]],
                "note": h["note"],
            },
        )


def _check_outs(names: _Names) -> Iterable[tuple[str, Row]]:
    for c in _rows(
        CheckOut, "pk", *_COPY, "reader_id", "lent_by_id", "checked_out_at", "due_back", "place",
        "checked_in_at", "checked_in_by_id",
    ):  # fmt: skip
        yield (
            str(c["pk"]),
            {
                "copy": _copy(c),
                "reader": names.people[c["reader_id"]],
                "lent_by": names.people[c["lent_by_id"]],
                "checked_out_at": _time(c["checked_out_at"]),
                "due_back": _time(c["due_back"]),
                "place": c["place"],
                "checked_in_at": _time(c["checked_in_at"]),
                "checked_in_by": names.people[c["checked_in_by_id"]],
            },
        )


def _transits(names: _Names) -> Iterable[tuple[str, Row]]:
    for t in _rows(
        Transit, "reference", *_COPY, "from_unit_id", "to_unit_id", "courier_id",
        "dispatched_by_id", "dispatched_at", "expected_by", "inner_wrapping", "outer_wrapping",
        "state", "received_at", "received_by_id", "receipt_returned_at", "receipt_confirmed_by_id",
    ):  # fmt: skip
        yield (
            str(t["reference"]),
            {
                "copy": _copy(t),
                "from_unit": names.units[t["from_unit_id"]],
                "to_unit": names.units[t["to_unit_id"]],
                "courier": names.people[t["courier_id"]],
                "dispatched_by": names.people[t["dispatched_by_id"]],
                "dispatched_at": _time(t["dispatched_at"]),
                "expected_by": _time(t["expected_by"]),
                "inner_wrapping": t["inner_wrapping"],
                "outer_wrapping": t["outer_wrapping"],
                "state": t["state"],
                "received_at": _time(t["received_at"]),
                "received_by": names.people[t["received_by_id"]],
                "receipt_returned_at": _time(t["receipt_returned_at"]),
                "receipt_confirmed_by": names.people[t["receipt_confirmed_by_id"]],
            },
        )


def _courier_authorisations(names: _Names) -> Iterable[tuple[str, Row]]:
    for a in _rows(
        CourierAuthorisation, "pk", "courier_id", "level", "valid_from", "valid_until", "note",
        "granted_by_id", "granted_at", "revoked_at", "revoked_by_id", "revoked_because",
    ):  # fmt: skip
        yield (
            str(a["pk"]),
            {
                "courier": names.people[a["courier_id"]],
                "level": names.level_name(a["level"]),
                "valid_from": _day(a["valid_from"]),
                "valid_until": _day(a["valid_until"]),
                "note": a["note"],
                "granted_by": names.people[a["granted_by_id"]],
                "granted_at": _time(a["granted_at"]),
                "revoked_at": _time(a["revoked_at"]),
                "revoked_by": names.people[a["revoked_by_id"]],
                "revoked_because": a["revoked_because"],
            },
        )


def _destructions(names: _Names) -> Iterable[tuple[str, Row]]:
    for d in _rows(
        Destruction, "reference", *_COPY, "destroyer_id", "witness_id", "method", "destroyed_on",
        "marking", "note", "state", "proposed_at", "resolved_at", "resolved_by_id", "reason",
        "kept_until",
    ):  # fmt: skip
        yield (
            str(d["reference"]),
            {
                "copy": _copy(d),
                "destroyer": names.people[d["destroyer_id"]],
                "witness": names.people[d["witness_id"]],
                "method": d["method"],
                "destroyed_on": _day(d["destroyed_on"]),
                "marking": d["marking"],
                "note": d["note"],
                "state": d["state"],
                "proposed_at": _time(d["proposed_at"]),
                "resolved_at": _time(d["resolved_at"]),
                "resolved_by": names.people[d["resolved_by_id"]],
                "reason": d["reason"],
                "kept_until": _day(d["kept_until"]),
            },
        )


def _reproductions(names: _Names) -> Iterable[tuple[str, Row]]:
    for r in _rows(
        Reproduction, "reference", "document__control_number", "requested_by_id", "count",
        "reason", "requested_at", "state", "decided_by_id", "decided_at", "decision_note",
        "first_number", "last_number",
    ):  # fmt: skip
        yield (
            str(r["reference"]),
            {
                "document": r["document__control_number"],
                "requested_by": names.people[r["requested_by_id"]],
                "count": r["count"],
                "reason": r["reason"],
                "requested_at": _time(r["requested_at"]),
                "state": r["state"],
                "decided_by": names.people[r["decided_by_id"]],
                "decided_at": _time(r["decided_at"]),
                "decision_note": r["decision_note"],
                "first_number": r["first_number"],
                "last_number": r["last_number"],
            },
        )


def _delegations(names: _Names) -> Iterable[tuple[str, Row]]:
    for d in _rows(
        Delegation, "pk", "delegator_id", "delegate_id", "duty", "unit_id", "max_level",
        "starts_on", "ends_on", "reason", "granted_at", "revoked_at", "revoked_by_id",
    ):  # fmt: skip
        yield (
            str(d["pk"]),
            {
                "delegator": names.people[d["delegator_id"]],
                "delegate": names.people[d["delegate_id"]],
                "duty": d["duty"],
                "unit": names.units[d["unit_id"]],
                "level": names.level_name(d["max_level"]),
                "starts_on": _day(d["starts_on"]),
                "ends_on": _day(d["ends_on"]),
                "reason": d["reason"],
                "granted_at": _time(d["granted_at"]),
                "revoked_at": _time(d["revoked_at"]),
                "revoked_by": names.people[d["revoked_by_id"]],
            },
        )


def _campaigns(names: _Names) -> Iterable[tuple[str, Row]]:
    for c in _rows(
        Campaign, "reference", "document__control_number", "title", "created_by_id", "due_back",
        "created_at", "closed_at",
    ):  # fmt: skip
        yield (
            str(c["reference"]),
            {
                "document": c["document__control_number"],
                "title": c["title"],
                "created_by": names.people[c["created_by_id"]],
                "due_back": _time(c["due_back"]),
                "created_at": _time(c["created_at"]),
                "closed_at": _time(c["closed_at"]),
            },
        )


def _campaign_copies(names: _Names) -> Iterable[tuple[str, Row]]:
    for i in _rows(
        CampaignItem, "campaign__reference", "copy__number", "recipient_id", "issued_at",
        "returned_at",
    ):  # fmt: skip
        yield (
            f"{i['campaign__reference']}/{i['copy__number']}",
            {
                "recipient": names.people[i["recipient_id"]],
                "issued_at": _time(i["issued_at"]),
                "returned_at": _time(i["returned_at"]),
            },
        )


def _incidents(names: _Names) -> Iterable[tuple[str, Row]]:
    for i in _rows(
        Incident, "reference", "kind", *_COPY, "person_id", "unit_id",
        "campaign_item__campaign__reference", "opened_at", "opened_by_id", "summary", "state",
    ):  # fmt: skip
        campaign = i["campaign_item__campaign__reference"]
        yield (
            str(i["reference"]),
            {
                "kind": i["kind"],
                "copy": _copy(i),
                "person": names.people[i["person_id"]],
                "unit": names.units[i["unit_id"]],
                "campaign": str(campaign) if campaign is not None else None,
                "opened_at": _time(i["opened_at"]),
                "opened_by": names.people[i["opened_by_id"]],
                "summary": i["summary"],
                "state": i["state"],
            },
        )


def _alerts(names: _Names) -> Iterable[tuple[str, Row]]:
    for a in _rows(
        Alert, "pk", "kind", "subject", "responsible_id", "unit_id", "message", "raised_at",
        "cleared_at", "cleared_because",
    ):  # fmt: skip
        yield (
            str(a["pk"]),
            {
                "kind": a["kind"],
                "subject": a["subject"],
                "responsible": names.people[a["responsible_id"]],
                "unit": names.units[a["unit_id"]],
                "message": a["message"],
                "raised_at": _time(a["raised_at"]),
                "cleared_at": _time(a["cleared_at"]),
                "cleared_because": a["cleared_because"],
            },
        )


# In replay.RECORD_TABLES order.
_READERS: dict[str, Callable[[_Names], Iterable[tuple[str, Row]]]] = {
    "hand_over": _hand_overs,
    "check_out": _check_outs,
    "transit": _transits,
    "courier_authorisation": _courier_authorisations,
    "destruction": _destructions,
    "reproduction": _reproductions,
    "delegation": _delegations,
    "campaign": _campaigns,
    "campaign_copy": _campaign_copies,
    "incident": _incidents,
    "alert": _alerts,
}
