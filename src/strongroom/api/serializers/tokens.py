"""API tokens."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from strongroom.api.serializers.base import Input


class Credentials(Input):
    username = serializers.CharField(max_length=64)
    password = serializers.CharField(
        max_length=4096, trim_whitespace=False, write_only=True, style={"input_type": "password"}
    )


@extend_schema_serializer(component_name="Token")
class TokenOut(serializers.Serializer):
    token = serializers.CharField(
        help_text="Send it as 'Authorization: Token <token>' with every request."
    )
