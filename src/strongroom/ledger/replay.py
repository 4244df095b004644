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
from datetime import UTC, datetime
from typing import Any

Row = dict[str, Any]
# (state, holder, location, since, seq of the entry that last set it)
CopyRow = tuple[Any, Any, Any, Any, int]

COPY_FIELDS = ("state", "holder", "location", "since")
COPY_PREFIX = "copy:"


# The records custody keeps beside the register, each a table of replay.State.records (see
# "the records kept beside the register" below).
RECORD_TABLES: tuple[str, ...] = (
    "hand_over",
    "check_out",
    "transit",
    "courier_authorisation",
    "destruction",
    "reproduction",
    "delegation",
    "campaign",
    "campaign_copy",
    "incident",
    "alert",
)


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
    # The records custody keeps beside the register (hand-overs, check-outs, transits...), by
    # table (RECORD_TABLES) and then by the key their entries name them by.
    records: dict[str, dict[str, Row]] = field(
        default_factory=lambda: {table: {} for table in RECORD_TABLES}
    )

    def tables(self) -> dict[str, dict[str, Row]]:
        """Every table as rows of named fields, copies keyed ``<control>/<n>`` like the rest."""
        return {
            "unit": self.units,
            "person": self.people,
            "clearance": self.clearances,
            "document": self.documents,
            "copy": {copy_key(subject): copy_fields(row) for subject, row in self.copies.items()},
            **self.derived(),
            **self.records,
        }

    def derived(self) -> dict[str, dict[str, Row]]:
        """The facts kept beside the units and copies: each unit's head, and each copy that now
        answers to another unit's registry than its document's, as rows like the rest."""
        heads = {code: {"head": head} for code, head in self.unit_heads.items() if head}
        moved = {}
        for subject, unit in self.copy_units.items():
            control = copy_key(subject).rpartition("/")[0]
            if self.documents[control]["unit"] != unit:
                moved[copy_key(subject)] = {"unit": unit}
        return {"unit_head": heads, "copy_unit": moved}


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
    state.set_by[("unit_head", code)] = body["seq"]


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
    numbers = {"first_number": first, "last_number": last, "decision_note": data["note"]}
    _reproduction_decided(state, body, "approved", numbers)


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


def copy_unit(state: State, subject: str) -> str:
    """The code of the unit whose registry answers for the copy ``subject``."""
    found = state.copy_units.get(subject)
    if found is not None:
        return found
    control = copy_key(subject).rpartition("/")[0]
    return str(_existing(state.documents, control, "document")["unit"])


# -- the records kept beside the register -------------------------------------------------------
#
# Each record (a hand-over, a check-out, a transit, ...) is opened by one entry and closed or
# changed by later ones that name it, with every field its table keeps. Replay refuses an entry
# about a record that was never opened, or one that changes a record no longer open: the ledger
# would contradict itself. Times are written as entry times are ("at"), whatever form the
# entry's data gave them in, so that they compare with the tables exactly.


def instant(value: Any) -> str:
    """An ISO 8601 time with its offset (``2026-11-22T09:15:02+00:00``) as entries write times."""
    try:
        parsed = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise ReplayError(f"{value!r} is not a time with its offset") from None
    if parsed.tzinfo is None:
        raise ReplayError(f"{value!r} is not a time with its offset")
    return parsed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _open(state: State, table: str, key: Any, body: Row, row: Row) -> None:
    rows = state.records[table]
    name = str(key)
    if name in rows:
        raise ReplayError(f"{table.replace('_', ' ')} {name} is opened twice")
    rows[name] = row
    state.set_by[(table, name)] = body["seq"]


def _change(
    state: State, table: str, key: Any, body: Row, changes: Row, *, while_: Row | None = None
) -> Row:
    """Change record ``key`` of ``table``, which must exist and have the fields ``while_``."""
    name = str(key)
    row = _existing(state.records[table], name, table.replace("_", " "))
    for field_name, value in (while_ or {}).items():
        if row[field_name] != value:
            raise ReplayError(
                f"{table.replace('_', ' ')} {name} is changed by entry #{body['seq']} but its "
                f"{field_name} is {row[field_name]!r}, not {value!r}"
            )
    row.update(changes)
    state.set_by[(table, name)] = body["seq"]
    return row


def _hand_over_dispatched(state: State, body: Row) -> None:
    copy_moved(state, body)
    data = body["data"]
    _open(state, "hand_over", data["hand_over"], body, {
        "copy": copy_key(body["subject"]),
        "sender": body["actor"],
        "recipient": data["recipient"],
        "state": "pending",
        "dispatched_at": body["at"],
        "due_by": instant(data["due_by"]),
        "resolved_at": None,
        "resolved_by": None,
        "note": "",
    })  # fmt: skip


