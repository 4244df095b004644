"""OpenAPI pieces shared by every endpoint: the error envelope and the answers that use it."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text="Machine-readable: not_found, forbidden, invalid_input, conflict, "
        "illegal_transition, not_authenticated, ..."
    )
    message = serializers.CharField(help_text="What is wrong and how to put it right.")
    # The serializer metaclass moves declared fields off the class, so the name is free.
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Only for problems with particular input fields: field name (dotted when "
        "nested, e.g. changes.pages) to its messages.",
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


_MEANINGS = {
    400: "The input is not acceptable; `error.fields` names the fields when it is about them.",
    401: "Not signed in, or the token is not valid.",
    403: "Refused; `error.message` gives the reason. The refusal is recorded in the ledger.",
    404: "Nothing answers to that name, or nothing you may see (the two look the same).",
    409: "Someone changed it first (`conflict`: reload and retry) or its custody state does "
    "not allow this (`illegal_transition`).",
    429: "Too many attempts; wait as long as the Retry-After header says.",
    503: "This installation cannot do it now (`unavailable`), e.g. a system library is missing.",
}


def errors(*statuses: int, signed_in: bool = True) -> dict[int, OpenApiResponse]:
    """The error answers of an operation; 401 whenever it needs a signed-in caller."""
    listed = {*statuses, 401} if signed_in else set(statuses)
    return {
        status: OpenApiResponse(ErrorSerializer, description=_MEANINGS[status])
        for status in sorted(listed)
    }


def path(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, str, OpenApiParameter.PATH, description=description)


CONTROL = path("control", "Control number of the document, e.g. HQ-2026-0042.")
NUMBER = OpenApiParameter(
    "number", int, OpenApiParameter.PATH, description="Copy number, from 1."
)
USERNAME = path("username", "Username of the person, e.g. rita.")
UNIT_CODE = path("code", "Code of the unit, e.g. HQ.")


def idempotency_header(result: dict, generator: object, request: object, public: bool) -> dict:
    """drf-spectacular post-processing hook: every write accepts an Idempotency-Key header."""
    header = {
        "in": "header",
        "name": "Idempotency-Key",
        "required": False,
        "schema": {"type": "string", "maxLength": 200},
        "description": "Any unique string (e.g. a UUID) per request. A retry with the same key "
        "and the same request gets the first answer again (with Idempotent-Replayed: true) and "
        "is never applied twice; the same key with a different request is a 400.",
    }
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method in {"post", "put", "patch", "delete"}:
                operation.setdefault("parameters", []).append(header)
    return result
