"""Granting a clearance, and suspending, reinstating or revoking it, from a person's page."""

from __future__ import annotations

from typing import Protocol

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from strongroom.domain.errors import DomainError
from strongroom.models import Clearance, Person
from strongroom.policy import Denied
from strongroom.services import clearances
from strongroom.web import labels, lookups
from strongroom.web.errors import page
from strongroom.web.forms.people import ClearanceGrantForm, ClearanceStatusForm
from strongroom.web.rendering import signed_in
from strongroom.web.views.people import after_change


class _StatusChange(Protocol):
    def __call__(self, person: Person, *, reason: str, by: Person) -> Clearance: ...


_STATUS_CHANGES: dict[str, _StatusChange] = {
    ClearanceStatusForm.SUSPEND: clearances.suspend_clearance,
    ClearanceStatusForm.REINSTATE: clearances.reinstate_clearance,
    ClearanceStatusForm.REVOKE: clearances.revoke_clearance,
}


@page
@require_POST
def grant_clearance(request: HttpRequest, username: str) -> HttpResponse:
    actor = signed_in(request)
    subject = lookups.person(actor, username)
    form = ClearanceGrantForm(request.POST)
    error: DomainError | Denied | None = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            granted = clearances.grant_clearance(
                subject,
                level=data["level"],
                compartments=data["compartments"],
                expires_on=data["expires_on"],
                briefed_on=data["briefed_on"],
                by=actor,
            )
        except (DomainError, Denied) as caught:
            error = caught
        else:
            messages.success(
                request,
                gettext("%(person)s is cleared %(marking)s.")
                % {"person": subject, "marking": granted.marking().banner()},
            )
    return after_change(request, actor, subject, "grant_form", form, error)


@page
@require_POST
def clearance_status(request: HttpRequest, username: str) -> HttpResponse:
    actor = signed_in(request)
    subject = lookups.person(actor, username)
    form = ClearanceStatusForm(request.POST)
    error: DomainError | Denied | None = None
    if form.is_valid():
        change = _STATUS_CHANGES[form.cleaned_data["change"]]
        try:
            changed = change(subject, reason=form.cleaned_data["reason"], by=actor)
        except (DomainError, Denied) as caught:
            error = caught
        else:
            messages.success(
                request,
                gettext("The clearance of %(person)s is now %(status)s.")
                % {
                    "person": subject,
                    "status": labels.label(labels.CLEARANCE_STATUSES, changed.status),
                },
            )
    return after_change(request, actor, subject, "clearance_form", form, error)
