"""A numbered copy: where it is now, its timeline, issuing it and taking it back; the forms of
hand-overs and check-outs are drawn here too, their views are in their own modules."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from strongroom.adapters import clock
from strongroom.domain.custody import CopyState
from strongroom.domain.errors import Conflict, DomainError, IllegalTransition, NotFound
from strongroom.models import Copy, Person, Unit
from strongroom.policy import Action, Denied, decide
from strongroom.queries import check_outs as check_out_queries
from strongroom.queries import couriers as courier_queries
from strongroom.queries import destructions as destruction_queries
from strongroom.queries import documents as document_queries
from strongroom.queries import hand_overs as hand_over_queries
from strongroom.queries import people as people_queries
from strongroom.queries import transits as transit_queries
from strongroom.services import custody
from strongroom.web import lookups
from strongroom.web.errors import form_failed, page
from strongroom.web.forms.check_outs import CheckInForm, LendForm
from strongroom.web.forms.copies import IssueForm, ReturnForm
from strongroom.web.forms.destructions import DestroyForm
from strongroom.web.forms.hand_overs import DispatchForm, ResolveForm
from strongroom.web.forms.transits import SendForm
from strongroom.web.labels import translated
from strongroom.web.rendering import render_page, signed_in

# Enough names to suggest while typing; the recipient field takes any username.
SUGGESTED_PEOPLE = 500


def _suggested_due_back(now: datetime) -> datetime:
    """The longest the handling rules allow, to the minute (the form's precision)."""
    latest = now + timedelta(hours=settings.STRONGROOM_CHECK_OUT_HOURS)
    return latest.replace(second=0, microsecond=0)


def copy_page(
    request: HttpRequest,
    actor: Person,
    copy: Copy,
    *,
    issue: IssueForm | None = None,
    give_back: ReturnForm | None = None,
    dispatch: DispatchForm | None = None,
    lend: LendForm | None = None,
    check_in: CheckInForm | None = None,
    destroy: DestroyForm | None = None,
    send: SendForm | None = None,
    notice: str = "",
    status: int = 200,
) -> HttpResponse:
    # Issuing, returning, lending and checking in share one rule about the copy (the person who
    # gets it is checked on issue and on lending), and that rule is what COPY_RETURN asks: so it
    # decides whether to offer any of those forms.
    handling = decide(actor.facts(clock.today()), Action.COPY_RETURN, copy.facts())
    may_handle = bool(handling)
    state = copy.copy_state
    now = clock.now()
    initial = {"expected_version": copy.version}
    if may_handle and state is CopyState.IN_REGISTRY:
        if issue is None:
            issue = IssueForm(initial=initial)
        if lend is None:
            lend = LendForm(initial={**initial, "due_back": _suggested_due_back(now)})
    if may_handle and state is CopyState.HELD and give_back is None:
        give_back = ReturnForm(initial=initial)
    if may_handle and state is CopyState.CHECKED_OUT and check_in is None:
        check_in = CheckInForm(initial=initial)
    if dispatch is None and state is CopyState.HELD and copy.holder_id == actor.pk:
        dispatch = DispatchForm(initial={"expected_version": copy.version})
    # Putting a copy forward for destruction, or sending it to another unit, takes the same
    # registry staff as issuing it, in their own right: a delegation to handle copies reaches
    # neither.
    in_own_right = may_handle and handling.on_behalf_of is None
    if destroy is None and state is CopyState.IN_REGISTRY and in_own_right:
        destroy = DestroyForm(
            medium=copy.document.medium,
            initial={
                "expected_version": copy.version,
                "destroyed_on": timezone.localdate(clock.now()),
            },
        )
    if send is None and state is CopyState.IN_REGISTRY and in_own_right:
        initial = SendForm.initial_for(copy.version, copy.document.marking.level)
        send = SendForm(initial=initial, units=send_units(actor, copy))
    wants_names = any(form is not None for form in (issue, dispatch, lend, destroy))
    people = people_queries.people(actor)[:SUGGESTED_PEOPLE] if wants_names else []
    lent = check_out_queries.open_for(actor, copy) if state is CopyState.CHECKED_OUT else None
    destruction = destruction_queries.on_record_for(actor, copy)
    couriers = courier_queries.current_couriers(actor) if send is not None else []
    return render_page(
        request,
        "strongroom/documents/copy.html",
        {
            "copy": copy,
            "document": copy.document,
            "history": document_queries.copy_history(copy),
            "issue": issue,
            "give_back": give_back,
            "dispatch": dispatch,
            "lend": lend,
            "check_in": check_in,
            "destroy": destroy,
            "hand_over": hand_over_queries.pending_for(actor, copy),
            "check_out": lent,
            "now": now,
            "destruction": destruction,
            "permitted": destruction_queries.permitted(actor, destruction) if destruction else None,
            "resolve": ResolveForm(initial={"expected_version": destruction.version})
            if destruction
            else None,
            "send": send,
            "transit": transit_queries.open_for(actor, copy),
            "people": people,
            "couriers": couriers,
            "notice": notice,
        },
        markings=[copy.document.marking],
        status=status,
    )


def send_units(actor: Person, copy: Copy) -> list[Unit]:
    """Where the copy may be sent: every unit but the one whose registry has it."""
    return [unit for unit in people_queries.units(actor) if unit.pk != copy.unit_id]


@page
@require_GET
def copy(request: HttpRequest, control_number: str, number: int) -> HttpResponse:
    actor = signed_in(request)
    return copy_page(request, actor, lookups.copy(actor, control_number, number))


CopyForm = IssueForm | ReturnForm | LendForm | CheckInForm


def after_failure(
    request: HttpRequest,
    actor: Person,
    found: Copy,
    form: CopyForm,
    error: DomainError | Denied,
) -> HttpResponse:
    """The copy page again after one of its forms failed: the error on the form, or a notice."""
    if isinstance(error, Conflict | IllegalTransition):
        # The copy moved since the form was drawn. It was read afresh for this request, so the
        # page already shows where it is now; say so and offer the forms that fit that state.
        status = 409 if isinstance(error, Conflict) else 400
        return copy_page(request, actor, found, notice=translated(error.text), status=status)
    status = form_failed(request, form, error)
    if isinstance(form, IssueForm):
        return copy_page(request, actor, found, issue=form, status=status)
    if isinstance(form, LendForm):
        return copy_page(request, actor, found, lend=form, status=status)
    if isinstance(form, CheckInForm):
        return copy_page(request, actor, found, check_in=form, status=status)
    return copy_page(request, actor, found, give_back=form, status=status)


@page
@require_POST
def issue(request: HttpRequest, control_number: str, number: int) -> HttpResponse:
    actor = signed_in(request)
    found = lookups.copy(actor, control_number, number)
    form = IssueForm(request.POST)
    if not form.is_valid():
        return copy_page(request, actor, found, issue=form, status=400)
    try:
        recipient = lookups.person(actor, form.cleaned_data["recipient"])
    except NotFound as error:
        form.add_error("recipient", translated(error.text))
        return copy_page(request, actor, found, issue=form, status=400)
    try:
        custody.issue_copy(
            found, to=recipient, by=actor, expected_version=form.cleaned_data["expected_version"]
        )
    except (DomainError, Denied) as error:
        return after_failure(request, actor, found, form, error)
    messages.success(
        request,
        gettext("%(copy)s is issued to %(person)s.")
        % {"copy": found.reference, "person": recipient.full_name},
    )
    return redirect("web:copy", found.document.control_number, found.number)


@page
@require_POST
def give_back(request: HttpRequest, control_number: str, number: int) -> HttpResponse:
    actor = signed_in(request)
    found = lookups.copy(actor, control_number, number)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return copy_page(request, actor, found, give_back=form, status=400)
    try:
        custody.return_copy(found, by=actor, expected_version=form.cleaned_data["expected_version"])
    except (DomainError, Denied) as error:
        return after_failure(request, actor, found, form, error)
    messages.success(
        request, gettext("%(copy)s is back in the registry.") % {"copy": found.reference}
    )
    return redirect("web:copy", found.document.control_number, found.number)
