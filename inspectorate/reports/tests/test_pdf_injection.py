"""Finding 2 of the penetration test (issue 15): a report's text reaches the PDF only as
text. Every text field of an IRP report holds markup, CSS and template payloads aimed at
server files and internal addresses; the PDF must carry no attachment, nothing fetched, and
the payloads as the words they are. Read back with pypdf, an independent reader."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from pypdf import PdfReader

from inspectorate.inspections.models import Concern, FollowUp, PositivePractice
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.inspectors.models import Inspector
from inspectorate.lib import safe_fetch
from inspectorate.reports import pdf
from inspectorate.reports.tests import document_helpers as dh


class Listener:
    """A throwaway web server on loopback that records every request it receives."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                listener.paths.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "text/css")
                self.end_headers()
                self.wfile.write(b"body { background: red; }")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/{name}"


@pytest.fixture
def listener() -> Iterator[Listener]:
    found = Listener()
    found.thread.start()
    yield found
    found.server.shutdown()
    found.server.server_close()


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    yield from h.frozen_today()


def payloads(listener: Listener) -> list[str]:
    return [
        "</style><link rel=attachment href=file:///etc/passwd>",
        "<img src=file:///proc/self/environ>",
        f"<link rel=stylesheet href={listener.url('link.css')}>",
        "@import url(file:///etc/passwd);",
        f"@import url({listener.url('import.css')});",
        "url(http://169.254.169.254/latest/meta-data/)",
        f"<object data={listener.url('object')}></object>",
        f"<iframe src={listener.url('iframe')}></iframe>",
        f"<svg><image href={listener.url('svg-image')} /></svg>",
        f"<a rel=attachment href={listener.url('anchor')}>x</a>",
        "{{ 7*7 }}",
        "{% debug %}",
    ]


def hostile(listener: Listener, field: str, limit: int = 10_000) -> str:
    """All the payloads in one value, led by the field's name so each can be found."""
    return f"[{field}] " + " ".join(payloads(listener))[: limit - len(field) - 3]


def _fill_every_text_field(irp: dh.Irp, listener: Listener) -> None:
    report, review = irp.report, irp.review
    establishment = review.establishment
    # The establishment's name closes the <style> block today, so it carries the
    # attachment and stylesheet payloads first (200 characters is its limit).
    establishment.name = (
        "</style><link rel=attachment href=file:///etc/passwd>"
        f"<link rel=stylesheet href={listener.url('name.css')}><style>"
    )
    establishment.save()
    for recommendation in irp.recommendations:
        recommendation.text = hostile(listener, "recommendation")
        recommendation.save()
    Concern.objects.filter(event=irp.full).update(text=hostile(listener, "concern"))
    FollowUp.objects.filter(event=review).update(narrative=hostile(listener, "narrative"))
    FollowUp.objects.filter(event=review, kind="theme").update(
        theme=hostile(listener, "theme", 300)
    )
    PositivePractice.objects.filter(event=review).update(text=hostile(listener, "practice"))
    team = Inspector.objects.filter(team_places__event=review)
    team.update(name=hostile(listener, "inspector", 200))
    report.summary = hostile(listener, "summary")
    report.save()
    # PostgreSQL stores no NUL byte; the document is built from the instance, so an
    # unsaved one still reaches the renderer.
    report.summary += "\x00 NUL \x00"


def _annotations(reader: PdfReader) -> list[str]:
    subtypes = []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            subtypes.append(str(annotation.get_object().get("/Subtype")))
    return subtypes


@pytest.mark.django_db
@pytest.mark.rule("SEC-2")
def test_payloads_in_every_text_field_reach_the_pdf_as_text_and_nothing_is_fetched(
    listener: Listener, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    # As in settings_production: DEBUG off, static files collected to STATIC_ROOT.
    settings.DEBUG = False
    settings.STATIC_ROOT = settings.BASE_DIR / "staticfiles"
    irp = dh.irp_with_judgements()
    _fill_every_text_field(irp, listener)
    fetchers: list[safe_fetch.StaticFetcher] = []

    real_fetcher = pdf.font_fetcher

    def recording_fetcher() -> safe_fetch.StaticFetcher:
        fetchers.append(real_fetcher())
        return fetchers[-1]

    monkeypatch.setattr(pdf, "font_fetcher", recording_fetcher)

    content, _ = pdf.render_pdf(irp.report)

    reader = PdfReader(io.BytesIO(content))
    root: Any = reader.trailer["/Root"]
    assert reader.attachments == {}
    assert "/EmbeddedFiles" not in (root.get("/Names") or {})
    assert "/FileAttachment" not in _annotations(reader)
    assert b"root:x:0:0" not in content
    assert listener.paths == []
    # The renderer asked the project's fetcher for nothing a payload names.
    asked = [url for fetcher in fetchers for url in fetcher.asked]
    assert fetchers, "render_pdf must use pdf.font_fetcher"
    assert not [u for u in asked if "passwd" in u or "environ" in u or str(listener.port) in u]
    # It read the shipped fonts, and only them.
    assert asked
    assert all(u.startswith(pdf.FONT_DIR.as_uri() + "/") for u in asked)
    words = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    for field in ("summary", "recommendation", "narrative", "theme", "practice", "inspector"):
        assert f"[{field}] </style><link rel=attachment href=file:///etc/passwd>" in words
    assert "{{ 7*7 }}" in words
    assert "{% debug %}" in words
    assert "@import url(file:///etc/passwd);" in words
    assert "</style><link rel=attachment href=file:///etc/passwd><link rel=stylesheet" in words
