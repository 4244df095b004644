"""Translatable text for layers that may not import Django.

The domain, the policy and the services say what is wrong in English, but a person may read the
answer in Korean. So they do not format the English themselves: they hand back a ``Text`` — the
English template and its parameters — and the adapter that shows it renders it through its own
translation function. ``str(text)`` is the English, for the ledger, logs and tests.

``gettext_noop`` is named after the keyword Django's ``makemessages`` already passes to
xgettext, so every template written as ``gettext_noop("...")`` lands in the message catalogue
without this module importing Django. Templates use named placeholders only (``%(name)s``),
so a translation may put them in any order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


@dataclass(frozen=True)
class Text:
    """An English ``template`` with named ``params``; a param may itself be a Text."""

    template: str
    # Left out of the hash: a param need not be hashable, and equal Texts share a template.
    params: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}), hash=False)

    def __str__(self) -> str:
        return self.render(_untranslated)

    def render(self, translate: Callable[[str], str]) -> str:
        """The text in the language ``translate`` gives, nested Texts translated first."""
        template = translate(self.template)
        if not self.params:
            # Like gettext without "%": a message without parameters is taken literally, so a
            # wrapped plain message may contain a "%" sign of its own.
            return template
        return template % {
            name: value.render(translate) if isinstance(value, Text) else value
            for name, value in self.params.items()
        }


def _untranslated(template: str) -> str:
    return template


def gettext_noop(template: str, /, **params: object) -> Text:
    """Mark ``template`` for the message catalogue and bind its parameters; translate later."""
    # A read-only copy, so the frozen Text cannot be changed through the caller's dict.
    return Text(template, MappingProxyType(dict(params)))


def as_text(message: str | Text) -> Text:
    """``message`` as a Text; a plain string stands for itself, untranslated and unformatted."""
    return message if isinstance(message, Text) else Text(message)
