"""Every API error, DRF's own included, leaves in one shape:

    {"error": {"code": "<machine code>", "message": "<what is wrong and how to fix it>",
               "fields": {"<field>": ["..."]}}}

``fields`` appears only when the problem is with particular input fields. A refusal on something
the actor may not see answers exactly like something that does not exist, and every refusal is
in the ledger before the answer leaves.

Messages from the domain, the services and the policy are rendered in the language the request
asks for (Accept-Language); the API's own wording about HTTP and DRF stays English.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

from strongroom.domain.errors import (
    Conflict,
    DomainError,
    IllegalTransition,
    InvalidInput,
    NotFound,
    Unavailable,
    not_found_text,
)
from strongroom.domain.text import Text
from strongroom.models import Person
from strongroom.policy import Denied
from strongroom.services.base import record_refusal

logger = logging.getLogger("strongroom.api")

SIGN_IN_HINT = (
    "send the header 'Authorization: Token <key>' (POST your username and password to "
    "/api/v1/tokens/ for a key), or sign in to the web application first"
)


class HiddenReference(InvalidInput):
    """A name in a request body that answers to something the caller may not see: bad input in
    that field, word for word as for a name that answers to nothing. The refusal is recorded
    when it is answered, against whoever asked."""

    def __init__(self, denied: Denied, field: str) -> None:
        super().__init__(denied.as_not_found().text, field=field)
        self.denied = denied


def error_body(code: str, message: str, fields: Mapping[str, list[str]] | None = None) -> dict:
    body: dict[str, Any] = {"code": code, "message": message}
    if fields:
        body["fields"] = dict(fields)
    return {"error": body}


def translated(text: Text) -> str:
    """A domain or policy sentence (an error, a refusal's reason) in the request's language."""
    return text.render(gettext)


def not_found_message(target_ref: str) -> str:
    """What a lookup says when nothing answers to ``target_ref``; hidden reads as missing."""
    return translated(not_found_text(target_ref))


def flatten_fields(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF nests errors as the input nests; clients get one level keyed by dotted paths."""
    if isinstance(detail, Mapping):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            if key == api_settings.NON_FIELD_ERRORS_KEY:
                name = prefix  # about the object as a whole, so about the field holding it
            else:
                name = f"{prefix}.{key}" if prefix else str(key)
            for field, found in flatten_fields(value, name).items():
                flat.setdefault(field, []).extend(found)
        return flat
    if isinstance(detail, Sequence) and not isinstance(detail, str):
        messages: list[str] = []
        nested: dict[str, list[str]] = {}
        for index, item in enumerate(detail):
            if isinstance(item, Mapping | list):
                if item:
                    nested.update(flatten_fields(item, f"{prefix}.{index}"))
            else:
                messages.append(str(item))
        return ({prefix: messages} if messages else {}) | nested
    return {prefix: [str(detail)]}


def _validation_error(exc: exceptions.ValidationError) -> dict:
    fields = flatten_fields(exc.detail, "")
    # Errors about the body as a whole come back under "".
    general = fields.pop("", [])
    if general and not fields:
        return error_body("invalid_input", " ".join(general))
    parts = [f"{name}: {' '.join(messages)}" for name, messages in fields.items()]
    if len(parts) == 1:
        message = parts[0]
    else:
        message = f"{len(parts)} fields need fixing: " + "; ".join(parts)
    if general:
        message = " ".join(general) + " " + message
    return error_body("invalid_input", message, fields)


def _api_exception(exc: exceptions.APIException, context: Mapping[str, Any]) -> tuple[int, dict]:
    detail = str(exc.detail) if not isinstance(exc.detail, list | dict) else ""
    if isinstance(exc, exceptions.ValidationError):
        return exc.status_code, _validation_error(exc)
    if isinstance(exc, exceptions.NotAuthenticated):
        return exc.status_code, error_body(
            "not_authenticated", f"You are not signed in; {SIGN_IN_HINT}."
        )
    if isinstance(exc, exceptions.AuthenticationFailed):
        return exc.status_code, error_body(
            "authentication_failed",
            f"{detail} Check the Authorization header, or get a new token from POST "
            "/api/v1/tokens/.",
        )
    if isinstance(exc, exceptions.PermissionDenied):
        if detail.startswith("CSRF Failed"):
            return exc.status_code, error_body(
                "csrf_failed",
                f"{detail} With a session, send the X-CSRFToken header carrying the csrftoken "
                "cookie; or authenticate with a token instead.",
            )
        return exc.status_code, error_body("forbidden", detail)
    if isinstance(exc, exceptions.NotFound):
        return exc.status_code, error_body("not_found", detail)
    if isinstance(exc, exceptions.MethodNotAllowed):
        view = context.get("view")
        allowed = ", ".join(
            m for m in getattr(view, "allowed_methods", []) if m not in {"HEAD", "OPTIONS"}
        )
        request = context.get("request")
        method = request.method if request is not None else "This method"
        return exc.status_code, error_body(
            "method_not_allowed",
            f"{method} is not allowed here; use {allowed or 'another address'}.",
        )
    if isinstance(exc, exceptions.ParseError):
        return exc.status_code, error_body(
            "parse_error", f"The request body could not be read ({detail}); send valid JSON."
        )
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return exc.status_code, error_body(
            "unsupported_media_type",
            f"{detail} Send the body as JSON with 'Content-Type: application/json'.",
        )
    if isinstance(exc, exceptions.NotAcceptable):
        return exc.status_code, error_body(
            "not_acceptable", "This API answers only in JSON; accept application/json."
        )
    if isinstance(exc, exceptions.Throttled):
        seconds = getattr(exc, "wait", None)
        wait = f"{seconds} seconds" if seconds is not None else "a while"
        return exc.status_code, error_body(
            "throttled", f"Too many requests; wait {wait} and try again."
        )
    codes = exc.get_codes()
    return exc.status_code, error_body(codes if isinstance(codes, str) else "error", detail)


def _domain_error(exc: DomainError) -> tuple[int, dict]:
    message = translated(exc.text)
    if isinstance(exc, NotFound):
        return 404, error_body("not_found", message)
    if isinstance(exc, InvalidInput):
        fields = {exc.field: [message]} if exc.field else None
        return 400, error_body(exc.code, message, fields)
    if isinstance(exc, Conflict | IllegalTransition):
        return 409, error_body(exc.code, message)
    if isinstance(exc, Unavailable):
        return 503, error_body(exc.code, message)
    return 400, error_body(exc.code, message)


def _denied(exc: Denied, request: Request | None) -> tuple[int, dict]:
    user = getattr(request, "user", None)
    if isinstance(user, Person):
        # Queries refuse without writing; services have written already (recorded is True).
        record_refusal(user, exc)
    if not exc.decision.visible:
        return 404, error_body("not_found", not_found_message(exc.target_ref))
    # The ledger has the English reason already; the person reads it in their own language.
    return 403, error_body(
        "forbidden", gettext("Refused: %(reason)s.") % {"reason": translated(exc.text)}
    )


def exception_handler(exc: Exception, context: Mapping[str, Any]) -> Response:
    """DRF's EXCEPTION_HANDLER: the one place an exception becomes an HTTP answer."""
    headers: dict[str, str] = {}
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(
            "Nothing answers at this address; the API is listed at /api/schema/."
        )
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or "You may not do this.")

    if isinstance(exc, HiddenReference):
        _denied(exc.denied, context.get("request"))
    if isinstance(exc, Denied):
        status, body = _denied(exc, context.get("request"))
    elif isinstance(exc, DomainError):
        status, body = _domain_error(exc)
    elif isinstance(exc, exceptions.APIException):
        status, body = _api_exception(exc, context)
        # DRF keeps these on the exception; its own handler would have sent them too.
        if challenge := getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = str(challenge)
        if (wait := getattr(exc, "wait", None)) is not None:
            headers["Retry-After"] = str(wait)
    else:
        # A bug, not bad input: log it in full, answer in the same shape without internals.
        logger.error("unhandled error in the API", exc_info=exc)
        status, body = (
            500,
            error_body(
                "server_error",
                "Something went wrong on the server and it has been logged; try again later, and "
                "report it if it keeps happening.",
            ),
        )
    set_rollback()
    return Response(body, status=status, headers=headers)
