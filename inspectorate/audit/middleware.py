from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from pghistory.middleware import HistoryMiddleware


class AuditContextMiddleware(HistoryMiddleware):
    """Attach who and which request to every audit event written while serving a request."""

    def get_context(self, request: HttpRequest) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context(request)
        context["method"] = request.method
        context["request_id"] = request.headers.get("X-Request-ID") or uuid.uuid4().hex
        return context
