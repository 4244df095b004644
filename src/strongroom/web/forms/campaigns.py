"""The form of a distribution campaign."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

_SEPARATORS = re.compile(r"[\s,;]+")


class DistributeForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("What the campaign is, e.g. Spring induction course."),
        widget=forms.TextInput(attrs={"size": 60}),
    )
    due_back = forms.DateTimeField(
        label=_("Due back by"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    recipients = forms.CharField(
        label=_("Issue to (usernames)"),
        help_text=_(
            "One copy each, in this order, numbered from the copies in the registry. Separate "
            "the names with commas, spaces or new lines."
        ),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60, "autocomplete": "off"}),
    )

    def usernames(self) -> list[str]:
        return [name for name in _SEPARATORS.split(self.cleaned_data["recipients"]) if name]
