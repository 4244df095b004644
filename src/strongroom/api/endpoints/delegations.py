"""Delegations: a duty handed to an eligible person for a limited time."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from strongroom.api.endpoints.base import Endpoint, referenced
from strongroom.api.schema import errors
from strongroom.api.serializers.base import read
from strongroom.api.serializers.delegations import DelegationOut, Grant, Revoke
from strongroom.domain.errors import InvalidInput
from strongroom.domain.text import gettext_noop
from strongroom.models import Delegation
from strongroom.queries import delegations as queries
from strongroom.queries import people
from strongroom.services import delegations

TAGS = ["delegations"]
NUMBER = OpenApiParameter("number", int, OpenApiParameter.PATH, description="Its number.")


def out(delegation: Delegation) -> dict[str, Any]:
    return dict(DelegationOut(delegation).data)


class Delegations(Endpoint):
    @extend_schema(
        operation_id="delegations_list",
        summary="Delegations given to me, by me, or (security officers) of my units",
        parameters=[
            OpenApiParameter(
                "box",
                str,
                enum=[b.value for b in queries.Box],
                description="received (default), given, or unit.",
            ),
            OpenApiParameter("in_force", bool, description="Only those in force today."),
        ],
        responses={200: DelegationOut(many=True), **errors(400)},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        raw = request.query_params.get("box") or queries.Box.RECEIVED.value
        try:
            box = queries.Box(raw)
        except ValueError:
            raise InvalidInput(
                gettext_noop(
                    "box must be one of: received, given, unit; not %(box)s.", box=repr(raw)
                ),
                field="box",
            ) from None
        in_force = request.query_params.get("in_force", "").lower() in {"1", "true", "yes"}
        return self.page(
            queries.delegations(self.actor, box, in_force_only=in_force), DelegationOut
        )

    @extend_schema(
        operation_id="delegations_grant",
        summary="Delegate one of my duties to someone for a while",
        description="Only someone who holds the duty may delegate it, within their own unit and "
        "clearance, to another active person cleared for the level; refusals are recorded.",
        request=Grant,
        responses={201: DelegationOut, **errors(400, 403)},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        actor = self.actor
        data = read(Grant, request.data)
        delegate = referenced(
            "delegate", lambda: people.person(actor, data["delegate"]), actor=actor
        )
        granted = delegations.grant_delegation(
            delegate,
            duty=data["duty"],
            level=data["level"],
            ends_on=data["ends_on"],
            reason=data["reason"],
            starts_on=data.get("starts_on"),
            by=actor,
        )
        return Response(out(granted), status=status.HTTP_201_CREATED)


@extend_schema(parameters=[NUMBER], tags=TAGS)
class DelegationView(Endpoint):
    @extend_schema(
        operation_id="delegations_retrieve",
        summary="One delegation",
        responses={200: DelegationOut, **errors(404)},
    )
    def get(self, request: Request, number: int) -> Response:
        return Response(out(queries.delegation(self.actor, number)))


@extend_schema(parameters=[NUMBER], tags=TAGS)
class RevokeDelegation(Endpoint):
    @extend_schema(
        operation_id="delegations_revoke",
        summary="End a delegation early (its delegator, or a security officer of its unit)",
        request=Revoke,
        responses={200: DelegationOut, **errors(400, 403, 404, 409)},
    )
    def post(self, request: Request, number: int) -> Response:
        found = queries.delegation(self.actor, number)
        data = read(Revoke, request.data)
        delegations.revoke_delegation(
            found,
            reason=data["reason"],
            by=self.actor,
            expected_version=data.get("expected_version"),
        )
        return Response(out(found))
