"""Printable documents: HTML templates rendered to PDF by WeasyPrint, with QR codes by segno.

WeasyPrint needs the system's Pango library. It is imported only when a PDF is asked for, so
that an installation without Pango still runs everything else and says plainly what is missing.
"""

from __future__ import annotations

from typing import Any

import segno
from django.template.loader import render_to_string

from strongroom.domain.errors import Unavailable
from strongroom.domain.text import gettext_noop


def qr_code(payload: str) -> segno.QRCode:
    """Always a full QR code, never a Micro QR (which many scanners do not read), with
    medium error correction so a creased or smudged receipt still scans."""
    return segno.make_qr(payload, error="m")


def qr_svg_data_uri(payload: str) -> str:
    return str(qr_code(payload).svg_data_uri(scale=4, border=4))


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """Render a Django template to a PDF document."""
    try:
        from weasyprint import HTML
    except OSError as error:  # WeasyPrint loads Pango with ctypes when imported
        raise Unavailable(
            gettext_noop(
                "PDF printing is not available here: %(problem)s. Install Pango (Debian and "
                "Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0; "
                "macOS: brew install pango) and restart strongroom.",
                problem=str(error),
            )
        ) from None
    html = render_to_string(template, context)
    return bytes(HTML(string=html).write_pdf())
