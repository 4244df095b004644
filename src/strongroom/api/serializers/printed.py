"""What every record of one copy with a printed paper shows alike (a hand-over's or a transit's
receipt, a certificate of destruction): its references and the copy it is about."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from strongroom.api.serializers.documents import MARKING_HELP


class PrintedOut(serializers.Serializer):
    reference = serializers.UUIDField(help_text="Full reference, as in the receipt's QR code.")
    short_reference = serializers.CharField(help_text="The 8 characters printed on the receipt.")
    copy = serializers.CharField(source="copy.reference")
    copy_label = serializers.CharField(source="copy.label", help_text="e.g. copy 2 of 5.")
    short_title = serializers.CharField(source="copy.document.short_title")
    marking = serializers.SerializerMethodField(help_text=MARKING_HELP)

    def get_marking(self, found: Any) -> str:
        return str(found.copy.document.marking.banner())
