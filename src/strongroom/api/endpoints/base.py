"""What every endpoint shares."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import transaction
from django.urls import Resolver404, resolve
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.generics import GenericAPIView
from rest_framework.metadata import SimpleMetadata
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from strongroom.adapters import clock
from strongroom.domain.errors import InvalidInput, NotFound
from strongroom.domain.text import gettext_noop
from strongroom.ledger.record import lock_writers
from strongroom.models import IdempotentRequest, Person
from strongroom.policy import Denied
from strongroom.services import idempotency
from strongroom.services.base import record_refusal

T = TypeVar("T")


class Pages(LimitOffsetPagination):
    """``limit`` and ``offset`` as DRF reads them, but bounded: an enormous number is not a
    reason to fail in the database, and nobody needs more than a few hundred rows at once."""

    max_limit = 500
    max_offset = 2**31 - 1

    def get_offset(self, request: Request) -> int:
        return min(super().get_offset(request), self.max_offset)


class Metadata(SimpleMetadata):
    """OPTIONS answers name, description and media types. DRF would also describe the body by
    asking for ``serializer_class``, which these endpoints do not have; /api/schema/ does that."""

    def determine_metadata(self, request: Request, view: Any) -> dict[str, Any]:
        return {
            "name": view.get_view_name(),
            "description": view.get_view_description(),
            "renders": [renderer.media_type for renderer in view.renderer_classes],
            "parses": [parser.media_type for parser in view.parser_classes],
            "schema": "/api/schema/",
        }


IDEMPOTENCY_HEADER = "Idempotency-Key"
_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_KEY = re.compile(r"[\x21-\x7e]{1,200}")  # printable ASCII without spaces, as in HTTP tokens


class _Replay(Exception):
    """A retried request: answer what was answered the first time."""

    def __init__(self, record: IdempotentRequest) -> None:
        super().__init__(record.key)
        self.record = record


class Endpoint(GenericAPIView):
    """JSON in, JSON out, for a signed-in person.

    Token authentication comes first so that a request without credentials is answered 401
    with ``WWW-Authenticate: Token`` (DRF turns it into 403 when the first scheme is the
    session, which has no challenge to offer).
    """

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]
    renderer_classes = [JSONRenderer]
    pagination_class = Pages
    metadata_class = Metadata

    # -- Idempotency-Key: a retried write is answered from memory, never applied twice ---------

    def _idempotency_key(self, request: Any) -> str | None:
        if request.method not in _WRITES:
            return None
        key = request.headers.get(IDEMPOTENCY_HEADER)
        return None if key is None else str(key)

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if self._idempotency_key(request) is None:
            return super().dispatch(request, *args, **kwargs)
        # One transaction for the whole request, writers serialised from the start: the change
        # and the remembered answer commit together, and a concurrent retry waits for both.
        with transaction.atomic():
            lock_writers()
            return super().dispatch(request, *args, **kwargs)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        key = self._idempotency_key(request)
        self._remember: tuple[str, str] | None = None
        if key is None:
            return
        if not _KEY.fullmatch(key):
            raise InvalidInput(
                gettext_noop(
                    "The Idempotency-Key header must be 1 to 200 visible ASCII characters "
                    "without spaces, e.g. a UUID."
                ),
                field=IDEMPOTENCY_HEADER,
            )
        body = request._request.body  # read before DRF parses it; Django keeps a copy
        fingerprint = hashlib.sha256(
            b"\0".join([str(request.method).encode(), request.path.encode(), body])
        ).hexdigest()
        found = idempotency.recall(self.actor, key)
        if found is None:
            self._remember = (key, fingerprint)
            return
        if found.fingerprint != fingerprint:
            raise InvalidInput(
                gettext_noop(
                    "This Idempotency-Key was already used for a different request; send a new "
                    "key with each new request, and the same key only to retry the same request."
                ),
                field=IDEMPOTENCY_HEADER,
            )
        raise _Replay(found)

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, _Replay):
            replayed = Response(
                json.loads(bytes(exc.record.body)) if exc.record.body else None,
                status=exc.record.status,
            )
            replayed["Idempotent-Replayed"] = "true"
            return replayed
        return super().handle_exception(exc)

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        remember = getattr(self, "_remember", None)
        if remember is not None and isinstance(response, Response) and response.status_code < 500:
            key, fingerprint = remember
            idempotency.remember(
                self.actor,
                key,
                fingerprint=fingerprint,
                status=response.status_code,
                body=json.dumps(response.data).encode() if response.data is not None else b"",
                at=clock.now(),
            )
            self._remember = None
        return response

    @property
    def actor(self) -> Person:
        user = self.request.user
        if not isinstance(user, Person):  # IsAuthenticated has already let only people in
            raise exceptions.NotAuthenticated()
        return user

    def page(self, items: Any, serializer: Callable[..., Any], **context: Any) -> Response:
        """One page of ``items`` (``limit`` and ``offset`` in the query string) as a response."""
        page = self.paginate_queryset(items)
        assert page is not None  # a pagination class is always configured for endpoints
        data = serializer(page, many=True, context={"request": self.request, **context}).data
        return self.get_paginated_response(data)


def referenced(field: str, lookup: Callable[[], T], *, actor: Person) -> T:
    """What a name in the request body refers to. A name that resolves to nothing is bad input
    in that field (400), not a missing resource (404): the address itself was found. A name of
    something the caller may not see reads exactly the same (and the attempt is recorded)."""
    try:
        return lookup()
    except NotFound as error:
        raise InvalidInput(error.text, field=field) from None
    except Denied as denied:
        if denied.decision.visible:
            raise
        # Hidden reads exactly like missing; the attempt is still recorded.
        record_refusal(actor, denied)
        raise InvalidInput(denied.as_not_found().text, field=field) from None


@extend_schema(exclude=True)  # documents no operation
class Fallback(GenericAPIView):
    """Whatever under /api/ matches no endpoint: a 404 in the API's error shape, not HTML."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # Before DRF looks for a handler, so every method, OPTIONS included, gets the 404.
        path = request.path
        if not path.endswith("/"):
            try:
                match = resolve(path + "/")
            except Resolver404:
                match = None
            if match is not None and getattr(match.func, "view_class", None) is not Fallback:
                raise exceptions.NotFound(
                    f"Nothing answers at {path}; did you mean {path}/ with a slash at the end?"
                )
        raise exceptions.NotFound(
            f"Nothing answers at {path}; the API's addresses are listed at /api/schema/."
        )
