"""People: the list, creating a person, a person's page, changing them and their status."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from strongroom.adapters import clock
from strongroom.domain.errors import DomainError
from strongroom.models import Clearance, Person, Unit
from strongroom.policy import Action, Denied
from strongroom.queries import documents as document_queries
from strongroom.queries import people as people_queries
from strongroom.queries import timelines as timeline_queries
from strongroom.services import people as people_services
from strongroom.web import labels, lookups
from strongroom.web.errors import form_failed, page
from strongroom.web.forms.people import (
    ClearanceGrantForm,
    ClearanceStatusForm,
    HeldOnForm,
    PeopleFilterForm,
    PersonChangeForm,
    PersonCreateForm,
    PersonStatusForm,
)
from strongroom.web.labels import translated
from strongroom.web.rendering import paginate, query_without_page, render_page, signed_in


def _units(actor: Person) -> dict[str, Unit]:
    return {unit.code: unit for unit in people_queries.units(actor)}


@page
@require_http_methods(["GET", "POST"])
def people(request: HttpRequest) -> HttpResponse:
    actor = signed_in(request)
    units = _units(actor)
    create: PersonCreateForm | None = None
    status = 200
    if request.method == "POST":
        create = PersonCreateForm(request.POST, units=units.values())
        status = 400
        if create.is_valid():
            data = create.cleaned_data
            try:
                person = people_services.create_person(
                    username=data["username"],
                    full_name=data["full_name"],
                    unit=units[data["unit"]],
                    roles=data["roles"],
                    password=data["password"] or None,
                    by=actor,
                )
            except (DomainError, Denied) as error:
                status = form_failed(request, create, error)
            else:
                messages.success(request, gettext("%(person)s is created.") % {"person": person})
                return redirect("web:person", person.username)
    elif people_queries.may(actor, Action.UNIT_MANAGE, actor.unit.facts()):
        create = PersonCreateForm(units=units.values(), initial={"unit": actor.unit.code})
    search = PeopleFilterForm(request.GET, units=units.values())
    if search.is_valid():
        found = people_queries.people(
            actor, unit_code=search.cleaned_data["unit"], text=search.cleaned_data["q"]
        )
    else:
        found = people_queries.people(actor).none()
        status = max(status, 400)
    return render_page(
        request,
        "strongroom/people/list.html",
        {
            "search": search,
            "people": paginate(request, found),
            "create": create,
            "query": query_without_page(request),
        },
        status=status,
    )


def _clearance_problem(clearance: Clearance | None) -> str | None:
    """Why the clearance does not count today, in the reader's language; None when it does."""
    problem = clearance.as_domain().problem_text(clock.today()) if clearance else None
    return labels.translated(problem) if problem else None


def person_page(
    request: HttpRequest,
    actor: Person,
    person: Person,
    *,
    failed: tuple[str, forms.Form] | None = None,
    status: int = 200,
    held_on: HeldOnForm | None = None,
) -> HttpResponse:
    """A person's page; ``failed`` is the context name and the form that was just refused.

    ``held_on``, when valid, adds what the person held at the end of that day."""
    target = person.as_target()

    def may(action: Action) -> bool:
        return people_queries.may(actor, action, target)

    clearance = people_queries.clearance_of(actor, person)
    held = list(document_queries.held_by(actor, person))
    context: dict[str, Any] = {
        "person": person,
        "clearance": clearance,
        "clearance_shown": may(Action.CLEARANCE_VIEW),
        "clearance_problem": _clearance_problem(clearance),
        "held": held,
        "change_form": None,
        "status_form": None,
        "grant_form": None,
        "clearance_form": None,
        "held_on_form": held_on or HeldOnForm(),
        "held_on": None,
    }
    earlier: list[timeline_queries.HeldCopy] = []
    if held_on is not None and held_on.is_valid():
        day = held_on.cleaned_data["on"]
        try:
            earlier = timeline_queries.held_on(actor, person, day)
        except DomainError as error:
            held_on.add_error("on", translated(error.text))
        else:
            context["held_on"] = {"day": day, "copies": earlier}
    if may(Action.PERSON_MANAGE):
        context["change_form"] = PersonChangeForm(
            units=_units(actor).values(), initial=PersonChangeForm.initial_for(person)
        )
        context["status_form"] = PersonStatusForm()
    if may(Action.CLEARANCE_GRANT):
        context["grant_form"] = ClearanceGrantForm()
    if clearance is not None and (may(Action.CLEARANCE_SUSPEND) or may(Action.CLEARANCE_REVOKE)):
        context["clearance_form"] = ClearanceStatusForm()
    if failed is not None:
        context[failed[0]] = failed[1]
    return render_page(
        request,
        "strongroom/people/person.html",
        context,
        markings=[c.document.marking for c in held] + [h.copy.document.marking for h in earlier],
        status=status,
    )


def after_change(
    request: HttpRequest,
    actor: Person,
    person: Person,
    name: str,
    form: forms.Form,
    error: DomainError | Denied | None,
) -> HttpResponse:
    """Back to the person's page: re-drawn with the error, or redirected after success."""
    if error is None and form.is_valid():
        return redirect("web:person", person.username)
    status = form_failed(request, form, error) if error is not None else 400
    # Read the person again: a refused change must not show values that were never saved.
    return person_page(
        request, actor, lookups.person(actor, person.username), failed=(name, form), status=status
    )


@page
@require_GET
def person(request: HttpRequest, username: str) -> HttpResponse:
    actor = signed_in(request)
    held_on = HeldOnForm(request.GET) if "on" in request.GET else None
    return person_page(request, actor, lookups.person(actor, username), held_on=held_on)


@page
@require_POST
def change_person(request: HttpRequest, username: str) -> HttpResponse:
    actor = signed_in(request)
    subject = lookups.person(actor, username)
    units = _units(actor)
    form = PersonChangeForm(
        request.POST, units=units.values(), initial=PersonChangeForm.initial_for(subject)
    )
    error: DomainError | Denied | None = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            people_services.change_person(
                subject,
                full_name=data["full_name"],
                unit=units[data["unit"]],
                roles=data["roles"],
                by=actor,
            )
        except (DomainError, Denied) as caught:
            error = caught
        else:
            done = (
                gettext("%(person)s is changed.")
                if form.has_changed()
                else gettext("Nothing to change for %(person)s.")
            )
            messages.success(request, done % {"person": subject})
    return after_change(request, actor, subject, "change_form", form, error)


@page
@require_POST
def person_status(request: HttpRequest, username: str) -> HttpResponse:
    actor = signed_in(request)
    subject = lookups.person(actor, username)
    form = PersonStatusForm(request.POST)
    error: DomainError | Denied | None = None
    if form.is_valid():
        new_status = form.cleaned_data["status"]
        try:
            people_services.set_status(
                subject, status=new_status, reason=form.cleaned_data["reason"], by=actor
            )
        except (DomainError, Denied) as caught:
            error = caught
        else:
            messages.success(
                request,
                gettext("%(person)s is now %(status)s.")
                % {"person": subject, "status": labels.label(labels.PERSON_STATUSES, new_status)},
            )
    return after_change(request, actor, subject, "status_form", form, error)
