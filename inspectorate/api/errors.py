"""One shape for every error the API answers:

    {"errors": [{"field": "starts_on", "message": "Start date must be ...", "code": "invalid"}]}

`field` is null for a problem with the request as a whole. A service's ValidationError is
400, PermissionDenied 403, a record missing or not visible 404 (the same answer for both,
so nothing says a confidential record exists: PG-3), a stale If-Match 412 and a missing
one 428.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from inspectorate.lib.overrides import OverrideNeeded

NOT_FOUND = "Not found."


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = (
        "Send If-Match with the version (ETag) of the record you are changing, "
        "as read from its GET."
    )
    default_code = "precondition_required"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = (
        "The record was changed by someone else since you read it: nothing was saved. "
        "Read it again, then try again."
    )
    default_code = "stale"


Error = dict[str, Any]


def error(message: Any, field: str | None = None, code: str = "invalid") -> Error:
    return {"field": field, "message": str(message), "code": code}


def body(errors: Iterable[Error]) -> dict[str, list[Error]]:
    return {"errors": list(errors)}


def _from_detail(detail: Any, field: str | None = None) -> list[Error]:
    """Flatten DRF's nested error detail into fields with dotted names."""
    if isinstance(detail, Mapping):
        found: list[Error] = []
        for key, value in detail.items():
            name = None if key in ("non_field_errors", NON_FIELD_ERRORS) else str(key)
            found += _from_detail(value, f"{field}.{name}" if field and name else name or field)
        return found
    if isinstance(detail, list):
        return [item for value in detail for item in _from_detail(value, field)]
    return [error(detail, field, getattr(detail, "code", None) or "invalid")]


def _from_django(problem: DjangoValidationError) -> list[Error]:
    if hasattr(problem, "error_dict"):
        return [
            error(message, None if name == NON_FIELD_ERRORS else name, item.code or "invalid")
            for name, items in problem.error_dict.items()
            for item in items
            for message in item.messages
        ]
    return [
        error(message, None, item.code or "invalid")
        for item in problem.error_list
        for message in item.messages
    ]


def _answer(
    status_code: int, errors: list[Error], headers: Mapping[str, str] | None = None
) -> Response:
    return Response(body(errors), status=status_code, headers=dict(headers or {}))


def _override_errors(exc: OverrideNeeded[Any]) -> list[Error]:
    """A warning the user may go past (code override_needed), with the service's hint on
    how to go past it."""
    hint = f" {exc.api_hint}" if exc.api_hint else ""
    return [{**found, "message": found["message"] + hint} for found in _from_django(exc)]


def _answered_here(exc: Exception) -> Response | None:
    """The errors the services raise, answered without DRF's handler."""
    if isinstance(exc, OverrideNeeded):
        return _answer(400, _override_errors(exc))
    if isinstance(exc, DjangoValidationError):
        errors = _from_django(exc)
        if any(e["code"] == "stale" for e in errors):  # a StaleVersion
            return _answer(412, errors)
        return _answer(400, errors)
    if isinstance(exc, (Http404, exceptions.NotFound)):
        return _answer(404, [error(NOT_FOUND, None, "not_found")])
    return None


def _drf_errors(exc: Exception, data: Any) -> list[Error]:
    """The errors of an answer DRF's handler made, in the one shape."""
    if isinstance(exc, exceptions.ValidationError):
        return _from_detail(exc.detail)
    if isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        return [error(exc.detail, None, codes if isinstance(codes, str) else exc.default_code)]
    return _from_detail(data)


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's EXCEPTION_HANDLER: every error in the one shape."""
    answered = _answered_here(exc)
    if answered is not None:
        return answered
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    response.data = body(_drf_errors(exc, response.data))
    return response
