"""Errors a user can act on. Each carries a message written for a person, not a developer."""

from __future__ import annotations

from strongroom.domain.text import Text, as_text, gettext_noop


class DomainError(Exception):
    """A rule of the domain was broken; the message says what and how to put it right.

    ``text`` is the translatable form, for adapters to render in the reader's language;
    ``message`` (and ``str(error)``) is the same in English, for logs, the ledger and tests.
    """

    code = "invalid"

    def __init__(self, message: str | Text) -> None:
        self.text: Text = as_text(message)
        self.message: str = str(self.text)
        super().__init__(self.message)


class InvalidMarking(DomainError):
    code = "invalid_marking"


class IllegalTransition(DomainError):
    code = "illegal_transition"


class InvalidInput(DomainError):
    """Input that fails validation; ``field`` names the offending input when there is one."""

    code = "invalid_input"

    def __init__(self, message: str | Text, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class Conflict(DomainError):
    """Someone else changed the thing first; reload and try again."""

    code = "conflict"


class Unavailable(DomainError):
    """Something this installation cannot do right now (e.g. a missing system library); the
    message says what to install or whom to ask."""

    code = "unavailable"


class NotFound(DomainError):
    """Nothing the actor may see answers to that name. Also the answer for hidden things."""

    code = "not_found"


def not_found_text(target_ref: str) -> Text:
    """What a lookup says when nothing answers to ``target_ref`` (``document:HQ-2026-0001``).

    The one wording for "missing" — and so for "hidden", which must read exactly the same. A copy
    is hidden exactly when its document is, so a copy reads as a missing document.
    """
    kind, _, name = target_ref.partition(":")
    if kind == "copy":
        kind, name = "document", name.rpartition("/")[0] or name
    if kind == "document":
        return gettext_noop("No document %(control)s in the register.", control=name)
    if kind == "person":
        return gettext_noop("No person %(username)s.", username=name)
    if kind == "unit":
        return gettext_noop("No unit %(code)s.", code=name)
    if kind == "hand_over":
        return gettext_noop("No hand-over %(reference)s.", reference=name)
    if kind == "delegation":
        return gettext_noop("No delegation %(number)s.", number=name)
    if kind == "reproduction":
        return gettext_noop("No reproduction request %(reference)s.", reference=name)
    if kind == "destruction":
        return gettext_noop("No destruction %(reference)s.", reference=name)
    if kind == "transit":
        return gettext_noop("No transit %(reference)s.", reference=name)
    if kind == "campaign":
        return gettext_noop("No campaign %(reference)s.", reference=name)
    return gettext_noop("Not found.")
