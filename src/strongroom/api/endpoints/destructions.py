"""Witnessed destruction: the destroyer puts a copy forward naming a witness, who countersigns
(or refuses); certificates of the destructions witnessed."""

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
from strongroom.api.serializers.destructions import (
    CallOff,
    Countersign,
    DestructionOut,
    Proposal,
)
from strongroom.domain.errors import InvalidInput
from strongroom.domain.text import gettext_noop
from strongroom.models import Destruction
from strongroom.queries import destructions as queries
from strongroom.queries import documents, people
from strongroom.services import destructions
from strongroom.services.destructions import CallOffService

TAGS = ["destructions"]
REFERENCE = path(
    "reference", "The destruction's reference: the full one, the 8 characters on the "
    "certificate, or the certificate's QR code text."
)  # fmt: skip


def out(destruction: Destruction) -> dict[str, Any]:
    return dict(DestructionOut(destruction).data)


class Destructions(Endpoint):
    @extend_schema(
        operation_id="destructions_list",
        summary="Destructions naming me as witness, put forward by me, or of my units' copies",
        parameters=[
            OpenApiParameter(
                "box",
                str,
                enum=[box.value for box in queries.Box],
                description="witness (default), destroyer, or unit.",
            ),
            OpenApiParameter("pending", bool, description="Only those awaiting the witness."),
        ],
        responses={200: DestructionOut(many=True), **errors(400)},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        raw = request.query_params.get("box") or queries.Box.WITNESS.value
        try:
            box = queries.Box(raw)
        except ValueError:
            raise InvalidInput(
                gettext_noop(
                    "box must be one of: witness, destroyer, unit; not %(box)s.", box=repr(raw)
                ),
                field="box",
            ) from None
        pending = request.query_params.get("pending", "").lower() in {"1", "true", "yes"}
        found = queries.destructions(self.actor, box, pending_only=pending)
        return self.page(found, DestructionOut)

    @extend_schema(
        operation_id="destructions_propose",
        summary="Destroy a copy in the registry (the destroyer's signature), naming a witness",
        description="Needs the registrar or custodian role over the copy's unit. The witness "
        "must be another person cleared for the marking. The copy then awaits destruction: it "
        "stays in the registry and cannot be issued, and counts as destroyed only when the "
        "witness countersigns. A refusal is recorded against the destroyer.",
        request=Proposal,
        responses={201: DestructionOut, **errors(400, 403, 404, 409)},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        actor = self.actor
        data = read(Proposal, request.data)
        copy = referenced("copy", lambda: documents.copy(actor, data["copy"]), actor=actor)
        witness = referenced("witness", lambda: people.person(actor, data["witness"]), actor=actor)
        proposed = destructions.propose_destruction(
            copy,
            witness=witness,
            method=data["method"],
            destroyed_on=data.get("destroyed_on"),
            note=data.get("note", ""),
            by=actor,
            expected_version=data.get("expected_version"),
        )
        return Response(out(proposed), status=status.HTTP_201_CREATED)


@extend_schema(parameters=[REFERENCE], tags=TAGS)
class DestructionView(Endpoint):
    @extend_schema(
        operation_id="destructions_retrieve",
        summary="One destruction",
        responses={200: DestructionOut, **errors(400, 404)},
    )
    def get(self, request: Request, reference: str) -> Response:
        return Response(out(queries.destruction(self.actor, reference)))


@extend_schema(parameters=[REFERENCE], tags=TAGS)
class WitnessDestruction(Endpoint):
    @extend_schema(
        operation_id="destructions_witness",
        summary="Countersign (the witness): the copy is destroyed, for good",
        description="Both the witness and the destroyer must still be active and cleared for "
        "the marking.",
        request=Countersign,
        responses={200: DestructionOut, **errors(400, 403, 404, 409)},
    )
    def post(self, request: Request, reference: str) -> Response:
        found = queries.destruction(self.actor, reference)
        data = read(Countersign, request.data)
        destructions.witness_destruction(
            found, by=self.actor, expected_version=data.get("expected_version")
        )
        return Response(out(found))


class _CallOff(Endpoint):
    """Refusing or withdrawing: a reason, and the copy is back in the registry."""

    def call_off(self, request: Request, reference: str, service: CallOffService) -> Response:
        found = queries.destruction(self.actor, reference)
        data = read(CallOff, request.data)
        service(
            found,
            by=self.actor,
            reason=data["reason"],
            expected_version=data.get("expected_version"),
        )
        return Response(out(found))


@extend_schema(parameters=[REFERENCE], tags=TAGS)
class RefuseDestruction(_CallOff):
    @extend_schema(
        operation_id="destructions_refuse",
        summary="Refuse to countersign (the witness); the copy is back in the registry",
        request=CallOff,
        responses={200: DestructionOut, **errors(400, 403, 404, 409)},
    )
    def post(self, request: Request, reference: str) -> Response:
        return self.call_off(request, reference, destructions.refuse_destruction)


@extend_schema(parameters=[REFERENCE], tags=TAGS)
class WithdrawDestruction(_CallOff):
    @extend_schema(
        operation_id="destructions_withdraw",
        summary="Withdraw it (the destroyer, or the registry of the copy's unit)",
        request=CallOff,
        responses={200: DestructionOut, **errors(400, 403, 404, 409)},
    )
    def post(self, request: Request, reference: str) -> Response:
        return self.call_off(request, reference, destructions.withdraw_destruction)


@extend_schema(parameters=[REFERENCE], tags=TAGS)
class DestructionCertificate(PrintedEndpoint):
    @extend_schema(
        operation_id="destructions_certificate",
        summary="The certificate of destruction (PDF), as often as needed",
        description="Only once the witness has countersigned (409 before).",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
            **errors(400, 404, 409, 503),
        },
    )
    def get(self, request: Request, reference: str) -> HttpResponse:
        return self.pdf(queries.certificate(self.actor, reference))
