"""The start page: what the signed-in person may see, and what they hold now."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from strongroom.queries import dashboard as dashboard_queries
from strongroom.queries import documents as document_queries
from strongroom.web.errors import page
from strongroom.web.rendering import render_page, signed_in


@page
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    actor = signed_in(request)
    held = list(
        document_queries.held_by(actor, actor).order_by("document__control_number", "number")
    )
    recent = dashboard_queries.recent_registrations(actor)
    return render_page(
        request,
        "strongroom/dashboard/index.html",
        {"summary": dashboard_queries.summary(actor), "held": held, "recent": recent},
        markings=[c.document.marking for c in held] + [d.marking for d in recent],
    )
