"""A report as a Word document (python-docx): the same Document as the page and the PDF, in
the house template, for inspectors who edit drafts in Word and for the establishment's
factual-accuracy check (docx_comments.py reads its comments back).

The template is built here at run time from python-docx's blank document rather than kept
as a binary .docx: every style and setting is in this file, reviewed and diffed like code,
and nothing has to be regenerated when it changes. It gives en-GB styles and language
(defaults, theme and core properties), Arial (the face of the published reports; the PDF's
shipped Liberation Sans has its metrics), Heading 1-3 for sections and their headings, a
contents field, a running header (the report and its establishment) and "Page N of M" in
the footer on every page but the title page, captions kept with their figures and tables,
and table header rows that repeat on each page. Sections follow each other without page
breaks; only the title page and the contents have a page to themselves.

Each numbered paragraph shows its number and is wrapped in a bookmark named after it
(`para_3_12` for 3.12), so a comment anchored on it in Word maps back to the paragraph.
The core properties' identifier names the report the file was exported from.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from typing import Any

from docx import Document as WordDocument
from docx.document import Document as WordFile
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph as WordParagraph

from inspectorate.reports import documents, licence
from inspectorate.reports.documents import (
    Block,
    Callout,
    Definitions,
    Document,
    Figure,
    Heading,
    Paragraph,
    Table,
)
from inspectorate.reports.models import Report

LANGUAGE = "en-GB"
FONT = "Arial"
IDENTIFIER_PREFIX = "urn:inspectorate:report:"
BOOKMARK_PREFIX = "para_"
BOOKMARK = re.compile(r"para_(\d+(?:_\d+)+)")
TOC_INSTRUCTION = r'TOC \o "1-3" \h \z \u'
TOC_PLACEHOLDER = "Right-click here and choose Update Field to show the contents."
BLACK = RGBColor(0x0B, 0x0C, 0x0C)
HEADING_SIZES = {"Title": 26, "Heading 1": 18, "Heading 2": 14, "Heading 3": 12}


def identifier(report: Report) -> str:
    """What the core properties call the report a file was exported from."""
    return f"{IDENTIFIER_PREFIX}{report.pk}"


def bookmark_name(number: str) -> str:
    """'3.12' -> 'para_3_12'."""
    return BOOKMARK_PREFIX + number.replace(".", "_")


def number_of_bookmark(name: str) -> str:
    """'para_3_12' -> '3.12'; '' for any other bookmark."""
    match = BOOKMARK.fullmatch(name)
    return match.group(1).replace("_", ".") if match else ""


def reference_text(block: Paragraph) -> str:
    """' (See paragraph 3.4)', resolved by documents.resolve_references as on the page."""
    return f" ({block.reference_text})" if block.reference else ""


def paragraph_text(block: Paragraph) -> str:
    """A paragraph's words as the export writes them, after its number."""
    return block.text + reference_text(block)


# The template --------------------------------------------------------------------------


def _set(parent: Any, tag: str, **attributes: str) -> Any:
    """The child `tag` of an lxml element (made if missing), with `attributes` set."""
    element = parent.find(qn(tag))
    if element is None:
        element = OxmlElement(tag)
        parent.append(element)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), value)
    return element


def _language(word: WordFile) -> None:
    """British English everywhere Word looks: the defaults, every style, the theme."""
    styles = word.styles.element
    for lang in styles.iter(qn("w:lang")):
        lang.set(qn("w:val"), LANGUAGE)
        lang.set(qn("w:eastAsia"), LANGUAGE)
    settings = word.settings.element
    theme = settings.find(qn("w:themeFontLang"))
    if theme is not None:
        theme.set(qn("w:val"), LANGUAGE)
    # Word refreshes the contents and page fields when the file is opened.
    _set(settings, "w:updateFields", val="true")


THEME_FONTS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")


def _fonts(word: WordFile) -> None:
    """Arial in the defaults and every style. A theme font named beside it would win, so
    the theme's are removed."""
    for fonts in word.styles.element.iter(qn("w:rFonts")):
        for name in THEME_FONTS:
            fonts.attrib.pop(qn(f"w:{name}"), None)
        for name in ("ascii", "hAnsi", "cs"):
            fonts.set(qn(f"w:{name}"), FONT)


