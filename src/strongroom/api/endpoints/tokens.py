"""Exchanging a username and password for an API token, and giving the token up."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

from strongroom.api.endpoints.base import Endpoint
from strongroom.api.schema import errors
from strongroom.api.serializers.base import read
from strongroom.api.serializers.tokens import Credentials, TokenOut
from strongroom.api.tokens import issue_token, withdraw_token
from strongroom.models import Person

TAGS = ["tokens"]


class BadCredentials(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid_credentials"
    # One message for every failure, so the answer does not tell which usernames exist.
    default_detail = (
        "Wrong username or password, or the account may not sign in; check both and try again."
    )


class SignInThrottle(SimpleRateThrottle):
    """Slows password guessing: a few attempts a minute per address and username."""

    scope = "sign_in"
    rate = "10/min"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        data = request.data
        username = data.get("username") if isinstance(data, Mapping) else None
        ident = f"{self.get_ident(request)}:{str(username or '').strip().lower()}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class Tokens(Endpoint):
    def get_authenticators(self) -> list[BaseAuthentication]:
        # Asking for a token needs no credentials but the ones in the body; a stale token or
        # session sent along must not be able to fail the request.
        # (Schema generation asks before there is a request.)
        request = getattr(self, "request", None)
        if request is not None and request.method == "POST":
            return []
        return super().get_authenticators()

    def get_permissions(self) -> list[BasePermission]:
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    def get_throttles(self) -> list[BaseThrottle]:
        return [SignInThrottle()] if self.request.method == "POST" else []

    @extend_schema(
        operation_id="tokens_create",
        tags=TAGS,
        summary="Get an API token",
        description="Exchange a username and password for the person's token (the same token "
        "until it is withdrawn). Attempts are rate limited.",
        request=Credentials,
        responses={200: TokenOut, **errors(400, 429, signed_in=False)},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        data = read(Credentials, request.data)
        person = authenticate(
            request, username=data["username"].strip().lower(), password=data["password"]
        )
        if not isinstance(person, Person):
            raise BadCredentials()
        return Response(TokenOut({"token": issue_token(person)}).data)

    @extend_schema(
        operation_id="tokens_withdraw",
        tags=TAGS,
        summary="Withdraw your API token",
        description="Programs using it must ask for a new one.",
        responses={204: OpenApiResponse(description="Withdrawn."), **errors()},
    )
    def delete(self, request: Request) -> Response:
        withdraw_token(self.actor)
        return Response(status=status.HTTP_204_NO_CONTENT)
