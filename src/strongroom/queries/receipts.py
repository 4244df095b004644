"""What hand-overs and transits share: each has a printed receipt, found again by what people
have of it (the 8 characters printed on it, its full reference, or the text of its QR code) and
printed as often as anyone entitled asks."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from django.conf import settings
from django.db.models import Model, QuerySet

from strongroom.adapters import pdf
from strongroom.domain.errors import InvalidInput
from strongroom.domain.text import Text, gettext_noop
from strongroom.models import Person

M = TypeVar("M", bound=Model)
SHORT = re.compile(r"[0-9a-f]{8}")


def by_reference(
    found: QuerySet[M], text: str, *, qr_prefix: str, field: str, what: Text
) -> M | None:
    """The row of ``found`` (which has a ``reference``) that ``text`` names, or None; text that
    is no reference, or a short one two rows share, is bad input in ``field``. ``what`` names
    the kind of thing in messages: a Text such as "hand-over"."""
    raw = text.strip().lower().removeprefix(qr_prefix)
    if SHORT.fullmatch(raw):
        matches = list(found.filter(reference__startswith=raw)[:2])
        if len(matches) > 1:
            raise InvalidInput(
                gettext_noop(
                    "More than one %(what)s starts with %(reference)s; give the full reference.",
                    what=what,
                    reference=raw.upper(),
                ),
                field=field,
            )
        return matches[0] if matches else None
    try:
        reference = uuid.UUID(raw)
    except ValueError:
        raise InvalidInput(
            gettext_noop(
                "%(text)s is not a %(what)s reference; use the 8 characters on the receipt "
                "(e.g. 3F2A9C01) or scan its QR code.",
                text=repr(text),
                what=what,
            ),
            field=field,
        ) from None
    return found.filter(reference=reference).first()


@dataclass(frozen=True)
class Receipt:
    filename: str
    content: bytes


def receipt_context(
    found: Any, *, name: str, qr_payload: str, printed_by: Person, printed_at: datetime
) -> dict[str, object]:
    """What a receipt template shows of ``found`` (a hand-over or a transit), as ``name``."""
    document = found.copy.document
    return {
        name: found,
        "receipted": found,
        "copy": found.copy,
        "document": document,
        "banner": document.marking.banner(),
        "qr": pdf.qr_svg_data_uri(qr_payload),
        "qr_payload": qr_payload,
        "printed_by": printed_by,
        "printed_at": printed_at,
        "time_zone": settings.TIME_ZONE,
    }


def printed(template: str, filename: str, context: dict[str, object]) -> Receipt:
    return Receipt(filename=filename, content=pdf.render_pdf(template, context))
