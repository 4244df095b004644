"""Forms of a hand-over: sending a copy, refusing or calling it back, and the scan field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from strongroom.web.forms.copies import Versioned


class DispatchForm(Versioned):
    recipient = forms.CharField(
        label=_("Hand over to (username)"),
        max_length=64,
        widget=forms.TextInput(attrs={"list": "people-usernames", "autocomplete": "off"}),
    )
    due_by = forms.DateTimeField(
        label=_("To be acknowledged by"),
        required=False,
        help_text=_("Leave empty for the longest time the handling rules allow."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class ResolveForm(Versioned):
    """Acknowledge: just the version. Refuse or call back: a reason, kept on the receipt."""

    reason = forms.CharField(
        label=_("Reason"), max_length=500, required=False, widget=forms.TextInput()
    )


class ScanForm(forms.Form):
    # A keyboard-wedge scanner types the code and presses Enter: one field, autofocus, GET.
    code = forms.CharField(
        label=_("Scan or type a receipt, certificate, copy or document reference"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )
