"""Rebuild the state of units, people, clearances, documents and copies from ledger entries alone.

Each handler applies one event kind. The state is plain dicts keyed by natural keys (unit code,
username, control number, copy subject) so that it can be compared with the database, and so an
inspector's offline tool can rebuild it with no Django at all.

Copies are nearly every entry (issues and returns), so they are kept lean: one tuple per copy,
keyed by the entry subject itself (``copy:<control>/<n>``, no slicing per entry), carrying the
number of the entry that last set it. The other, rarer rows are dicts, and ``State.set_by``
remembers which entry last set each of them, for the messages of ``strongroom verify``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

Row = dict[str, Any]
# (state, holder, location, since, seq of the entry that last set it)
CopyRow = tuple[Any, Any, Any, Any, int]

COPY_FIELDS = ("state", "holder", "location", "since")
COPY_PREFIX = "copy:"


@dataclass
class State:
    units: dict[str, Row] = field(default_factory=dict)
    people: dict[str, Row] = field(default_factory=dict)
    clearances: dict[str, Row] = field(default_factory=dict)
    documents: dict[str, Row] = field(default_factory=dict)
    # Keyed by the subject, "copy:HQ-2026-0042/3"; see copy_key() for the key without it.
    copies: dict[str, CopyRow] = field(default_factory=dict)
    # The unit code of each copy a transit delivered to another unit's registry, by subject;
    # every other copy answers to its document's unit (see copy_unit()).
    copy_units: dict[str, str] = field(default_factory=dict)
    # For messages: which entry last set each (table, key) row other than a copy.
    set_by: dict[tuple[str, str], int] = field(default_factory=dict)
    # The head of each unit that has ever had one appointed (None once removed), by unit code.
    # Kept beside the unit rows rather than in them: verify compares unit rows as they were
    # before heads existed (see docs/ledger.md).
    unit_heads: dict[str, str | None] = field(default_factory=dict)

    def tables(self) -> dict[str, dict[str, Row]]:
        """Every table as rows of named fields, copies keyed ``<control>/<n>`` like the rest."""
        return {
            "unit": self.units,
            "person": self.people,
            "clearance": self.clearances,
            "document": self.documents,
            "copy": {copy_key(subject): copy_fields(row) for subject, row in self.copies.items()},
        }


def copy_key(subject: str) -> str:
    """``copy:HQ-2026-0042/3`` -> ``HQ-2026-0042/3``."""
    return subject[len(COPY_PREFIX) :]


def copy_fields(row: CopyRow) -> Row:
    return dict(zip(COPY_FIELDS, row, strict=False))


class ReplayError(ValueError):
    """An entry that cannot be applied: the ledger contradicts itself."""


def subject_key(subject: Any, prefix: str) -> str:
    """``document:HQ-2026-0042`` -> ``HQ-2026-0042``, if the subject is one of ``prefix``."""
    if not isinstance(subject, str):
        raise ReplayError(f"subject {subject!r} is not a {prefix}")
    kind, _, key = subject.partition(":")
    if kind != prefix or not key:
        raise ReplayError(f"subject {subject!r} is not a {prefix}")
    return key


def _unit_created(state: State, body: Row) -> None:
    code = subject_key(body["subject"], "unit")
    data = body["data"]
    state.units[code] = {"name": data["name"], "parent": data["parent"], "path": data["path"]}
    state.set_by[("unit", code)] = body["seq"]


def _unit_head_set(state: State, body: Row) -> None:
    code = subject_key(body["subject"], "unit")
    _existing(state.units, code, "unit")
    head = body["data"]["head"]
    if head is not None and head not in state.people:
        raise ReplayError(f"unit {code}: its head {head} was never created")
    state.unit_heads[code] = head


def _person_created(state: State, body: Row) -> None:
    username = subject_key(body["subject"], "person")
    data = body["data"]
    state.people[username] = {
        "full_name": data["full_name"],
        "unit": data["unit"],
        "roles": sorted(data["roles"]),
        "status": data["status"],
    }
    state.set_by[("person", username)] = body["seq"]


def _existing(table: dict[str, Row], key: str, what: str) -> Row:
    try:
        return table[key]
    except KeyError:
        raise ReplayError(f"{what} {key} is changed before it was created") from None


def _person_changed(state: State, body: Row) -> None:
    username = subject_key(body["subject"], "person")
    row = _existing(state.people, username, "person")
    for name in ("full_name", "unit", "roles", "status"):
        if name in body["data"]:
            row[name] = body["data"][name]
    state.set_by[("person", username)] = body["seq"]


def _clearance_granted(state: State, body: Row) -> None:
    username = subject_key(body["subject"], "clearance")
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
    state.set_by[("clearance", username)] = body["seq"]


def _clearance_status(state: State, body: Row) -> None:
    username = subject_key(body["subject"], "clearance")
    _existing(state.clearances, username, "clearance of")["status"] = body["data"]["status"]
    state.set_by[("clearance", username)] = body["seq"]


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


def _document_registered(state: State, body: Row) -> None:
    control = subject_key(body["subject"], "document")
    data = body["data"]
    state.documents[control] = {name: data[name] for name in DOCUMENT_FIELDS}
    state.documents[control]["registered_at"] = body["at"]
    seq = body["seq"]
    state.set_by[("document", control)] = seq
    copies = state.copies
    for key, row in registered_copies(body):
        copies[key] = row


def registered_copies(body: Row) -> Iterator[tuple[str, CopyRow]]:
    """The copies a registration makes, from its body alone: 1..copy_count, in the registry."""
    control = subject_key(body["subject"], "document")
    data = body["data"]
    for number in range(1, data["copy_count"] + 1):
        row = ("in_registry", None, data["location"], body["at"], body["seq"])
        yield f"{COPY_PREFIX}{control}/{number}", row


def _reproduction_approved(state: State, body: Row) -> None:
    """Approved copies continue the document's numbering: copies first..last, in the registry,
    and the document now has ``copy_count`` (= last) copies."""
    control = subject_key(body["subject"], "document")
    row = _existing(state.documents, control, "document")
    data = body["data"]
    first, last = data["first_number"], data["last_number"]
    if not (
        isinstance(first, int)
        and isinstance(last, int)
        and first == row["copy_count"] + 1
        and first <= last == data["copy_count"]
    ):
        raise ReplayError(
            f"reproduction of {control} makes copies {first!r}-{last!r} of "
            f"{data['copy_count']!r}, but the document has {row['copy_count']} copies"
        )
    seq = body["seq"]
    for key, copy in reproduced_copies(body):
        state.copies[key] = copy
    row["copy_count"] = last
    state.set_by[("document", control)] = seq


def reproduced_copies(body: Row) -> Iterator[tuple[str, CopyRow]]:
    """The copies an approved reproduction makes, from its body alone: first..last."""
    control = subject_key(body["subject"], "document")
    data = body["data"]
    for number in range(data["first_number"], data["last_number"] + 1):
        row = (data["state"], None, data["location"], body["at"], body["seq"])
        yield f"{COPY_PREFIX}{control}/{number}", row


def _document_corrected(state: State, body: Row) -> None:
    control = subject_key(body["subject"], "document")
    row = _existing(state.documents, control, "document")
    for name, change in body["data"]["changes"].items():
        if name not in CORRECTABLE_FIELDS:
            raise ReplayError(f"field {name!r} of a document cannot be corrected")
        row[name] = change["to"]
    state.set_by[("document", control)] = body["seq"]


MARKING_FIELDS = ("level", "compartments", "caveats")


def _document_reclassified(state: State, body: Row) -> None:
    """``document.downgraded`` and ``document.declassified``: the marking fields change."""
    control = subject_key(body["subject"], "document")
    row = _existing(state.documents, control, "document")
    for name, change in body["data"]["changes"].items():
        if name not in MARKING_FIELDS:
            raise ReplayError(f"field {name!r} of a document is not part of its marking")
        row[name] = change["to"]
    state.set_by[("document", control)] = body["seq"]


def copy_moved(state: State, body: Row) -> None:
    """``copy.issued`` and ``copy.returned``: every field of the copy is replaced.

    ``strongroom.ledger.verify`` inlines the successful case of this handler: it checks that the
    copy exists and that ``moved_row`` can read the body, keeps the body, and makes the row
    with ``moved_row`` once the copy's last movement is known; anything unusual comes here, so
    that every error is raised from here. tests/ledger/test_verify_modes.py compares the two."""
    subject = body["subject"]
    key = subject_key(subject, "copy")
    if subject not in state.copies:
        raise ReplayError(f"copy {key} is changed before it was created")
    state.copies[subject] = moved_row(body)


def moved_row(body: Row) -> CopyRow:
    """The row a copy movement leaves the copy in (KeyError or TypeError if it lacks a field)."""
    data = body["data"]
    return (data["state"], data["holder"], data["location"], body["at"], body["seq"])


def _no_state(state: State, body: Row) -> None:
    return None


def _transit_received(state: State, body: Row) -> None:
    """A movement, and the copy now answers to the destination unit's registry (``unit``)."""
    copy_moved(state, body)
    state.copy_units[body["subject"]] = body["data"]["unit"]


