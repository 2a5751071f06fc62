"""From a file to the lines of a published report, page by page, with what is not body text
taken out: running headers, page numbers (wherever the PDF's text order puts them, even in
the middle of a paragraph) and footnotes. No database, no Django."""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


class NotAReport(Exception):
    """The file is not a published HMI Prisons report the importer can read."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Line:
    page: int
    line: int
    text: str


MAX_DOCX_PARTS = 2_000
MAX_DOCX_UNPACKED_BYTES = 100 * 1024 * 1024
PAGE_NUMBER = re.compile(r"^(?:page\s+)?(\d{1,3})(?:\s+of\s+\d{1,3})?$", re.IGNORECASE)
FOOTNOTE = re.compile(r"^(\d{1,2})\.?\s+(\S.*)$")
# A footnote call: a digit run stuck to the end of a word or its punctuation ("HMPPS1",
# "altogether.2").
FOOTNOTE_CALL = r"(?<=[A-Za-z\)\.,;:\u2019'\"])({n})(?=[\s\.,;:]|$)"
SPACES = re.compile(r"[ \t\u00a0\u2009\u202f]+")


def pages_of(data: bytes, filename: str) -> list[list[str]]:
    """The raw text lines of each page: PDF pages, Word pages between explicit page breaks,
    text pages between form feeds."""
    if data.startswith(b"%PDF"):
        return _pdf_pages(data)
    if data.startswith(b"PK"):
        return _docx_pages(data, filename)
    if filename.lower().endswith((".pdf", ".docx")):
        raise NotAReport(
            f"{filename} is not a readable {filename.rsplit('.', 1)[-1].upper()} file."
        )
    return _text_pages(data, filename)


def _pdf_pages(data: bytes) -> list[list[str]]:
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        raise NotAReport(f"The PDF could not be read: {str(error).rstrip('.')}.") from error
    try:
        texts = [_page_text(page) for page in document]
    finally:
        document.close()
    if not any(text.strip() for text in texts):
        raise NotAReport("The PDF has no text to read (it may be a scan without a text layer).")
    return [text.splitlines() for text in texts]


def _page_text(page: Any) -> str:
    text_page = page.get_textpage()
    try:
        return str(text_page.get_text_range())
    finally:
        text_page.close()
        page.close()


def _docx_pages(data: bytes, filename: str) -> list[list[str]]:
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    _check_package(data, filename)
    try:
        document = Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise NotAReport(f"{filename} is not a Word document that can be read.") from error
    except Exception as error:  # python-docx raises many kinds for a malformed package
        raise NotAReport(f"{filename} is not a Word document that can be read.") from error
    pages: list[list[str]] = [[]]
    for paragraph in document.paragraphs:
        element = paragraph._p
        if paragraph.text.strip():
            pages[-1].append(paragraph.text)
        breaks = element.xpath('.//w:br[@w:type="page"]')
        if breaks or paragraph.paragraph_format.page_break_before:
            pages.append([])
    return [page for page in pages if page] or [[]]


def _check_package(data: bytes, filename: str) -> None:
    """Refuse, unread, a zip that unpacks to far more than a report (a zip bomb), has more
    parts than a Word document, or declares XML entities (no Word document does)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            entries = package.infolist()
            if len(entries) > MAX_DOCX_PARTS:
                raise NotAReport(f"{filename} has too many parts to be a Word document.")
            if sum(entry.file_size for entry in entries) > MAX_DOCX_UNPACKED_BYTES:
                raise NotAReport(
                    f"{filename} unpacks to more than "
                    f"{MAX_DOCX_UNPACKED_BYTES // (1024 * 1024)} MB, far more than a report."
                )
            for entry in entries:
                if entry.filename.endswith((".xml", ".rels")):
                    part = package.read(entry)
                    if b"<!DOCTYPE" in part or b"<!ENTITY" in part:
                        raise NotAReport(
                            f"{filename} declares XML entities, which no Word document does."
                        )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as error:
        raise NotAReport(
            f"{filename} is not a Word document that can be read: its zip package is damaged."
        ) from error


def _text_pages(data: bytes, filename: str) -> list[list[str]]:
    if b"\x00" in data[:4096]:
        raise NotAReport(f"{filename} is neither a PDF, a Word document nor text.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return [page.splitlines() for page in text.split("\f") if page.strip()]


def clean(pages: Sequence[Sequence[str]]) -> list[Line]:
    """The body lines of the document, each with its page and its line on that page (counted
    without headers, page numbers and footnotes)."""
    normalised = [[_normalise(line) for line in page] for page in pages]
    normalised = [[line for line in page if line] for page in normalised]
    running = _running_lines(normalised)
    found: list[Line] = []
    for number, page in enumerate(normalised, start=1):
        body = [line for line in page if _shape(line) not in running]
        body = _without_page_number(body, number)
        body = _without_footnotes(body)
        found += [Line(number, index, text) for index, text in enumerate(body, start=1)]
    return found


def _normalise(line: str) -> str:
    line = line.replace("\u00ad", "").replace("\ufb01", "fi").replace("\ufb02", "fl")
    return SPACES.sub(" ", line).strip()


def _shape(line: str) -> str:
    """A line with its digits blurred, so 'Page 3' and 'Page 4' are one running line."""
    return re.sub(r"\d+", "#", line)


def _running_lines(pages: Sequence[Sequence[str]]) -> set[str]:
    """Lines that recur at the top or foot of most pages: running headers and footers. Once
    known they are taken out wherever they are, since a PDF's text order can put them in
    the middle of a paragraph."""
    if len(pages) < 3:
        return set()
    seen = Counter(
        shape for page in pages[1:] for shape in {_shape(line) for line in [*page[:2], *page[-3:]]}
    )
    threshold = max(2, (len(pages) - 1) // 2)
    return {
        shape
        for shape, count in seen.items()
        if count >= threshold and len(shape) < 120 and shape != "#" and not shape.endswith(":")
    }


def _without_page_number(lines: list[str], number: int) -> list[str]:
    """Drop the page's number, where the text order put it; a lone number that is not this
    page's stays only if it is not at the page's edge."""
    kept = []
    for index, line in enumerate(lines):
        match = PAGE_NUMBER.match(line)
        if match and (int(match.group(1)) == number or index in {0, len(lines) - 1}):
            continue
        kept.append(line)
    return kept


def _without_footnotes(lines: list[str]) -> list[str]:
    """Footnotes sit at the foot of the page: from the first line there that starts with a
    number whose call appears earlier on the page. The calls are taken out of the text."""
    for index in range(len(lines) - 1, 0, -1):
        match = FOOTNOTE.match(lines[index])
        if not match:
            continue
        call = re.compile(FOOTNOTE_CALL.format(n=match.group(1)))
        caller = next((i for i in range(index - 1, -1, -1) if call.search(lines[i])), None)
        if caller is None:
            continue
        start = index
        while start - 1 > caller and FOOTNOTE.match(lines[start - 1]):
            start -= 1
        body = lines[:start]
        for number in _footnote_numbers(lines[start:]):
            pattern = re.compile(FOOTNOTE_CALL.format(n=number))
            body = [pattern.sub("", line, count=1) for line in body]
        return body
    return lines


def _footnote_numbers(lines: Sequence[str]) -> list[str]:
    return [match.group(1) for line in lines if (match := FOOTNOTE.match(line))]
