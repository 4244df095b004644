"""Rendering for people (aligned tables framed by the marking banner) and for scripts (JSON)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.utils import timezone

from strongroom.cli.base import Context
from strongroom.domain.errors import InvalidInput
from strongroom.domain.markings import Marking, highest
from strongroom.domain.text import gettext_noop

NOTHING = "-"
T = TypeVar("T")


def when(at: datetime | None) -> str:
    """Minutes in the installation's time zone: enough to read, and what the web shows."""
    if at is None:
        return NOTHING
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M")


def day(value: date | None) -> str:
    return value.isoformat() if value else NOTHING


def table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    rows = [[str(cell) for cell in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(cell.ljust(w) for cell, w in zip(cells, widths, strict=True)).rstrip()

    return [line(headers), line(["-" * w for w in widths]), *(line(row) for row in rows)]


def fields(pairs: Iterable[tuple[str, str]]) -> list[str]:
    pairs = list(pairs)
    width = max((len(label) for label, _ in pairs), default=0)
    return [f"{label.ljust(width)}  {value}".rstrip() for label, value in pairs]


def framed(ctx: Context, marking: Marking, lines: Iterable[str]) -> None:
    """Marked material is printed between its banner, so a torn-off page still carries it."""
    banner = marking.banner()
    ctx.say(banner)
    for text in lines:
        ctx.say(text)
    ctx.say(banner)


def framed_table(
    ctx: Context,
    markings: Iterable[Marking],
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
) -> None:
    """A table of marked material between the banner of the highest marking in it."""
    framed(ctx, highest(markings, settings.STRONGROOM_MARKING_SCHEME), table(headers, rows))


def _plain(value: object) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def emit_json(ctx: Context, value: object) -> None:
    ctx.say(json.dumps(value, indent=2, ensure_ascii=False, default=_plain))


def save(content: bytes, output: str | None, default: str) -> Path:
    """Write a printed receipt to ``output`` (or ``default`` here); a failure is bad input."""
    target = Path(output or default)
    opened(target, lambda path: path.write_bytes(content))
    return target


def opened(target: Path, how: Callable[[Path], T]) -> T:
    """``how(target)``: open or write the file a command was told to write; a failure is bad
    input, said in one line."""
    try:
        return how(target)
    except OSError as error:
        raise InvalidInput(
            gettext_noop(
                "Cannot write %(path)s: %(problem)s.", path=str(target), problem=error.strerror
            ),
            field="output",
        ) from None
