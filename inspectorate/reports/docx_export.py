"""A report as a Word document (python-docx), for inspectors who edit drafts in Word: the
same Document as the page and the PDF, with headings as Word headings (so Word's navigation
pane and contents work), numbered paragraphs, each figure as a picture with its
description and its data table."""

from __future__ import annotations

import io

from docx import Document as WordDocument
from docx.document import Document as WordFile
from docx.shared import Cm, Pt

from inspectorate.reports import documents
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


def _paragraph(word: WordFile, block: Paragraph) -> None:
    paragraph = word.add_paragraph()
    if block.number:
        paragraph.paragraph_format.left_indent = Cm(1.2)
        paragraph.paragraph_format.first_line_indent = Cm(-1.2)
        paragraph.add_run(f"{block.number}\t")
    run = paragraph.add_run(block.text)
    run.bold = block.style in {"strong", "lead"}
    if block.reference:  # resolved by documents.resolve_references, as on the page
        paragraph.add_run(f" ({block.reference_text})")


def _callout(word: WordFile, block: Callout) -> None:
    paragraph = word.add_paragraph(style="Intense Quote")
    if block.number:
        paragraph.add_run(f"{block.number}\t")
    paragraph.add_run(f"{block.label}: ").bold = True
    run = paragraph.add_run(block.text + (f" ({block.reference})" if block.reference else ""))
    run.bold = block.strong


def _table(word: WordFile, block: Table) -> None:
    caption = word.add_paragraph(style="Caption")
    if block.number:
        caption.add_run(f"{block.number}\t")
    caption.add_run(block.caption).bold = True
    has_head = any(block.head)
    table = word.add_table(rows=0, cols=len(block.head), style="Table Grid")
    rows = [block.head, *block.rows] if has_head else list(block.rows)
    for index, row in enumerate(rows):
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=False):
            cell.text = text
            if index == 0 and has_head:
                for run in cell.paragraphs[0].runs:
                    run.bold = True


def _figure(word: WordFile, block: Figure) -> None:
    title = f"Figure {block.number}: {block.title}"
    word.add_paragraph(style="Caption").add_run(title).bold = True
    word.add_picture(io.BytesIO(block.png()), width=Cm(14))
    # The picture's description (its alternative text) points to the data table after it.
    inline = word.inline_shapes[-1]._inline
    inline.docPr.set("descr", f"{title}. The data are in the table that follows.")
    _table(word, block.table)


def _definitions(word: WordFile, block: Definitions) -> None:
    for term, definition in block.items:
        paragraph = word.add_paragraph()
        paragraph.add_run(f"{term}: ").bold = True
        paragraph.add_run(definition)


def _block(word: WordFile, block: Block) -> None:
    if isinstance(block, Paragraph):
        _paragraph(word, block)
    elif isinstance(block, Heading):
        word.add_heading(block.text, level=block.level - 1)
    elif isinstance(block, Callout):
        _callout(word, block)
    elif isinstance(block, Figure):
        _figure(word, block)
    elif isinstance(block, Table):
        _table(word, block)
    else:
        _definitions(word, block)


def write(document: Document) -> bytes:
    word = WordDocument()
    word.styles["Normal"].font.name = "Arial"
    word.styles["Normal"].font.size = Pt(11)
    properties = word.core_properties
    properties.title = document.title
    properties.author = document.author.removeprefix("by ")
    properties.language = "en-GB"
    if document.draft:
        word.add_paragraph().add_run(
            f"{document.draft_label}. Edits made here are not read back into the record."
        ).bold = True
    word.add_paragraph(document.establishment, style="Subtitle")
    word.add_heading(document.title, level=0)
    word.add_paragraph(document.author)
    word.add_paragraph(document.dates)
    section = word.sections[0]
    section.header.paragraphs[0].text = document.running_header
    for part in document.sections:
        word.add_page_break()
        word.add_heading(f"{part.label}: {part.title}", level=1)
        for block in part.blocks:
            _block(word, block)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def export(report: Report) -> bytes:
    """The report as a .docx, from the record as it is now."""
    return write(documents.build(report))
