"""The unit tree and creating a unit in it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from strongroom.domain.errors import DomainError
from strongroom.policy import Action, Denied
from strongroom.queries import dashboard as dashboard_queries
from strongroom.queries import people as people_queries
from strongroom.services import people as people_services
from strongroom.web.errors import form_failed, page
from strongroom.web.forms.units import UnitForm
from strongroom.web.rendering import render_page, signed_in


@page
@require_http_methods(["GET", "POST"])
def units(request: HttpRequest) -> HttpResponse:
    actor = signed_in(request)
    tree = dashboard_queries.unit_tree(actor)
    by_code = {row.unit.code: row.unit for row in tree}
    form: UnitForm | None = None
    status = 200
    if request.method == "POST":
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
    elif people_queries.may(actor, Action.UNIT_MANAGE, actor.unit.facts()):
        form = UnitForm(units=by_code.values(), initial={"parent": actor.unit.code})
    return render_page(
        request, "strongroom/units/list.html", {"tree": tree, "form": form}, status=status
    )
