"""Django's own failures — an unknown address, an expired form — in strongroom's pages, banner and
all, instead of Django's bare defaults."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext

from strongroom.web.errors import bad_request, not_found


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return not_found(request, gettext("There is no page at this address."))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    # Almost always a form left open past the sign-in's lifetime, or opened in another session.
    response = bad_request(
        request, gettext("The form had expired. Go back, reload the page and try again.")
    )
    response.status_code = 403
    return response
