"""The open-data files: judgements in the shape of Ofsted's FE and skills management
information, healthy prison test scores, IRP progress judgements; each file's columns equal
its data dictionary (JSON and page); public, with the Open Government Licence note, linked
from the published reports pages; only published inspections, never a draft or the
unannounced programme (PG-3)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from inspectorate.frameworks.services import frameworks_load
from inspectorate.inspections import open_data
from inspectorate.inspections.constants import Stage
from inspectorate.inspections.models import Inspection, Judgement
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.inspections.tests.test_judgement_services import grade, grade_all_required
from inspectorate.programme.tests.test_milestone_helpers import make_establishment, make_event
from inspectorate.reports.tests import document_helpers as dh

pytestmark = pytest.mark.django_db

FILES = {dataset.slug: dataset for dataset in open_data.DATASETS}


@pytest.fixture(autouse=True)
def _today():
    yield from h.frozen_today()


def publish(event, on: date) -> None:
    Inspection.objects.filter(event=event).update(stage=Stage.PUBLISHED, published_on=on)


def graded_inspection(starts_on: date, level: str, published_on: date | None):
    event = h.full_inspection(starts_on=starts_on, stage=Stage.FIELDWORK)
    lead = h.ofsted_lead(event)
    grade_all_required(event, lead, level)
    grade(event, lead, "OE", level, override_reason="Moderated.")
    if published_on:
        publish(event, published_on)
    return event


@pytest.fixture
def world():
    """Leeds inspected twice (2022 good, 2025 requires improvement), then reviewed (an IRP,
    published); Belmarsh graded but still a draft; Hull unannounced in the programme."""
    frameworks_load(actor=None)
    earlier = graded_inspection(date(2022, 5, 9), "good", date(2022, 8, 1))
    irp = dh.irp_with_judgements()  # its own full inspection of Leeds, then the IRP
    Judgement.objects.filter(event=irp.full).delete()
    Inspection.objects.filter(event=irp.full).delete()
    latest = irp.full
    Inspection.objects.create(event=latest, stage=Stage.FIELDWORK)
    lead = h.ofsted_lead(latest)
    grade_all_required(latest, lead, "requires_improvement")
    grade(latest, lead, "OE", "requires_improvement", override_reason="Moderated.")
    publish(latest, date(2025, 9, 1))
    publish(irp.review, date(2026, 11, 20))
    draft = h.full_inspection(make_establishment("BL", "HMP Belmarsh"), stage=Stage.FIELDWORK)
    grade(draft, h.ofsted_lead(draft), "LM", "inadequate")
    make_event(make_establishment("HL", "HMP Hull"), starts_on=date(2027, 2, 8))
    return earlier, latest, irp


def rows_of(client, slug: str) -> tuple[list[str], list[dict[str, str]]]:
    response = client.get(reverse(f"inspections:open-data-{slug}"))  # no sign-in
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    reader = csv.DictReader(io.StringIO(response.content.decode()))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


@pytest.mark.rule("PG-3")
def test_only_published_inspections_are_in_any_file(client, world) -> None:
    everything = "".join(
        client.get(reverse(f"inspections:open-data-{slug}")).content.decode() for slug in FILES
    )
    assert "HMP Leeds" in everything
    assert "Belmarsh" not in everything  # graded, but a draft
    assert "Hull" not in everything  # the unannounced programme


def test_judgements_have_ofsted_field_names_numeric_grades_and_the_previous_inspection(
    client, world
) -> None:
    earlier, latest, _ = world
    header, rows = rows_of(client, "judgements")
    for name in ("Provider UKPRN", "URN", "Inspection number", "First day of inspection"):
        assert name in header
    assert [row["Last day of inspection"] for row in rows] == [
        earlier.ends_on.isoformat(),
        latest.ends_on.isoformat(),
    ]
    first, second = rows
    assert first["Overall effectiveness"] == "2"  # good
    assert first["Previous inspection number"] == ""
    assert second["Overall effectiveness"] == "3"  # requires improvement
    assert second["Effectiveness of leadership and management"] == "3"
    assert second["Quality of education"] == "3"  # the prison framework
    assert second["Publication date"] == "2025-09-01"
    assert second["Previous inspection number"] == first["Inspection number"]
    assert second["Previous last day of inspection"] == earlier.ends_on.isoformat()
    assert second["Previous overall effectiveness"] == "2"


@pytest.mark.rule("JG-8")
def test_healthy_prison_test_scores_are_their_own_file(client, world) -> None:
    _, rows = rows_of(client, "healthy-prison-tests")
    assert len(rows) == 2  # the two full inspections; never the IRP
    for row in rows:
        scores = [row[name] for name in ("Safety", "Respect", "Purposeful activity")]
        assert all(score in {"1", "2", "3", "4"} for score in scores)


@pytest.mark.rule("JG-6", "JG-7")
def test_irp_progress_judgements_are_their_own_file(client, world) -> None:
    _, _, irp = world
    _, rows = rows_of(client, "irp-progress")
    judged = Judgement.objects.filter(event=irp.review, follow_up__isnull=False)
    assert len(rows) == judged.count() > 0
    assert {row["Inspectorate"] for row in rows} == {"HMI Prisons", "Ofsted"}
    hmip = [row["Item number"] for row in rows if row["Inspectorate"] == "HMI Prisons"]
    ofsted = [row["Item number"] for row in rows if row["Inspectorate"] == "Ofsted"]
    assert hmip == [str(n) for n in range(1, len(hmip) + 1)]  # numbered as in the report
    assert ofsted == [str(n) for n in range(1, len(ofsted) + 1)]
    first = rows[0]
    assert first["Recommendation or theme"] == irp.recommendations[0].text
    level = judged.get(follow_up__recommendation=irp.recommendations[0]).level
    assert (first["Progress judgement"], first["Progress score"]) == (level.label, str(level.value))


def test_each_file_has_the_columns_its_dictionary_names(client, world) -> None:
    dictionary = client.get(reverse("inspections:open-data-dictionary")).json()
    assert dictionary["dc:license"]["name"] == "Open Government Licence v3.0"
    tables = {table["url"].rsplit("/", 1)[1]: table for table in dictionary["tables"]}
    page = client.get(reverse("inspections:open-data")).text
    for slug in FILES:
        header, _ = rows_of(client, slug)
        documented = [c["titles"] for c in tables[f"{slug}.csv"]["tableSchema"]["columns"]]
        assert header == documented
        position = 0
        for name in header:  # the page's table lists them, in order
            cell = f'<th scope="row" class="govuk-table__header">{name}</th>'
            position = page.index(cell.replace("'", "&#x27;"), position) + 1


def test_the_page_carries_the_licence_and_the_reports_pages_link_to_it(client, world) -> None:
    page = client.get(reverse("inspections:open-data"))
    assert page.status_code == 200
    assert "Open Government Licence v3.0" in page.text
    assert open_data.LICENCE_URL in page.text
    target = reverse("inspections:open-data")
    assert f'href="{target}"' in client.get(reverse("reports:public-list")).text
