"""Alerts out of the API."""

from __future__ import annotations

from rest_framework import serializers


class AlertOut(serializers.Serializer):
    kind = serializers.CharField(help_text="e.g. hand_over_overdue.")
    subject = serializers.CharField(help_text="What it is about, e.g. hand_over:<reference>.")
    responsible = serializers.CharField(source="responsible.username", help_text="Who must act.")
    unit = serializers.CharField(source="unit.code")
    message = serializers.CharField()
    raised_at = serializers.DateTimeField()
    cleared_at = serializers.DateTimeField(allow_null=True)
    cleared_because = serializers.CharField()
