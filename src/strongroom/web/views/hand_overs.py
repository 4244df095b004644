"""Hand-overs: sending a copy to a person, acknowledging or refusing it, receipts, scanning."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from strongroom.domain.codes import parse_copy_reference
from strongroom.domain.errors import Conflict, DomainError, IllegalTransition, NotFound
from strongroom.models import Campaign, Destruction, HandOver, HandOverState, Person, Transit
from strongroom.policy import Action, Denied
from strongroom.queries import destructions as destruction_queries
from strongroom.queries import hand_overs as hand_over_queries
from strongroom.queries import people as people_queries
from strongroom.queries import references
from strongroom.queries import transits as transit_queries
from strongroom.services import hand_overs
from strongroom.web import lookups
from strongroom.web.errors import form_failed, page
from strongroom.web.forms.hand_overs import DispatchForm, ResolveForm, ScanForm
from strongroom.web.labels import translated
from strongroom.web.rendering import paginate, query_without_page, render_page, signed_in
from strongroom.web.views.copies import copy_page


@page
@require_POST
def dispatch(request: HttpRequest, control_number: str, number: int) -> HttpResponse:
    actor = signed_in(request)
    found = lookups.copy(actor, control_number, number)
    form = DispatchForm(request.POST)
    if not form.is_valid():
        return copy_page(request, actor, found, dispatch=form, status=400)
    try:
        recipient = lookups.person(actor, form.cleaned_data["recipient"])
    except NotFound as error:
        form.add_error("recipient", translated(error.text))
        return copy_page(request, actor, found, dispatch=form, status=400)
    due_by = form.cleaned_data["due_by"]
    if due_by is not None and timezone.is_naive(due_by):
        due_by = timezone.make_aware(due_by)
    try:
        sent = hand_overs.dispatch_hand_over(
            found,
            to=recipient,
            by=actor,
            due_by=due_by,
            expected_version=form.cleaned_data["expected_version"],
        )
    except (Conflict, IllegalTransition) as error:
        status = 409 if isinstance(error, Conflict) else 400
        return copy_page(request, actor, found, notice=translated(error.text), status=status)
    except (DomainError, Denied) as error:
        status = form_failed(request, form, error)
        return copy_page(request, actor, found, dispatch=form, status=status)
    messages.success(
        request,
        gettext(
            "%(copy)s is on its way to %(person)s; it stays yours until they acknowledge it. "
            "Receipt %(reference)s."
        )
        % {
            "copy": found.reference,
            "person": recipient.full_name,
            "reference": sent.short_reference,
        },
    )
    return redirect("web:hand-over", sent.reference)


@page
@require_GET
def hand_over_list(request: HttpRequest) -> HttpResponse:
    actor = signed_in(request)
    try:
        box = hand_over_queries.Box(request.GET.get("box") or "incoming")
    except ValueError:
        box = hand_over_queries.Box.INCOMING
    pending_only = request.GET.get("pending") == "1"
    found = hand_over_queries.hand_overs(actor, box, pending_only=pending_only)
    listed = paginate(request, found)
    return render_page(
        request,
        "strongroom/hand_overs/list.html",
        {
            "page": listed,
            "box": box.value,
            "boxes": [b.value for b in hand_over_queries.Box],
            "pending_only": pending_only,
            "query": query_without_page(request),
        },
        markings=[item.copy.document.marking for item in listed],
    )


def _hand_over_page(
    request: HttpRequest,
    actor: Person,
    found: HandOver,
    *,
    form: ResolveForm | None = None,
    notice: str = "",
    status: int = 200,
) -> HttpResponse:
    facts = found.facts()
    pending = found.hand_over_state is HandOverState.PENDING
    initial = {"expected_version": found.version}
    return render_page(
        request,
        "strongroom/hand_overs/hand_over.html",
        {
            "hand_over": found,
            "copy": found.copy,
            "document": found.copy.document,
            "may_accept": pending and people_queries.may(actor, Action.HAND_OVER_ACCEPT, facts),
            "may_refuse": pending and people_queries.may(actor, Action.HAND_OVER_REFUSE, facts),
            "may_cancel": pending and people_queries.may(actor, Action.HAND_OVER_CANCEL, facts),
            "form": form or ResolveForm(initial=initial),
            "notice": notice,
        },
        markings=[found.copy.document.marking],
        status=status,
    )


@page
@require_GET
def hand_over(request: HttpRequest, reference: str) -> HttpResponse:
    actor = signed_in(request)
    return _hand_over_page(request, actor, lookups.hand_over(actor, reference))


def _resolve(request: HttpRequest, reference: str, outcome: HandOverState) -> HttpResponse:
    actor = signed_in(request)
    found = lookups.hand_over(actor, reference)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        return _hand_over_page(request, actor, found, form=form, status=400)
    version = form.cleaned_data["expected_version"]
    reason = form.cleaned_data["reason"]
    try:
        if outcome is HandOverState.ACCEPTED:
            hand_overs.accept_hand_over(found, by=actor, expected_version=version)
        elif outcome is HandOverState.REFUSED:
            hand_overs.refuse_hand_over(found, by=actor, reason=reason, expected_version=version)
        else:
            hand_overs.cancel_hand_over(found, by=actor, reason=reason, expected_version=version)
    except (Conflict, IllegalTransition) as error:
        status = 409 if isinstance(error, Conflict) else 400
        fresh = lookups.hand_over(actor, str(found.reference))
        return _hand_over_page(request, actor, fresh, notice=translated(error.text), status=status)
    except (DomainError, Denied) as error:
        status = form_failed(request, form, error)
        return _hand_over_page(request, actor, found, form=form, status=status)
    done = {
        HandOverState.ACCEPTED: gettext("You have acknowledged %(copy)s; it is now yours."),
        HandOverState.REFUSED: gettext("You have refused %(copy)s; it went back to the sender."),
        HandOverState.CANCELLED: gettext("%(copy)s is called back to its sender."),
    }[outcome]
    messages.success(request, done % {"copy": found.copy.reference})
    return redirect("web:hand-over", found.reference)


@page
@require_POST
def accept(request: HttpRequest, reference: str) -> HttpResponse:
    return _resolve(request, reference, HandOverState.ACCEPTED)


@page
@require_POST
def refuse(request: HttpRequest, reference: str) -> HttpResponse:
    return _resolve(request, reference, HandOverState.REFUSED)


@page
@require_POST
def cancel(request: HttpRequest, reference: str) -> HttpResponse:
    return _resolve(request, reference, HandOverState.CANCELLED)


@page
@require_GET
def receipt(request: HttpRequest, reference: str) -> HttpResponse:
    actor = signed_in(request)
    found = lookups.hand_over(actor, reference)
    printed = hand_over_queries.receipt(actor, str(found.reference))
    response = HttpResponse(printed.content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{printed.filename}"'
    return response


# What a reference (or a printed paper's QR code) may name.
Referenced = HandOver | Transit | Destruction | Campaign


@page
@require_GET
def scan(request: HttpRequest) -> HttpResponse:
    """Where a scanned or typed code leads: a receipt's hand-over or transit, a certificate's
    destruction, a campaign, a copy, or a document."""
    actor = signed_in(request)
    form = ScanForm(request.GET)
    if not form.is_valid():
        return redirect("web:hand-overs")
    code = form.cleaned_data["code"].strip()
    try:
        control, number = parse_copy_reference(code)
    except DomainError:
        pass
    else:
        return redirect("web:copy", control, number)
    # What a code may name, in turn: a printed paper's QR text says which kind it is (a
    # campaign has no paper, so no QR text); 8 characters or a full reference may be any kind.
    named: list[tuple[str | None, str, Callable[[Person, str], Referenced]]] = [
        (hand_over_queries.QR_PREFIX, "web:hand-over", lookups.hand_over),
        (transit_queries.QR_PREFIX, "web:transit", lookups.transit),
        (destruction_queries.QR_PREFIX, "web:destruction", lookups.destruction),
        (None, "web:campaign", lookups.campaign),
    ]
    unknown: NotFound | None = None
    for qr_prefix, page_name, lookup in named:
        try:
            return redirect(page_name, lookup(actor, code).reference)
        except NotFound as missing:
            # A QR code says what it names: "No hand-over ..." is the answer, as typed.
            if qr_prefix is not None and code.lower().startswith(qr_prefix):
                raise
            unknown = unknown or missing
        except DomainError:
            if references.looks_like(code, qr_prefix or ""):
                raise  # a short reference that starts more than one: ask for the full one
    if unknown is not None and references.looks_like(code):
        # A receipt's or certificate's reference that names nothing visible: not a document's.
        raise unknown
    document = lookups.document(actor, code)
    return redirect("web:document", document.control_number)
