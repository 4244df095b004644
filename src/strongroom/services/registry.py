"""Registering incoming documents with their numbered copies, correcting registrations, and
downgrading or declassifying documents."""

from __future__ import annotations

import contextlib
from datetime import date
from typing import Any

from django.conf import settings

from strongroom.domain.classification import Reclassification, reclassification
from strongroom.domain.codes import control_number
from strongroom.domain.errors import Conflict, InvalidInput, InvalidMarking
from strongroom.domain.markings import Marking
from strongroom.domain.text import gettext_noop
from strongroom.ledger.events import Event
from strongroom.ledger.record import record
from strongroom.models import Document, DocumentCompartment, Person, Unit
from strongroom.models.documents import Medium, insert_registration, next_sequence
from strongroom.policy import Action
from strongroom.policy.facts import DocumentFacts
from strongroom.services.base import check, now, on_behalf, writes
from strongroom.services.inputs import text as _text
from strongroom.services.inputs import whole as _whole

MAX_COPIES = 999
MAX_PAGES = 100_000


def registry_location(unit: Unit) -> str:
    return f"{unit.code} registry"


def parse_marking(banner: str) -> Marking:
    try:
        marking: Marking = settings.STRONGROOM_MARKING_SCHEME.parse(banner)
        return marking
    except InvalidMarking as error:
        raise InvalidInput(error.text, field="marking") from None


def _received(value: object, today: date) -> date:
    """A date, or its ISO text from a form or an API body."""
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            value = date.fromisoformat(value.strip())
    if not isinstance(value, date):
        raise InvalidInput(
            gettext_noop(
                "The date received %(value)s is not a date; write it as YYYY-MM-DD.",
                value=repr(value),
            ),
            field="received_on",
        )
    if value > today:
        raise InvalidInput(
            gettext_noop("The date received cannot be in the future."), field="received_on"
        )
    return value


_MEDIA = frozenset(Medium.values)


def _medium(value: str) -> str:
    if value not in _MEDIA:
        raise InvalidInput(
            gettext_noop(
                "Unknown medium %(value)s; use one of: %(known)s.",
                value=repr(value),
                known=", ".join(Medium.values),
            ),
            field="medium",
        )
    return value


def _marking_fields(marking: Marking) -> dict[str, Any]:
    return {
        "level": marking.rank,
        "compartments": "/".join(sorted(marking.compartments)),
        "caveats": "/".join(sorted(marking.caveats)),
    }


def _marking_data(marking: Marking) -> dict[str, Any]:
    return {
        "level": marking.level,
        "compartments": sorted(marking.compartments),
        "caveats": sorted(marking.caveats),
    }


@writes
def register_document(
    *,
    unit: Unit,
    short_title: str,
    full_title: str,
    marking: str,
    originator: str,
    originator_reference: str = "",
    received_on: date,
    pages: int,
    medium: str,
    copies: int,
    by: Person,
) -> Document:
    """Register an incoming document; its copies start in the unit's registry."""
    parsed = parse_marking(marking)
    decision = check(
        by, Action.DOCUMENT_REGISTER, DocumentFacts(None, unit.path, parsed), f"unit:{unit.code}"
    )
    at = now()
    received = _received(received_on, at.date())
    fields: dict[str, object] = {
        "short_title": _text(short_title, "short_title", gettext_noop("The short title")),
        "full_title": _text(
            full_title, "full_title", gettext_noop("The full title"), max_length=500
        ),
        "originator": _text(originator, "originator", gettext_noop("The originator")),
        "originator_reference": _text(
            originator_reference,
            "originator_reference",
            gettext_noop("The originator's reference"),
            required=False,
        ),
        "received_on": received,
        "pages": _whole(pages, "pages", gettext_noop("The number of pages"), 1, MAX_PAGES),
        "medium": _medium(medium),
        "copy_count": _whole(copies, "copies", gettext_noop("The number of copies"), 1, MAX_COPIES),
    }
    year = at.year
    sequence = next_sequence(unit.pk, year)
    location = registry_location(unit)
    document = insert_registration(
        Document(
            control_number=control_number(unit.code, year, sequence),
            unit=unit,
            year=year,
            sequence=sequence,
            registered_by=by,
            registered_at=at,
            **fields,
            **_marking_fields(parsed),
        ),
        location=location,
    )
    record(
        Event.DOCUMENT_REGISTERED,
        actor=by,
        subject=f"document:{document.control_number}",
        data={
            "control_number": document.control_number,
            "unit": unit.code,
            "year": year,
            "sequence": sequence,
            "marking": parsed.banner(),
            **_marking_data(parsed),
            **{k: v for k, v in fields.items() if k != "received_on"},
            "received_on": received.isoformat(),
            "registered_by": by.username,
            "location": location,
            **on_behalf(decision),
        },
        at=at,
    )
    return document


CORRECTABLE = (
    "short_title",
    "full_title",
    "marking",
    "originator",
    "originator_reference",
    "received_on",
    "pages",
    "medium",
)


def _clean_corrections(document: Document, changes: dict[str, Any], today: date) -> dict[str, Any]:
    unknown = sorted(set(changes) - set(CORRECTABLE))
    if unknown:
        raise InvalidInput(
            gettext_noop(
                "Cannot correct %(fields)s; correctable fields are: %(correctable)s.",
                fields=", ".join(unknown),
                correctable=", ".join(CORRECTABLE),
            ),
            field=unknown[0],
        )
    cleaners = {
        "short_title": lambda v: _text(v, "short_title", gettext_noop("The short title")),
        "full_title": lambda v: _text(
            v, "full_title", gettext_noop("The full title"), max_length=500
        ),
        "originator": lambda v: _text(v, "originator", gettext_noop("The originator")),
        "originator_reference": lambda v: _text(
            v, "originator_reference", gettext_noop("The originator's reference"), required=False
        ),
        "received_on": lambda v: _received(v, today),
        "pages": lambda v: _whole(v, "pages", gettext_noop("The number of pages"), 1, MAX_PAGES),
        "medium": _medium,
        "marking": parse_marking,
    }
    return {name: cleaners[name](value) for name, value in changes.items()}


