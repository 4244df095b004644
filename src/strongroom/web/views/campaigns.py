"""Distribution campaigns: issuing copies to a named list, the campaigns, a live board; and the
incidents opened for copies not brought back."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from strongroom.domain.errors import DomainError, NotFound
from strongroom.models import Document, Person
from strongroom.policy import Denied
from strongroom.queries import campaigns as campaign_queries
from strongroom.queries import documents as document_queries
from strongroom.queries import incidents as incident_queries
from strongroom.services import campaigns
from strongroom.web import lookups
from strongroom.web.errors import form_failed, page
from strongroom.web.forms.campaigns import DistributeForm
from strongroom.web.labels import translated
from strongroom.web.rendering import paginate, query_without_page, render_page, signed_in


def _distribute_page(
    request: HttpRequest, actor: Person, document: Document, form: DistributeForm, status: int
) -> HttpResponse:
    in_registry = document_queries.copies_of(document).filter(state="in_registry").count()
    return render_page(
        request,
        "strongroom/campaigns/new.html",
        {
            "document": document,
            "form": form,
            "in_registry": in_registry,
        },
        markings=[document.marking],
        status=status,
    )


@page
@require_http_methods(["GET", "POST"])
def distribute(request: HttpRequest, control_number: str) -> HttpResponse:
    actor = signed_in(request)
    document = lookups.document(actor, control_number)
    if request.method != "POST":
        # Refused before the form is filled in, not after; the refusal is recorded, as any is.
        campaign_queries.distributable(actor, document)
        return _distribute_page(request, actor, document, DistributeForm(), 200)
    form = DistributeForm(request.POST)
    if not form.is_valid():
        return _distribute_page(request, actor, document, form, 400)
    recipients = []
    for username in form.usernames():
        try:
            recipients.append(lookups.person(actor, username))
        except NotFound as error:
            form.add_error("recipients", translated(error.text))
    if form.errors:
        return _distribute_page(request, actor, document, form, 400)
    due_back = form.cleaned_data["due_back"]
    if timezone.is_naive(due_back):
        due_back = timezone.make_aware(due_back)
    try:
        campaign = campaigns.create_campaign(
            document,
            title=form.cleaned_data["title"],
            due_back=due_back,
            recipients=recipients,
            by=actor,
        )
    except (DomainError, Denied) as error:
        if isinstance(error, DomainError) and getattr(error, "field", None) == "to":
            form.add_error("recipients", translated(error.text))
            return _distribute_page(request, actor, document, form, 400)
        status = form_failed(request, form, error)
        return _distribute_page(request, actor, document, form, status)
    messages.success(
        request,
        gettext("Issued %(count)s copies of %(control)s; they are due back by %(due)s.")
        % {
            "count": len(recipients),
            "control": document.control_number,
            "due": timezone.localtime(campaign.due_back).strftime("%Y-%m-%d %H:%M"),
        },
    )
    return redirect("web:campaign", campaign.reference)


@page
@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    actor = signed_in(request)
    open_only = request.GET.get("open") == "1"
    listed = paginate(request, campaign_queries.campaigns(actor, open_only=open_only))
    return render_page(
        request,
        "strongroom/campaigns/list.html",
        {"page": listed, "open_only": open_only, "query": query_without_page(request)},
        markings=[campaign.document.marking for campaign in listed],
    )


@page
@require_GET
def board(request: HttpRequest, reference: str) -> HttpResponse:
    actor = signed_in(request)
    found = lookups.campaign(actor, reference)
    return render_page(
        request,
        "strongroom/campaigns/board.html",
        {"campaign": found, "document": found.document, "board": campaign_queries.board(found)},
        markings=[found.document.marking],
    )


@page
@require_GET
def incident_list(request: HttpRequest) -> HttpResponse:
    actor = signed_in(request)
    return render_page(
        request,
        "strongroom/campaigns/incidents.html",
        {"page": paginate(request, incident_queries.incidents(actor)), "query": ""},
    )
