"""Checking what people type: each check names the field and says how to put it right."""

from __future__ import annotations

from strongroom.domain.errors import InvalidInput
from strongroom.domain.text import Text, gettext_noop


def text(
    value: str, field: str, what: Text, *, required: bool = True, max_length: int = 200
) -> str:
    """``what`` names the input in the message: a Text such as "The short title"."""
    value = " ".join(str(value).split())
    if required and not value:
        raise InvalidInput(gettext_noop("%(what)s is required.", what=what), field=field)
    if len(value) > max_length:
        raise InvalidInput(
            gettext_noop(
                "%(what)s must be at most %(max_length)s characters.",
                what=what,
                max_length=max_length,
            ),
            field=field,
        )
    return value


def whole(value: object, field: str, what: Text, low: int, high: int) -> int:
    try:
        number = int(str(value))
    except ValueError:
        raise InvalidInput(
            gettext_noop("%(what)s must be a whole number.", what=what), field=field
        ) from None
    if not low <= number <= high:
        raise InvalidInput(
            gettext_noop(
                "%(what)s must be between %(low)s and %(high)s.", what=what, low=low, high=high
            ),
            field=field,
        )
    return number
