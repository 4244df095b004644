"""Courier authorisations: the list, and for security officers, granting and revoking them."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from strongroom.domain.errors import DomainError, NotFound
from strongroom.models import Person
from strongroom.policy import Denied
from strongroom.queries import couriers as courier_queries
from strongroom.queries import people as people_queries
from strongroom.services import couriers
from strongroom.web import lookups
from strongroom.web.errors import form_failed, page
from strongroom.web.forms.transits import CourierForm, RevokeCourierForm
from strongroom.web.labels import translated
from strongroom.web.rendering import paginate, query_without_page, render_page, signed_in
from strongroom.web.views.copies import SUGGESTED_PEOPLE


def _page(
    request: HttpRequest,
    actor: Person,
    *,
    grant: CourierForm | None = None,
    revoke: RevokeCourierForm | None = None,
    status: int = 200,
) -> HttpResponse:
    show_all = request.GET.get("all") == "1"
    may_grant = courier_queries.may_authorise(actor)
    if grant is None and may_grant:
        grant = CourierForm()
    return render_page(
        request,
        "strongroom/couriers/list.html",
        {
            "page": paginate(
                request, courier_queries.authorisations(actor, live_only=not show_all)
            ),
            "show_all": show_all,
            "grant": grant,
            "revoke": revoke or (RevokeCourierForm() if may_grant else None),
            "people": people_queries.people(actor)[:SUGGESTED_PEOPLE] if grant else [],
            "query": query_without_page(request),
        },
        status=status,
    )


@page
@require_http_methods(["GET", "POST"])
def courier_list(request: HttpRequest) -> HttpResponse:
    actor = signed_in(request)
    if request.method != "POST":
        return _page(request, actor)
    form = CourierForm(request.POST)
    if not form.is_valid():
        return _page(request, actor, grant=form, status=400)
    data = form.cleaned_data
    try:
        courier = lookups.person(actor, data["courier"])
    except NotFound as error:
        form.add_error("courier", translated(error.text))
        return _page(request, actor, grant=form, status=400)
    try:
        granted = couriers.authorise_courier(
            courier,
            level=data["level"],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
            note=data["note"],
            by=actor,
        )
    except (DomainError, Denied) as error:
        return _page(request, actor, grant=form, status=form_failed(request, form, error))
    messages.success(
        request,
        gettext("%(person)s may carry material up to %(level)s until %(until)s.")
        % {
            "person": courier.full_name,
            "level": granted.level_name,
            "until": granted.valid_until.isoformat(),
        },
    )
    return redirect("web:couriers")


@page
@require_POST
def revoke(request: HttpRequest, username: str) -> HttpResponse:
    actor = signed_in(request)
    courier = lookups.person(actor, username)
    form = RevokeCourierForm(request.POST)
    if not form.is_valid():
        return _page(request, actor, revoke=form, status=400)
    try:
        couriers.revoke_courier(courier, reason=form.cleaned_data["reason"], by=actor)
    except (DomainError, Denied) as error:
        return _page(request, actor, revoke=form, status=form_failed(request, form, error))
    messages.success(
        request,
        gettext("%(person)s may no longer carry material as a courier.")
        % {"person": courier.full_name},
    )
    return redirect("web:couriers")
