"""Destruction: putting a copy forward, the witness's countersignature or refusal, a
withdrawal, the destruction's page and its certificate."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from strongroom.domain.errors import Conflict, DomainError, IllegalTransition, NotFound
from strongroom.models import Destruction, DestructionState, Person
from strongroom.policy import Denied
from strongroom.queries import destructions as destruction_queries
from strongroom.services import destructions
from strongroom.web import lookups
from strongroom.web.errors import form_failed, page
from strongroom.web.forms.destructions import DestroyForm
from strongroom.web.forms.hand_overs import ResolveForm
from strongroom.web.labels import translated
from strongroom.web.rendering import render_page, signed_in
from strongroom.web.views.copies import copy_page


@page
@require_POST
def propose(request: HttpRequest, control_number: str, number: int) -> HttpResponse:
    actor = signed_in(request)
    found = lookups.copy(actor, control_number, number)
    form = DestroyForm(request.POST, medium=found.document.medium)
    if not form.is_valid():
        return copy_page(request, actor, found, destroy=form, status=400)
    try:
        witness = lookups.person(actor, form.cleaned_data["witness"])
    except NotFound as error:
        form.add_error("witness", translated(error.text))
        return copy_page(request, actor, found, destroy=form, status=400)
    data = form.cleaned_data
    try:
        proposed = destructions.propose_destruction(
            found,
            witness=witness,
            method=data["method"],
            destroyed_on=data["destroyed_on"],
            note=data["note"],
            by=actor,
            expected_version=data["expected_version"],
        )
    except (Conflict, IllegalTransition) as error:
        status = 409 if isinstance(error, Conflict) else 400
        return copy_page(request, actor, found, notice=translated(error.text), status=status)
    except (DomainError, Denied) as error:
        status = form_failed(request, form, error)
        return copy_page(request, actor, found, destroy=form, status=status)
    messages.success(
        request,
        gettext(
            "%(copy)s awaits destruction: %(person)s must countersign destruction %(reference)s "
            "before it counts as destroyed."
        )
        % {
            "copy": found.reference,
            "person": witness.full_name,
            "reference": proposed.short_reference,
        },
    )
    return redirect("web:copy", found.document.control_number, found.number)


def _destruction_page(
    request: HttpRequest,
    actor: Person,
    found: Destruction,
    *,
    form: ResolveForm | None = None,
    notice: str = "",
    status: int = 200,
) -> HttpResponse:
    return render_page(
        request,
        "strongroom/destructions/destruction.html",
        {
            "destruction": found,
            "copy": found.copy,
            "document": found.copy.document,
            "permitted": destruction_queries.permitted(actor, found),
            "resolve": form or ResolveForm(initial={"expected_version": found.version}),
            "notice": notice,
        },
        markings=[found.copy.document.marking],
        status=status,
    )


@page
@require_GET
def destruction(request: HttpRequest, reference: str) -> HttpResponse:
    actor = signed_in(request)
    return _destruction_page(request, actor, lookups.destruction(actor, reference))


def _resolve(request: HttpRequest, reference: str, outcome: DestructionState) -> HttpResponse:
    actor = signed_in(request)
    found = lookups.destruction(actor, reference)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        return _destruction_page(request, actor, found, form=form, status=400)
    version = form.cleaned_data["expected_version"]
    reason = form.cleaned_data["reason"]
    try:
        if outcome is DestructionState.WITNESSED:
            destructions.witness_destruction(found, by=actor, expected_version=version)
        elif outcome is DestructionState.REFUSED:
            destructions.refuse_destruction(
                found, by=actor, reason=reason, expected_version=version
            )
        else:
            destructions.withdraw_destruction(
                found, by=actor, reason=reason, expected_version=version
            )
    except (Conflict, IllegalTransition) as error:
        status = 409 if isinstance(error, Conflict) else 400
        fresh = lookups.destruction(actor, str(found.reference))
        return _destruction_page(
            request, actor, fresh, notice=translated(error.text), status=status
        )
    except (DomainError, Denied) as error:
        status = form_failed(request, form, error)
        return _destruction_page(request, actor, found, form=form, status=status)
    done = {
        DestructionState.WITNESSED: gettext("You have countersigned: %(copy)s is destroyed."),
        DestructionState.REFUSED: gettext(
            "You have refused to countersign; %(copy)s is back in the registry."
        ),
        DestructionState.WITHDRAWN: gettext(
            "The destruction is withdrawn; %(copy)s is back in the registry."
        ),
    }[outcome]
    messages.success(request, done % {"copy": found.copy.reference})
    return redirect("web:destruction", found.reference)


@page
@require_POST
def witness(request: HttpRequest, reference: str) -> HttpResponse:
    return _resolve(request, reference, DestructionState.WITNESSED)


@page
@require_POST
def refuse(request: HttpRequest, reference: str) -> HttpResponse:
    return _resolve(request, reference, DestructionState.REFUSED)


@page
@require_POST
def withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    return _resolve(request, reference, DestructionState.WITHDRAWN)


@page
@require_GET
def certificate(request: HttpRequest, reference: str) -> HttpResponse:
    actor = signed_in(request)
    found = lookups.destruction(actor, reference)
    printed = destruction_queries.certificate(actor, str(found.reference))
    response = HttpResponse(printed.content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{printed.filename}"'
    return response
