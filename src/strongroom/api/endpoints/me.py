"""The caller themselves."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from strongroom.api.endpoints.base import Endpoint
from strongroom.api.schema import errors
from strongroom.api.serializers.people import Me
from strongroom.queries import documents, people


class MeView(Endpoint):
    @extend_schema(
        operation_id="me_retrieve",
        tags=["people"],
        summary="Who am I",
        description="The signed-in person, their roles and unit, their clearance (null when "
        "none) and the copies they hold now.",
        responses={200: Me, **errors()},
    )
    def get(self, request: Request) -> Response:
        actor = self.actor
        context = {
            "clearance": people.clearance_of(actor, actor),
            "holds": documents.held_by(actor, actor),
        }
        return Response(Me(actor, context=context).data)