def _hand_over_closed(outcome: str) -> Callable[[State, Row], None]:
    """``hand_over.accepted``, ``.refused`` and ``.cancelled``: the copy moves, and the pending
    hand-over closes with ``outcome``."""

    def closed(state: State, body: Row) -> None:
        copy_moved(state, body)
        data = body["data"]
        changes = {
            "state": outcome,
            "resolved_at": body["at"],
            "resolved_by": body["actor"],
            "note": data.get("reason", ""),
        }
        while_ = {"state": "pending", "copy": copy_key(body["subject"])}
        _change(state, "hand_over", data["hand_over"], body, changes, while_=while_)

    return closed


def _check_out_lent(state: State, body: Row) -> None:
    copy_moved(state, body)
    data = body["data"]
    _open(state, "check_out", data["check_out"], body, {
        "copy": copy_key(body["subject"]),
        "reader": data["reader"],
        "lent_by": body["actor"],
        "checked_out_at": body["at"],
        "due_back": instant(data["due_back"]),
        "place": data["place"],
        "checked_in_at": None,
        "checked_in_by": None,
    })  # fmt: skip


def _check_out_returned(state: State, body: Row) -> None:
    copy_moved(state, body)
    changes = {"checked_in_at": body["at"], "checked_in_by": body["actor"]}
    while_ = {"checked_in_at": None, "copy": copy_key(body["subject"])}
    _change(state, "check_out", body["data"]["check_out"], body, changes, while_=while_)


def _transit_dispatched(state: State, body: Row) -> None:
    copy_moved(state, body)
    data = body["data"]
    _open(state, "transit", data["transit"], body, {
        "copy": copy_key(body["subject"]),
        "from_unit": data["from_unit"],
        "to_unit": data["to_unit"],
        "courier": data["courier"],
        "dispatched_by": body["actor"],
        "dispatched_at": body["at"],
        "expected_by": instant(data["expected_by"]),
        "inner_wrapping": data["inner_wrapping"],
        "outer_wrapping": data["outer_wrapping"],
        "state": "in_transit",
        "received_at": None,
        "received_by": None,
        "receipt_returned_at": None,
        "receipt_confirmed_by": None,
    })  # fmt: skip


def _transit_received(state: State, body: Row) -> None:
    """A movement, and the copy now answers to the destination unit's registry (``unit``)."""
    copy_moved(state, body)
    data = body["data"]
    changes = {"state": "received", "received_at": body["at"], "received_by": body["actor"]}
    # Received where it was sent: the copy's registry is the transit's destination.
    while_ = {"state": "in_transit", "copy": copy_key(body["subject"]), "to_unit": data["unit"]}
    _change(state, "transit", data["transit"], body, changes, while_=while_)
    state.copy_units[body["subject"]] = data["unit"]
    state.set_by[("copy_unit", copy_key(body["subject"]))] = body["seq"]


def _transit_receipt_confirmed(state: State, body: Row) -> None:
    changes = {
        "state": "receipt_returned",
        "receipt_returned_at": body["at"],
        "receipt_confirmed_by": body["actor"],
    }
    while_ = {"state": "received", "copy": copy_key(body["subject"])}
    _change(state, "transit", body["data"]["transit"], body, changes, while_=while_)


def _courier_authorised(state: State, body: Row) -> None:
    data = body["data"]
    _open(state, "courier_authorisation", data["authorisation"], body, {
        "courier": subject_key(body["subject"], "courier"),
        "level": data["level"],
        "valid_from": data["valid_from"],
        "valid_until": data["valid_until"],
        "note": data["note"],
        "granted_by": data["granted_by"],
        "granted_at": body["at"],
        "revoked_at": None,
        "revoked_by": None,
        "revoked_because": "",
    })  # fmt: skip


def _courier_revoked(state: State, body: Row) -> None:
    data = body["data"]
    changes = {
        "revoked_at": body["at"],
        "revoked_by": body["actor"],
        "revoked_because": data["reason"],
    }
    while_ = {"revoked_at": None, "courier": subject_key(body["subject"], "courier")}
    _change(state, "courier_authorisation", data["authorisation"], body, changes, while_=while_)


def _destruction_proposed(state: State, body: Row) -> None:
    copy_moved(state, body)
    data = body["data"]
    _open(state, "destruction", data["destruction"], body, {
        "copy": copy_key(body["subject"]),
        "destroyer": body["actor"],
        "witness": data["witness"],
        "method": data["method"],
        "destroyed_on": data["destroyed_on"],
        "marking": data["marking"],
        "note": data["note"],
        "state": "pending",
        "proposed_at": body["at"],
        "resolved_at": None,
        "resolved_by": None,
        "reason": "",
        "kept_until": None,
    })  # fmt: skip


