"""Forms of a delegation: granting one, and revoking it with a reason."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from strongroom.policy.facts import Duty
from strongroom.web.forms.copies import Versioned

DUTIES = [
    (Duty.REGISTER.value, _("register incoming documents")),
    (Duty.HANDLE_COPIES.value, _("issue copies and take them back")),
]


def _levels() -> list[tuple[str, str]]:
    return [(name, name) for name in settings.STRONGROOM_MARKING_SCHEME.levels]


class GrantForm(forms.Form):
    delegate = forms.CharField(
        label=_("Delegate to (username)"),
        max_length=64,
        widget=forms.TextInput(attrs={"list": "people-usernames", "autocomplete": "off"}),
    )
    duty = forms.ChoiceField(label=_("Duty"), choices=DUTIES)
    level = forms.ChoiceField(label=_("Up to the level"), choices=_levels)
    ends_on = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=500)


class RevokeForm(Versioned):
    reason = forms.CharField(label=_("Reason"), max_length=500)
