"""What every printed paper shares — a hand-over's or a transit's receipt, a certificate of
destruction: the copy and its document, the marking banners, a QR code that names the record,
who printed it and when. Each can be printed again as often as anyone entitled asks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings

from strongroom.adapters import pdf
from strongroom.models import Person


@dataclass(frozen=True)
class Printout:
    """A rendered PDF and the name to save it under."""

    filename: str
    content: bytes


def context(
    found: Any, *, name: str, qr_payload: str, printed_by: Person, printed_at: datetime
) -> dict[str, object]:
    """What a printed template shows of ``found`` (a record of one copy), as ``name``."""
    document = found.copy.document
    return {
        name: found,
        "printed_record": found,
        "copy": found.copy,
        "document": document,
        "banner": document.marking.banner(),
        "qr": pdf.qr_svg_data_uri(qr_payload),
        "qr_payload": qr_payload,
        "printed_by": printed_by,
        "printed_at": printed_at,
        "time_zone": settings.TIME_ZONE,
    }


def render(template: str, filename: str, values: dict[str, object]) -> Printout:
    return Printout(filename=filename, content=pdf.render_pdf(template, values))
