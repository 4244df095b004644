"""The organisation's units."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from strongroom.api.endpoints.base import Endpoint, referenced
from strongroom.api.schema import UNIT_CODE, errors
from strongroom.api.serializers.base import read
from strongroom.api.serializers.campaigns import UnitHead
from strongroom.api.serializers.people import NewUnit, UnitOut
from strongroom.queries import people
from strongroom.services import people as people_service

TAGS = ["units"]


class Units(Endpoint):
    @extend_schema(
        operation_id="units_list",
        tags=TAGS,
        summary="All units, in tree order",
        responses={200: UnitOut(many=True), **errors()},
    )
    def get(self, request: Request) -> Response:
        return self.page(people.units(self.actor), UnitOut)

    @extend_schema(
        operation_id="units_create",
        tags=TAGS,
        summary="Create a unit",
        description="A new unit below an existing one; needs a security officer or "
        "administrator of the parent unit or above it.",
        request=NewUnit,
        responses={201: UnitOut, **errors(400, 403)},
    )
    def post(self, request: Request) -> Response:
        data = read(NewUnit, request.data)
        actor = self.actor
        parent = referenced("parent", lambda: people.unit(actor, data["parent"]), actor=actor)
        unit = people_service.create_unit(
            code=data["code"], name=data["name"], parent=parent, by=actor
        )
        return Response(UnitOut(unit).data, status=status.HTTP_201_CREATED,
                        headers={"Location": reverse("api:unit", args=[unit.code])})


@extend_schema(parameters=[UNIT_CODE], tags=TAGS)
class UnitView(Endpoint):
    @extend_schema(
        operation_id="units_retrieve", summary="A unit", responses={200: UnitOut, **errors(404)}
    )
    def get(self, request: Request, code: str) -> Response:
        return Response(UnitOut(people.unit(self.actor, code)).data)


@extend_schema(parameters=[UNIT_CODE], tags=TAGS)
class UnitHeadView(Endpoint):
    @extend_schema(
        operation_id="units_set_head",
        summary="Appoint (or remove) the head of a unit",
        description="The head supervises the unit's people: reminders about campaign copies "
        "they have not brought back escalate to them. Needs a security officer of the unit or "
        "above; the head must be an active member of the unit itself.",
        request=UnitHead,
        responses={200: UnitOut, **errors(400, 403, 404)},
    )
    def post(self, request: Request, code: str) -> Response:
        actor = self.actor
        unit = people.unit(actor, code)
        data = read(UnitHead, request.data)
        username = data["head"]
        head = None
        if username:
            head = referenced("head", lambda: people.person(actor, username), actor=actor)
        changed = people_service.set_unit_head(unit, head=head, by=actor)
        return Response(UnitOut(changed).data)
