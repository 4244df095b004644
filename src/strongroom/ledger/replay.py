"""Rebuild the state of units, people, clearances, documents and copies from ledger entries alone.

Each handler applies one event kind. The state is plain dicts keyed by natural keys (unit code,
username, control number, copy reference) so that it can be compared with the database, and so an
inspector's offline tool can rebuild it with no Django at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Row = dict[str, Any]


@dataclass
class State:
    units: dict[str, Row] = field(default_factory=dict)
    people: dict[str, Row] = field(default_factory=dict)
    clearances: dict[str, Row] = field(default_factory=dict)
    documents: dict[str, Row] = field(default_factory=dict)
    copies: dict[str, Row] = field(default_factory=dict)
    # For messages: which entry last set each row.
    set_by: dict[tuple[str, str], int] = field(default_factory=dict)

    def tables(self) -> dict[str, dict[str, Row]]:
        return {
            "unit": self.units,
            "person": self.people,
            "clearance": self.clearances,
            "document": self.documents,
            "copy": self.copies,
        }


class ReplayError(ValueError):
    """An entry that cannot be applied: the ledger contradicts itself."""


def _key(subject: str, prefix: str) -> str:
    kind, _, key = subject.partition(":")
    if kind != prefix or not key:
        raise ReplayError(f"subject {subject!r} is not a {prefix}")
    return key


def _unit_created(state: State, body: Row) -> list[tuple[str, str]]:
    code = _key(body["subject"], "unit")
    data = body["data"]
    state.units[code] = {"name": data["name"], "parent": data["parent"], "path": data["path"]}
    return [("unit", code)]


def _person_created(state: State, body: Row) -> list[tuple[str, str]]:
    username = _key(body["subject"], "person")
    data = body["data"]
    state.people[username] = {
        "full_name": data["full_name"],
        "unit": data["unit"],
        "roles": sorted(data["roles"]),
        "status": data["status"],
    }
    return [("person", username)]


def _existing(table: dict[str, Row], key: str, what: str) -> Row:
    try:
        return table[key]
    except KeyError:
        raise ReplayError(f"{what} {key} is changed before it was created") from None


def _person_changed(state: State, body: Row) -> list[tuple[str, str]]:
    username = _key(body["subject"], "person")
    row = _existing(state.people, username, "person")
    for name in ("full_name", "unit", "roles", "status"):
        if name in body["data"]:
            row[name] = body["data"][name]
    return [("person", username)]


def _clearance_granted(state: State, body: Row) -> list[tuple[str, str]]:
    username = _key(body["subject"], "clearance")
    _existing(state.people, username, "person")
    data = body["data"]
    state.clearances[username] = {
        name: data[name]
        for name in (
            "level",
            "compartments",
            "status",
            "granted_by",
            "granted_on",
            "expires_on",
            "briefed_on",
        )
    }
    return [("clearance", username)]


def _clearance_status(state: State, body: Row) -> list[tuple[str, str]]:
    username = _key(body["subject"], "clearance")
    _existing(state.clearances, username, "clearance of")["status"] = body["data"]["status"]
    return [("clearance", username)]


DOCUMENT_FIELDS = (
    "unit",
    "year",
    "sequence",
    "short_title",
    "full_title",
    "level",
    "compartments",
    "caveats",
    "originator",
    "originator_reference",
    "received_on",
    "pages",
    "medium",
    "copy_count",
    "registered_by",
)
CORRECTABLE_FIELDS = (
    "short_title",
    "full_title",
    "level",
    "compartments",
    "caveats",
    "originator",
    "originator_reference",
    "received_on",
    "pages",
    "medium",
)


def _document_registered(state: State, body: Row) -> list[tuple[str, str]]:
    control = _key(body["subject"], "document")
    data = body["data"]
    state.documents[control] = {name: data[name] for name in DOCUMENT_FIELDS}
    state.documents[control]["registered_at"] = body["at"]
    touched = [("document", control)]
    for number in range(1, data["copy_count"] + 1):
        reference = f"{control}/{number}"
        state.copies[reference] = {
            "state": "in_registry",
            "holder": None,
            "location": data["location"],
            "since": body["at"],
        }
        touched.append(("copy", reference))
    return touched


def _document_corrected(state: State, body: Row) -> list[tuple[str, str]]:
    control = _key(body["subject"], "document")
    row = _existing(state.documents, control, "document")
    for name, change in body["data"]["changes"].items():
        if name not in CORRECTABLE_FIELDS:
            raise ReplayError(f"field {name!r} of a document cannot be corrected")
        row[name] = change["to"]
    return [("document", control)]


def _copy_moved(state: State, body: Row) -> list[tuple[str, str]]:
    reference = _key(body["subject"], "copy")
    row = _existing(state.copies, reference, "copy")
    data = body["data"]
    row.update(state=data["state"], holder=data["holder"], location=data["location"])
    row["since"] = body["at"]
    return [("copy", reference)]


def _no_state(state: State, body: Row) -> list[tuple[str, str]]:
    return []


HANDLERS: dict[str, Callable[[State, Row], list[tuple[str, str]]]] = {
    "access.refused": _no_state,
    "clearance.granted": _clearance_granted,
    "clearance.reinstated": _clearance_status,
    "clearance.revoked": _clearance_status,
    "clearance.suspended": _clearance_status,
    "copy.issued": _copy_moved,
    "copy.returned": _copy_moved,
    "document.corrected": _document_corrected,
    "document.registered": _document_registered,
    "person.changed": _person_changed,
    "person.created": _person_created,
    "person.password_set": _no_state,
    "person.status_changed": _person_changed,
    "unit.created": _unit_created,
}


def apply(state: State, body: Row) -> None:
    """Apply one parsed entry body to ``state``."""
    handler = HANDLERS.get(body["kind"])
    if handler is None:
        raise ReplayError(f"unknown event kind {body['kind']!r}")
    try:
        touched = handler(state, body)
    except KeyError as missing:
        raise ReplayError(f"{body['kind']} entry lacks the field {missing}") from None
    for table_key in touched:
        state.set_by[table_key] = body["seq"]
