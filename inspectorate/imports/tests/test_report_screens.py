"""The import screens: upload, review item by item, confirm, result (HI-2)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from inspectorate.accounts.roles import Role
from inspectorate.frameworks.services import frameworks_load
from inspectorate.imports.models import SourceDocument
from inspectorate.imports.published import parse
from inspectorate.imports.tests import published_helpers as reports
from inspectorate.inspections.models import Recommendation
from inspectorate.programme.models import Event

pytestmark = [pytest.mark.django_db, pytest.mark.rule("HI-2")]


@pytest.fixture(autouse=True)
def _register(establishment: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    frameworks_load(actor=None)
    # The parser is another module's: these tests give it the report it would read.
    by_name = {"leeds.txt": reports.full_report(), "leeds-irp.txt": reports.irp_report()}

    def parse_report(data: bytes, filename: str) -> Any:
        if filename not in by_name:
            raise parse.NotAReport("no title page was found")
        return by_name[filename]

    monkeypatch.setattr(parse, "parse_report", parse_report)


def signed_in(make_user: Any, role: str) -> Client:
    client = Client()
    client.force_login(make_user(role))
    return client


def upload(client: Client, name: str, content: bytes = b"Report on an inspection\n") -> Any:
    return client.post("/imports/reports/", {"file": SimpleUploadedFile(name, content)})


def test_upload_review_confirm(make_user: Any) -> None:
    client = signed_in(make_user, Role.HMIP_COORDINATOR)
    page = client.get("/imports/reports/")
    assert page.status_code == 200
    assert b"Upload a published report" in page.content

    review = upload(client, "leeds.txt")
    assert review.status_code == 200
    text = review.content.decode()
    assert "Recommendation 1.21" in text
    assert "Page 15, line 7" in text
    assert "Confirm and import" in text
    assert not Event.objects.exists()
    assert not SourceDocument.objects.exists()

    sha256 = review.context["plan"].sha256
    done = client.post("/imports/reports/confirm/", {"sha256": sha256})
    assert done.status_code == 302
    document = SourceDocument.objects.get()
    assert done["Location"] == f"/imports/reports/?document={document.pk}"
    assert Recommendation.objects.filter(event=document.event).count() == 6
    result = client.get(done["Location"])
    assert "Report imported: 14 created, 0 changed, 0 unchanged" in result.content.decode()
    assert "leeds.txt" in result.content.decode()

    again = upload(client, "leeds.txt")
    assert "Importing it again changes nothing" in again.content.decode()
    assert "Confirm and import" not in again.content.decode()


def test_confirm_without_a_reviewed_file_writes_nothing(make_user: Any) -> None:
    client = signed_in(make_user, Role.SYSTEM_ADMINISTRATOR)
    answer = client.post("/imports/reports/confirm/", {"sha256": "0" * 64})
    assert answer.status_code == 400
    assert "no longer waiting to be imported" in answer.content.decode()
    assert not Event.objects.exists()


def test_a_file_that_is_not_a_report_is_refused(make_user: Any) -> None:
    client = signed_in(make_user, Role.HMIP_COORDINATOR)
    answer = upload(client, "minutes.txt")
    assert answer.status_code == 400
    assert "minutes.txt is not a published report: no title page was found" in (
        answer.content.decode()
    )
    image = upload(client, "photo.pdf", b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR")
    assert "photo.pdf is not a PDF, a Word document (.docx) or a plain text file" in (
        image.content.decode()
    )


def test_a_refused_review_offers_no_confirmation(make_user: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(
        parse, "parse_report", lambda data, name: reports.full_report(establishment="HMP Leedz")
    )
    client = signed_in(make_user, Role.HMIP_COORDINATOR)
    answer = upload(client, "leedz.txt")
    text = answer.content.decode()
    assert "This report cannot be imported" in text
    assert "HMP Leeds" in text
    assert "Confirm and import" not in text


@pytest.mark.parametrize(
    "role", [Role.HMIP_TEAM_LEADER, Role.OFSTED_SCHEDULER, Role.QUALITY_ASSURANCE]
)
def test_other_roles_are_refused(make_user: Any, role: str) -> None:
    client = signed_in(make_user, role)
    assert client.get("/imports/reports/").status_code == 403
    assert upload(client, "leeds.txt").status_code == 403
    assert client.post("/imports/reports/confirm/", {"sha256": "0" * 64}).status_code == 403
    assert not Event.objects.exists()


def test_the_coordinator_finds_the_import_from_the_programme_and_administration(
    make_user: Any,
) -> None:
    client = signed_in(make_user, Role.HMIP_COORDINATOR)
    assert 'href="/imports/reports/"' in client.get("/programme/").content.decode()
    assert 'href="/imports/reports/"' in client.get("/administration/").content.decode()


def test_imported_records_show_their_source(make_user: Any) -> None:
    from inspectorate.imports.published.commit import commit_import
    from inspectorate.imports.published.plan import plan_import

    coordinator = make_user(Role.HMIP_COORDINATOR)
    for report, name in ((reports.full_report(), "leeds.pdf"), (reports.irp_report(), "irp.pdf")):
        plan = plan_import(report, coordinator, data=reports.as_file(report), filename=name)
        commit_import(plan, coordinator)
    client = Client()
    client.force_login(coordinator)
    full = Event.objects.get(kind="full_inspection")
    findings = client.get(f"/inspections/events/{full.pk}/findings/").content.decode()
    assert "Source: leeds.pdf, page 15, paragraph 1.21" in findings
    assert "Source: leeds.pdf, page 5, paragraph 1.5" in findings  # a concern
    irp = Event.objects.get(kind="irp")
    follow_ups = client.get(f"/inspections/events/{irp.pk}/follow-ups/").content.decode()
    assert "Source: irp.pdf, page 8, paragraph 1.3" in follow_ups
    assert "Source: irp.pdf, page 12, paragraph 2.1" in follow_ups  # a theme
