"""Alerts: what has stalled and who must act on it."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from strongroom.api.endpoints.base import Endpoint
from strongroom.api.schema import errors
from strongroom.api.serializers.alerts import AlertOut
from strongroom.queries import alerts


class Alerts(Endpoint):
    @extend_schema(
        operation_id="alerts_list",
        summary="Open alerts I must act on (and, for a security officer, my units')",
        parameters=[OpenApiParameter("all", bool, description="Include cleared alerts.")],
        responses={200: AlertOut(many=True), **errors()},
        tags=["alerts"],
    )
    def get(self, request: Request) -> Response:
        everything = request.query_params.get("all", "").lower() in {"1", "true", "yes"}
        return self.page(alerts.alerts(self.actor, open_only=not everything), AlertOut)
