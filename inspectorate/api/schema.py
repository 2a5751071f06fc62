"""What the OpenAPI schema says beyond what drf-spectacular infers from the views.

Two postprocessing hooks declare, on every operation, the errors it can answer, all in the
one shape `api/errors.py` returns, and the `ETag` a record's answer carries. The schema is
generated once per process and kept (rendered as JSON and YAML once too): generating it
walks every view and serializer, which took over a second a request.
"""

from __future__ import annotations

import functools
from typing import Any, cast

from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from rest_framework.throttling import BaseThrottle

from inspectorate.api.errors import PreconditionFailed, PreconditionRequired

ERROR = "Error"
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Every error the API answers, whatever its status.",
    "properties": {
        "errors": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "properties": {
                    "field": {
                        "type": "string",
                        "nullable": True,
                        "description": "The input at fault (dotted for a nested one, such as "
                        "members.0.inspector); null for the request as a whole.",
                    },
                    "message": {"type": "string", "description": "For a person to read."},
                    "code": {
                        "type": "string",
                        "description": "For a program: invalid, required, not_found, "
                        "permission_denied, not_authenticated, stale, precondition_required, "
                        "override_needed, idempotency_key_reused, throttled, …",
                    },
                },
                "required": ["field", "message", "code"],
            },
        }
    },
    "required": ["errors"],
    "example": {
        "errors": [
            {
                "field": "starts_on",
                "message": "Enter a date in the programme year.",
                "code": "invalid",
            }
        ]
    },
}

WHY = {
    "400": "The request is not valid: each error names the field and the problem. Nothing "
    "was changed.",
    "401": "No credentials, or a token that is unknown, revoked or expired.",
    "403": "Signed in, but not allowed to do this (or the token's scope does not cover it).",
    "404": "No such record, or not one you may see (the same answer for both).",
    "412": str(PreconditionFailed.default_detail),
    "422": "This Idempotency-Key was already used for a different request: nothing was done.",
    "428": str(PreconditionRequired.default_detail),
    "429": "Too many requests: try again later (Retry-After says when).",
}
WRITES = ("post", "put", "patch", "delete")
METHODS = ("get", *WRITES)
ETAG_HEADER: dict[str, Any] = {
    "description": 'The record\'s version, to send back as If-Match on a change: "3".',
    "schema": {"type": "string", "example": '"3"'},
}
RETRY_AFTER: dict[str, Any] = {
    "description": "Seconds to wait before trying again.",
    "schema": {"type": "integer"},
}


def _error_response(status: str) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "description": WHY[status],
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR}"}}},
    }
    if status == "429":
        answer["headers"] = {"Retry-After": RETRY_AFTER}
    return answer


def _header_names(operation: dict[str, Any]) -> set[str]:
    return {p["name"] for p in operation.get("parameters", []) if p.get("in") == "header"}


def _has_query(operation: dict[str, Any]) -> bool:
    return any(p.get("in") == "query" for p in operation.get("parameters", []))


def errors_of(path: str, method: str, operation: dict[str, Any], throttled: bool) -> list[str]:
    """The error statuses an operation can answer, by what it takes."""
    statuses = ["401", "403"]
    if method in WRITES or _has_query(operation):
        statuses.append("400")
    if "{" in path:
        statuses.append("404")
    headers = _header_names(operation)
    if "If-Match" in headers:
        statuses += ["412", "428"]
    if "Idempotency-Key" in headers:
        statuses.append("422")
    if throttled:
        statuses.append("429")
    return sorted(statuses)


def _throttled_operations(generator: SchemaGenerator | None) -> set[tuple[str, str]]:
    """(path, method) of each operation with a rate limit (DRF answers 429 past it)."""
    found: set[tuple[str, str]] = set()
    if generator is None or generator.endpoints is None:
        return found
    # drf-spectacular's endpoints carry the path regex too: four items, not DRF's three.
    endpoints = cast("list[tuple[str, str, str, Any]]", generator.endpoints)
    for path, _regex, method, callback in endpoints:
        view = generator.create_view(callback, method)
        throttles: list[BaseThrottle] = list(view.get_throttles())
        if throttles:
            found.add((generator.coerce_path(path, method, view), method.lower()))
    return found


def document_errors(
    result: dict[str, Any], generator: SchemaGenerator | None = None, **kwargs: Any
) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: every operation's error answers, one schema."""
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR] = ERROR_SCHEMA
    throttled = _throttled_operations(generator)
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for status in errors_of(path, method, operation, (path, method) in throttled):
                responses.setdefault(status, _error_response(status))
    return result


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref", "")
    return components.get(ref.rsplit("/", 1)[-1], {}) if ref else schema


def _carries_version(response: dict[str, Any], components: dict[str, Any]) -> bool:
    content = response.get("content", {}).get("application/json", {})
    schema = _resolve(content.get("schema", {}), components)
    return "version" in schema.get("properties", {})


def document_etags(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: a record's answer (a schema with a version) and
    every answer to a write sent with If-Match carry the ETag to send back next time."""
    components = result.get("components", {}).get("schemas", {})
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            takes_version = "If-Match" in _header_names(operation)
            for status, response in operation.get("responses", {}).items():
                if not status.startswith("2") or status == "204":
                    continue
                if takes_version or _carries_version(response, components):
                    response.setdefault("headers", {})["ETag"] = ETAG_HEADER
    return result


@functools.cache
def schema_document() -> dict[str, Any]:
    """The public schema, generated once per process (it changes only with the code)."""
    return SchemaGenerator().get_schema(request=None, public=True)


@functools.cache
def rendered_schema(format_: str) -> tuple[bytes, str]:
    """The schema as JSON or YAML, with its media type, rendered once."""
    renderer = OpenApiJsonRenderer() if format_ == "json" else OpenApiYamlRenderer()
    return renderer.render(schema_document(), renderer_context={}), renderer.media_type
