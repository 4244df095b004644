"""The register: listing, registering and correcting documents, and their ledger history."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from strongroom.api.endpoints.base import Endpoint, referenced
from strongroom.api.schema import CONTROL, errors
from strongroom.api.serializers.base import read
from strongroom.api.serializers.documents import (
    Correction,
    DocumentDetail,
    DocumentOut,
    Downgrade,
    History,
    RegisterQuery,
    Registration,
)
from strongroom.domain.errors import InvalidInput
from strongroom.models import Document
from strongroom.queries import documents, people
from strongroom.queries.documents import RegisterFilter
from strongroom.services import registry

TAGS = ["documents"]


def detail(document: Document) -> dict[str, Any]:
    return dict(DocumentDetail(document, context={"copies": documents.copies_of(document)}).data)


class Register(Endpoint):
    @extend_schema(
        operation_id="documents_list",
        tags=TAGS,
        summary="The register",
        description="Documents you may see, newest first, narrowed by the filters.",
        parameters=[RegisterQuery],
        responses={200: DocumentOut(many=True), **errors(400)},
    )
    def get(self, request: Request) -> Response:
        query = read(RegisterQuery, request.query_params)
        criteria = RegisterFilter(
            text=query["q"],
            level=documents.parse_level(query["level"]),
            state=query.get("state", ""),
            unit=query["unit"].strip().upper(),
        )
        return self.page(documents.register(self.actor, criteria), DocumentOut)

    @extend_schema(
        operation_id="documents_register",
        tags=TAGS,
        summary="Register a document",
        description="Registers an incoming document; its numbered copies start in the "
        "registering unit's registry. Needs the registrar role in that unit or above it, and "
        "clearance for the marking.",
        request=Registration,
        responses={201: DocumentDetail, **errors(400, 403)},
    )
    def post(self, request: Request) -> Response:
        data = read(Registration, request.data)
        actor = self.actor
        code = data.pop("unit")
        unit = referenced("unit", lambda: people.unit(actor, code), actor=actor)
        document = registry.register_document(unit=unit, **data, by=actor)
        location = reverse("api:document", args=[document.control_number])
        return Response(
            detail(document), status=status.HTTP_201_CREATED, headers={"Location": location}
        )


@extend_schema(parameters=[CONTROL], tags=TAGS)
class DocumentView(Endpoint):
    @extend_schema(
        operation_id="documents_retrieve",
        summary="A document and its copies",
        responses={200: DocumentDetail, **errors(404)},
    )
    def get(self, request: Request, control: str) -> Response:
        return Response(detail(documents.document(self.actor, control)))


@extend_schema(parameters=[CONTROL], tags=TAGS)
class DocumentHistory(Endpoint):
    @extend_schema(
        operation_id="documents_history",
        summary="Ledger history of a document",
        description="Every ledger entry about the document and its copies, oldest first.",
        responses={200: History, **errors(404)},
    )
    def get(self, request: Request, control: str) -> Response:
        document = documents.document(self.actor, control)
        entries = documents.document_history(document)
        return Response(History({"document": document, "entries": entries}).data)


@contextmanager
def _under_changes() -> Iterator[None]:
    """The service names a corrected field plainly; in this body it sits inside ``changes``."""
    try:
        yield
    except InvalidInput as error:
        if error.field in registry.CORRECTABLE:
            raise InvalidInput(error.text, field=f"changes.{error.field}") from None
        raise


@extend_schema(parameters=[CONTROL], tags=TAGS)
class Corrections(Endpoint):
    @extend_schema(
        operation_id="documents_correct",
        summary="Correct a registration",
        description="Nothing is edited in place: the ledger keeps the old and the new values "
        "with the reason.",
        request=Correction,
        responses={200: DocumentDetail, **errors(400, 403, 404, 409)},
    )
    def post(self, request: Request, control: str) -> Response:
        # The lookup comes first, so an attempt on a hidden document is refused (and recorded)
        # whatever the body says.
        document = documents.document(self.actor, control)
        data = read(Correction, request.data)
        with _under_changes():
            corrected = registry.correct_registration(
                document, changes=dict(data["changes"]), reason=data["reason"], by=self.actor
            )
        return Response(detail(corrected))


@extend_schema(parameters=[CONTROL], tags=TAGS)
class DowngradeDocument(Endpoint):
    @extend_schema(
        operation_id="documents_downgrade",
        summary="Downgrade or declassify a document",
        description="On the order of the authority named in the body: the marking is lowered "
        "(to the lowest level, declassified), never raised. Needs the registrar role over the "
        "document's unit and a clearance for its present marking. Recorded as "
        "document.downgraded or document.declassified.",
        request=Downgrade,
        responses={200: DocumentDetail, **errors(400, 403, 404, 409)},
    )
    def post(self, request: Request, control: str) -> Response:
        document = documents.document(self.actor, control)
        data = read(Downgrade, request.data)
        changed = registry.change_classification(
            document,
            marking=data["marking"],
            authority=data["authority"],
            reason=data["reason"],
            by=self.actor,
            expected_version=data.get("expected_version"),
        )
        return Response(detail(changed))
