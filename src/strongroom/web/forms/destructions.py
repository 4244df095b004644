"""Forms of a destruction: the destroyer's record of it. (The witness's countersignature,
refusal and a withdrawal take hand_overs.ResolveForm: a version and a reason.)"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from strongroom.domain.destruction import METHODS_FOR_MEDIUM, Method
from strongroom.web import labels
from strongroom.web.forms.common import DateInput, set_choices
from strongroom.web.forms.copies import Versioned


class DestroyForm(Versioned):
    method = forms.ChoiceField(label=_("Method"))
    witness = forms.CharField(
        label=_("Witness (username)"),
        max_length=64,
        help_text=_("Another person cleared for the marking, who sees it done and countersigns."),
        widget=forms.TextInput(attrs={"list": "people-usernames", "autocomplete": "off"}),
    )
    destroyed_on = forms.DateField(
        label=_("Date of destruction"),
        required=False,
        widget=DateInput(),
        help_text=_("YYYY-MM-DD; today if left empty."),
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=500,
        required=False,
        help_text=_("Optional, e.g. a batch or bag number; printed on the certificate."),
        widget=forms.TextInput(attrs={"size": 60}),
    )

    def __init__(self, *args: Any, medium: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the methods that can destroy a copy on this medium.
        fitting = METHODS_FOR_MEDIUM.get(medium, tuple(Method))
        set_choices(self, "method", [(m.value, labels.METHODS[m]) for m in fitting])
