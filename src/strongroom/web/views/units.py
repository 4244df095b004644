"""The unit tree, creating a unit in it, and appointing a unit's head."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from strongroom.domain.errors import DomainError, NotFound
from strongroom.models import Person
from strongroom.policy import Action, Denied
from strongroom.queries import dashboard as dashboard_queries
from strongroom.queries import people as people_queries
from strongroom.services import people as people_services
from strongroom.web import lookups
from strongroom.web.errors import form_failed, page
from strongroom.web.forms.units import UnitForm, UnitHeadForm
from strongroom.web.labels import translated
from strongroom.web.rendering import render_page, signed_in


def _units_page(
    request: HttpRequest,
    actor: Person,
    *,
    form: UnitForm | None = None,
    head_form: UnitHeadForm | None = None,
    status: int = 200,
) -> HttpResponse:
    tree = dashboard_queries.unit_tree(actor)
    units = [row.unit for row in tree]
    if form is None and people_queries.may(actor, Action.UNIT_MANAGE, actor.unit.facts()):
        form = UnitForm(units=units, initial={"parent": actor.unit.code})
    headed = people_queries.units_where(actor, Action.UNIT_SET_HEAD, units)
    if head_form is None and headed:
        head_form = UnitHeadForm(units=headed, initial={"unit": actor.unit.code})
    return render_page(
        request,
        "strongroom/units/list.html",
        {"tree": tree, "form": form, "head_form": head_form},
        status=status,
    )


@page
@require_http_methods(["GET", "POST"])
def units(request: HttpRequest) -> HttpResponse:
    actor = signed_in(request)
    if request.method != "POST":
        return _units_page(request, actor)
    by_code = {row.unit.code: row.unit for row in dashboard_queries.unit_tree(actor)}
    form = UnitForm(request.POST, units=by_code.values())
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            unit = people_services.create_unit(
                code=data["code"], name=data["name"], parent=by_code[data["parent"]], by=actor
            )
        except (DomainError, Denied) as error:
            status = form_failed(request, form, error)
        else:
            messages.success(request, gettext("Unit %(unit)s is created.") % {"unit": unit})
            return redirect("web:units")
    return _units_page(request, actor, form=form, status=status)


@page
@require_POST
def unit_head(request: HttpRequest) -> HttpResponse:
    actor = signed_in(request)
    by_code = {row.unit.code: row.unit for row in dashboard_queries.unit_tree(actor)}
    form = UnitHeadForm(request.POST, units=by_code.values())
    if not form.is_valid():
        return _units_page(request, actor, head_form=form, status=400)
    unit = by_code[form.cleaned_data["unit"]]
    head = None
    try:
        if form.cleaned_data["head"]:
            head = lookups.person(actor, form.cleaned_data["head"])
        people_services.set_unit_head(unit, head=head, by=actor)
    except NotFound as error:
        form.add_error("head", translated(error.text))
        return _units_page(request, actor, head_form=form, status=400)
    except (DomainError, Denied) as error:
        status = form_failed(request, form, error)
        return _units_page(request, actor, head_form=form, status=status)
    if head is None:
        messages.success(request, gettext("%(unit)s has no head now.") % {"unit": unit.code})
    else:
        messages.success(
            request,
            gettext("%(person)s is now the head of %(unit)s.")
            % {"person": head.full_name, "unit": unit.code},
        )
    return redirect("web:units")
