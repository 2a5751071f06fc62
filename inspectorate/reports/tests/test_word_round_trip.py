"""The Word export as a report (the house template: en-GB, headings, contents, page
numbers, running header, captions kept with figures, repeating table headers, metadata,
each numbered paragraph bookmarked) and the factual-accuracy check in Word: the governor's
comments in the exported draft come back as comments on the right paragraphs (RP-3), after
review, and a file that is not this report's export is refused with the reason."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from datetime import date

import pytest
from django.urls import reverse
from docx import Document as WordDocument
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from inspectorate.accounts.constants import Role
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.reports import docx_export, word_comments
from inspectorate.reports.constants import ReportStage
from inspectorate.reports.models import FactualAccuracyComment
from inspectorate.reports.tests import document_helpers as dh
from inspectorate.reports.tests.test_pdf import flat, pdf_text

pytestmark = pytest.mark.django_db
PARAGRAPH_NUMBER = re.compile(r"^(\d+\.\d+)\t")


@pytest.fixture(autouse=True)
def _today():
    yield from h.frozen_today()


@pytest.fixture
def irp():
    found = dh.irp_with_judgements(stage=ReportStage.FACTUAL_ACCURACY)
    found.report.factual_accuracy_from = date(2026, 11, 2)
    found.report.factual_accuracy_due_on = date(2026, 11, 30)
    found.report.save()
    return found


@pytest.fixture
def governor(irp):
    return h.user(Role.ESTABLISHMENT_USER, establishment=irp.review.establishment)


def opened(content: bytes):
    return WordDocument(io.BytesIO(content))


def numbered(word) -> dict[str, Paragraph]:
    """The exported paragraphs that carry a paragraph number, by number."""
    found = {}
    for paragraph in word.paragraphs:
        match = PARAGRAPH_NUMBER.match(paragraph.text)
        if match:
            found[match.group(1)] = paragraph
    return found


# The template ----------------------------------------------------------------------------


def test_the_export_is_a_report_in_the_house_template(irp) -> None:
    content = docx_export.export(irp.report)
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        assert package.testzip() is None  # every part's checksum holds
        names = set(package.namelist())
        document_xml = package.read("word/document.xml").decode()
        styles_xml = package.read("word/styles.xml").decode()
        settings_xml = package.read("word/settings.xml").decode()
    assert "docProps/thumbnail.jpeg" not in names
    word = opened(content)

    # British English: defaults, every style and the theme; fields refresh on opening.
    assert 'w:val="en-US"' not in styles_xml
    assert '<w:lang w:val="en-GB"' in styles_xml
    assert '<w:themeFontLang w:val="en-GB"' in settings_xml
    assert '<w:updateFields w:val="true"/>' in settings_xml
    # Arial throughout: no theme font overrides a style's.
    for theme_font in docx_export.THEME_FONTS:
        assert f"w:{theme_font}=" not in styles_xml

    # Metadata: the report, its author properly cased, made now, in en-GB, from this report.
    properties = word.core_properties
    assert properties.title == "Report on an independent review of progress at HMP Leeds"
    assert properties.author == "HM Chief Inspector of Prisons"
    assert properties.language == "en-GB"
    assert properties.identifier == docx_export.identifier(irp.report)
    assert properties.created == properties.modified
    assert properties.created.date() == h.NOON.date()
    assert properties.revision == 1

    # Headings 1-3 only, sections as Heading 1; a contents field; no page break per section.
    styles = {p.style.name for p in word.paragraphs if p.style.name.startswith("Heading")}
    assert styles == {"Heading 1", "Heading 2", "Heading 3"}
    assert document_xml.count(r'TOC \o "1-3" \h \z \u') == 1
    assert document_xml.count('w:type="page"') == 3  # after the title page, contents; licence
    assert not any(p.paragraph_format.page_break_before for p in word.paragraphs)

    # Running header and "Page N of M", not on the title page.
    section = word.sections[0]
    assert section.different_first_page_header_footer
    assert section.header.paragraphs[0].text == "Independent review of progress: HMP Leeds"
    footer = section.footer._element.xml
    assert " PAGE " in footer
    assert " NUMPAGES " in footer

    # Captions stay with their figures; the picture with its data table; headers repeat.
    captions = [p for p in word.paragraphs if p.style.name == "Caption"]
    assert captions
    assert all(p.paragraph_format.keep_with_next for p in captions)
    pictures = [p for p in word.paragraphs if p._p.findall(f".//{qn('w:drawing')}")]
    assert len(pictures) == 2
    assert all(p.paragraph_format.keep_with_next for p in pictures)
    description = word.inline_shapes[0]._inline.docPr.get("descr")
    assert "Pie chart of 7 judgements: good progress 1 (14%)" in description
    for table in word.tables:
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None

    # Every numbered paragraph carries its number, visibly and as a bookmark.
    paragraphs = numbered(word)
    assert "3.1" in paragraphs
    assert "1.1" in paragraphs
    for number, paragraph in paragraphs.items():
        bookmarks = [b.get(qn("w:name")) for b in paragraph._p.iter(qn("w:bookmarkStart"))]
        assert bookmarks == [docx_export.bookmark_name(number)]

    # The copyright and licence close it.
    texts = [p.text for p in word.paragraphs]
    assert "\u00a9 Crown copyright 2026" in texts
    assert any("Open Government Licence v3.0" in t for t in texts)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_export_as_a_paginated_report(irp, tmp_path) -> None:
    """Where LibreOffice is installed: it reads the file and lays it out with the running
    header and 'Page N of M' on every page after the title page."""
    source = tmp_path / "report.docx"
    source.write_bytes(docx_export.export(irp.report))
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    reader, text = pdf_text((tmp_path / "report.pdf").read_bytes())
    pages = len(reader.pages)
    assert pages >= 5
    assert "Page 1 of" not in reader.pages[0].extract_text()
    second = flat(reader.pages[1].extract_text())
    assert "Independent review of progress: HMP Leeds" in second
    assert f"Page 2 of {pages}" in second
    assert "3.1 First finding on recommendation 1." in flat(text)


# The round trip --------------------------------------------------------------------------


def _marked_up(content: bytes) -> bytes:
    """The governor's copy: two comments, one on a few words of 3.1 and one on all of 1.2,
    and one on the title (no paragraph number), as python-docx adds them."""
    word = opened(content)
    paragraphs = numbered(word)
    first = paragraphs["3.1"]
    word.add_comment(first.runs[1], text="This finding is out of date.", author="Governor")
    whole = paragraphs["1.2"]
    word.add_comment(whole.runs, text="Education has improved since.", author="Governor")
    title = next(p for p in word.paragraphs if p.style.name == "Title")
    word.add_comment(title.runs, text="Nice title.", author="Governor")
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _upload(client, irp, content: bytes, name: str = "marked-up.docx"):
    upload = io.BytesIO(content)
    upload.name = name
    return client.post(
        reverse("reports:word-upload", kwargs={"pk": irp.report.pk}),
        {"file": upload, "idempotency_token": f"upload-{name}"},
    )


@pytest.mark.rule("RP-3")
def test_comments_in_the_exported_draft_become_comments_on_their_paragraphs(
    client, irp, governor
) -> None:
    client.force_login(governor)
    exported = client.get(reverse("reports:docx", kwargs={"pk": irp.report.pk}))
    assert exported.status_code == 200
    response = _upload(client, irp, _marked_up(exported.content))

    # The review: paragraph, quoted text, comment; nothing saved yet.
    assert response.status_code == 200
    page = response.content.decode()
    assert "Check the comments from your Word copy" in page
    assert "3.1" in page
    assert "&ldquo;First finding on recommendation 1.&rdquo;" in page
    assert "This finding is out of date." in page
    assert "Education has improved since." in page
    assert "It is not on a numbered paragraph" in page
    assert "Send 2 comments" in page
    assert not FactualAccuracyComment.objects.exists()

    review = re.search(r'name="review" value="([^"]+)"', page)
    assert review is not None
    confirm = reverse("reports:word-confirm", kwargs={"pk": irp.report.pk})
    data = {"review": review.group(1), "idempotency_token": "confirm-once"}
    done = client.post(confirm, data)
    assert done.status_code == 302
    assert done["Location"] == reverse("reports:detail", kwargs={"pk": irp.report.pk})
    again = client.post(confirm, data)  # a double submit writes once
    assert again.status_code == 302

    saved = list(FactualAccuracyComment.objects.filter(report=irp.report).order_by("paragraph"))
    assert [(c.paragraph, c.author, c.organisation) for c in saved] == [
        ("1.2", governor, "HMP Leeds"),
        ("3.1", governor, "HMP Leeds"),
    ]
    assert saved[1].text == (
        "On \u201cFirst finding on recommendation 1.\u201d: This finding is out of date."
    )
    assert saved[0].text.endswith(": Education has improved since.")


@pytest.mark.rule("RP-3")
def test_a_review_is_for_its_uploader_and_report_only(client, irp, governor) -> None:
    found = word_comments.read_upload(_marked_up(docx_export.export(irp.report)), irp.report)
    token = word_comments.sign(found, report=irp.report, actor=governor)
    other = h.user(Role.ESTABLISHMENT_USER, establishment=irp.review.establishment)
    client.force_login(other)
    response = client.post(
        reverse("reports:word-confirm", kwargs={"pk": irp.report.pk}),
        {"review": token, "idempotency_token": "someone-else"},
    )
    assert response.status_code == 400
    assert "The review is of another upload" in response.content.decode()
    assert not FactualAccuracyComment.objects.exists()


@pytest.mark.rule("RP-3")
def test_a_comment_on_words_the_report_no_longer_has_is_flagged_for_checking(irp) -> None:
    marked_up = _marked_up(docx_export.export(irp.report))
    irp.report.summary = "Leaders had begun to act on our findings.\n\nEducation had improved."
    irp.report.save()
    found = {c.paragraph: c for c in word_comments.read_upload(marked_up, irp.report)}
    assert found["1.2"].note.startswith("Paragraph 1.2 of the report no longer has the words")
    assert found["1.2"].usable  # sent if the uploader still wants it
    assert found["3.1"].note == ""
    assert found[""].problem.startswith("It is not on a numbered paragraph")


def _with_identifier(content: bytes, identifier: str) -> bytes:
    word = opened(content)
    word.core_properties.identifier = identifier
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _with_entity(content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "word/document.xml":
                data = data.replace(
                    b"<w:document ",
                    b'<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]><w:document ',
                    1,
                )
            target.writestr(entry, data)
    return buffer.getvalue()


@pytest.mark.rule("RP-3")
def test_a_file_that_is_not_this_reports_export_is_refused_with_the_reason(
    client, irp, governor, monkeypatch
) -> None:
    exported = _marked_up(docx_export.export(irp.report))
    refusals = {
        "not a zip package": b"%PDF-1.7 this is not Word",
        "not a Word document (.docx)": _zip_of({"hello.txt": b"hello"}),
        "not a Word export of this report": _with_identifier(
            exported, docx_export.IDENTIFIER_PREFIX + "999999"
        ),
        "declares XML entities": _with_entity(exported),
        "has no Word comments": docx_export.export(irp.report),
    }
    client.force_login(governor)
    for reason, content in refusals.items():
        response = _upload(client, irp, content, name=f"{len(reason)}.docx")
        assert response.status_code == 400, reason
        assert reason in response.content.decode(), reason
    monkeypatch.setattr(word_comments, "MAX_UPLOAD_BYTES", 1024)
    response = _upload(client, irp, exported, name="big.docx")
    assert "must be smaller than" in response.content.decode()
    assert not FactualAccuracyComment.objects.exists()


def _zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in files.items():
            package.writestr(name, data)
    return buffer.getvalue()


def test_only_who_may_comment_uploads(client, irp) -> None:
    url = reverse("reports:word-upload", kwargs={"pk": irp.report.pk})
    client.force_login(irp.leader)  # the team answers comments; it does not make them
    assert client.get(url).status_code == 403
