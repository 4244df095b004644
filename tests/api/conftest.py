"""Clients for the API, signed in as the personas of tests/conftest.py with real tokens."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from strongroom.api.tokens import issue_token


@pytest.fixture(autouse=True)
def _fresh_throttle() -> Iterator[None]:
    # The sign-in throttle counts in the cache, which outlives a test's database.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def anonymous() -> APIClient:
    return APIClient()


@pytest.fixture
def client_for(db: None) -> Callable[[Any], APIClient]:
    """An API client that sends ``person``'s token, as a program using the API would."""

    def make(person: Any) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(person)}")
        return client

    return make


def error_of(response: Any, status: int, code: str) -> dict[str, Any]:
    """Assert the one error shape, with this status and code; return the error object."""
    assert response.status_code == status, (response.status_code, response.content)
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert error["code"] == code, error
    assert isinstance(error["message"], str) and error["message"].strip(), error
    assert set(error) <= {"code", "message", "fields"}, error
    if "fields" in error:
        assert error["fields"], error
        for messages in error["fields"].values():
            assert messages and all(isinstance(m, str) and m for m in messages), error
    return dict(error)
