"""Courier authorisations: who may carry material between facilities, up to which level, when."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from strongroom.api.endpoints.base import Endpoint, referenced
from strongroom.api.schema import USERNAME, errors
from strongroom.api.serializers.base import Reason, read
from strongroom.api.serializers.transits import AuthorisationOut, Authorise, authorisation_out
from strongroom.queries import couriers as queries
from strongroom.queries import people
from strongroom.services import couriers

TAGS = ["couriers"]


class Couriers(Endpoint):
    @extend_schema(
        operation_id="couriers_list",
        summary="Courier authorisations: my own, and those of the units I answer for",
        parameters=[
            OpenApiParameter("all", bool, description="Include revoked and expired ones."),
        ],
        responses={200: AuthorisationOut(many=True), **errors()},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        show_all = request.query_params.get("all", "").lower() in {"1", "true", "yes"}
        return self.page(
            queries.authorisations(self.actor, live_only=not show_all), AuthorisationOut
        )

    @extend_schema(
        operation_id="couriers_authorise",
        summary="Authorise a courier (security officers)",
        description="A security officer of the courier's unit or above, never for themselves, "
        "for someone cleared for the level; one authorisation not yet over at a time.",
        request=Authorise,
        responses={201: AuthorisationOut, **errors(400, 403)},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        actor = self.actor
        data = read(Authorise, request.data)
        courier = referenced("courier", lambda: people.person(actor, data["courier"]), actor=actor)
        granted = couriers.authorise_courier(
            courier,
            level=data["level"],
            valid_from=data.get("valid_from"),
            valid_until=data["valid_until"],
            note=data.get("note", ""),
            by=actor,
        )
        return Response(authorisation_out(granted), status=status.HTTP_201_CREATED)


@extend_schema(parameters=[USERNAME], tags=TAGS)
class RevokeCourier(Endpoint):
    @extend_schema(
        operation_id="couriers_revoke",
        summary="Revoke a courier's authorisation at once (security officers)",
        request=Reason,
        responses={200: AuthorisationOut(many=True), **errors(400, 403, 404)},
    )
    def post(self, request: Request, username: str) -> Response:
        courier = people.person(self.actor, username)
        data = read(Reason, request.data)
        revoked = couriers.revoke_courier(courier, reason=data["reason"], by=self.actor)
        return Response([authorisation_out(row) for row in revoked])
