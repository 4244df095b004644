"""Forms of transport: sending a copy to another unit, receiving it, confirming its receipt, and
authorising couriers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from strongroom.domain.transport import MAX_WRAPPING
from strongroom.models import Unit
from strongroom.web.forms.common import DateInput, level_choices, reason_field, set_choices
from strongroom.web.forms.common import unit_choices as tree_choices
from strongroom.web.forms.copies import Versioned


class SendForm(Versioned):
    to_unit = forms.ChoiceField(label=_("To the registry of"))
    courier = forms.CharField(
        label=_("Courier (username)"),
        max_length=64,
        help_text=_("Someone authorised to carry material of this level, and cleared for it."),
        widget=forms.TextInput(attrs={"list": "courier-usernames", "autocomplete": "off"}),
    )
    expected_by = forms.DateTimeField(
        label=_("Expected to arrive by"),
        required=False,
        help_text=_("Leave empty for the longest time the handling rules allow."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    inner_wrapping = forms.CharField(
        label=_("Inner wrapping (marked)"),
        max_length=MAX_WRAPPING,
        widget=forms.TextInput(attrs={"size": 50}),
    )
    outer_wrapping = forms.CharField(
        label=_("Outer wrapping (unmarked)"),
        max_length=MAX_WRAPPING,
        widget=forms.TextInput(
            attrs={"size": 50, "placeholder": _("e.g. plain envelope addressed to the registry")}
        ),
    )

    def __init__(self, *args: Any, units: Iterable[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "to_unit", tree_choices(units, blank="—"))

    @classmethod
    def initial_for(cls, version: int, level: str) -> dict[str, Any]:
        return {
            "expected_version": version,
            "inner_wrapping": _("opaque envelope marked %(level)s, sealed") % {"level": level},
        }


class TransitForm(Versioned):
    """Receive, or confirm the receipt: the transit's version when the page was drawn."""


class CourierForm(forms.Form):
    courier = forms.CharField(
        label=_("Courier (username)"),
        max_length=64,
        widget=forms.TextInput(attrs={"list": "people-usernames", "autocomplete": "off"}),
    )
    level = forms.ChoiceField(label=_("May carry up to"))
    valid_from = forms.DateField(
        label=_("From"), required=False, widget=DateInput(), help_text=_("Empty: today.")
    )
    valid_until = forms.DateField(label=_("Until (included)"), widget=DateInput())
    note = forms.CharField(
        label=_("Note"), max_length=500, required=False, widget=forms.TextInput(attrs={"size": 40})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "level", level_choices())


class RevokeCourierForm(forms.Form):
    reason = reason_field()
