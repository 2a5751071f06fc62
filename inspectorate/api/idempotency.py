"""`Idempotency-Key` on the API's writes (see inspectorate.lib.idempotency).

A write (POST, PUT, PATCH, DELETE) sent with the header runs once per caller and key: a
repeat of the same request gets the first answer again (status, body, Location and ETag)
with `Idempotent-Replayed: true`; the same key with a different request is refused with 422.
Keys belong to the caller: to the token, or to the user's session.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response

from inspectorate.api.permissions import token_of
from inspectorate.lib import idempotency

KEPT_HEADERS = ("Location", "ETag")
Handler = Callable[..., Response]


class IdempotencyKeyReused(exceptions.ValidationError):
    status_code = 422

    def __init__(self) -> None:
        super().__init__(
            {
                idempotency.HEADER: [
                    f"This {idempotency.HEADER} was already used for a different request: "
                    "nothing was done. Send a new key for a new request."
                ]
            },
            code="idempotency_key_reused",
        )


class IdempotentWrites:
    """Mixed into every API view (through LoginNotRequired): wraps the write's handler once
    the caller is authenticated and allowed, so refused calls never hold a key."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        raw = request.headers.get(idempotency.HEADER)
        method = (request.method or "").lower()
        if raw is None or request.method in SAFE_METHODS or not request.user.is_authenticated:
            return
        try:
            key = idempotency.key_check(raw)
        except idempotency.KeyMalformed as problem:
            raise exceptions.ValidationError({idempotency.HEADER: [str(problem)]}) from None
        handler = getattr(self, method, None)
        if handler is not None:
            setattr(self, method, _once(handler, key))


def _scope(request: Request) -> str:
    token = token_of(request)
    return f"api:token:{token.pk}" if token is not None else "api:session"


def _once(handler: Handler, key: str) -> Handler:
    def run(request: Request, *args: Any, **kwargs: Any) -> Response:
        asked = idempotency.fingerprint(
            method=request.method or "",
            path=request.get_full_path(),
            data=request.data,
            extra=[request.headers.get("If-Match", "")],
        )
        with idempotency.claim(
            user=request.user, scope=_scope(request), key=key, fingerprint=asked
        ) as held:
            if held.conflict:
                raise IdempotencyKeyReused()
            if held.answer is not None:
                answer = held.answer
                return Response(
                    answer.body, status=answer.status, headers=idempotency.replay_headers(answer)
                )
            response = handler(request, *args, **kwargs)
            if 200 <= response.status_code < 300 and _storable(response):
                kept = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
                held.store(idempotency.Answer(response.status_code, kept, response.data))
            return response

    return run


def _storable(response: Response) -> bool:
    data = getattr(response, "data", None)
    return isinstance(response, Response) and (data is None or isinstance(data, (dict, list)))


WRITES = ("post", "put", "patch", "delete")
KEY_PARAMETER = {
    "name": idempotency.HEADER,
    "in": "header",
    "required": False,
    "schema": {
        "type": "string",
        "minLength": 1,
        "maxLength": idempotency.KEY_MAX_LENGTH,
        "pattern": "^[!-~]+$",
    },
    "description": (
        "Any unique string (a UUID): sending the same request again with the same key does "
        "not repeat the write but answers as the first time did, with Idempotent-Replayed: "
        "true. The same key with a different request is refused with 422. Keys are kept "
        "for 24 hours, per token (or per signed-in session)."
    ),
}


def schema_document_key(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: every write takes an optional Idempotency-Key."""
    for item in result.get("paths", {}).values():
        for method in WRITES:
            if method in item:
                item[method].setdefault("parameters", []).append(dict(KEY_PARAMETER))
    return result