def _destruction_closed(outcome: str) -> Callable[[State, Row], None]:
    """``destruction.witnessed``, ``.refused`` and ``.withdrawn``: the copy moves, and the pending
    destruction closes with ``outcome``."""

    def closed(state: State, body: Row) -> None:
        copy_moved(state, body)
        data = body["data"]
        changes = {"state": outcome, "resolved_at": body["at"], "resolved_by": body["actor"]}
        if outcome == "witnessed":
            changes.update(
                method=data["method"],
                destroyed_on=data["destroyed_on"],
                kept_until=data["kept_until"],
            )
        else:
            changes["reason"] = data["reason"]
        while_ = {"state": "pending", "copy": copy_key(body["subject"])}
        _change(state, "destruction", data["destruction"], body, changes, while_=while_)

    return closed


def _reproduction_requested(state: State, body: Row) -> None:
    data = body["data"]
    _open(state, "reproduction", data["reproduction"], body, {
        "document": subject_key(body["subject"], "document"),
        "requested_by": body["actor"],
        "count": data["copies"],
        "reason": data["reason"],
        "requested_at": body["at"],
        "state": "pending",
        "decided_by": None,
        "decided_at": None,
        "decision_note": "",
        "first_number": None,
        "last_number": None,
    })  # fmt: skip


def _reproduction_decided(state: State, body: Row, outcome: str, changes: Row) -> None:
    data = body["data"]
    _change(
        state,
        "reproduction",
        data["reproduction"],
        body,
        {"state": outcome, "decided_by": body["actor"], "decided_at": body["at"], **changes},
        while_={"state": "pending", "document": subject_key(body["subject"], "document")},
    )


def _reproduction_closed(outcome: str) -> Callable[[State, Row], None]:
    """``reproduction.refused`` and ``.withdrawn``: no copies; the reason is the note."""

    def closed(state: State, body: Row) -> None:
        _reproduction_decided(state, body, outcome, {"decision_note": body["data"]["reason"]})

    return closed


DELEGATION_FIELDS = (
    "delegator", "delegate", "duty", "unit", "level", "starts_on", "ends_on", "reason",
)  # fmt: skip


def _delegation_granted(state: State, body: Row) -> None:
    data = body["data"]
    row = {name: data[name] for name in DELEGATION_FIELDS}
    row.update(granted_at=body["at"], revoked_at=None, revoked_by=None)
    _open(state, "delegation", subject_key(body["subject"], "delegation"), body, row)


def _delegation_revoked(state: State, body: Row) -> None:
    changes = {"revoked_at": body["at"], "revoked_by": body["actor"]}
    key = subject_key(body["subject"], "delegation")
    _change(state, "delegation", key, body, changes, while_={"revoked_at": None})


def _campaign_created(state: State, body: Row) -> None:
    reference = subject_key(body["subject"], "campaign")
    data = body["data"]
    recipients, numbers = data["recipients"], data["copies"]
    if not isinstance(numbers, list) or len(recipients) != len(numbers):
        raise ReplayError(f"campaign {reference}: {numbers!r} are not one copy per recipient")
    _open(state, "campaign", reference, body, {
        "document": data["document"],
        "title": data["title"],
        "created_by": body["actor"],
        "due_back": instant(data["due_back"]),
        "created_at": body["at"],
        "closed_at": None,
    })  # fmt: skip
    for recipient, number in zip(recipients, numbers, strict=True):
        _open(state, "campaign_copy", f"{reference}/{number}", body, {
            "recipient": recipient, "issued_at": body["at"], "returned_at": None,
        })  # fmt: skip


def _campaign_copy_returned(state: State, body: Row) -> None:
    reference = subject_key(body["subject"], "campaign")
    data = body["data"]
    key = f"{reference}/{data['copy']}"
    while_ = {"returned_at": None, "recipient": data["recipient"]}
    _change(state, "campaign_copy", key, body, {"returned_at": body["at"]}, while_=while_)


def _campaign_closed(state: State, body: Row) -> None:
    reference = subject_key(body["subject"], "campaign")
    out = [
        key
        for key, row in state.records["campaign_copy"].items()
        if key.rpartition("/")[0] == reference and row["returned_at"] is None
    ]
    if out:
        raise ReplayError(f"campaign {reference} is closed with copies {out} still out")
    _change(
        state, "campaign", reference, body, {"closed_at": body["at"]}, while_={"closed_at": None}
    )


