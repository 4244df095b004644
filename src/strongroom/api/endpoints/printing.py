"""Printed papers through the API (receipts, certificates): a PDF when all is well, JSON errors
otherwise."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpResponse
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from strongroom.api.endpoints.base import Endpoint
from strongroom.queries.printing import Printout


class PDFRenderer(BaseRenderer):
    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        return bytes(data)


class PrintedEndpoint(Endpoint):
    renderer_classes = [JSONRenderer, PDFRenderer]

    @staticmethod
    def pdf(printed: Printout) -> HttpResponse:
        response = HttpResponse(printed.content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{printed.filename}"'
        return response

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        # Errors are JSON in the API's shape even when the caller asked for a PDF.
        if isinstance(response, Response):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)