def _marking_changes(old: Marking, new: Marking) -> dict[str, dict[str, Any]]:
    """The marking fields that differ, as the ledger keeps them: ``{field: {from, to}}``."""
    before, after = _marking_data(old), _marking_data(new)
    return {
        key: {"from": before[key], "to": after[key]} for key in before if before[key] != after[key]
    }


def _update(
    document: Document, values: dict[str, Any], *, version: int, conflict: Conflict
) -> None:
    """Change ``document`` only if nobody did since ``version`` was read (else raise
    ``conflict``); its compartment rows follow its compartments."""
    updated = Document.objects.filter(pk=document.pk, version=version).update(
        **values, version=version + 1
    )
    if not updated:
        raise conflict
    if "compartments" in values:
        DocumentCompartment.objects.filter(document=document).delete()
        DocumentCompartment.objects.bulk_create(
            DocumentCompartment(document=document, code=code)
            for code in values["compartments"].split("/")
            if code
        )


def _holders_may_keep(document: Document, marking: Marking, today: date) -> None:
    """A new marking must not leave a copy with someone who may not hold it: recall first."""
    held = document.copies.filter(holder__isnull=False).select_related("holder").order_by("number")
    barred = [
        f"{copy.reference} ({copy.holder.username})"
        for copy in held
        if copy.holder is not None and copy.holder.may_hold(marking, today)
    ]
    if barred:
        raise InvalidInput(
            gettext_noop(
                "Copies %(copies)s are held by people who may not hold %(marking)s; "
                "take them back before changing the marking.",
                copies=", ".join(barred),
                marking=marking.banner(),
            ),
            field="marking",
        )


@writes
def correct_registration(
    document: Document, *, changes: dict[str, Any], reason: str, by: Person
) -> Document:
    """Correct a registration. Nothing is edited in place: the ledger keeps old and new values."""
    check(by, Action.DOCUMENT_CORRECT, document.facts(), f"document:{document.control_number}")
    reason = _text(reason, "reason", gettext_noop("A reason for the correction"), max_length=500)
    at = now()
    cleaned = _clean_corrections(document, changes, at.date())
    new_values: dict[str, Any] = {}
    ledger_changes: dict[str, dict[str, Any]] = {}
    for name, value in cleaned.items():
        if name == "marking":
            marking: Marking = value
            if marking == document.marking:
                continue
            check(
                by,
                Action.DOCUMENT_REGISTER,
                DocumentFacts(document.pk, document.unit.path, marking),
                f"document:{document.control_number}",
            )
            _holders_may_keep(document, marking, at.date())
            new_values.update(_marking_fields(marking))
            ledger_changes.update(_marking_changes(document.marking, marking))
        elif getattr(document, name) != value:
            new_values[name] = value
            old_value = getattr(document, name)
            ledger_changes[name] = {
                "from": old_value.isoformat() if isinstance(old_value, date) else old_value,
                "to": value.isoformat() if isinstance(value, date) else value,
            }
    if not new_values:
        raise InvalidInput(
            gettext_noop("Nothing to correct: every value is the same as registered.")
        )
    _update(
        document,
        new_values,
        version=document.version,
        conflict=Conflict(
            gettext_noop(
                "%(control)s was corrected by someone else; reload and try again.",
                control=document.control_number,
            )
        ),
    )
    record(
        Event.DOCUMENT_CORRECTED,
        actor=by,
        subject=f"document:{document.control_number}",
        data={"changes": ledger_changes, "reason": reason},
        at=at,
    )
    document.refresh_from_db()
    return document


@writes
def change_classification(
    document: Document,
    *,
    marking: str,
    authority: str,
    reason: str,
    by: Person,
    expected_version: int | None = None,
) -> Document:
    """Downgrade or declassify ``document`` on the order of ``authority``, named in the record.

    Only ever lower (see domain.classification): a lower marking leaves everyone who holds a
    copy eligible for it, so unlike a correction of the marking it needs no recall first."""
    control = document.control_number
    check(by, Action.DOCUMENT_DOWNGRADE, document.facts(), f"document:{control}")
    old, new = document.marking, parse_marking(marking)
    kind = reclassification(old, new)
    authority = _text(
        authority, "authority", gettext_noop("The authority that ordered it"), max_length=500
    )
    reason = _text(reason, "reason", gettext_noop("A reason for the change"), max_length=500)
    at = now()
    _update(
        document,
        _marking_fields(new),
        version=document.version if expected_version is None else expected_version,
        conflict=Conflict(
            gettext_noop(
                "%(control)s was changed by someone else a moment ago; reload it and try again.",
                control=control,
            )
        ),
    )
    declassified = kind is Reclassification.DECLASSIFICATION
    record(
        Event.DOCUMENT_DECLASSIFIED if declassified else Event.DOCUMENT_DOWNGRADED,
        actor=by,
        subject=f"document:{control}",
        data={
            "marking": {"from": old.banner(), "to": new.banner()},
            "changes": _marking_changes(old, new),
            "authority": authority,
            "reason": reason,
        },
        at=at,
    )
    document.refresh_from_db()
    return document
