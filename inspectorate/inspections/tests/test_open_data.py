"""Published judgements as open data: public, published inspections only, one row each."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from inspectorate.frameworks.services import frameworks_load
from inspectorate.inspections.constants import Stage
from inspectorate.inspections.judgements import services
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.inspections.tests.test_judgement_services import grade, grade_all_required

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    yield from h.frozen_today()


def test_only_published_judgements_are_open_data(client) -> None:
    frameworks_load(actor=None)
    published = h.full_inspection(stage=Stage.FIELDWORK)
    lead = h.ofsted_lead(published)
    grade_all_required(published, lead, "requires_improvement")
    grade(published, lead, "OE", "requires_improvement", override_reason="Moderated.")
    services.judgements_moderate(actor=lead, event=published)
    services.factual_accuracy_start(actor=lead, event=published)
    services.inspection_publish(actor=lead, event=published, published_on=h.TODAY)
    draft = h.full_inspection(h.make_establishment("BL", "HMP Belmarsh"), stage=Stage.FIELDWORK)
    grade(draft, h.ofsted_lead(draft), "LM", "inadequate")

    response = client.get(reverse("inspections:open-data-judgements"))  # no sign-in
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["Establishment name"] for row in rows] == ["HMP Leeds"]
    row = rows[0]
    assert row["Overall effectiveness"] == "3"  # requires improvement
    assert row["Effectiveness of leadership and management"] == "3"
    assert row["Quality of education"] == "3"  # the prison framework
    assert row["Publication date"] == "2026-11-23"
    assert row["Inspection type"] == "Full inspection"
