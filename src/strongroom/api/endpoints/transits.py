"""Transits: a registry sends a copy to another unit's registry with an authorised courier; the
destination receives it; the sender confirms the receipt came back."""

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
from strongroom.api.serializers.transits import Send, TransitOut, TransitStep
from strongroom.domain.errors import InvalidInput
from strongroom.domain.text import gettext_noop
from strongroom.models import Transit
from strongroom.queries import documents, people
from strongroom.queries import transits as queries
from strongroom.services import transits

TAGS = ["transits"]
REFERENCE = path(
    "reference", "The transit's reference: the full one, the 8 characters on the receipt, or the "
    "receipt's QR code text."
)  # fmt: skip


def out(transit: Transit) -> dict[str, Any]:
    return dict(TransitOut(transit).data)


def _flag(request: Request, name: str) -> bool:
    return request.query_params.get(name, "").lower() in {"1", "true", "yes"}


class Transits(Endpoint):
    @extend_schema(
        operation_id="transits_list",
        summary="Transits of my units' registries, or carried or sent by me",
        parameters=[
            OpenApiParameter(
                "box",
                str,
                enum=[box.value for box in queries.Box],
                description="all (default), outgoing (from the registries I answer for), "
                "incoming (to them), or carrying (I am the courier).",
            ),
            OpenApiParameter(
                "suspense",
                bool,
                description="Only those whose receipt is not yet back at the sending registry.",
            ),
            OpenApiParameter(
                "late", bool, description="Only those still in transit after their expected time."
            ),
        ],
        responses={200: TransitOut(many=True), **errors(400)},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        raw = request.query_params.get("box") or queries.Box.ALL.value
        try:
            box = queries.Box(raw)
        except ValueError:
            raise InvalidInput(
                gettext_noop(
                    "box must be one of: all, outgoing, incoming, carrying; not %(box)s.",
                    box=repr(raw),
                ),
                field="box",
            ) from None
        found = queries.transits(
            self.actor, box, suspense=_flag(request, "suspense"), late=_flag(request, "late")
        )
        return self.page(found, TransitOut)

    @extend_schema(
        operation_id="transits_send",
        summary="Send a copy from its registry to another unit's, with an authorised courier",
        description="The copy is 'in transit' with the courier as its accountable holder until "
        "the destination registry receives it. The courier must be active, cleared for the "
        "marking and authorised today for at least its level; the inner wrapping must be marked "
        "and the outer one must not. A refusal is recorded against the sender.",
        request=Send,
        responses={201: TransitOut, **errors(400, 403, 404, 409)},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        actor = self.actor
        data = read(Send, request.data)
        copy = referenced("copy", lambda: documents.copy(actor, data["copy"]), actor=actor)
        to_unit = referenced("to_unit", lambda: people.unit(actor, data["to_unit"]), actor=actor)
        courier = referenced("courier", lambda: people.person(actor, data["courier"]), actor=actor)
        sent = transits.send_copy(
            copy,
            to_unit=to_unit,
            courier=courier,
            inner_wrapping=data["inner_wrapping"],
            outer_wrapping=data["outer_wrapping"],
            expected_by=data.get("expected_by"),
            expected_version=data.get("expected_version"),
            by=actor,
        )
        return Response(out(sent), status=status.HTTP_201_CREATED)


@extend_schema(parameters=[REFERENCE], tags=TAGS)
class TransitView(Endpoint):
    @extend_schema(
        operation_id="transits_retrieve",
        summary="One transit",
        responses={200: TransitOut, **errors(400, 404)},
    )
    def get(self, request: Request, reference: str) -> Response:
        return Response(out(queries.transit(self.actor, reference)))


@extend_schema(parameters=[REFERENCE], tags=TAGS)
class ReceiveTransit(Endpoint):
    @extend_schema(
        operation_id="transits_receive",
        summary="Receive it into the destination registry",
        description="A registrar or custodian of the destination, neither the courier nor the "
        "sender; from now on that registry answers for the copy. Print the receipt and send it "
        "back to the sender.",
        request=TransitStep,
        responses={200: TransitOut, **errors(400, 403, 404, 409)},
    )
    def post(self, request: Request, reference: str) -> Response:
        found = queries.transit(self.actor, reference)
        data = read(TransitStep, request.data)
        transits.receive_transit(
            found, by=self.actor, expected_version=data.get("expected_version")
        )
        return Response(out(found))


@extend_schema(parameters=[REFERENCE], tags=TAGS)
class ConfirmTransitReceipt(Endpoint):
    @extend_schema(
        operation_id="transits_confirm_receipt",
        summary="Record that the signed receipt is back at the sending registry",
        description="The transit leaves the sender's suspense list.",
        request=TransitStep,
        responses={200: TransitOut, **errors(400, 403, 404, 409)},
    )
    def post(self, request: Request, reference: str) -> Response:
        found = queries.transit(self.actor, reference)
        data = read(TransitStep, request.data)
        transits.confirm_receipt(
            found, by=self.actor, expected_version=data.get("expected_version")
        )
        return Response(out(found))


@extend_schema(parameters=[REFERENCE], tags=TAGS)
class TransitReceipt(PrintedEndpoint):
    @extend_schema(
        operation_id="transits_receipt",
        summary="The printable record and receipt (PDF), as often as needed",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
            **errors(400, 404, 503),
        },
    )
    def get(self, request: Request, reference: str) -> HttpResponse:
        return self.pdf(queries.receipt(self.actor, reference))
