"""Reproduction requests in and out of the API."""

from __future__ import annotations

from rest_framework import serializers

from strongroom.api.serializers.base import MAX_VERSION, Input, enum_field
from strongroom.api.serializers.documents import MARKING_HELP
from strongroom.domain.reproduction import ReproductionState
from strongroom.models import Reproduction

ReproductionStateField = enum_field("ReproductionState", [s.value for s in ReproductionState])


class RequestIn(Input):
    copies = serializers.IntegerField(
        help_text="How many more copies; from 1 to STRONGROOM_REPRODUCTION_MAX_COPIES."
    )
    reason = serializers.CharField(max_length=500, help_text="Why; kept in the ledger.")


class Decide(Input):
    expected_version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_VERSION,
        help_text="The request's version as you last read it; 409 if it changed since.",
    )


class Approve(Decide):
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=500, help_text="Kept with the decision."
    )


class Refuse(Decide):
    reason = serializers.CharField(max_length=500, help_text="Why; kept with the decision.")


class Withdraw(Decide):
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=500, help_text="Why; kept in the ledger."
    )


class ReproductionOut(serializers.Serializer):
    reference = serializers.UUIDField()
    short_reference = serializers.CharField(help_text="The 8 characters people read out.")
    document = serializers.CharField(source="document.control_number")
    short_title = serializers.CharField(source="document.short_title")
    marking = serializers.SerializerMethodField(help_text=MARKING_HELP)
    requested_by = serializers.CharField(source="requested_by.username")
    requested_at = serializers.DateTimeField()
    copies = serializers.IntegerField(source="count", help_text="How many copies were asked for.")
    reason = serializers.CharField()
    state = ReproductionStateField()
    decided_by = serializers.CharField(source="decided_by.username", allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_note = serializers.CharField(
        help_text="The reason for a refusal or withdrawal, or the note on an approval."
    )
    first_number = serializers.IntegerField(
        allow_null=True, help_text="The first copy the approval made; null unless approved."
    )
    last_number = serializers.IntegerField(
        allow_null=True,
        help_text="The last copy the approval made, which was then the document's copy count.",
    )
    version = serializers.IntegerField(help_text="Send as expected_version to decide it safely.")

    def get_marking(self, reproduction: Reproduction) -> str:
        return reproduction.document.marking.banner()
