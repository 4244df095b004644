"""The one source of the current time, so tests can freeze it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime

_source: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731 - swapped by frozen()


def now() -> datetime:
    return _source()


def today() -> date:
    return _source().date()


@contextmanager
def frozen(at: datetime) -> Iterator[None]:
    """Within the block, the clock says ``at``."""
    global _source
    previous = _source
    _source = lambda: at  # noqa: E731
    try:
        yield
    finally:
        _source = previous
