"""Forms of a check-out: lending a copy for reading, and checking it in."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from strongroom.web.forms.copies import Versioned


class LendForm(Versioned):
    reader = forms.CharField(
        label=_("Lend to (username)"),
        max_length=64,
        widget=forms.TextInput(attrs={"list": "people-usernames", "autocomplete": "off"}),
    )
    due_back = forms.DateTimeField(
        label=_("Due back"),
        help_text=_("At most as many hours from now as the handling rules allow."),
        # The one format a datetime-local field reads in every browser and every language.
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    place = forms.CharField(
        label=_("Where it is read"),
        max_length=100,
        required=False,
        initial="reading room",
        widget=forms.TextInput(attrs={"size": 20}),
    )


class CheckInForm(Versioned):
    pass
