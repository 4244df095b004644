"""The OpenAPI description is valid and documents every operation, its body and its errors."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from openapi_spec_validator import validate
from rest_framework.test import APIClient

from strongroom.api import urls as api_urls


def schema(client: APIClient) -> dict[str, Any]:
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200, response.content
    document: dict[str, Any] = response.json()
    return document


def test_the_schema_is_valid_openapi(anonymous: APIClient, db: None) -> None:
    document = schema(anonymous)
    validate(document)
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "strongroom API"


def test_every_endpoint_is_documented(anonymous: APIClient, db: None) -> None:
    documented = set(schema(anonymous)["paths"])
    routed = {
        "/api/" + str(pattern.pattern).replace("<str:", "{").replace("<int:", "{").replace(">", "}")
        for pattern in api_urls.urlpatterns
        if isinstance(pattern, URLPattern) and pattern.name not in {"schema", "fallback"}
    }
    assert routed == documented
    assert not [p for p in get_resolver().url_patterns if isinstance(p, URLResolver)
                and "api" in str(p.pattern) and p.namespace != "api"]


def test_every_operation_has_an_id_a_body_and_its_errors(anonymous: APIClient, db: None) -> None:
    document = schema(anonymous)
    error_ref = "#/components/schemas/Error"
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            assert operation["operationId"], where
            assert operation["summary"], where
            responses = operation["responses"]
            successes = [code for code in responses if code.startswith("2")]
            assert successes, where
            errors = {code: r for code, r in responses.items() if code[0] in "45"}
            assert errors, where
            for code, response in errors.items():
                schema_ref = response["content"]["application/json"]["schema"]["$ref"]
                assert schema_ref == error_ref, (where, code)
                assert response["description"], (where, code)
            if method in {"post", "put", "patch"} and path != "/api/v1/ledger/verify":
                assert "requestBody" in operation, where
            signed_in = operation.get("security") != [] and "security" in operation
            if signed_in:
                assert "401" in responses, where


def test_the_error_envelope_is_described(anonymous: APIClient, db: None) -> None:
    components = schema(anonymous)["components"]["schemas"]
    assert components["Error"]["required"] == ["error"]
    detail = components["ErrorDetail"]
    assert set(detail["properties"]) == {"code", "message", "fields"}
    assert detail["required"] == ["code", "message"]


def test_lists_are_paginated_and_filters_documented(anonymous: APIClient, db: None) -> None:
    operation = schema(anonymous)["paths"]["/api/v1/documents/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert names == {"q", "level", "state", "unit", "limit", "offset"}
    ok = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert ok == "#/components/schemas/PaginatedDocumentList"
