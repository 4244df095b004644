"""Ledger verification."""

from __future__ import annotations

from rest_framework import serializers


class VerifyReport(serializers.Serializer):
    ok = serializers.BooleanField(help_text="True when every entry and the state agree.")
    entries = serializers.IntegerField(help_text="How many entries were checked.")
    problems = serializers.ListField(
        child=serializers.CharField(),
        help_text="The first problems found, each naming the entry or row that disagrees.",
    )