def _styles(word: WordFile) -> None:
    _fonts(word)
    normal = word.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    rpr = normal.element.get_or_add_rPr()
    _set(rpr, "w:rFonts", ascii=FONT, hAnsi=FONT, cs=FONT, eastAsia=FONT)
    _set(rpr, "w:lang", val=LANGUAGE, eastAsia=LANGUAGE)
    normal.paragraph_format.space_after = Pt(6)
    for name, size in HEADING_SIZES.items():
        style = word.styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = BLACK
        _set(style.element.get_or_add_rPr(), "w:rFonts", ascii=FONT, hAnsi=FONT, cs=FONT)
        style.paragraph_format.keep_with_next = True
        style.paragraph_format.page_break_before = False
        style.paragraph_format.space_before = Pt(12 if name != "Title" else 0)
    for name in ("Subtitle", "Intense Quote"):
        style = word.styles[name]
        style.font.italic = False
        style.font.color.rgb = BLACK
    caption = word.styles["Caption"]
    caption.font.name = FONT
    caption.font.size = Pt(10)
    caption.font.bold = True
    caption.font.italic = False
    caption.font.color.rgb = BLACK
    caption.paragraph_format.keep_with_next = True


def _field(paragraph: WordParagraph, instruction: str, placeholder: str = "") -> None:
    """A complex field (PAGE, NUMPAGES, TOC) in `paragraph`, showing `placeholder` until
    Word updates it."""

    def char(kind: str) -> None:
        run = paragraph.add_run()
        run._r.append(OxmlElement("w:fldChar"))
        run._r[-1].set(qn("w:fldCharType"), kind)

    char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    char("separate")
    paragraph.add_run(placeholder or "1")
    char("end")


def _page_furniture(word: WordFile, document: Document) -> None:
    section = word.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2.5)
    section.left_margin = section.right_margin = Cm(2)
    section.different_first_page_header_footer = True  # the title page has none
    header = section.header.paragraphs[0]
    header.text = document.running_header
    header.style = word.styles["Header"]
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")


def template(document: Document) -> WordFile:
    """The house template, furnished for `document` (its running header)."""
    word = WordDocument()
    _language(word)
    _styles(word)
    _page_furniture(word, document)
    return word


# The blocks ----------------------------------------------------------------------------


def _bookmarked(paragraph: WordParagraph, name: str, bookmark_id: int) -> None:
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(bookmark_id))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(bookmark_id))
    paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, start)
    paragraph._p.append(end)


class Writer:
    """Writes a Document's blocks into a Word file."""

    def __init__(self, word: WordFile) -> None:
        self.word = word
        self.bookmarks = 0

    def paragraph(self, block: Paragraph) -> None:
        paragraph = self.word.add_paragraph()
        if block.number:
            paragraph.paragraph_format.left_indent = Cm(1.2)
            paragraph.paragraph_format.first_line_indent = Cm(-1.2)
            paragraph.add_run(f"{block.number}\t")
        run = paragraph.add_run(block.text)
        run.bold = block.style in {"strong", "lead"}
        if block.reference:
            paragraph.add_run(reference_text(block))
        self._number(paragraph, block.number)

    def _number(self, paragraph: WordParagraph, number: str) -> None:
        """A numbered paragraph's bookmark, by which a Word comment on it is mapped back."""
        if number:
            self.bookmarks += 1
            _bookmarked(paragraph, bookmark_name(number), self.bookmarks)

    def callout(self, block: Callout) -> None:
        paragraph = self.word.add_paragraph(style="Intense Quote")
        if block.number:
            paragraph.add_run(f"{block.number}\t")
        paragraph.add_run(f"{block.label}: ").bold = True
        run = paragraph.add_run(block.text + (f" ({block.reference})" if block.reference else ""))
        run.bold = block.strong
        self._number(paragraph, block.number)

    def table(self, block: Table) -> WordTable:
        caption = self.word.add_paragraph(style="Caption")
        if block.number:
            caption.add_run(f"{block.number}\t")
        caption.add_run(block.caption)
        caption.paragraph_format.keep_with_next = True
        self._number(caption, block.number)
        has_head = any(block.head)
        table = self.word.add_table(rows=0, cols=len(block.head), style="Table Grid")
        rows = [block.head, *block.rows] if has_head else list(block.rows)
        for index, row in enumerate(rows):
            word_row = table.add_row()
            tr_pr = word_row._tr.get_or_add_trPr()
            tr_pr.append(OxmlElement("w:cantSplit"))
            if index == 0 and has_head:
                # A header row repeats at the top of each page the table runs onto.
                tr_pr.append(OxmlElement("w:tblHeader"))
            for cell, text in zip(word_row.cells, row, strict=False):
                cell.text = text
                if index == 0 and has_head:
                    for run in cell.paragraphs[0].runs:
                        run.bold = True
        return table

    def figure(self, block: Figure) -> None:
        title = f"Figure {block.number}: {block.title}"
        caption = self.word.add_paragraph(title, style="Caption")
        caption.paragraph_format.keep_with_next = True
        self.word.add_picture(io.BytesIO(block.png()), width=Cm(14))
        picture = self.word.paragraphs[-1]
        picture.paragraph_format.keep_with_next = True  # with its data table
        # The picture's alternative text: its data in words, and where the table is.
        doc_pr = self.word.inline_shapes[-1]._inline.docPr
        doc_pr.set("title", title)
        doc_pr.set("descr", f"{title}. {block.description()} The data are in the table below.")
        self.table(block.table)

    def definitions(self, block: Definitions) -> None:
        for term, definition in block.items:
            paragraph = self.word.add_paragraph()
            paragraph.add_run(f"{term}: ").bold = True
            paragraph.add_run(definition)

    def block(self, block: Block) -> None:
        if isinstance(block, Paragraph):
            self.paragraph(block)
        elif isinstance(block, Heading):
            self.word.add_heading(block.text, level=min(max(block.level - 1, 1), 3))
        elif isinstance(block, Callout):
            self.callout(block)
        elif isinstance(block, Figure):
            self.figure(block)
        elif isinstance(block, Table):
            self.table(block)
        else:
            self.definitions(block)


