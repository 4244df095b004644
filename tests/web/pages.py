"""Reading rendered pages in tests."""

from __future__ import annotations

import html
import re
from typing import Any

_BANNER = re.compile(
    r'<div class="banner banner-(?P<tone>\w+)" id="banner-(?P<position>top|bottom)"[^>]*>'
    r"(?P<text>[^<]*)</div>"
)
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def body(response: Any) -> str:
    return str(response.content.decode())


def text(response: Any) -> str:
    """The page's visible text with tags dropped and whitespace squeezed, for phrase checks."""
    without_tags = re.sub(r"<[^>]+>", " ", body(response))
    return " ".join(html.unescape(without_tags).split())


def banners(response: Any) -> list[tuple[str, str, str]]:
    """(position, tone, marking) of every banner, in page order."""
    return [
        (m["position"], m["tone"], html.unescape(m["text"]))
        for m in _BANNER.finditer(body(response))
    ]


def without_csrf(page: str) -> str:
    return _CSRF.sub("", page)
