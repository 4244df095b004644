"""Pieces several forms share."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext, gettext_lazy

from strongroom.models import Unit

NBSP = "\u00a0"


def set_choices(form: forms.Form, name: str, choices: list[tuple[str, Any]]) -> None:
    """Choices known only per request (units the actor sees, the configured scheme)."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def unit_choices(units: Iterable[Unit], *, blank: str | None = None) -> list[tuple[str, str]]:
    """Unit codes, indented by depth so the select reads as the tree."""
    choices = [("", blank)] if blank is not None else []
    # No-break spaces: a browser collapses ordinary leading spaces in an <option>.
    return choices + [(u.code, f"{NBSP * 2 * u.depth}{u.code} — {u.name}") for u in units]


def level_choices(*, blank: str | None = None) -> list[tuple[str, str]]:
    choices = [("", blank)] if blank is not None else []
    return choices + [(level, level) for level in settings.STRONGROOM_MARKING_SCHEME.levels]


def compartment_choices() -> list[tuple[str, str]]:
    return [(c, c) for c in sorted(settings.STRONGROOM_MARKING_SCHEME.compartments)]


def marking_help() -> str:
    scheme = settings.STRONGROOM_MARKING_SCHEME
    none = gettext("none")
    return gettext(
        "Write LEVEL//COMPARTMENTS//CAVEATS, e.g. SECRET//ALPHA//NO COPY. Levels, lowest first: "
        "%(levels)s. Compartments: %(compartments)s. Caveats: %(caveats)s."
    ) % {
        "levels": ", ".join(scheme.levels),
        "compartments": ", ".join(sorted(scheme.compartments)) or none,
        "caveats": ", ".join(sorted(scheme.caveats)) or none,
    }


class DateInput(forms.DateInput):
    """ISO dates typed as text: the same in every locale, and quick to copy from a receipt stamp.

    (A browser date picker reorders the digits by locale, so a typed 2026-11-20 comes out wrong.)
    """

    def __init__(self) -> None:
        super().__init__(
            format="%Y-%m-%d",
            attrs={
                "placeholder": "YYYY-MM-DD",
                "pattern": r"\d{4}-\d{2}-\d{2}",
                "inputmode": "numeric",
                "size": 10,
                "autocomplete": "off",
            },
        )


def reason_field(help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=500,
        help_text=help_text,
        widget=forms.TextInput(attrs={"size": 60}),
    )
