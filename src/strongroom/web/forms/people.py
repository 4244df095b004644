"""Forms about people, their status and their clearance."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from strongroom.domain.clearance import PersonStatus
from strongroom.models import Person, Unit
from strongroom.web import labels
from strongroom.web.forms.common import (
    DateInput,
    compartment_choices,
    level_choices,
    reason_field,
    set_choices,
    unit_choices,
)


class PeopleFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name or username"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    unit = forms.ChoiceField(label=_("Unit"), required=False)

    def __init__(self, *args: Any, units: Iterable[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "unit", unit_choices(units, blank=str(_("any unit"))))


class _PersonFields(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    unit = forms.ChoiceField(label=_("Unit"))
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=list(labels.ROLES.items()),
    )

    def __init__(self, *args: Any, units: Iterable[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "unit", unit_choices(units))


class PersonCreateForm(_PersonFields):
    username = forms.CharField(label=_("Username"), max_length=64)
    password = forms.CharField(
        label=_("Initial password"),
        required=False,
        widget=forms.PasswordInput,
        help_text=_("Leave empty for an account that cannot sign in until a password is set."),
    )
    field_order = ["username", "full_name", "unit", "roles", "password"]


class PersonChangeForm(_PersonFields):
    @classmethod
    def initial_for(cls, person: Person) -> dict[str, Any]:
        return {
            "full_name": person.full_name,
            "unit": person.unit.code,
            "roles": sorted(role.value for role in person.role_set),
        }


class PersonStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=list(labels.PERSON_STATUSES.items()))
    reason = reason_field()

    def clean_status(self) -> PersonStatus:
        return PersonStatus(self.cleaned_data["status"])


class ClearanceGrantForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"))
    compartments = forms.MultipleChoiceField(
        label=_("Compartments"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    expires_on = forms.DateField(label=_("Expires on"), required=False, widget=DateInput())
    briefed_on = forms.DateField(
        label=_("Briefed on"),
        required=False,
        widget=DateInput(),
        help_text=_("Without a security briefing on record the clearance does not count."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "level", level_choices())
        set_choices(self, "compartments", compartment_choices())


class ClearanceStatusForm(forms.Form):
    SUSPEND = "suspend"
    REINSTATE = "reinstate"
    REVOKE = "revoke"

    change = forms.ChoiceField(
        label=_("Change"),
        choices=[(SUSPEND, _("suspend")), (REINSTATE, _("reinstate")), (REVOKE, _("revoke"))],
    )
    reason = reason_field()


class HeldOnForm(forms.Form):
    # GET, so the answer has an address an investigator can note down.
    on = forms.DateField(
        label=_("What did this person hold at the end of"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
