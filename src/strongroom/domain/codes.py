"""Control numbers: ``<unit code>-<year>-<sequence>``, e.g. ``HQ-2026-0042``."""

from __future__ import annotations

import re

from strongroom.domain.errors import InvalidInput

UNIT_CODE = re.compile(r"^[A-Z][A-Z0-9]{1,15}$")
CONTROL_NUMBER = re.compile(r"^(?P<unit>[A-Z][A-Z0-9]{1,15})-(?P<year>\d{4})-(?P<seq>\d{4,})$")
COPY_REFERENCE = re.compile(r"^(?P<control>.+?)(?:/| copy |#)(?P<number>\d+)$", re.IGNORECASE)


def check_unit_code(code: str) -> str:
    code = code.strip().upper()
    if not UNIT_CODE.match(code):
        raise InvalidInput(
            f"Unit code {code!r} must be 2-16 letters or digits starting with a letter, e.g. HQ.",
            field="code",
        )
    return code


def control_number(unit_code: str, year: int, sequence: int) -> str:
    return f"{unit_code}-{year:04d}-{sequence:04d}"


def parse_copy_reference(text: str) -> tuple[str, int]:
    """``HQ-2026-0042/3`` (or ``... copy 3``, ``...#3``) -> (control number, copy number)."""
    match = COPY_REFERENCE.match(text.strip())
    if not match or not CONTROL_NUMBER.match(match["control"].upper()):
        raise InvalidInput(
            f"{text!r} is not a copy reference; write the control number and the copy number, "
            "e.g. HQ-2026-0042/3.",
            field="copy",
        )
    return match["control"].upper(), int(match["number"])
