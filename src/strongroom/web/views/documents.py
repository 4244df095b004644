"""The register: searching it, registering a document, a document's page and its correction."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from strongroom.adapters import clock
from strongroom.domain.errors import DomainError
from strongroom.domain.reproduction import ReproductionState
from strongroom.models import Document, Person
from strongroom.policy import Action, CampaignFacts, Denied, ReproductionFacts
from strongroom.queries import check_outs as check_out_queries
from strongroom.queries import documents as document_queries
from strongroom.queries import people as people_queries
from strongroom.queries import reproductions as reproduction_queries
from strongroom.queries.documents import RegisterFilter
from strongroom.services import registry
from strongroom.web import lookups
from strongroom.web.errors import form_failed, page
from strongroom.web.forms.documents import (
    CorrectionForm,
    DowngradeForm,
    RegisterFilterForm,
    RegistrationForm,
)
from strongroom.web.forms.reproductions import RequestForm
from strongroom.web.rendering import (
    is_htmx,
    paginate,
    query_without_page,
    render_page,
    signed_in,
)


@page
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    actor = signed_in(request)
    form = RegisterFilterForm(request.GET, units=people_queries.units(actor))
    if form.is_valid():
        criteria = RegisterFilter(
            text=form.cleaned_data["q"],
            level=form.cleaned_data["level"],
            state=form.cleaned_data["state"],
            unit=form.cleaned_data["unit"],
        )
        found = paginate(request, document_queries.register(actor, criteria))
        status = 200
    else:
        # Show what is wrong with the filter rather than an unfiltered register.
        found = paginate(request, [])
        status = 400
    fragment = is_htmx(request)
    template = (
        "strongroom/documents/_register_results.html"
        if fragment
        else "strongroom/documents/register.html"
    )
    return render_page(
        request,
        template,
        {
            "form": form,
            "documents": found,
            "query": query_without_page(request),
            "fragment": fragment,
        },
        markings=[d.marking for d in found],
        status=status,
    )


@page
@require_http_methods(["GET", "POST"])
def register_document(request: HttpRequest) -> HttpResponse:
    actor = signed_in(request)
    units = {unit.code: unit for unit in people_queries.units(actor)}
    if request.method != "POST":
        form = RegistrationForm(
            units=units.values(),
            initial={"unit": actor.unit.code, "received_on": clock.today(), "copies": 1},
        )
        return render_page(request, "strongroom/documents/new.html", {"form": form})
    form = RegistrationForm(request.POST, units=units.values())
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            document = registry.register_document(
                unit=units[data["unit"]],
                short_title=data["short_title"],
                full_title=data["full_title"],
                marking=data["marking"],
                originator=data["originator"],
                originator_reference=data["originator_reference"],
                received_on=data["received_on"],
                pages=data["pages"],
                medium=data["medium"],
                copies=data["copies"],
                by=actor,
            )
        except (DomainError, Denied) as error:
            status = form_failed(request, form, error)
        else:
            messages.success(
                request,
                gettext("Registered %(control)s with %(copies)s copies in the registry.")
                % {"control": document.control_number, "copies": document.copy_count},
            )
            return redirect("web:document", document.control_number)
    return render_page(request, "strongroom/documents/new.html", {"form": form}, status=status)


def document_page(
    request: HttpRequest,
    actor: Person,
    document: Document,
    *,
    correction: CorrectionForm | None = None,
    reproduction: RequestForm | None = None,
    notice: str = "",
    downgrade: DowngradeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    if correction is None and people_queries.may(actor, Action.DOCUMENT_CORRECT, document.facts()):
        correction = CorrectionForm(initial=CorrectionForm.initial_for(document))
    asking = ReproductionFacts(document.facts(), actor.pk)
    if reproduction is None and people_queries.may(actor, Action.REPRODUCTION_REQUEST, asking):
        reproduction = RequestForm()
    readers = list(check_out_queries.readers_of(actor, document))
    # Who read a document at the top level is always shown, even when nobody has yet.
    top_level = document.level == document.marking.scheme.highest_rank
    marking = document.marking
    lowerable = marking.rank > 0 or bool(marking.compartments or marking.caveats)
    if (
        downgrade is None
        and lowerable
        and people_queries.may(actor, Action.DOCUMENT_DOWNGRADE, document.facts())
    ):
        downgrade = DowngradeForm(initial={"expected_version": document.version})
    campaign = CampaignFacts(document.facts())
    return render_page(
        request,
        "strongroom/documents/document.html",
        {
            "document": document,
            "copies": document_queries.copies_of(document),
            "readers": readers,
            "show_readers": top_level or bool(readers),
            "history": document_queries.document_history(document).select_related("actor"),
            "correction": correction,
            "reproduction": reproduction,
            "reproductions": _reproductions(actor, document),
            "notice": notice,
            "downgrade": downgrade,
            "may_distribute": people_queries.may(actor, Action.CAMPAIGN_CREATE, campaign),
        },
        markings=[document.marking],
        status=status,
    )


_DECISIONS = (
    ("approve", Action.REPRODUCTION_APPROVE),
    ("refuse", Action.REPRODUCTION_REFUSE),
    ("withdraw", Action.REPRODUCTION_WITHDRAW),
)


def _reproductions(actor: Person, document: Document) -> list[dict[str, Any]]:
    """The document's reproduction records the actor may see, each with what they may do."""
    rows = []
    for item in reproduction_queries.of_document(actor, document):
        pending = item.reproduction_state is ReproductionState.PENDING
        facts = item.facts()
        may = {
            name: pending and people_queries.may(actor, action, facts)
            for name, action in _DECISIONS
        }
        rows.append({"item": item, **may})
    return rows


@page
@require_GET
def document(request: HttpRequest, control_number: str) -> HttpResponse:
    actor = signed_in(request)
    return document_page(request, actor, lookups.document(actor, control_number))


@page
@require_POST
def correct_document(request: HttpRequest, control_number: str) -> HttpResponse:
    actor = signed_in(request)
    found = lookups.document(actor, control_number)
    form = CorrectionForm(request.POST, initial=CorrectionForm.initial_for(found))
    if not form.is_valid():
        return document_page(request, actor, found, correction=form, status=400)
    try:
        corrected = registry.correct_registration(
            found, changes=form.changes(), reason=form.cleaned_data["reason"], by=actor
        )
    except (DomainError, Denied) as error:
        status = form_failed(request, form, error)
        return document_page(request, actor, found, correction=form, status=status)
    messages.success(request, gettext("The registration is corrected; the ledger keeps both."))
    return redirect("web:document", corrected.control_number)


@page
@require_POST
def downgrade_document(request: HttpRequest, control_number: str) -> HttpResponse:
    actor = signed_in(request)
    found = lookups.document(actor, control_number)
    form = DowngradeForm(request.POST)
    if not form.is_valid():
        return document_page(request, actor, found, downgrade=form, status=400)
    data = form.cleaned_data
    old = found.marking.banner()
    try:
        changed = registry.change_classification(
            found,
            marking=data["marking"],
            authority=data["authority"],
            reason=data["reason"],
            by=actor,
            expected_version=data["expected_version"],
        )
    except (DomainError, Denied) as error:
        status = form_failed(request, form, error)
        return document_page(request, actor, found, downgrade=form, status=status)
    messages.success(
        request,
        gettext("%(control)s is now %(new)s (was %(old)s); the ledger names the authority.")
        % {"control": changed.control_number, "new": changed.marking.banner(), "old": old},
    )
    return redirect("web:document", changed.control_number)
