"""Forms of a copy: issuing it to a person and taking it back."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class Versioned(forms.Form):
    # The copy's version when the page was drawn: if it moved since, the service says so.
    expected_version = forms.IntegerField(
        widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1
    )


class IssueForm(Versioned):
    recipient = forms.CharField(
        label=_("Issue to (username)"),
        max_length=64,
        widget=forms.TextInput(attrs={"list": "people-usernames", "autocomplete": "off"}),
    )


class ReturnForm(Versioned):
    pass
