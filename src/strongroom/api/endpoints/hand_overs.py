"""Hand-overs: the holder sends a copy to a named person, who acknowledges or refuses it."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from strongroom.api.endpoints.base import Endpoint, referenced
from strongroom.api.endpoints.printing import PrintedEndpoint
from strongroom.api.schema import errors, path
from strongroom.api.serializers.base import read
from strongroom.api.serializers.hand_overs import (
    Dispatch,
    HandOverOut,
    Resolve,
    ResolveWithReason,
)
from strongroom.domain.errors import InvalidInput
from strongroom.domain.text import gettext_noop
from strongroom.models import HandOver
from strongroom.queries import documents, people
from strongroom.queries import hand_overs as queries
from strongroom.services import hand_overs

TAGS = ["hand-overs"]
REFERENCE = path(
    "reference", "The hand-over's reference: the full one, the 8 characters on the receipt, "
    "or the receipt's QR code text."
)  # fmt: skip


def out(hand_over: HandOver) -> dict[str, Any]:
    return dict(HandOverOut(hand_over).data)


class HandOvers(Endpoint):
    @extend_schema(
        operation_id="hand_overs_list",
        summary="Hand-overs sent to me, sent by me, or of my units' copies",
        parameters=[
            OpenApiParameter(
                "box",
                str,
                enum=[box.value for box in queries.Box],
                description="incoming (default), outgoing, or unit.",
            ),
            OpenApiParameter("pending", bool, description="Only those awaiting acknowledgement."),
        ],
        responses={200: HandOverOut(many=True), **errors(400)},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        raw = request.query_params.get("box") or queries.Box.INCOMING.value
        try:
            box = queries.Box(raw)
        except ValueError:
            raise InvalidInput(
                gettext_noop(
                    "box must be one of: incoming, outgoing, unit; not %(box)s.", box=repr(raw)
                ),
                field="box",
            ) from None
        pending = request.query_params.get("pending", "").lower() in {"1", "true", "yes"}
        return self.page(queries.hand_overs(self.actor, box, pending_only=pending), HandOverOut)

    @extend_schema(
        operation_id="hand_overs_dispatch",
        summary="Send a copy I hold to a named recipient",
        description="The copy is 'in hand-over' and stays the sender's until the recipient "
        "acknowledges it. The recipient must be eligible for the marking; a refusal is recorded "
        "against the sender.",
        request=Dispatch,
        responses={201: HandOverOut, **errors(400, 403, 404, 409)},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        actor = self.actor
        data = read(Dispatch, request.data)
        copy = referenced("copy", lambda: documents.copy(actor, data["copy"]), actor=actor)
        recipient = referenced("to", lambda: people.person(actor, data["to"]), actor=actor)
        sent = hand_overs.dispatch_hand_over(
            copy,
            to=recipient,
            by=actor,
            due_by=data.get("due_by"),
            expected_version=data.get("expected_version"),
        )
        return Response(out(sent), status=status.HTTP_201_CREATED)


@extend_schema(parameters=[REFERENCE], tags=TAGS)
class HandOverView(Endpoint):
    @extend_schema(
        operation_id="hand_overs_retrieve",
        summary="One hand-over",
        responses={200: HandOverOut, **errors(400, 404)},
    )
    def get(self, request: Request, reference: str) -> Response:
        return Response(out(queries.hand_over(self.actor, reference)))


@extend_schema(parameters=[REFERENCE], tags=TAGS)
class AcceptHandOver(Endpoint):
    @extend_schema(
        operation_id="hand_overs_accept",
        summary="Acknowledge receipt (the recipient)",
        description="The recipient's eligibility is checked again; from now on they hold it.",
        request=Resolve,
        responses={200: HandOverOut, **errors(400, 403, 404, 409)},
    )
    def post(self, request: Request, reference: str) -> Response:
        found = queries.hand_over(self.actor, reference)
        data = read(Resolve, request.data)
        hand_overs.accept_hand_over(
            found, by=self.actor, expected_version=data.get("expected_version")
        )
        return Response(out(found))


@extend_schema(parameters=[REFERENCE], tags=TAGS)
class RefuseHandOver(Endpoint):
    @extend_schema(
        operation_id="hand_overs_refuse",
        summary="Refuse it (the recipient); custody returns to the sender",
        request=ResolveWithReason,
        responses={200: HandOverOut, **errors(400, 403, 404, 409)},
    )
    def post(self, request: Request, reference: str) -> Response:
        found = queries.hand_over(self.actor, reference)
        data = read(ResolveWithReason, request.data)
        hand_overs.refuse_hand_over(
            found,
            by=self.actor,
            reason=data.get("reason", ""),
            expected_version=data.get("expected_version"),
        )
        return Response(out(found))


@extend_schema(parameters=[REFERENCE], tags=TAGS)
class CancelHandOver(Endpoint):
    @extend_schema(
        operation_id="hand_overs_cancel",
        summary="Call it back (the sender, or the registry of the copy's unit)",
        request=ResolveWithReason,
        responses={200: HandOverOut, **errors(400, 403, 404, 409)},
    )
    def post(self, request: Request, reference: str) -> Response:
        found = queries.hand_over(self.actor, reference)
        data = read(ResolveWithReason, request.data)
        hand_overs.cancel_hand_over(
            found,
            by=self.actor,
            reason=data.get("reason", ""),
            expected_version=data.get("expected_version"),
        )
        return Response(out(found))


@extend_schema(parameters=[REFERENCE], tags=TAGS)
class HandOverReceipt(PrintedEndpoint):
    @extend_schema(
        operation_id="hand_overs_receipt",
        summary="The printable receipt (PDF), as often as needed",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
            **errors(400, 404),
        },
    )
    def get(self, request: Request, reference: str) -> HttpResponse:
        return self.pdf(queries.receipt(self.actor, reference))
