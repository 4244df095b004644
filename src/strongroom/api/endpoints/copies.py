"""One numbered copy: where it is, who had it and since when; issuing and returning it."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from strongroom.api.endpoints.base import Endpoint, referenced
from strongroom.api.schema import CONTROL, NUMBER, errors
from strongroom.api.serializers.base import read
from strongroom.api.serializers.documents import CopyDetail, Issue, Movement
from strongroom.models import Copy, Person
from strongroom.queries import destructions, documents, people
from strongroom.services import custody

TAGS = ["copies"]


def find(actor: Person, control: str, number: int) -> Copy:
    # The document first: a malformed or hidden control number then reads "No document ...",
    # exactly like a missing one, rather than a complaint about the copy reference.
    document = documents.document(actor, control)
    return documents.copy(actor, f"{document.control_number}/{number}")


def detail(actor: Person, copy: Copy) -> dict[str, Any]:
    context = {
        "history": documents.copy_history(copy),
        "destruction": destructions.on_record_for(actor, copy),
    }
    return dict(CopyDetail(copy, context=context).data)


@extend_schema(parameters=[CONTROL, NUMBER], tags=TAGS)
class CopyView(Endpoint):
    @extend_schema(
        operation_id="copies_retrieve",
        summary="Where a copy is, who had it, since when",
        description="The copy's state, holder, location and since when, and its whole custody "
        "timeline from the ledger.",
        responses={200: CopyDetail, **errors(404)},
    )
    def get(self, request: Request, control: str, number: int) -> Response:
        return Response(detail(self.actor, find(self.actor, control, number)))


@extend_schema(parameters=[CONTROL, NUMBER], tags=TAGS)
class IssueCopy(Endpoint):
    @extend_schema(
        operation_id="copies_issue",
        summary="Issue a copy to a person",
        description="The copy leaves the registry; the recipient becomes its accountable holder. "
        "The recipient must be cleared for the marking.",
        request=Issue,
        responses={200: CopyDetail, **errors(400, 403, 404, 409)},
    )
    def post(self, request: Request, control: str, number: int) -> Response:
        actor = self.actor
        copy = find(actor, control, number)
        data = read(Issue, request.data)
        recipient = referenced("to", lambda: people.person(actor, data["to"]), actor=actor)
        custody.issue_copy(
            copy, to=recipient, by=actor, expected_version=data.get("expected_version")
        )
        return Response(detail(actor, copy))


@extend_schema(parameters=[CONTROL, NUMBER], tags=TAGS)
class ReturnCopy(Endpoint):
    @extend_schema(
        operation_id="copies_return",
        summary="Take a copy back into the registry",
        request=Movement,
        responses={200: CopyDetail, **errors(400, 403, 404, 409)},
    )
    def post(self, request: Request, control: str, number: int) -> Response:
        copy = find(self.actor, control, number)
        data = read(Movement, request.data)
        custody.return_copy(copy, by=self.actor, expected_version=data.get("expected_version"))
        return Response(detail(self.actor, copy))
