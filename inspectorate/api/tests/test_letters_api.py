"""The letter templates through the API, as on the screens at /reports/letters/: read and
changed by system administrators only, through `reports.letters`; a stale change refused
with nothing overwritten; a preview that saves nothing; an unknown variable refused naming
the subject or body."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from inspectorate.accounts.roles import Role
from inspectorate.api.tests.helpers import client_for, token_client
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.reports import letters
from inspectorate.reports.constants import LetterKind
from inspectorate.reports.models import LetterTemplate

pytestmark = pytest.mark.django_db

IRP = LetterKind.IRP_ANNOUNCEMENT
PATH = f"/api/v1/letter-templates/{IRP}/"


def send(client: Client, method: str, path: str, data: Any, version: Any = None) -> Any:
    headers = {} if version is None else {"If-Match": f'"{version}"'}
    return getattr(client, method)(path, data, content_type="application/json", headers=headers)


def fields(response: Any) -> set[str | None]:
    return {problem["field"] for problem in response.json()["errors"]}


@pytest.fixture
def admin() -> Any:
    return h.user(Role.SYSTEM_ADMINISTRATOR)


def _template() -> LetterTemplate:
    return LetterTemplate.objects.get(kind=IRP)


def test_an_administrator_lists_every_template_with_its_variables(admin: Any) -> None:
    client = client_for(admin)
    listed = client.get("/api/v1/letter-templates/")
    assert listed.status_code == 200, listed.content
    rows = listed.json()["results"]
    assert [row["kind"] for row in rows] == sorted(LetterKind.values)
    one = client.get(PATH)
    assert one.status_code == 200
    assert one["ETag"] == '"1"'
    body = one.json()
    assert body["subject"] == letters.DEFAULTS[IRP].subject
    names = [variable["name"] for variable in body["variables"]]
    assert names == [name for name, _ in letters.variables(IRP)]
    assert "recommendations" in names
    assert client.get("/api/v1/letter-templates/no_such_letter/").status_code == 404


@pytest.mark.parametrize("role", [Role.HMIP_COORDINATOR, Role.ESTABLISHMENT_USER])
def test_no_one_else_reads_or_changes_the_templates(role: str) -> None:
    establishment = h.leeds() if role == Role.ESTABLISHMENT_USER else None
    client = client_for(h.user(role, establishment=establishment))
    assert client.get("/api/v1/letter-templates/").json()["count"] == 0
    assert client.get(PATH).status_code == 404
    refused = send(client, "put", PATH, {"subject": "Hi", "body": "There"}, 1)
    assert refused.status_code == 404
    preview = send(client, "post", f"{PATH}preview/", {"subject": "Hi", "body": "There"})
    assert preview.status_code == 404
    assert not LetterTemplate.objects.exists()


def test_an_administrator_changes_the_wording_with_the_current_version(admin: Any) -> None:
    client = client_for(admin)
    client.get(PATH)
    wording = {"subject": "Review at {{ establishment }}", "body": "Dear {{ addressee }},"}
    assert send(client, "put", PATH, wording).status_code == 428
    changed = send(client, "put", PATH, wording, 1)
    assert changed.status_code == 200, changed.content
    assert changed["ETag"] == '"2"'
    assert changed.json()["updated_by"] == str(admin)
    stale = send(client, "put", PATH, {"subject": "Lost?", "body": "Lost?"}, 1)
    assert stale.status_code == 412
    saved = _template()
    assert (saved.subject, saved.body, saved.version) == (
        wording["subject"],
        wording["body"],
        2,
    )
    values = {**letters.DEFAULTS[IRP].sample, "establishment": "HMP X"}
    assert letters.letter_render(IRP, values)[0] == "Review at HMP X"


def test_a_patch_changes_only_what_it_sends(admin: Any) -> None:
    client = client_for(admin)
    body = client.get(PATH).json()["body"]
    changed = send(client, "patch", PATH, {"subject": "Review: {{ dates }}"}, 1)
    assert changed.status_code == 200, changed.content
    assert (_template().subject, _template().body) == ("Review: {{ dates }}", body)


def test_an_unknown_variable_or_a_broken_template_is_refused_naming_the_field(
    admin: Any,
) -> None:
    client = client_for(admin)
    client.get(PATH)
    typo = send(client, "put", PATH, {"subject": "{{ establishmnet }}", "body": "Dear"}, 1)
    assert typo.status_code == 400
    assert fields(typo) == {"subject"}
    assert "{{ establishmnet }}" in typo.json()["errors"][0]["message"]
    broken = send(client, "put", PATH, {"subject": "Hi", "body": "{% if %}"}, 1)
    assert broken.status_code == 400
    assert fields(broken) == {"body"}
    blank = send(client, "put", PATH, {"subject": "", "body": ""}, 1)
    assert fields(blank) == {"subject", "body"}
    including = send(client, "put", PATH, {"subject": "Hi", "body": "{% include 'x' %}"}, 1)
    assert including.status_code == 400
    assert fields(including) == {"body"}
    assert _template().version == 1


def test_the_preview_renders_example_values_and_saves_nothing(admin: Any) -> None:
    client = client_for(admin)
    client.get(PATH)
    draft = {
        "subject": "Review at {{ establishment }}",
        "body": "{% for r in recommendations %}- {{ r }}\n{% endfor %}",
    }
    preview = send(client, "post", f"{PATH}preview/", draft)
    assert preview.status_code == 200, preview.content
    assert preview.json()["subject"] == "Review at HMP Leeds"
    assert preview.json()["body"].count("- ") == 2
    unknown = send(client, "post", f"{PATH}preview/", {**draft, "body": "{{ governor }}"})
    assert unknown.status_code == 400
    assert fields(unknown) == {"body"}
    saved = _template()
    assert (saved.subject, saved.version) == (letters.DEFAULTS[IRP].subject, 1)


def test_a_read_token_reads_the_templates_but_does_not_change_them(admin: Any) -> None:
    client, _secret = token_client(admin, scope="read")
    assert client.get(PATH).status_code == 200
    refused = send(client, "put", PATH, {"subject": "Hi", "body": "There"}, 1)
    assert refused.status_code == 403
    assert _template().version == 1


def test_the_list_answers_in_a_fixed_number_of_queries(admin: Any) -> None:
    client = client_for(admin)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/letter-templates/").status_code == 200
        return len(captured)

    queries()  # the first read writes the missing defaults, as the screen does
    before = queries()
    for template in LetterTemplate.objects.all():
        letters.letter_template_update(
            actor=admin,
            template=template,
            subject=template.subject,
            body=template.body,
            version=template.version,
        )
    assert queries() == before  # with updated_by set on every row: no query per row
