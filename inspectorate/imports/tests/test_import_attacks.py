"""Bad files and replays at the import of published reports (HI-2): each is refused with
a sentence naming the file and the problem, writes nothing, and never answers 500."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from inspectorate.accounts.roles import Role
from inspectorate.estate.models import Establishment
from inspectorate.frameworks.services import frameworks_load
from inspectorate.imports.models import SourceDocument
from inspectorate.imports.published import samples
from inspectorate.programme.models import Event

pytestmark = [pytest.mark.django_db, pytest.mark.rule("HI-2")]


def signed_in(make_user: Any, role: str = Role.HMIP_COORDINATOR) -> Client:
    client = Client(raise_request_exception=True)
    client.force_login(make_user(role))
    return client


def upload(client: Client, name: str, content: bytes) -> Any:
    return client.post("/imports/reports/", {"file": SimpleUploadedFile(name, content)})


def _docx(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in parts.items():
            package.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "bomb.docx",
            _docx({"[Content_Types].xml": b"<Types/>", "word/document.xml": b" " * 110_000_000}),
            "bomb.docx unpacks to more than 100 MB, far more than a report.",
        ),
        (
            "types.docx",
            _docx({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}),
            "types.docx is not a Word document that can be read.",
        ),
        (
            "entities.docx",
            _docx(
                {
                    "[Content_Types].xml": b'<!DOCTYPE x [<!ENTITY a "aaaa">]><Types/>',
                    "word/document.xml": b"<w:document/>",
                }
            ),
            "entities.docx declares XML entities, which no Word document does.",
        ),
        (
            "torn.docx",
            b"PK\x03\x04word/" + b"x" * 100,
            "torn.docx is not a Word document that can be read: its zip package is damaged.",
        ),
        (
            "renamed.pdf",
            b"%PDF-1.4 not really a PDF",
            "renamed.pdf is not a published report: the PDF could not be read:",
        ),
        ("plain.pdf", b"Minutes of a meeting", "plain.pdf is not a readable PDF file."),
    ],
)
def test_a_malformed_or_hostile_file_is_refused_in_one_sentence(
    make_user: Any, name: str, content: bytes, message: str
) -> None:
    answer = upload(signed_in(make_user), name, content)
    assert answer.status_code == 400
    page = answer.content.decode()
    assert message in page
    assert "is not a published report: This is not" not in page
    assert ".." not in page.split(message)[1][:200]
    assert not SourceDocument.objects.exists()
    assert not Event.objects.exists()


def test_markup_and_template_syntax_in_a_filename_are_shown_as_text(make_user: Any) -> None:
    name = "{{ request.user }}{% debug %}<b>bold<b>.txt"
    answer = upload(signed_in(make_user), name, b"Minutes of a meeting\n")
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "{{ request.user }}{% debug %}&lt;b&gt;bold&lt;b&gt;.txt is not a published report" in (
        page
    )
    assert "<b>bold" not in page


@pytest.fixture
def bedford(make_user: Any) -> tuple[str, bytes]:
    frameworks_load(actor=None)
    Establishment.objects.create(code="BF", name="HMP Bedford", kind="prison")
    sample = samples.catalogue()["full-bedford"]
    return samples.filename(sample, "text"), samples.render(sample, "text")


def test_a_second_confirm_says_the_report_was_imported_and_changes_nothing(
    make_user: Any, bedford: tuple[str, bytes]
) -> None:
    name, content = bedford
    client = signed_in(make_user)
    review = upload(client, name, content)
    assert review.status_code == 200
    sha256 = review.context["plan"].sha256
    # Another user cannot confirm this user's pending review.
    other = signed_in(make_user, Role.SYSTEM_ADMINISTRATOR)
    refused = other.post("/imports/reports/confirm/", {"sha256": sha256})
    assert refused.status_code == 400
    assert "no longer waiting to be imported" in refused.content.decode()
    assert not SourceDocument.objects.exists()

    first = client.post("/imports/reports/confirm/", {"sha256": sha256})
    assert first.status_code == 302
    document = SourceDocument.objects.get()
    events = Event.objects.count()
    again = client.post("/imports/reports/confirm/", {"sha256": sha256}, follow=True)
    assert again.redirect_chain[-1][0] == f"/imports/reports/?document={document.pk}"
    assert f"{name} was imported already: nothing changed." in again.content.decode()
    assert SourceDocument.objects.count() == 1
    assert Event.objects.count() == events


def test_the_review_says_a_new_item_is_new_not_that_it_differs_by_none(
    make_user: Any, bedford: tuple[str, bytes]
) -> None:
    name, content = bedford
    review = upload(signed_in(make_user), name, content)
    assert review.status_code == 200
    cells = review.content.decode().split("<tbody")[1]
    assert "New: not recorded here before" in cells
    assert ">None</td>" not in cells
