"""Check-outs: the registry lends a copy for reading until a due time and checks it in again;
what is out, and who read a document."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from strongroom.adapters import clock
from strongroom.api.endpoints.base import Endpoint, referenced
from strongroom.api.endpoints.copies import find
from strongroom.api.schema import CONTROL, NUMBER, errors
from strongroom.api.serializers.base import read
from strongroom.api.serializers.check_outs import CheckOutOut, Lend
from strongroom.api.serializers.documents import Movement
from strongroom.models import CheckOut
from strongroom.queries import check_outs as queries
from strongroom.queries import documents, people
from strongroom.services import check_outs

TAGS = ["check-outs"]


def out(check_out: CheckOut) -> dict[str, Any]:
    return dict(CheckOutOut(check_out, context={"now": clock.now()}).data)


@extend_schema(parameters=[CONTROL, NUMBER], tags=TAGS)
class LendCopy(Endpoint):
    @extend_schema(
        operation_id="check_outs_lend",
        summary="Lend a copy for reading until a due time",
        description="The copy leaves the registry for its reading room (or the place given); "
        "the reader holds it and answers for it until it is checked in. Needs the registrar or "
        "custodian role over the document's unit; the reader must be cleared for the marking. "
        "A refusal is recorded against the lender.",
        request=Lend,
        responses={201: CheckOutOut, **errors(400, 403, 404, 409)},
    )
    def post(self, request: Request, control: str, number: int) -> Response:
        actor = self.actor
        copy = find(actor, control, number)
        data = read(Lend, request.data)
        reader = referenced("to", lambda: people.person(actor, data["to"]), actor=actor)
        lent = check_outs.check_out_copy(
            copy,
            to=reader,
            by=actor,
            due_back=data["due_back"],
            place=data["place"],
            expected_version=data.get("expected_version"),
        )
        return Response(out(lent), status=status.HTTP_201_CREATED)


@extend_schema(parameters=[CONTROL, NUMBER], tags=TAGS)
class CheckInCopy(Endpoint):
    @extend_schema(
        operation_id="check_outs_check_in",
        summary="Check a lent copy in (the reader handed it back at the desk)",
        description="The copy is back in its registry. Needs the registrar or custodian role "
        "over the document's unit.",
        request=Movement,
        responses={200: CheckOutOut, **errors(400, 403, 404, 409)},
    )
    def post(self, request: Request, control: str, number: int) -> Response:
        copy = find(self.actor, control, number)
        data = read(Movement, request.data)
        returned = check_outs.check_in_copy(
            copy, by=self.actor, expected_version=data.get("expected_version")
        )
        return Response(out(returned))


class CheckOuts(Endpoint):
    @extend_schema(
        operation_id="check_outs_list",
        summary="Copies out for reading now",
        description="Those you lent or read, and those of the units you answer for as a "
        "registrar, custodian, security officer or inspector; the earliest due first.",
        parameters=[OpenApiParameter("overdue", bool, description="Only those past due.")],
        responses={200: CheckOutOut(many=True), **errors()},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        overdue = request.query_params.get("overdue", "").lower() in {"1", "true", "yes"}
        now = clock.now()
        found = queries.check_outs(self.actor, overdue_only=overdue, now=now)
        return self.page(found, CheckOutOut, now=now)


@extend_schema(parameters=[CONTROL], tags=TAGS)
class Readers(Endpoint):
    @extend_schema(
        operation_id="documents_readers",
        summary="Who read a document",
        description="Every check-out of the document's copies, open or closed, oldest first: "
        "the reader, the place, when it was lent and checked in, and by whom. For a TOP SECRET "
        "document this is the record of who read it.",
        responses={200: CheckOutOut(many=True), **errors(404)},
    )
    def get(self, request: Request, control: str) -> Response:
        document = documents.document(self.actor, control)
        found = queries.readers_of(self.actor, document)
        return self.page(found, CheckOutOut, now=clock.now())
