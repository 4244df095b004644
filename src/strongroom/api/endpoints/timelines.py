"""Custody timelines: what a person held on a given day, read from the ledger."""

from __future__ import annotations

from datetime import date

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from strongroom.adapters import clock
from strongroom.api.endpoints.base import Endpoint
from strongroom.api.schema import USERNAME, errors
from strongroom.api.serializers.documents import MARKING_HELP
from strongroom.domain.errors import InvalidInput
from strongroom.domain.text import gettext_noop
from strongroom.queries import people, timelines


class HeldCopyOut(serializers.Serializer):
    copy = serializers.CharField(source="copy.reference")
    short_title = serializers.CharField(source="copy.document.short_title")
    marking = serializers.SerializerMethodField(help_text=MARKING_HELP)
    state = serializers.CharField(help_text="The copy's state then, e.g. held or in_hand_over.")
    location = serializers.CharField()
    since = serializers.DateTimeField(help_text="When the entry that made it theirs was made.")

    def get_marking(self, item: timelines.HeldCopy) -> str:
        return item.copy.document.marking.banner()


class HeldOnDay(serializers.Serializer):
    person = serializers.CharField()
    on = serializers.DateField()
    copies = HeldCopyOut(many=True)


def _day(raw: str | None) -> date:
    if not raw:
        return clock.today()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(
            gettext_noop("on must be a date written YYYY-MM-DD, not %(value)s.", value=repr(raw)),
            field="on",
        ) from None


@extend_schema(parameters=[USERNAME], tags=["people"])
class HeldOn(Endpoint):
    @extend_schema(
        operation_id="people_held_on",
        summary="What a person held at the end of a day (UTC), from the ledger",
        parameters=[OpenApiParameter("on", str, description="YYYY-MM-DD; default today.")],
        responses={200: HeldOnDay, **errors(400, 404)},
    )
    def get(self, request: Request, username: str) -> Response:
        person = people.person(self.actor, username)
        day = _day(request.query_params.get("on"))
        copies = timelines.held_on(self.actor, person, day)
        return Response(HeldOnDay({"person": person.username, "on": day, "copies": copies}).data)
