"""People: accounts of the accountable humans, and their status."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from strongroom.api.endpoints.base import Endpoint, referenced
from strongroom.api.schema import USERNAME, errors
from strongroom.api.serializers.base import read
from strongroom.api.serializers.people import (
    NewPerson,
    PeopleQuery,
    PersonChange,
    PersonOut,
    StatusChange,
)
from strongroom.domain.clearance import PersonStatus
from strongroom.queries import people
from strongroom.services import people as people_service

TAGS = ["people"]


class People(Endpoint):
    @extend_schema(
        operation_id="people_list",
        tags=TAGS,
        summary="People",
        parameters=[PeopleQuery],
        responses={200: PersonOut(many=True), **errors(400)},
    )
    def get(self, request: Request) -> Response:
        query = read(PeopleQuery, request.query_params)
        found = people.people(self.actor, unit_code=query["unit"], text=query["q"])
        return self.page(found, PersonOut)

    @extend_schema(
        operation_id="people_create",
        tags=TAGS,
        summary="Create a person",
        description="Needs a security officer or administrator of the person's unit or above.",
        request=NewPerson,
        responses={201: PersonOut, **errors(400, 403)},
    )
    def post(self, request: Request) -> Response:
        data = read(NewPerson, request.data)
        actor = self.actor
        unit = referenced("unit", lambda: people.unit(actor, data["unit"]), actor=actor)
        person = people_service.create_person(
            username=data["username"],
            full_name=data["full_name"],
            unit=unit,
            roles=data["roles"],
            password=data["password"],
            by=actor,
        )
        return Response(PersonOut(person).data, status=status.HTTP_201_CREATED,
                        headers={"Location": reverse("api:person", args=[person.username])})


@extend_schema(parameters=[USERNAME], tags=TAGS)
class PersonView(Endpoint):
    @extend_schema(
        operation_id="people_retrieve",
        summary="A person",
        responses={200: PersonOut, **errors(404)},
    )
    def get(self, request: Request, username: str) -> Response:
        return Response(PersonOut(people.person(self.actor, username)).data)

    @extend_schema(
        operation_id="people_change",
        summary="Change a person's name, unit or roles",
        description="Send only what changes. Needs a security officer or administrator over the "
        "person (and over the new unit, when moving them).",
        request=PersonChange,
        responses={200: PersonOut, **errors(400, 403, 404, 409)},
    )
    def patch(self, request: Request, username: str) -> Response:
        actor = self.actor
        person = people.person(actor, username)
        data = read(PersonChange, request.data)
        unit = None
        if "unit" in data:
            unit = referenced("unit", lambda: people.unit(actor, data["unit"]), actor=actor)
        changed = people_service.change_person(
            person,
            full_name=data.get("full_name"),
            unit=unit,
            roles=data.get("roles"),
            by=actor,
        )
        return Response(PersonOut(changed).data)


@extend_schema(parameters=[USERNAME], tags=TAGS)
class PersonStatusView(Endpoint):
    @extend_schema(
        operation_id="people_set_status",
        summary="Suspend, reinstate or record the departure of a person",
        description="Takes effect at once; a suspended or departed person can no longer sign "
        "in. A departure is final.",
        request=StatusChange,
        responses={200: PersonOut, **errors(400, 403, 404, 409)},
    )
    def post(self, request: Request, username: str) -> Response:
        actor = self.actor
        person = people.person(actor, username)
        data = read(StatusChange, request.data)
        changed = people_service.set_status(
            person, status=PersonStatus(data["status"]), reason=data["reason"], by=actor
        )
        return Response(PersonOut(changed).data)
