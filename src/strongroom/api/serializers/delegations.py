"""Delegations in and out of the API."""

from __future__ import annotations

from rest_framework import serializers

from strongroom.api.serializers.base import MAX_VERSION, Input
from strongroom.models import Delegation
from strongroom.policy.facts import Duty


class Grant(Input):
    delegate = serializers.CharField(help_text="Username of the person who will act for you.")
    duty = serializers.ChoiceField(
        choices=[d.value for d in Duty],
        help_text="register (incoming documents) or handle_copies (issue and take back).",
    )
    level = serializers.CharField(help_text="The highest marking level it covers, e.g. SECRET.")
    ends_on = serializers.DateField(help_text="The last day it is in force.")
    reason = serializers.CharField(max_length=500, help_text="Why; it goes on record.")
    starts_on = serializers.DateField(required=False, help_text="The first day (default today).")


class Revoke(Input):
    reason = serializers.CharField(max_length=500, help_text="Why it ends early.")
    expected_version = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_VERSION,
        help_text="The delegation's version as you last read it; 409 if it changed since.",
    )  # fmt: skip


class DelegationOut(serializers.Serializer):
    number = serializers.IntegerField(source="pk")
    delegator = serializers.CharField(source="delegator.username", help_text="Accountable.")
    delegate = serializers.CharField(source="delegate.username")
    duty = serializers.CharField()
    unit = serializers.CharField(source="unit.code")
    level = serializers.CharField(source="level_name")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    reason = serializers.CharField()
    granted_at = serializers.DateTimeField()
    revoked_at = serializers.DateTimeField(allow_null=True)
    revoked_by = serializers.SerializerMethodField()
    version = serializers.IntegerField()

    def get_revoked_by(self, delegation: Delegation) -> str | None:
        return delegation.revoked_by.username if delegation.revoked_by else None
