"""Reading printed PDFs (receipts, certificates) in tests."""

from __future__ import annotations

import sys
import types
from io import BytesIO
from typing import Any

import pytest
from pypdf import PdfReader


def text(content: bytes) -> str:
    """The words of every page, with line breaks and runs of spaces as single spaces."""
    pages = PdfReader(BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def placed(content: bytes, wanted: str) -> list[float]:
    """Where on the page (points from the bottom edge) each run of ``wanted`` text is drawn."""
    page = PdfReader(BytesIO(content)).pages[0]
    heights: list[float] = []

    def visit(found: str, cm: Any, tm: Any, _font: Any, _size: Any) -> None:
        if found.strip() == wanted:
            heights.append(tm[4] * cm[1] + tm[5] * cm[3] + cm[5])

    page.extract_text(visitor_text=visit)
    return heights


def page_height(content: bytes) -> float:
    return float(PdfReader(BytesIO(content)).pages[0].mediabox.height)


class _NoPango(types.ModuleType):
    def __getattr__(self, name: str) -> Any:
        raise OSError("cannot load library 'libpango-1.0-0'")


def without_pango(monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint as on a machine without Pango: what it loads fails as it does there."""
    monkeypatch.setitem(sys.modules, "weasyprint", _NoPango("weasyprint"))
