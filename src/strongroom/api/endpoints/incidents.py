"""Incidents: the security officers' list."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from strongroom.api.endpoints.base import Endpoint
from strongroom.api.schema import errors
from strongroom.api.serializers.campaigns import IncidentOut
from strongroom.queries import incidents


class Incidents(Endpoint):
    @extend_schema(
        operation_id="incidents_list",
        summary="Incidents of my unit and below (security officers)",
        description="Newest first. Anyone who is not a security officer gets an empty list.",
        responses={200: IncidentOut(many=True), **errors()},
        tags=["incidents"],
    )
    def get(self, request: Request) -> Response:
        return self.page(incidents.incidents(self.actor), IncidentOut)