def _incident_opened(state: State, body: Row) -> None:
    data = body["data"]
    _open(state, "incident", subject_key(body["subject"], "incident"), body, {
        "kind": data["kind"],
        "copy": data["copy"],
        "person": data["person"],
        "unit": data["unit"],
        "campaign": data["campaign"],
        "opened_at": body["at"],
        "opened_by": body["actor"],
        "summary": data["summary"],
        "state": "open",
    })  # fmt: skip


def _alert_raised(state: State, body: Row) -> None:
    data = body["data"]
    _open(state, "alert", data["alert"], body, {
        "kind": data["kind"],
        "subject": body["subject"],
        "responsible": data["responsible"],
        "unit": data["unit"],
        "message": data["message"],
        "raised_at": body["at"],
        "cleared_at": None,
        "cleared_because": "",
    })  # fmt: skip


def _alert_cleared(state: State, body: Row) -> None:
    data = body["data"]
    changes = {"cleared_at": body["at"], "cleared_because": data["because"]}
    while_ = {"cleared_at": None, "subject": body["subject"]}
    _change(state, "alert", data["alert"], body, changes, while_=while_)


HANDLERS: dict[str, Callable[[State, Row], None]] = {
    "access.refused": _no_state,
    "alert.cleared": _alert_cleared,
    "alert.raised": _alert_raised,
    # The copies a campaign issues and takes back are their own copy.issued and copy.returned
    # entries; these keep the campaign's record.
    "campaign.closed": _campaign_closed,
    "campaign.copy_returned": _campaign_copy_returned,
    "campaign.created": _campaign_created,
    # A check-out moves its copy like an issue does, and keeps its loan record.
    "check_out.lent": _check_out_lent,
    "check_out.returned": _check_out_returned,
    "clearance.granted": _clearance_granted,
    "clearance.reinstated": _clearance_status,
    "clearance.revoked": _clearance_status,
    "clearance.suspended": _clearance_status,
    "copy.issued": copy_moved,
    "copy.returned": copy_moved,
    "courier.authorised": _courier_authorised,
    "courier.revoked": _courier_revoked,
    "delegation.granted": _delegation_granted,
    "delegation.revoked": _delegation_revoked,
    # Destruction moves its copy too: awaiting destruction, destroyed, or back in the registry.
    "destruction.proposed": _destruction_proposed,
    "destruction.refused": _destruction_closed("refused"),
    "destruction.withdrawn": _destruction_closed("withdrawn"),
    "destruction.witnessed": _destruction_closed("witnessed"),
    "document.corrected": _document_corrected,
    "document.declassified": _document_reclassified,
    "document.downgraded": _document_reclassified,
    "document.registered": _document_registered,
    # A hand-over moves its copy like an issue does, and keeps its record.
    "hand_over.accepted": _hand_over_closed("accepted"),
    "hand_over.cancelled": _hand_over_closed("cancelled"),
    "hand_over.dispatched": _hand_over_dispatched,
    "hand_over.refused": _hand_over_closed("refused"),
    "incident.opened": _incident_opened,
    # An inspection bundle was written: a record of an act, as a refusal is.
    "ledger.exported": _no_state,
    "person.changed": _person_changed,
    "person.created": _person_created,
    "person.password_set": _no_state,
    "person.status_changed": _person_changed,
    # Only an approval changes the register (new copies); each keeps the request's record.
    "reproduction.approved": _reproduction_approved,
    "reproduction.refused": _reproduction_closed("refused"),
    "reproduction.requested": _reproduction_requested,
    "reproduction.withdrawn": _reproduction_closed("withdrawn"),
    # A transit moves its copy: to the courier, then into the destination's registry.
    "transit.dispatched": _transit_dispatched,
    "transit.receipt_confirmed": _transit_receipt_confirmed,
    "transit.received": _transit_received,
    "unit.created": _unit_created,
    "unit.head_set": _unit_head_set,
}


# How entries change copies, for strongroom.ledger.verify, whose parallel pass replays the entries
# after its split without the copies before it (and leaves any other use of copies to the serial
# pass). A kind named in neither reads and writes no copy: a handler that does must be named here
# (tests/ledger/test_verify_split.py checks all of this).
# Kinds that set their subject, a copy that exists, to moved_row(body), and read no other copy
# (the plain movements, and those that also keep a record).
MOVING = frozenset(kind for kind, handler in HANDLERS.items() if handler is copy_moved) | {
    kind
    for kind in HANDLERS
    if kind.startswith(("check_out.", "destruction.", "hand_over."))
    or kind in {"transit.dispatched", "transit.received"}
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
