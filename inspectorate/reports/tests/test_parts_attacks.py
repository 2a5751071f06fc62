"""Bad input to the report-parts forms (issue 17): every refusal names its field, saves
nothing and answers 4xx, never 500; markup and template syntax are kept as plain text."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.urls import reverse

from inspectorate.inspections.constants import FollowUpKind
from inspectorate.inspections.models import FollowUp
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.lib.form_errors import form_classes
from inspectorate.reports import documents
from inspectorate.reports.tests import document_helpers as dh

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    yield from h.frozen_today()


@pytest.fixture
def irp():
    return dh.irp_with_judgements()


def _post(client: Any, irp: Any, name: str, data: dict[str, Any]) -> Any:
    client.force_login(irp.leader)
    return client.post(reverse(f"reports:{name}", kwargs={"pk": irp.report.pk}), data)


def _errors(response: Any) -> str:
    return response.content.decode()


def _unchanged(irp: Any) -> None:
    before = irp.report.version
    irp.report.refresh_from_db()
    assert irp.report.version == before
    assert (irp.report.signatory, irp.report.about_text, irp.report.glossary) == ("", "", None)


def test_a_null_character_is_refused_naming_the_field(client, irp) -> None:
    version = irp.report.version
    cases = [
        (
            "parts-signature",
            {"version": version, "signatory": "Jane\x00Doe", "month": "1", "year": "2027"},
            "Chief Inspector&#x27;s name must not contain a null character",
        ),
        ("parts-about", {"version": version, "text": "a\x00b"}, "About this report must not"),
        (
            "parts-glossary",
            {
                "version": version,
                "terms-TOTAL_FORMS": "1",
                "terms-INITIAL_FORMS": "0",
                "terms-0-term": "HMPPS\x00",
                "terms-0-definition": "Prison service",
            },
            "Term must not contain a null character",
        ),
    ]
    for name, data, message in cases:
        response = _post(client, irp, name, data)
        assert response.status_code == 400, name
        assert message in _errors(response), name
        assert "Null characters are not allowed" not in _errors(response)
    _unchanged(irp)


def test_a_value_too_long_is_refused_naming_the_field_and_its_limit(client, irp) -> None:
    version = irp.report.version
    response = _post(
        client,
        irp,
        "parts-signature",
        {"version": version, "signatory": "x" * 201, "month": "1", "year": "2027"},
    )
    assert response.status_code == 400
    assert "Chief Inspector&#x27;s name must be 200 characters or fewer" in _errors(response)
    response = _post(client, irp, "parts-about", {"version": version, "text": "x" * 20001})
    assert "About this report must be 20000 characters or fewer" in _errors(response)
    item = FollowUp.objects.filter(event=irp.review, kind=FollowUpKind.RECOMMENDATION).first()
    assert item is not None
    assert item.recommendation is not None
    response = _post(
        client,
        irp,
        "parts-references",
        {f"area_{item.pk}": "a" * 301, f"version_{item.pk}": item.recommendation.version},
    )
    assert response.status_code == 400
    assert "Area must be 300 characters or fewer" in _errors(response)
    assert "Ensure this value" not in _errors(response)
    _unchanged(irp)


def test_too_many_or_missing_glossary_rows_are_refused_in_words(client, irp) -> None:
    version = irp.report.version
    flood = {"version": version, "terms-TOTAL_FORMS": "201", "terms-INITIAL_FORMS": "0"}
    flood.update({f"terms-{n}-term": f"T{n}" for n in range(201)})
    flood.update({f"terms-{n}-definition": "d" for n in range(201)})
    response = _post(client, irp, "parts-glossary", flood)
    assert response.status_code == 400
    assert "The glossary can have at most 200 terms" in _errors(response)
    response = _post(client, irp, "parts-glossary", {"version": version})
    assert response.status_code == 400
    assert "The glossary form was sent incomplete: open the page again" in _errors(response)
    assert "ManagementForm" not in _errors(response)
    response = _post(
        client,
        irp,
        "parts-team",
        {"version": version, "team-TOTAL_FORMS": "1", "team-INITIAL_FORMS": "0",
         "team-0-position": "1000", "team-0-name": "A", "team-0-role": "B"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "Position must be 999 or less" in _errors(response)
    _unchanged(irp)


def test_markup_and_template_syntax_are_saved_as_text_and_shown_escaped(client, irp) -> None:
    typed = "{{ request.user }} {% debug %} <script>alert(1)</script>"
    response = _post(
        client,
        irp,
        "parts-signature",
        {"version": irp.report.version, "signatory": typed, "month": "1", "year": "2027"},
    )
    assert response.status_code == 302
    irp.report.refresh_from_db()
    assert irp.report.signatory == typed
    html = documents.document_html(irp.report)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{ request.user }} {% debug %}" in html
    page = client.get(reverse("reports:parts", kwargs={"pk": irp.report.pk})).content.decode()
    assert "<script>alert(1)</script>" not in page


def test_no_form_of_the_service_keeps_djangos_anonymous_limit_messages() -> None:
    import inspectorate

    anonymous = [
        f"{form.__name__}.{name}"
        for form in form_classes(inspectorate)
        for name, field in form.base_fields.items()  # type: ignore[attr-defined]
        if isinstance(field, forms.CharField)
        and (
            "null_characters_not_allowed" not in field.error_messages
            or (field.max_length is not None and "max_length" not in field.error_messages)
        )
    ]
    assert anonymous == []


def test_a_refused_row_is_in_the_error_summary_and_the_title(client, irp) -> None:
    version = irp.report.version
    team = {
        "version": version,
        "team-TOTAL_FORMS": "1",
        "team-INITIAL_FORMS": "0",
        "team-0-position": "1000",
        "team-0-name": "A",
        "team-0-role": "B",
    }
    glossary = {"version": version, "terms-TOTAL_FORMS": "201", "terms-INITIAL_FORMS": "0"}
    for name, data, message, link in (
        ("parts-team", team, "Position must be 999 or less", "#id_team-0-position"),
        ("parts-glossary", glossary, "The glossary can have at most 200 terms", "#main-content"),
    ):
        page = _errors(_post(client, irp, name, data))
        summary = page.split("govuk-error-summary__list")[1].split("</ul>")[0]
        assert f'<a href="{link}">{message}</a>' in summary, name
        assert "<title>Error: " in page, name
    _unchanged(irp)
