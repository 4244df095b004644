"""Forms of a reproduction: asking for copies, and deciding or withdrawing a request.

The forms only turn text into typed values; the service judges the number and the reason."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from strongroom.web.forms.copies import Versioned


class RequestForm(forms.Form):
    copies = forms.IntegerField(
        label=_("Number of copies"), widget=forms.NumberInput(attrs={"min": 1, "size": 4})
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.TextInput(attrs={"size": 60})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The document's page has the correction form too, with a "reason" of its own.
        kwargs.setdefault("auto_id", "id_reproduction_%s")
        super().__init__(*args, **kwargs)
        most = settings.STRONGROOM_REPRODUCTION_MAX_COPIES
        self.fields["copies"].widget.attrs["max"] = most
        self.fields["copies"].help_text = _("At most %(most)s in one request.") % {"most": most}


class DecisionForm(Versioned):
    """Approve: an optional note. Refuse: a reason (required). Withdraw: an optional reason."""

    reason = forms.CharField(
        label=_("Reason or note"), max_length=500, required=False, widget=forms.TextInput()
    )
