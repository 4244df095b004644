"""Transits: sending a copy to another unit's registry, receiving it, confirming its receipt
came back, the lists (with the suspense list) and the printable record and receipt."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from strongroom.domain.errors import Conflict, DomainError, IllegalTransition, NotFound
from strongroom.models import Person, Transit, TransitState
from strongroom.policy import Action, Denied
from strongroom.queries import people as people_queries
from strongroom.queries import transits as transit_queries
from strongroom.services import transits
from strongroom.web import lookups
from strongroom.web.errors import form_failed, page
from strongroom.web.forms.transits import SendForm, TransitForm
from strongroom.web.labels import translated
from strongroom.web.rendering import paginate, query_without_page, render_page, signed_in
from strongroom.web.views.copies import copy_page, send_units


@page
@require_POST
def send(request: HttpRequest, control_number: str, number: int) -> HttpResponse:
    actor = signed_in(request)
    found = lookups.copy(actor, control_number, number)
    units = send_units(actor, found)
    form = SendForm(request.POST, units=units)
    if not form.is_valid():
        return copy_page(request, actor, found, send=form, status=400)
    data = form.cleaned_data
    try:
        courier = lookups.person(actor, data["courier"])
    except NotFound as error:
        form.add_error("courier", translated(error.text))
        return copy_page(request, actor, found, send=form, status=400)
    expected_by = data["expected_by"]
    if expected_by is not None and timezone.is_naive(expected_by):
        expected_by = timezone.make_aware(expected_by)
    to_unit = next(unit for unit in units if unit.code == data["to_unit"])
    try:
        sent = transits.send_copy(
            found,
            to_unit=to_unit,
            courier=courier,
            inner_wrapping=data["inner_wrapping"],
            outer_wrapping=data["outer_wrapping"],
            expected_by=expected_by,
            by=actor,
            expected_version=data["expected_version"],
        )
    except (Conflict, IllegalTransition) as error:
        status = 409 if isinstance(error, Conflict) else 400
        return copy_page(request, actor, found, notice=translated(error.text), status=status)
    except (DomainError, Denied) as error:
        status = form_failed(request, form, error)
        return copy_page(request, actor, found, send=form, status=status)
    messages.success(
        request,
        gettext(
            "%(copy)s is on its way to the registry of %(unit)s with %(courier)s, who answers "
            "for it until it is received. Print the record %(reference)s to go with it."
        )
        % {
            "copy": found.reference,
            "unit": to_unit.code,
            "courier": courier.full_name,
            "reference": sent.short_reference,
        },
    )
    return redirect("web:transit", sent.reference)


@page
@require_GET
def transit_list(request: HttpRequest) -> HttpResponse:
    actor = signed_in(request)
    try:
        box = transit_queries.Box(request.GET.get("box") or "all")
    except ValueError:
        box = transit_queries.Box.ALL
    suspense = request.GET.get("suspense") == "1"
    late = request.GET.get("late") == "1"
    found = transit_queries.transits(actor, box, suspense=suspense, late=late)
    listed = paginate(request, found)
    return render_page(
        request,
        "strongroom/transits/list.html",
        {
            "page": listed,
            "box": box.value,
            "suspense": suspense,
            "late": late,
            "query": query_without_page(request),
        },
        markings=[item.copy.document.marking for item in listed],
    )


def _transit_page(
    request: HttpRequest,
    actor: Person,
    found: Transit,
    *,
    form: TransitForm | None = None,
    notice: str = "",
    status: int = 200,
) -> HttpResponse:
    facts = found.facts()
    state = found.transit_state
    return render_page(
        request,
        "strongroom/transits/transit.html",
        {
            "transit": found,
            "copy": found.copy,
            "document": found.copy.document,
            "may_receive": state is TransitState.IN_TRANSIT
            and people_queries.may(actor, Action.TRANSIT_RECEIVE, facts),
            "may_confirm": state is TransitState.RECEIVED
            and people_queries.may(actor, Action.TRANSIT_CONFIRM_RECEIPT, facts),
            "form": form or TransitForm(initial={"expected_version": found.version}),
            "notice": notice,
        },
        markings=[found.copy.document.marking],
        status=status,
    )


@page
@require_GET
def transit(request: HttpRequest, reference: str) -> HttpResponse:
    actor = signed_in(request)
    return _transit_page(request, actor, lookups.transit(actor, reference))


def _act(request: HttpRequest, reference: str, *, receive: bool) -> HttpResponse:
    actor = signed_in(request)
    found = lookups.transit(actor, reference)
    form = TransitForm(request.POST)
    if not form.is_valid():
        return _transit_page(request, actor, found, form=form, status=400)
    version = form.cleaned_data["expected_version"]
    try:
        if receive:
            transits.receive_transit(found, by=actor, expected_version=version)
        else:
            transits.confirm_receipt(found, by=actor, expected_version=version)
    except (Conflict, IllegalTransition) as error:
        status = 409 if isinstance(error, Conflict) else 400
        fresh = lookups.transit(actor, str(found.reference))
        return _transit_page(request, actor, fresh, notice=translated(error.text), status=status)
    except (DomainError, Denied) as error:
        status = form_failed(request, form, error)
        return _transit_page(request, actor, found, form=form, status=status)
    done = (
        gettext(
            "%(copy)s is received into the registry of %(unit)s, which answers for it from now "
            "on. Sign the receipt and send it back to %(sender)s."
        )
        if receive
        else gettext("The receipt for %(copy)s is back; the transit is closed.")
    )
    messages.success(
        request,
        done
        % {
            "copy": found.copy.reference,
            "unit": found.to_unit.code,
            "sender": found.from_unit.code,
        },
    )
    return redirect("web:transit", found.reference)


@page
@require_POST
def receive(request: HttpRequest, reference: str) -> HttpResponse:
    return _act(request, reference, receive=True)


@page
@require_POST
def confirm_receipt(request: HttpRequest, reference: str) -> HttpResponse:
    return _act(request, reference, receive=False)


@page
@require_GET
def receipt(request: HttpRequest, reference: str) -> HttpResponse:
    actor = signed_in(request)
    found = lookups.transit(actor, reference)
    printed = transit_queries.receipt(actor, str(found.reference))
    response = HttpResponse(printed.content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{printed.filename}"'
    return response
