"""Reproduction on the web: asking for copies on the document's page, deciding or withdrawing a
request there, and the list of the reproduction records of one's units."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from strongroom.domain.errors import Conflict, DomainError, IllegalTransition
from strongroom.domain.reproduction import ReproductionState
from strongroom.models import Person, Reproduction
from strongroom.policy import Denied
from strongroom.queries import reproductions as queries
from strongroom.services import reproductions
from strongroom.services.base import record_refusal
from strongroom.web import lookups
from strongroom.web.errors import form_failed, page
from strongroom.web.forms.reproductions import DecisionForm, RequestForm
from strongroom.web.labels import translated
from strongroom.web.rendering import paginate, query_without_page, render_page, signed_in
from strongroom.web.views.documents import document_page


@page
@require_POST
def request_reproduction(request: HttpRequest, control_number: str) -> HttpResponse:
    actor = signed_in(request)
    document = lookups.document(actor, control_number)
    form = RequestForm(request.POST)
    if not form.is_valid():
        return document_page(request, actor, document, reproduction=form, status=400)
    try:
        made = reproductions.request_reproduction(
            document,
            copies=form.cleaned_data["copies"],
            reason=form.cleaned_data["reason"],
            by=actor,
        )
    except (DomainError, Denied) as error:
        status = form_failed(request, form, error)
        return document_page(request, actor, document, reproduction=form, status=status)
    messages.success(
        request,
        gettext(
            "Reproduction request %(reference)s for %(copies)s copies is waiting for an "
            "authority's decision; nothing is copied until it is approved."
        )
        % {"reference": made.short_reference, "copies": made.count},
    )
    return redirect("web:document", document.control_number)


def _failed(
    request: HttpRequest, actor: Person, found: Reproduction, error: DomainError | Denied
) -> HttpResponse:
    """The document's page again, saying why; what the actor may not see is a 404."""
    if isinstance(error, Denied):
        if not error.decision.visible:
            raise error
        record_refusal(actor, error)
        notice = gettext("Refused: %(reason)s.") % {"reason": translated(error.text)}
        status = 403
    else:
        notice = translated(error.text)
        status = 409 if isinstance(error, Conflict | IllegalTransition) else 400
    # Read afresh: the page shows the request and the copies as they are now.
    document = lookups.document(actor, found.document.control_number)
    return document_page(request, actor, document, notice=notice, status=status)


def _decide(request: HttpRequest, reference: str, outcome: ReproductionState) -> HttpResponse:
    actor = signed_in(request)
    found = lookups.reproduction(actor, reference)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        notice = gettext("The form was out of date; reload the page and try again.")
        return document_page(request, actor, found.document, notice=notice, status=400)
    version = form.cleaned_data["expected_version"]
    reason = form.cleaned_data["reason"]
    try:
        if outcome is ReproductionState.APPROVED:
            reproductions.approve_reproduction(
                found, by=actor, note=reason, expected_version=version
            )
        elif outcome is ReproductionState.REFUSED:
            reproductions.refuse_reproduction(
                found, by=actor, reason=reason, expected_version=version
            )
        else:
            reproductions.withdraw_reproduction(
                found, by=actor, reason=reason, expected_version=version
            )
    except (DomainError, Denied) as error:
        return _failed(request, actor, found, error)
    done = {
        ReproductionState.APPROVED: gettext(
            "Approved %(reference)s: copies %(first)s-%(last)s of %(total)s are in the registry."
        ),
        ReproductionState.REFUSED: gettext("Refused %(reference)s; no copies were made."),
        ReproductionState.WITHDRAWN: gettext("Withdrew %(reference)s; no copies were made."),
    }[outcome]
    messages.success(
        request,
        done
        % {
            "reference": found.short_reference,
            "first": found.first_number,
            "last": found.last_number,
            "total": found.last_number,
        },
    )
    return redirect("web:document", found.document.control_number)


@page
@require_POST
def approve(request: HttpRequest, reference: str) -> HttpResponse:
    return _decide(request, reference, ReproductionState.APPROVED)


@page
@require_POST
def refuse(request: HttpRequest, reference: str) -> HttpResponse:
    return _decide(request, reference, ReproductionState.REFUSED)


@page
@require_POST
def withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    return _decide(request, reference, ReproductionState.WITHDRAWN)


@page
@require_GET
def reproduction_list(request: HttpRequest) -> HttpResponse:
    actor = signed_in(request)
    pending_only = request.GET.get("pending") == "1"
    listed = paginate(request, queries.reproductions(actor, pending_only=pending_only))
    return render_page(
        request,
        "strongroom/reproductions/list.html",
        {"page": listed, "pending_only": pending_only, "query": query_without_page(request)},
        markings=[item.document.marking for item in listed],
    )
