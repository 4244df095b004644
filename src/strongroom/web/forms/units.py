"""The forms of the organisation tree: a new unit, and a unit's head."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from strongroom.models import Unit
from strongroom.web.forms.common import set_choices, unit_choices


class UnitForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        help_text=_("2-16 letters or digits, starting with a letter, e.g. EAST."),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    parent = forms.ChoiceField(label=_("Below"))

    def __init__(self, *args: Any, units: Iterable[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "parent", unit_choices(units))


class UnitHeadForm(forms.Form):
    unit = forms.ChoiceField(label=_("Unit"))
    head = forms.CharField(
        label=_("Head (username)"),
        max_length=64,
        required=False,
        help_text=_(
            "One of the unit's own people; reminders about copies its people have not brought "
            "back escalate to them. Leave empty to remove the head."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args: Any, units: Iterable[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "unit", unit_choices(units))
