"""Renderers of the API beyond JSON."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer

from inspectorate.lib.http_headers import policy_header


class FileRenderer(BaseRenderer):
    """Lets a client ask for the file (Accept: text/csv, or the spreadsheet's type): the
    view answers the file itself; an error is still the one JSON error shape."""

    media_type = "*/*"
    format = "file"

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        return data if isinstance(data, bytes) else json.dumps(data).encode()


class BrowsableRenderer(BrowsableAPIRenderer):
    """DRF's page carries a <style> of its own (code highlighting) and style attributes, so
    its answers allow inline styles, and nothing else more than the service's policy:
    scripts stay 'self' only. The JSON answers and every other page keep the strict policy."""

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> Any:
        response = (renderer_context or {}).get("response")
        if response is not None:
            policy = dict(settings.CONTENT_SECURITY_POLICY)
            policy["style-src"] = [*policy["style-src"], "'unsafe-inline'"]
            response["Content-Security-Policy"] = policy_header(policy)
        return super().render(data, accepted_media_type, renderer_context)
