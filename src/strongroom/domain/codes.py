"""Control numbers: ``<unit code>-<year>-<sequence>``, e.g. ``HQ-2026-0042``."""

from __future__ import annotations

import re

from strongroom.domain.errors import InvalidInput
from strongroom.domain.text import gettext_noop

# ASCII only: a full-width digit or a letter that upper-cases into two would name nothing.
UNIT_CODE = re.compile(r"^[A-Z][A-Z0-9]{1,15}$", re.ASCII)
CONTROL_NUMBER = re.compile(
    r"^(?P<unit>[A-Z][A-Z0-9]{1,15})-(?P<year>[0-9]{4})-(?P<seq>[0-9]{4,})$", re.ASCII
)
COPY_REFERENCE = re.compile(
    r"^(?P<control>.+?)(?:/|\s+copy\s+|#)(?P<number>[0-9]+)$", re.IGNORECASE | re.ASCII
)


def check_unit_code(code: str) -> str:
    code = code.strip()
    if not code.isascii() or not UNIT_CODE.match(code.upper()):
        raise InvalidInput(
            gettext_noop(
                "Unit code %(code)s must be 2-16 letters or digits starting with a letter, "
                "e.g. HQ.",
                code=repr(code),
            ),
            field="code",
        )
    return code.upper()


def control_number(unit_code: str, year: int, sequence: int) -> str:
    if year < 0 or sequence < 1:
        raise InvalidInput(
            gettext_noop(
                "No control number has year %(year)s and sequence %(sequence)s.",
                year=year,
                sequence=sequence,
            )
        )
    return f"{unit_code}-{year:04d}-{sequence:04d}"


def parse_copy_reference(text: str) -> tuple[str, int]:
    """``HQ-2026-0042/3`` (or ``... copy 3``, ``...#3``) -> (control number, copy number)."""
    stripped = text.strip()
    match = COPY_REFERENCE.match(stripped) if stripped.isascii() else None
    if not match or not CONTROL_NUMBER.match(match["control"].upper()) or int(match["number"]) < 1:
        raise InvalidInput(
            gettext_noop(
                "%(text)s is not a copy reference; write the control number and the copy "
                "number, e.g. HQ-2026-0042/3.",
                text=repr(text),
            ),
            field="copy",
        )
    return match["control"].upper(), int(match["number"])
