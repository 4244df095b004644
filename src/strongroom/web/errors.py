"""How refusals and errors become responses, in one place for every page.

- NotFound, and Denied on something the actor may not see: 404, with text that cannot tell the
  two apart (see lookups.py).
- Denied on something the actor may see: 403 stating the reason.
- DomainError from a form: the message on the offending field, 400 (409 for a Conflict).
Every refusal is in the ledger before the answer goes out: services record their own, and
refusals raised by queries are recorded here.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Concatenate, ParamSpec

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache

from strongroom.domain.errors import Conflict, DomainError, InvalidInput, NotFound, Unavailable
from strongroom.policy import Denied
from strongroom.services.base import record_refusal
from strongroom.web.labels import translated
from strongroom.web.lookups import missing_text
from strongroom.web.rendering import render_page, signed_in

P = ParamSpec("P")
View = Callable[Concatenate[HttpRequest, P], HttpResponse]


def not_found(request: HttpRequest, message: str) -> HttpResponse:
    return render_page(
        request, "strongroom/errors/not_found.html", {"message": message}, status=404
    )


def refused(request: HttpRequest, denied: Denied) -> HttpResponse:
    record_refusal(signed_in(request), denied)
    if not denied.decision.visible:
        return not_found(request, translated(missing_text(denied.target_ref)))
    return render_page(
        request,
        "strongroom/errors/forbidden.html",
        {"reason": translated(denied.text)},
        status=403,
    )


def bad_request(request: HttpRequest, message: str) -> HttpResponse:
    return render_page(
        request, "strongroom/errors/bad_request.html", {"message": message}, status=400
    )


def page(view: View[P]) -> View[P]:
    """Sign-in required, never cached; refusals and domain errors answered as the module says."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as error:
            return not_found(request, translated(error.text))
        except Denied as denied:
            return refused(request, denied)
        except Unavailable as error:
            return render_page(
                request,
                "strongroom/errors/bad_request.html",
                {"message": translated(error.text)},
                status=503,
            )
        except DomainError as error:
            return bad_request(request, translated(error.text))

    # Signed-in pages carry names and markings: keep them out of shared and browser caches.
    return login_required(never_cache(wrapper))


def form_failed(request: HttpRequest, form: forms.Form, error: DomainError | Denied) -> int:
    """Put ``error`` on ``form`` and return the status to answer with.

    Things that must look missing are re-raised for ``page`` to answer with a 404.
    """
    if isinstance(error, NotFound):
        raise error
    if isinstance(error, Denied):
        if not error.decision.visible:
            raise error
        record_refusal(signed_in(request), error)
        form.add_error(None, gettext("Refused: %(reason)s.") % {"reason": translated(error.text)})
        return 403
    field = error.field if isinstance(error, InvalidInput) else None
    form.add_error(field if field in form.fields else None, translated(error.text))
    return 409 if isinstance(error, Conflict) else 400
