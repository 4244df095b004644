"""Check-outs: lending a copy for reading, checking it in, and what is out (overdue marked)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from strongroom.adapters import clock
from strongroom.domain.errors import DomainError, NotFound
from strongroom.policy import Denied
from strongroom.queries import check_outs as check_out_queries
from strongroom.services import check_outs
from strongroom.web import lookups
from strongroom.web.errors import page
from strongroom.web.forms.check_outs import CheckInForm, LendForm
from strongroom.web.labels import translated
from strongroom.web.rendering import paginate, query_without_page, render_page, signed_in
from strongroom.web.views.copies import after_failure, copy_page


@page
@require_POST
def lend(request: HttpRequest, control_number: str, number: int) -> HttpResponse:
    actor = signed_in(request)
    found = lookups.copy(actor, control_number, number)
    form = LendForm(request.POST)
    if not form.is_valid():
        return copy_page(request, actor, found, lend=form, status=400)
    try:
        reader = lookups.person(actor, form.cleaned_data["reader"])
    except NotFound as error:
        form.add_error("reader", translated(error.text))
        return copy_page(request, actor, found, lend=form, status=400)
    due_back = form.cleaned_data["due_back"]
    if timezone.is_naive(due_back):  # a datetime-local field: the installation's time zone
        due_back = timezone.make_aware(due_back)
    try:
        lent = check_outs.check_out_copy(
            found,
            to=reader,
            by=actor,
            due_back=due_back,
            place=form.cleaned_data["place"],
            expected_version=form.cleaned_data["expected_version"],
        )
    except (DomainError, Denied) as error:
        return after_failure(request, actor, found, form, error)
    messages.success(
        request,
        gettext("%(copy)s is lent to %(person)s in the %(place)s, due back by %(due)s.")
        % {
            "copy": found.reference,
            "person": reader.full_name,
            "place": lent.place,
            "due": timezone.localtime(lent.due_back).strftime("%Y-%m-%d %H:%M"),
        },
    )
    return redirect("web:copy", found.document.control_number, found.number)


@page
@require_POST
def check_in(request: HttpRequest, control_number: str, number: int) -> HttpResponse:
    actor = signed_in(request)
    found = lookups.copy(actor, control_number, number)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        return copy_page(request, actor, found, check_in=form, status=400)
    try:
        returned = check_outs.check_in_copy(
            found, by=actor, expected_version=form.cleaned_data["expected_version"]
        )
    except (DomainError, Denied) as error:
        return after_failure(request, actor, found, form, error)
    messages.success(
        request,
        gettext("%(copy)s is checked in from %(person)s and back in the registry.")
        % {"copy": found.reference, "person": returned.reader.full_name},
    )
    return redirect("web:copy", found.document.control_number, found.number)


@page
@require_GET
def check_out_list(request: HttpRequest) -> HttpResponse:
    actor = signed_in(request)
    overdue_only = request.GET.get("overdue") == "1"
    now = clock.now()
    listed = paginate(
        request, check_out_queries.check_outs(actor, overdue_only=overdue_only, now=now)
    )
    return render_page(
        request,
        "strongroom/check_outs/list.html",
        {
            "page": listed,
            "overdue_only": overdue_only,
            "now": now,
            "query": query_without_page(request),
        },
        markings=[item.copy.document.marking for item in listed],
    )
