"""The one URL fetcher of every renderer that fetches (WeasyPrint): it serves the files of
the directories it is given (the report PDF's: its fonts) and images given inline as
`data:image/...`, and refuses everything else.

A document's text is written by users; if markup ever slipped through, a renderer with the
default fetcher would read server files (`file:///proc/self/environ`) or internal web
addresses into the PDF. This fetcher makes that impossible whatever the markup says: no
network scheme is ever opened, and a file is served only when its real path (symlinks
resolved) lies inside one of the allowed directories. Every URL asked is recorded, every
refusal logged.
"""

from __future__ import annotations

import base64
import binascii
import logging
import mimetypes
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, unquote_to_bytes, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

LOCAL_HOSTS = frozenset({"", "localhost"})


class FetchRefused(ValueError):
    """A renderer asked for something outside what it may read; the message says why."""


class StaticFetcher(URLFetcher):
    """A WeasyPrint URL fetcher limited to files under `roots` and inline images."""

    def __init__(self, roots: Iterable[Path | str], **kwargs: Any) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False, **kwargs)
        self.roots: tuple[Path, ...] = tuple(Path(root).resolve() for root in roots)
        self.asked: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        self.asked.append(url)
        try:
            return self._serve(url)
        except FetchRefused as refused:
            self.refused.append(url)
            logger.warning("safe_fetch: refused %.200r: %s", url, refused)
            raise

    def _serve(self, url: str) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return _inline_image(url)
        if scheme == "file":
            path = self.allowed_path(url)
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})
        raise FetchRefused(f"the scheme {scheme or '(none)'!r} is never fetched")

    def allowed_path(self, url: str) -> Path:
        """The real file a file: URL names, if it lies inside an allowed directory."""
        parts = urlsplit(url)
        if parts.netloc.lower() not in LOCAL_HOSTS:
            raise FetchRefused("a file on another host is never fetched")
        if ".." in unquote(parts.path).split("/"):
            raise FetchRefused("a path with '..' is never fetched")
        path = Path(url2pathname(parts.path))
        if not path.is_absolute():
            raise FetchRefused("only an absolute file path can be checked")
        real = path.resolve()
        if not any(real.is_relative_to(root) for root in self.roots):
            raise FetchRefused("the file is outside the static files")
        if not real.is_file():
            raise FetchRefused("there is no such static file")
        return real


def _inline_image(url: str) -> URLFetcherResponse:
    header, comma, payload = url[len("data:") :].partition(",")
    if not comma:
        raise FetchRefused("a data: URL without data")
    media_type, *parameters = header.split(";")
    mime = media_type.strip().lower()
    if not mime.startswith("image/"):
        raise FetchRefused(f"inline data of type {mime or 'text/plain'!r} is not an image")
    raw = unquote_to_bytes(payload)
    if "base64" in (p.strip().lower() for p in parameters):
        try:
            raw = base64.b64decode(raw, validate=False)
        except binascii.Error as error:
            raise FetchRefused("the inline image is not valid base64") from error
    return URLFetcherResponse(url, raw, {"Content-Type": mime})
