"""Reproduction: asking for more copies of a document, and an authority's decision."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from strongroom.api.endpoints.base import Endpoint
from strongroom.api.schema import CONTROL, errors, path
from strongroom.api.serializers.base import read
from strongroom.api.serializers.reproductions import (
    Approve,
    Decide,
    Refuse,
    ReproductionOut,
    RequestIn,
    Withdraw,
)
from strongroom.models import Reproduction
from strongroom.queries import documents
from strongroom.queries import reproductions as queries
from strongroom.services import reproductions

TAGS = ["reproductions"]
REFERENCE = path("reference", "The request's reference: the full one, or its first 8 characters.")


def out(reproduction: Reproduction) -> dict[str, Any]:
    return dict(ReproductionOut(reproduction).data)


@extend_schema(parameters=[CONTROL], tags=TAGS)
class DocumentReproductions(Endpoint):
    @extend_schema(
        operation_id="documents_reproductions_list",
        summary="A document's reproduction records",
        description="The requests to reproduce the document that you may see: your own, or all "
        "of them if you answer for the document's unit; newest first.",
        responses={200: ReproductionOut(many=True), **errors(404)},
    )
    def get(self, request: Request, control: str) -> Response:
        document = documents.document(self.actor, control)
        return self.page(queries.of_document(self.actor, document), ReproductionOut)

    @extend_schema(
        operation_id="documents_reproductions_request",
        summary="Ask for more copies of a document",
        description="A registrar or custodian of the document's unit or above asks, with a "
        "reason; nothing is copied until another registrar approves. Refused (403, recorded) "
        "when the marking carries NO COPY.",
        request=RequestIn,
        responses={201: ReproductionOut, **errors(400, 403, 404)},
    )
    def post(self, request: Request, control: str) -> Response:
        document = documents.document(self.actor, control)
        data = read(RequestIn, request.data)
        made = reproductions.request_reproduction(
            document, copies=data["copies"], reason=data["reason"], by=self.actor
        )
        return Response(out(made), status=status.HTTP_201_CREATED)


class Reproductions(Endpoint):
    @extend_schema(
        operation_id="reproductions_list",
        summary="The reproduction records of my units, and my own requests",
        parameters=[OpenApiParameter("pending", bool, description="Only those not decided.")],
        responses={200: ReproductionOut(many=True), **errors()},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        pending = request.query_params.get("pending", "").lower() in {"1", "true", "yes"}
        return self.page(queries.reproductions(self.actor, pending_only=pending), ReproductionOut)


@extend_schema(parameters=[REFERENCE], tags=TAGS)
class ReproductionView(Endpoint):
    @extend_schema(
        operation_id="reproductions_retrieve",
        summary="One reproduction request",
        responses={200: ReproductionOut, **errors(400, 404)},
    )
    def get(self, request: Request, reference: str) -> Response:
        return Response(out(queries.reproduction(self.actor, reference)))


class Deciding(Endpoint):
    """What approving, refusing and withdrawing share: find the request, read the body, act."""

    def decide(
        self,
        reference: str,
        body: type[Decide],
        act: Callable[..., Reproduction],
        text: str,
    ) -> Response:
        """``text`` names the body's free-text field, passed to ``act`` under the same name."""
        found = queries.reproduction(self.actor, reference)
        data = read(body, self.request.data)
        act(
            found,
            by=self.actor,
            expected_version=data.get("expected_version"),
            **{text: data.get(text, "")},
        )
        return Response(out(found))


@extend_schema(parameters=[REFERENCE], tags=TAGS)
class ApproveReproduction(Deciding):
    @extend_schema(
        operation_id="reproductions_approve",
        summary="Approve it (another registrar answerable for the document)",
        description="The copies are made in the registry of the document's unit, numbered on "
        "from its last copy; every copy then reads 'copy n of' the new count. 409 if the "
        "request or the document changed since you read them.",
        request=Approve,
        responses={200: ReproductionOut, **errors(400, 403, 404, 409)},
    )
    def post(self, request: Request, reference: str) -> Response:
        return self.decide(reference, Approve, reproductions.approve_reproduction, "note")


@extend_schema(parameters=[REFERENCE], tags=TAGS)
class RefuseReproduction(Deciding):
    @extend_schema(
        operation_id="reproductions_refuse",
        summary="Refuse it, with a reason (another registrar answerable for the document)",
        request=Refuse,
        responses={200: ReproductionOut, **errors(400, 403, 404, 409)},
    )
    def post(self, request: Request, reference: str) -> Response:
        return self.decide(reference, Refuse, reproductions.refuse_reproduction, "reason")


@extend_schema(parameters=[REFERENCE], tags=TAGS)
class WithdrawReproduction(Deciding):
    @extend_schema(
        operation_id="reproductions_withdraw",
        summary="Withdraw my own request before it is decided",
        request=Withdraw,
        responses={200: ReproductionOut, **errors(400, 403, 404, 409)},
    )
    def post(self, request: Request, reference: str) -> Response:
        return self.decide(reference, Withdraw, reproductions.withdraw_reproduction, "reason")
