"""The PDF as an accessibility checker reads it (PDF/UA-1): its structure tree, read back
with pikepdf, an independent reader. Every figure has alternative text, headings nest
without skipping a level, the language is en-GB, the metadata names the report and its
author properly cased; every font embedded is the one the project ships, so the page count
is the same on every machine; a copyright and Open Government Licence page closes it."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pikepdf
import pytest
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]
from pypdf import PdfReader

from inspectorate.inspections import demo_content
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.lib.safe_fetch import FetchRefused
from inspectorate.programme.constants import EventKind
from inspectorate.programme.models import Event
from inspectorate.reports import pdf
from inspectorate.reports.constants import ReportKind
from inspectorate.reports.models import Report
from inspectorate.reports.tests import document_helpers as dh
from inspectorate.shell.demo import demo_load

# The IRP of document_helpers (seven recommendations, four themes) in the shipped fonts.
IRP_PAGES = 14
# The demo's IRP report (bench/reports.py prints it too).
DEMO_IRP_PAGES = 14


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    yield from h.frozen_today()


def elements(node: pikepdf.Object) -> Iterator[pikepdf.Dictionary]:
    """The structure elements under `node`, in reading order (depth first)."""
    kids = node.get("/K")
    children = kids if isinstance(kids, pikepdf.Array) else [kids]
    for kid in children:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from elements(kid)


def heading_level(element: pikepdf.Dictionary) -> int:
    match = re.fullmatch(r"/H([1-6])", str(element.S))
    return int(match.group(1)) if match else 0


def font_names(data: bytes) -> tuple[str, str]:
    """A TrueType font's full name and version (name table IDs 4 and 5)."""
    table = TTFont(io.BytesIO(data))["name"]
    return str(table.getDebugName(4)), str(table.getDebugName(5))


def embedded_fonts(document: pikepdf.Pdf) -> dict[str, bytes]:
    found = {}
    for page in document.pages:
        for font in (page.Resources.get("/Font") or {}).values():
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0] if descendants else font).FontDescriptor
            assert "/FontFile2" in descriptor, f"{font.BaseFont} is not embedded"
            found[str(font.BaseFont)] = descriptor.FontFile2.read_bytes()
    return found


@pytest.mark.django_db
def test_the_irp_pdf_is_tagged_for_pdf_ua_in_the_shipped_fonts() -> None:
    irp = dh.irp_with_judgements()
    content, pages = pdf.render_pdf(irp.report)
    document = pikepdf.open(io.BytesIO(content))
    root = document.Root

    # The page count is that of the shipped fonts, on every machine.
    assert pages == len(document.pages) == IRP_PAGES

    # Tagged, marked, in British English, titled.
    assert "/StructTreeRoot" in root
    assert bool(root.MarkInfo.Marked) is True
    assert str(root.Lang) == "en-GB"
    assert bool(root.ViewerPreferences.DisplayDocTitle) is True
    tree = list(elements(root.StructTreeRoot))

    # Every figure has its text alternative: the chart's data in words.
    figures = [e for e in tree if e.S == "/Figure"]
    assert len(figures) == 2
    for figure in figures:
        assert str(figure.get("/Alt", "")).strip()
    assert str(figures[0].Alt) == (
        "Pie chart of 7 judgements: good progress 1 (14%), reasonable progress 2 (29%), "
        "insufficient progress 3 (43%), no meaningful progress 1 (14%)."
    )
    assert "significant progress 1 (25%)" in str(figures[1].Alt)

    # Headings: one H1 first, then no level skipped, and no heading inside a heading.
    levels = [heading_level(e) for e in tree if heading_level(e)]
    assert levels[0] == 1
    assert levels.count(1) == 1
    assert {2, 3, 4} <= set(levels)
    for before, after in pairwise(levels):
        assert after <= before + 1, f"H{before} is followed by H{after}"
    for heading in (e for e in tree if heading_level(e)):
        assert not [e for e in elements(heading) if heading_level(e)]

    # Metadata: the document information and the XMP packet agree.
    title = "Report on an independent review of progress at HMP Leeds"
    assert str(document.docinfo.Title) == title
    assert str(document.docinfo.Author) == "HM Chief Inspector of Prisons"
    assert str(document.docinfo.Subject) == f"{title}, 5 \u2013 7 October 2026"
    assert "independent review of progress" in str(document.docinfo.Keywords)
    with document.open_metadata() as xmp:
        assert xmp["dc:title"] == title
        assert xmp["dc:creator"] == ["HM Chief Inspector of Prisons"]
        assert xmp["pdfuaid:part"] == "1"

    # Every font embedded is the shipped Liberation Sans, regular and bold, and nothing else.
    shipped = {font_names(path.read_bytes()) for path in Path(pdf.FONT_DIR).glob("*.ttf")}
    embedded = embedded_fonts(document)
    assert {font_names(data) for data in embedded.values()} == shipped
    assert shipped == {
        ("Liberation Sans", "Version 2.1.5"),
        ("Liberation Sans Bold", "Version 2.1.5"),
    }

    # The last page: Crown copyright and the Open Government Licence.
    last = " ".join(PdfReader(io.BytesIO(content)).pages[-1].extract_text().split())
    assert last.startswith(
        "\u00a9 Crown copyright 2026 This publication is licensed under the terms"
    )
    assert "Open Government Licence v3.0" in last
    assert "The National Archives, Kew, London TW9 4DU" in last
    assert "Printed and published by: HM Inspectorate of Prisons 3rd floor" in last


def test_the_renderer_reads_only_the_shipped_fonts() -> None:
    fetcher = pdf.font_fetcher()
    font = (Path(pdf.FONT_DIR) / "LiberationSans-Regular.ttf").as_uri()
    assert fetcher.fetch(font).read().startswith(b"\x00\x01\x00\x00")  # a TrueType file
    stylesheet = (Path(pdf.STYLESHEET)).as_uri()
    for refused in (
        "file:///etc/passwd",
        "file:///proc/self/environ",
        stylesheet,  # a project file outside the font directory
        Path(pdf.FONT_DIR).as_uri() + "/../pdf.py",
        Path(pdf.FONT_DIR).as_uri() + "/missing.ttf",
        "http://127.0.0.1:8000/static/fonts/x.ttf",
        "data:text/plain,secret",
    ):
        with pytest.raises(FetchRefused):
            fetcher.fetch(refused)
    assert len(fetcher.refused) == 7


@pytest.mark.django_db
def test_the_demo_irp_pdf_has_its_pages_on_every_machine() -> None:
    """The demo's published IRP report, as bench/reports.py renders it."""
    demo_load()
    review = Event.objects.get(
        establishment__code=demo_content.ESTABLISHMENT_CODE,
        kind=EventKind.IRP,
        starts_on=demo_content.IRP_STARTS_ON,
    )
    report = Report.objects.get(event=review, kind=ReportKind.IRP_REPORT)
    _, pages = pdf.render_pdf(report)
    assert pages == DEMO_IRP_PAGES
