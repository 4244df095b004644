"""Delegations: handing a duty to someone for a while, and ending it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from strongroom.domain.errors import Conflict, DomainError, IllegalTransition, NotFound
from strongroom.models import Delegation, Person
from strongroom.policy import Action, Denied
from strongroom.queries import delegations as delegation_queries
from strongroom.queries import people as people_queries
from strongroom.services import delegations
from strongroom.services.base import record_refusal
from strongroom.web import lookups
from strongroom.web.errors import form_failed, page
from strongroom.web.forms.delegations import GrantForm, RevokeForm
from strongroom.web.labels import translated
from strongroom.web.rendering import render_page, signed_in

SUGGESTED_PEOPLE = 500


def _list_page(
    request: HttpRequest, actor: Person, form: GrantForm | None = None, status: int = 200
) -> HttpResponse:
    try:
        box = delegation_queries.Box(request.GET.get("box") or "received")
    except ValueError:
        box = delegation_queries.Box.RECEIVED
    return render_page(
        request,
        "strongroom/delegations/list.html",
        {
            "items": delegation_queries.delegations(actor, box)[:200],
            "box": box.value,
            "form": form or GrantForm(),
            "people": people_queries.people(actor)[:SUGGESTED_PEOPLE],
        },
        status=status,
    )


@page
@require_http_methods(["GET", "POST"])
def delegation_list(request: HttpRequest) -> HttpResponse:
    actor = signed_in(request)
    if request.method == "GET":
        return _list_page(request, actor)
    form = GrantForm(request.POST)
    if not form.is_valid():
        return _list_page(request, actor, form, status=400)
    data = form.cleaned_data
    try:
        delegate = lookups.person(actor, data["delegate"])
    except NotFound as error:
        form.add_error("delegate", translated(error.text))
        return _list_page(request, actor, form, status=400)
    try:
        granted = delegations.grant_delegation(
            delegate,
            duty=data["duty"],
            level=data["level"],
            ends_on=data["ends_on"],
            reason=data["reason"],
            by=actor,
        )
    except (DomainError, Denied) as error:
        return _list_page(request, actor, form, status=form_failed(request, form, error))
    messages.success(
        request,
        gettext("%(person)s may now act for you until %(day)s; you remain accountable.")
        % {"person": delegate.full_name, "day": granted.ends_on.isoformat()},
    )
    return redirect("web:delegation", granted.pk)


def _detail_page(
    request: HttpRequest,
    actor: Person,
    found: Delegation,
    *,
    form: RevokeForm | None = None,
    notice: str = "",
    status: int = 200,
) -> HttpResponse:
    may_revoke = found.revoked_at is None and people_queries.may(
        actor, Action.DELEGATION_REVOKE, found.facts()
    )
    return render_page(
        request,
        "strongroom/delegations/delegation.html",
        {
            "delegation": found,
            "may_revoke": may_revoke,
            "form": form or RevokeForm(initial={"expected_version": found.version}),
            "notice": notice,
        },
        status=status,
    )


def _find(actor: Person, number: int) -> Delegation:
    try:
        return delegation_queries.delegation(actor, number)
    except Denied as denied:
        if denied.decision.visible:
            raise
        record_refusal(actor, denied)
        raise NotFound(lookups.missing_text(f"delegation:{number}")) from None


@page
@require_GET
def delegation(request: HttpRequest, number: int) -> HttpResponse:
    actor = signed_in(request)
    return _detail_page(request, actor, _find(actor, number))


@page
@require_POST
def revoke(request: HttpRequest, number: int) -> HttpResponse:
    actor = signed_in(request)
    found = _find(actor, number)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, actor, found, form=form, status=400)
    try:
        delegations.revoke_delegation(
            found,
            reason=form.cleaned_data["reason"],
            by=actor,
            expected_version=form.cleaned_data["expected_version"],
        )
    except (Conflict, IllegalTransition) as error:
        fresh = _find(actor, number)
        status = 409 if isinstance(error, Conflict) else 400
        return _detail_page(request, actor, fresh, notice=translated(error.text), status=status)
    except (DomainError, Denied) as error:
        status = form_failed(request, form, error)
        return _detail_page(request, actor, found, form=form, status=status)
    messages.success(request, gettext("Delegation %(number)s is revoked.") % {"number": number})
    return redirect("web:delegation", number)
