"""Renderers of the API beyond JSON."""

from __future__ import annotations

import json
from typing import Any

from rest_framework.renderers import BaseRenderer


class FileRenderer(BaseRenderer):
    """Lets a client ask for the file (Accept: text/csv, or the spreadsheet's type): the
    view answers the file itself; an error is still the one JSON error shape."""

    media_type = "*/*"
    format = "file"

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        return data if isinstance(data, bytes) else json.dumps(data).encode()
