"""Reading the PDFs strongroom prints, in tests."""

from __future__ import annotations

from io import BytesIO

from pypdf import PdfReader


def text(content: bytes) -> str:
    """The words of every page, with line breaks and runs of spaces as single spaces."""
    pages = PdfReader(BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def placed(content: bytes, wanted: str) -> list[float]:
    """Where on the first page (points from the bottom edge) each run of ``wanted`` is drawn."""
    page = PdfReader(BytesIO(content)).pages[0]
    heights: list[float] = []

    def visit(found, cm, tm, _font, _size):  # type: ignore[no-untyped-def]
        if found.strip() == wanted:
            heights.append(tm[4] * cm[1] + tm[5] * cm[3] + cm[5])

    page.extract_text(visitor_text=visit)
    return heights


def page_height(content: bytes) -> float:
    return float(PdfReader(BytesIO(content)).pages[0].mediabox.height)
