"""Distribution campaigns: issue copies to a named list, list them, read a live board."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from strongroom.api.endpoints.base import Endpoint, referenced
from strongroom.api.schema import errors, path
from strongroom.api.serializers.base import read
from strongroom.api.serializers.campaigns import BoardOut, CampaignOut, NewCampaign
from strongroom.models import Campaign, Person
from strongroom.queries import campaigns as queries
from strongroom.queries import documents, people
from strongroom.services import campaigns

TAGS = ["campaigns"]
REFERENCE = path("reference", "The campaign's reference: the full one, or its 8 characters.")


def _board(campaign: Campaign) -> dict:
    return dict(BoardOut(campaign, context={"board": queries.board(campaign)}).data)


def _recipient(actor: Person, username: str) -> Person:
    return referenced("to", lambda: people.person(actor, username), actor=actor)


class Campaigns(Endpoint):
    @extend_schema(
        operation_id="campaigns_list",
        summary="Campaigns of documents of my unit and below",
        description="Newest first, with how many copies each issued and how many are still "
        "out. For registrars, custodians, security officers and inspectors; others get none.",
        parameters=[OpenApiParameter("open", bool, description="Only those with copies out.")],
        responses={200: CampaignOut(many=True), **errors()},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        only_open = request.query_params.get("open", "").lower() in {"1", "true", "yes"}
        return self.page(queries.campaigns(self.actor, open_only=only_open), CampaignOut)

    @extend_schema(
        operation_id="campaigns_create",
        summary="Issue one copy each to a named list, due back by a time",
        description="The copies are taken from the document's registry in number order, one "
        "per recipient in the order given. Every recipient must be able to hold the document: "
        "if any may not, nothing is issued and the refusal (403) names each and why. Too few "
        "copies in the registry is 400 on `to`, saying how many are needed.",
        request=NewCampaign,
        responses={201: BoardOut, **errors(400, 403, 404, 409)},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        actor = self.actor
        data = read(NewCampaign, request.data)
        document = referenced(
            "document", lambda: documents.document(actor, data["document"]), actor=actor
        )
        recipients = [_recipient(actor, name) for name in data["to"]]
        created = campaigns.create_campaign(
            document,
            title=data["title"],
            due_back=data["due_back"],
            recipients=recipients,
            by=actor,
        )
        found = queries.campaign(actor, str(created.reference))
        return Response(
            _board(found),
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("api:campaign", args=[created.reference])},
        )


@extend_schema(parameters=[REFERENCE], tags=TAGS)
class CampaignView(Endpoint):
    @extend_schema(
        operation_id="campaigns_retrieve",
        summary="A campaign's live board",
        description="Each copy: n of m, to whom it was issued, who holds it now, whether it is "
        "back, for how many days it has been out and overdue, how far up the reminder ladder "
        "it has been escalated, and its incident. Someone who does not answer for the "
        "document's unit gets 404.",
        responses={200: BoardOut, **errors(400, 404)},
    )
    def get(self, request: Request, reference: str) -> Response:
        return Response(_board(queries.campaign(self.actor, reference)))
