"""Hand-overs in and out of the API."""

from __future__ import annotations

from rest_framework import serializers

from strongroom.api.serializers.base import MAX_VERSION, Input
from strongroom.api.serializers.printed import PrintedOut
from strongroom.models import HandOver


class Dispatch(Input):
    copy = serializers.CharField(help_text="The copy to send, e.g. HQ-2026-0042/3.")
    to = serializers.CharField(help_text="Username of the recipient.")
    due_by = serializers.DateTimeField(
        required=False,
        help_text="When the recipient must have acknowledged it, with a time zone; at most "
        "STRONGROOM_HAND_OVER_HOURS from now, which is also the default.",
    )
    expected_version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_VERSION,
        help_text="The copy's version as you last read it; if it has moved since, the answer is "
        "409 and nothing changes.",
    )


class Resolve(Input):
    expected_version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_VERSION,
        help_text="The hand-over's version as you last read it; 409 if it changed since.",
    )


class ResolveWithReason(Resolve):
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=500, help_text="Why; kept on the receipt."
    )


class HandOverOut(PrintedOut):
    sender = serializers.CharField(source="sender.username")
    recipient = serializers.CharField(source="recipient.username")
    state = serializers.CharField(help_text="pending, accepted, refused or cancelled.")
    dispatched_at = serializers.DateTimeField()
    due_by = serializers.DateTimeField()
    resolved_at = serializers.DateTimeField(allow_null=True)
    resolved_by = serializers.CharField(source="resolved_by.username", allow_null=True)
    note = serializers.CharField(help_text="The reason given when refused or called back.")
    version = serializers.IntegerField()
    receipt = serializers.SerializerMethodField(help_text="Where to fetch the PDF receipt.")

    def get_receipt(self, hand_over: HandOver) -> str:
        return f"/api/v1/hand-overs/{hand_over.reference}/receipt.pdf"
