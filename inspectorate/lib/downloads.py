"""The response of every file the browser saves rather than shows: exports, Word documents,
report PDFs, subject-access files."""

from __future__ import annotations

from django.http import HttpResponse


def download(filename: str, content: str | bytes, content_type: str) -> HttpResponse:
    """`content` as a file the browser saves as `filename`."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
