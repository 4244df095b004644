"""Check-outs in and out of the API."""

from __future__ import annotations

from datetime import datetime

from rest_framework import serializers

from strongroom.api.serializers.documents import MARKING_HELP, Movement
from strongroom.models import CheckOut


class Lend(Movement):
    to = serializers.CharField(help_text="Username of the reader, who will hold the copy.")
    due_back = serializers.DateTimeField(
        help_text="When it must be checked in again: in the future and at most "
        "STRONGROOM_CHECK_OUT_HOURS from now. Without a time zone, the installation's."
    )
    place = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        default="",
        help_text="Where it is read, in a few words; 'reading room' when left out.",
    )


class CheckOutOut(serializers.Serializer):
    """A copy lent for reading: open until ``checked_in_at`` is set."""

    id = serializers.IntegerField(help_text="The check-out's number.")
    copy = serializers.CharField(source="copy.reference", help_text="e.g. HQ-2026-0042/3.")
    copy_label = serializers.CharField(source="copy.label", help_text="e.g. copy 2 of 5.")
    short_title = serializers.CharField(source="copy.document.short_title")
    marking = serializers.SerializerMethodField(help_text=MARKING_HELP)
    reader = serializers.CharField(source="reader.username", help_text="Who read (reads) it.")
    lent_by = serializers.CharField(source="lent_by.username")
    place = serializers.CharField()
    checked_out_at = serializers.DateTimeField()
    due_back = serializers.DateTimeField()
    overdue = serializers.SerializerMethodField(
        help_text="Still out after its due time, as of this answer."
    )
    checked_in_at = serializers.DateTimeField(allow_null=True)
    checked_in_by = serializers.CharField(source="checked_in_by.username", allow_null=True)
    version = serializers.IntegerField()

    def get_marking(self, check_out: CheckOut) -> str:
        return check_out.copy.document.marking.banner()

    def get_overdue(self, check_out: CheckOut) -> bool:
        now: datetime = self.context["now"]
        return check_out.overdue_at(now)