def _page_break(word: WordFile) -> None:
    word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _contents(word: WordFile) -> None:
    word.add_paragraph("Contents", style="TOC Heading")
    _field(word.add_paragraph(), TOC_INSTRUCTION, TOC_PLACEHOLDER)


def _copyright(word: WordFile, document: Document, year: int) -> None:
    notice = licence.notice(document, year)
    _page_break(word)
    word.add_paragraph().add_run(notice.copyright).bold = True
    for text in notice.paragraphs:
        word.add_paragraph(text)
    word.add_paragraph().add_run(notice.publisher_heading).bold = True
    address = word.add_paragraph()
    for index, line in enumerate(notice.address):
        if index:
            address.add_run().add_break()
        address.add_run(line)


def _properties(word: WordFile, document: Document, identifier: str, now: datetime) -> None:
    properties = word.core_properties
    properties.title = document.title
    properties.author = "; ".join(licence.authors(document))
    properties.subject = licence.subject(document)
    properties.keywords = ", ".join(licence.keywords(document))
    properties.language = LANGUAGE
    properties.identifier = identifier
    properties.category = document.draft_label or "Published report"
    properties.comments = ""
    properties.last_modified_by = ""
    properties.created = now
    properties.modified = now
    properties.revision = 1


APP_PROPERTIES = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    b"<Application>Inspectorate</Application><Company>HM Inspectorate of Prisons</Company>"
    b"</Properties>"
)


def _package(word: WordFile) -> None:
    """Nothing left of python-docx's own blank document: its thumbnail (a picture of an
    empty page) goes, and the application properties name this service."""
    package = word.part.package
    for key, relationship in list(package.rels.items()):
        if relationship.reltype.endswith("/metadata/thumbnail"):
            del package.rels[key]
        elif relationship.reltype.endswith("/extended-properties"):
            relationship.target_part._blob = APP_PROPERTIES


def write(document: Document, *, identifier: str = "", now: datetime | None = None) -> bytes:
    moment = (now or datetime.now(UTC)).replace(microsecond=0)
    word = template(document)
    _package(word)
    _properties(word, document, identifier, moment)
    if document.draft:
        word.add_paragraph().add_run(
            f"{document.draft_label}. Comments you add in Word to numbered paragraphs can be "
            "uploaded at the factual-accuracy check; changes to the text are not read back."
        ).bold = True
    word.add_paragraph(document.establishment, style="Subtitle")
    word.add_paragraph(document.title, style="Title")
    word.add_paragraph(document.author)
    word.add_paragraph(document.dates)
    _page_break(word)
    _contents(word)
    _page_break(word)
    writer = Writer(word)
    for part in document.sections:
        word.add_heading(f"{part.label}: {part.title}", level=1)
        for block in part.blocks:
            writer.block(block)
    _copyright(word, document, moment.year)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def export(report: Report) -> bytes:
    """The report as a .docx, from the record as it is now."""
    return write(documents.build(report), identifier=identifier(report))
