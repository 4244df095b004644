"""Campaigns, their boards, and incidents in and out of the API."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from strongroom.api.serializers.base import Input, enum_field
from strongroom.api.serializers.documents import MARKING_HELP
from strongroom.domain.campaigns import Step
from strongroom.models import Campaign, Incident, IncidentKind, IncidentState
from strongroom.queries.campaigns import Board, BoardRow

StepField = enum_field("CampaignStep", [s.value for s in Step])


class NewCampaign(Input):
    document = serializers.CharField(help_text="Control number of the document, e.g. HQ-2026-0042.")
    title = serializers.CharField(max_length=200, help_text="What it is, e.g. a course.")
    due_back = serializers.DateTimeField(
        help_text="When the copies are due back, with a time zone; in the future."
    )
    to = serializers.ListField(
        child=serializers.CharField(),
        help_text="Usernames of the recipients, in order: each gets the next copy in the "
        "registry by number. Everyone must be able to hold the document, or nothing is issued.",
    )


@extend_schema_serializer(component_name="Campaign")
class CampaignOut(serializers.Serializer):
    reference = serializers.UUIDField()
    short_reference = serializers.CharField(help_text="The 8 characters people read out.")
    title = serializers.CharField()
    document = serializers.CharField(source="document.control_number")
    short_title = serializers.CharField(source="document.short_title")
    marking = serializers.SerializerMethodField(help_text=MARKING_HELP)
    created_by = serializers.CharField(source="created_by.username")
    created_at = serializers.DateTimeField()
    due_back = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(
        allow_null=True, help_text="When its last copy came back; null while copies are out."
    )
    copies = serializers.IntegerField(help_text="How many copies it issued.")
    out = serializers.IntegerField(help_text="How many are still out.")
    board = serializers.SerializerMethodField(help_text="Where to read its live board.")

    def get_marking(self, campaign: Campaign) -> str:
        return campaign.document.marking.banner()

    def get_board(self, campaign: Campaign) -> str:
        return f"/api/v1/campaigns/{campaign.reference}/"


class BoardRowOut(serializers.Serializer):
    copy = serializers.CharField(source="item.copy.reference", help_text="e.g. HQ-2026-0042/3.")
    number = serializers.IntegerField()
    of = serializers.IntegerField(help_text="How many copies the document has: copy n of m.")
    recipient = serializers.CharField(source="recipient.username")
    holder = serializers.CharField(
        source="holder.username",
        allow_null=True,
        help_text="Who holds it now while it is out (the recipient, unless they handed it on).",
    )
    issued_at = serializers.DateTimeField()
    returned_at = serializers.DateTimeField(allow_null=True)
    out = serializers.BooleanField()
    days_out = serializers.IntegerField(allow_null=True, help_text="Whole days since issued.")
    days_overdue = serializers.IntegerField(
        allow_null=True, help_text="Whole days past the due-back time, while overdue."
    )
    step = serializers.SerializerMethodField(
        help_text="How far up the reminder ladder it has been escalated, while out."
    )
    incident = serializers.CharField(
        source="incident.short_reference",
        allow_null=True,
        help_text="The incident opened after the grace period, if any.",
    )

    @extend_schema_field(StepField(allow_null=True))
    def get_step(self, row: BoardRow) -> str | None:
        return row.step.value if row.step else None


@extend_schema_serializer(component_name="CampaignBoard")
class BoardOut(CampaignOut):
    """The campaign with each copy, as at ``at``; the endpoint passes the board as context."""

    at = serializers.SerializerMethodField(help_text="The moment the board was judged at.")
    items = serializers.SerializerMethodField()

    @extend_schema_field(serializers.DateTimeField())
    def get_at(self, campaign: Campaign) -> str:
        board: Board = self.context["board"]
        return serializers.DateTimeField().to_representation(board.at)

    @extend_schema_field(BoardRowOut(many=True))
    def get_items(self, campaign: Campaign) -> list[Any]:
        board: Board = self.context["board"]
        return list(BoardRowOut(board.rows, many=True).data)


@extend_schema_serializer(component_name="Incident")
class IncidentOut(serializers.Serializer):
    reference = serializers.UUIDField()
    short_reference = serializers.CharField()
    kind = enum_field("IncidentKind", [k.value for k in IncidentKind])()
    state = enum_field("IncidentState", [s.value for s in IncidentState])()
    copy = serializers.CharField(source="copy.reference")
    person = serializers.CharField(source="person.username", help_text="Whom it is about.")
    unit = serializers.CharField(source="unit.code")
    campaign = serializers.SerializerMethodField()
    opened_at = serializers.DateTimeField()
    opened_by = serializers.CharField(
        source="opened_by.username", allow_null=True, help_text="Null when the system opened it."
    )
    summary = serializers.CharField()

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_campaign(self, incident: Incident) -> str | None:
        item = incident.campaign_item
        return str(item.campaign.reference) if item else None


class UnitHead(Input):
    head = serializers.CharField(
        allow_null=True,
        help_text="Username of the new head, one of the unit's own people; null removes the head.",
    )