def copy_unit(state: State, subject: str) -> str:
    """The code of the unit whose registry answers for the copy ``subject``."""
    found = state.copy_units.get(subject)
    if found is not None:
        return found
    control = copy_key(subject).rpartition("/")[0]
    return str(_existing(state.documents, control, "document")["unit"])


HANDLERS: dict[str, Callable[[State, Row], None]] = {
    "access.refused": _no_state,
    # Alerts are not yet part of the replayed state (see docs/ledger.md).
    "alert.cleared": _no_state,
    "alert.raised": _no_state,
    # Campaigns are not yet part of the replayed state (see docs/ledger.md); the copies they
    # issue and take back are: each is its own copy.issued or copy.returned entry.
    "campaign.closed": _no_state,
    "campaign.created": _no_state,
    # A check-out moves its copy like an issue does: state, holder and location in the data.
    "check_out.lent": copy_moved,
    "check_out.returned": copy_moved,
    "clearance.granted": _clearance_granted,
    "clearance.reinstated": _clearance_status,
    "clearance.revoked": _clearance_status,
    "clearance.suspended": _clearance_status,
    "copy.issued": copy_moved,
    "copy.returned": copy_moved,
    # Courier authorisations are not yet part of the replayed state (see docs/ledger.md).
    "courier.authorised": _no_state,
    "courier.revoked": _no_state,
    # Delegations are not yet part of the replayed state (see docs/ledger.md).
    "delegation.granted": _no_state,
    "delegation.revoked": _no_state,
    # Destruction moves its copy too: awaiting destruction, destroyed, or back in the registry.
    "destruction.proposed": copy_moved,
    "destruction.refused": copy_moved,
    "destruction.withdrawn": copy_moved,
    "destruction.witnessed": copy_moved,
    "document.corrected": _document_corrected,
    "document.declassified": _document_reclassified,
    "document.downgraded": _document_reclassified,
    "document.registered": _document_registered,
    # A hand-over moves its copy like an issue does: state, holder and location in the data.
    "hand_over.accepted": copy_moved,
    "hand_over.cancelled": copy_moved,
    "hand_over.dispatched": copy_moved,
    "hand_over.refused": copy_moved,
    # Incidents are not yet part of the replayed state (see docs/ledger.md).
    "incident.opened": _no_state,
    "person.changed": _person_changed,
    "person.created": _person_created,
    "person.password_set": _no_state,
    "person.status_changed": _person_changed,
    # Only an approval changes the register (new copies); the rest are its records.
    "reproduction.approved": _reproduction_approved,
    "reproduction.refused": _no_state,
    "reproduction.requested": _no_state,
    "reproduction.withdrawn": _no_state,
    # A transit moves its copy: to the courier, then into the destination's registry.
    "transit.dispatched": copy_moved,
    "transit.receipt_confirmed": _no_state,
    "transit.received": _transit_received,
    "unit.created": _unit_created,
    "unit.head_set": _unit_head_set,
}


# How entries change copies, for strongroom.ledger.verify, whose parallel pass replays the entries
# after its split without the copies before it (and leaves any other use of copies to the serial
# pass). A kind named in neither reads and writes no copy: a handler that does must be named here
# (tests/ledger/test_verify_split.py checks all of this).
# Kinds that set their subject, a copy that exists, to moved_row(body), and read no other copy.
MOVING = frozenset(kind for kind, handler in HANDLERS.items() if handler is copy_moved) | {
    "transit.received"
}
# Kinds that make copies, as these list them from the body alone, and read none.
MAKING: dict[str, Callable[[Row], Iterator[tuple[str, CopyRow]]]] = {
    "document.registered": registered_copies,
    "reproduction.approved": reproduced_copies,
}


def apply(state: State, body: Row) -> None:
    """Apply one parsed entry body to ``state``."""
    handler = HANDLERS.get(body["kind"])
    if handler is None:
        raise ReplayError(f"unknown event kind {body['kind']!r}")
    try:
        handler(state, body)
    except KeyError as missing:
        raise ReplayError(f"{body['kind']} entry lacks the field {missing}") from None
