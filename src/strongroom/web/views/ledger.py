"""The ledger's head: the latest signed checkpoint, and the one-page printout of it."""

from __future__ import annotations

import base64

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from strongroom.queries import ledger as ledger_queries
from strongroom.web.errors import page
from strongroom.web.rendering import render_page, signed_in


@page
@require_GET
def ledger(request: HttpRequest) -> HttpResponse:
    signed_in(request)
    published = ledger_queries.latest_checkpoint()
    root = base64.b64encode(published.root).decode() if published else ""
    return render_page(
        request, "strongroom/ledger/index.html", {"checkpoint": published, "root_base64": root}
    )


@page
@require_GET
def checkpoint_printout(request: HttpRequest) -> HttpResponse:
    printed = ledger_queries.checkpoint_printout(signed_in(request))
    response = HttpResponse(printed.content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{printed.filename}"'
    return response
