"""POST /api/v1/imports/reports/: review (dry run), then confirm with the sha256 (HI-2)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from inspectorate.accounts.roles import Role
from inspectorate.api.tests.helpers import client_for, token_client
from inspectorate.frameworks.services import frameworks_load
from inspectorate.imports.models import SourceDocument
from inspectorate.imports.published import parse
from inspectorate.imports.tests import published_helpers as reports
from inspectorate.inspections.models import Recommendation
from inspectorate.programme.models import Event

pytestmark = [pytest.mark.django_db, pytest.mark.rule("HI-2")]
URL = "/api/v1/imports/reports/"


@pytest.fixture(autouse=True)
def _register(establishment: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    frameworks_load(actor=None)
    by_name = {
        "leeds.txt": reports.full_report(),
        "leedz.txt": reports.full_report(establishment="HMP Leedz"),
    }

    def parse_report(data: bytes, filename: str) -> Any:
        if filename not in by_name:
            raise parse.NotAReport("no title page was found")
        return by_name[filename]

    monkeypatch.setattr(parse, "parse_report", parse_report)


def send(client: Any, name: str = "leeds.txt", **fields: Any) -> Any:
    return client.post(URL, {"file": SimpleUploadedFile(name, b"A report\n"), **fields})


def test_review_then_confirm(make_user: Any) -> None:
    client = client_for(make_user(Role.HMIP_COORDINATOR))
    review = send(client)
    assert review.status_code == 200
    plan = review.json()
    assert plan["refused"] is False
    assert plan["establishment"] == {"code": "LE", "name": "HMP Leeds"}
    first = next(item for item in plan["items"] if item["key"] == "1.21")
    assert (first["action"], first["page"], first["line"]) == ("create", 15, 7)
    assert not Event.objects.exists()

    unconfirmed = send(client, dry_run="false")
    assert unconfirmed.status_code == 400
    assert unconfirmed.json()["errors"][0]["field"] == "sha256"
    assert not Event.objects.exists()

    done = send(client, dry_run="false", sha256=plan["sha256"])
    assert done.status_code == 201
    document = SourceDocument.objects.get()
    assert done.json()["document"] == document.pk
    assert Recommendation.objects.filter(event=document.event).count() == 6

    again = send(client, dry_run="false", sha256=plan["sha256"])
    assert again.status_code == 200
    assert again.json()["already_imported"] is True
    assert SourceDocument.objects.count() == 1


def test_a_refusal_names_the_closest_establishments(make_user: Any) -> None:
    client = client_for(make_user(Role.SYSTEM_ADMINISTRATOR))
    answer = send(client, "leedz.txt")
    assert answer.status_code == 400
    assert "Closest names in the register: HMP Leeds" in answer.json()["errors"][0]["message"]
    not_a_report = send(client, "minutes.txt")
    assert not_a_report.status_code == 400
    assert not_a_report.json()["errors"][0]["field"] == "file"


def test_other_roles_and_read_tokens_are_refused(make_user: Any) -> None:
    leader = client_for(make_user(Role.HMIP_TEAM_LEADER))
    assert send(leader).status_code == 403
    reader, _ = token_client(make_user(Role.HMIP_COORDINATOR, username="reader"), scope="read")
    assert send(reader).status_code == 403
    assert not Event.objects.exists()
