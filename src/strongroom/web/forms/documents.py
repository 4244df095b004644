"""Forms of the register: searching it, registering a document, correcting a registration.

The forms only turn text into typed values; the services judge the values and their rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from strongroom.domain.errors import InvalidInput
from strongroom.models import Document, Unit
from strongroom.queries.documents import parse_level
from strongroom.services.registry import MAX_COPIES, MAX_PAGES
from strongroom.web import labels
from strongroom.web.forms.common import (
    DateInput,
    level_choices,
    marking_help,
    reason_field,
    set_choices,
    unit_choices,
)
from strongroom.web.forms.copies import Versioned
from strongroom.web.labels import translated


class RegisterFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("control number, title, originator…"),
                "autocomplete": "off",
            }
        ),
    )
    # Free text checked by parse_level, so ?level=secret in a hand-written URL works too.
    level = forms.CharField(label=_("Level"), required=False, max_length=50)
    state = forms.ChoiceField(
        label=_("Copy state"),
        required=False,
        choices=[("", _("any state")), *labels.COPY_STATES.items()],
    )
    unit = forms.ChoiceField(label=_("Unit"), required=False)

    def __init__(self, *args: Any, units: Iterable[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].widget = forms.Select(choices=level_choices(blank=str(_("any level"))))
        set_choices(self, "unit", unit_choices(units, blank=str(_("any unit"))))

    def clean_level(self) -> int | None:
        try:
            return parse_level(self.cleaned_data["level"])
        except InvalidInput as error:
            raise forms.ValidationError(translated(error.text)) from None


class _RegistrationFields(forms.Form):
    short_title = forms.CharField(
        label=_("Short title"),
        max_length=200,
        help_text=_("Must itself be unclassified: it is shown in lists and on receipts."),
    )
    full_title = forms.CharField(
        label=_("Full title"), max_length=500, widget=forms.TextInput(attrs={"size": 80})
    )
    marking = forms.CharField(label=_("Marking"), max_length=400)
    originator = forms.CharField(label=_("Originator"), max_length=200)
    originator_reference = forms.CharField(
        label=_("Originator's reference"), max_length=200, required=False
    )
    received_on = forms.DateField(
        label=_("Date received"), widget=DateInput(), help_text=_("YYYY-MM-DD")
    )
    pages = forms.IntegerField(label=_("Pages"), min_value=1, max_value=MAX_PAGES)
    medium = forms.ChoiceField(label=_("Medium"), choices=list(labels.MEDIA.items()))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["marking"].help_text = marking_help()


class RegistrationForm(_RegistrationFields):
    unit = forms.ChoiceField(label=_("Registering unit"))
    copies = forms.IntegerField(
        label=_("Number of copies"), min_value=1, max_value=MAX_COPIES, initial=1
    )
    field_order = [
        "unit",
        "short_title",
        "full_title",
        "marking",
        "originator",
        "originator_reference",
        "received_on",
        "pages",
        "medium",
        "copies",
    ]

    def __init__(self, *args: Any, units: Iterable[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "unit", unit_choices(units))


class CorrectionForm(_RegistrationFields):
    reason = forms.CharField(label=_("Reason for the correction"), max_length=500)

    @classmethod
    def initial_for(cls, document: Document) -> dict[str, Any]:
        return {
            "short_title": document.short_title,
            "full_title": document.full_title,
            "marking": document.marking.banner(),
            "originator": document.originator,
            "originator_reference": document.originator_reference,
            "received_on": document.received_on,
            "pages": document.pages,
            "medium": document.medium,
        }

    def changes(self) -> dict[str, Any]:
        """Only what the person changed; the service keeps old and new values of each."""
        return {name: self.cleaned_data[name] for name in self.changed_data if name != "reason"}


class DowngradeForm(Versioned):
    """Downgrade or declassify: the lower marking, who ordered it, and why."""

    marking = forms.CharField(label=_("New marking"), max_length=400)
    authority = forms.CharField(
        label=_("Ordered by"),
        max_length=500,
        help_text=_(
            "The authority and its instrument, e.g. Ministry of Widgets letter MW/12/7 of "
            "2026-03-01."
        ),
        widget=forms.TextInput(attrs={"size": 60}),
    )
    reason = reason_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["marking"].help_text = marking_help()
