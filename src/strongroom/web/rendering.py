"""Rendering pages: the signed-in person, the page's marking banner, and htmx partials."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from strongroom.domain.markings import Marking, highest
from strongroom.models import Person

PAGE_SIZE = 50


def signed_in(request: HttpRequest) -> Person:
    """The acting person. Every page but sign-in is behind login_required, so this holds."""
    user = request.user
    if not isinstance(user, Person):
        raise PermissionDenied
    return user


def page_marking(markings: Iterable[Marking]) -> Marking:
    """What the banner says: the least marking covering every document shown on the page."""
    return highest(markings, settings.STRONGROOM_MARKING_SCHEME)


def render_page(
    request: HttpRequest,
    template: str,
    context: Mapping[str, Any],
    *,
    markings: Iterable[Marking] = (),
    status: int = 200,
) -> HttpResponse:
    """Render ``template``; ``markings`` are those of every document the page shows."""
    return render(
        request, template, {**context, "page_marking": page_marking(markings)}, status=status
    )


def is_htmx(request: HttpRequest) -> bool:
    # A boosted request wants the whole page; only targeted htmx requests get a fragment.
    return request.headers.get("HX-Request") == "true" and "HX-Boosted" not in request.headers


def paginate(request: HttpRequest, items: Any) -> Page:
    """Page ``page`` of ``items``; a bad or out-of-range page number gives the nearest page."""
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    """The current query string minus ``page``, for pagination links that keep the filters."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
