"""The "Judgements" tab: the lead records each aspect citing evidence, sees the grading
engine's explanation of a limit, moderates, and corrects after the factual-accuracy check;
everyone else sees only what their role allows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspectorate.accounts.roles import Role
from inspectorate.frameworks.models import Aspect
from inspectorate.frameworks.services import frameworks_load
from inspectorate.inspections.constants import Stage
from inspectorate.inspections.judgements import services
from inspectorate.inspections.models import Inspection, Judgement, JudgementCorrection
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.inspections.tests.test_judgement_services import (
    EDUCATION,
    evidence,
    grade,
    grade_all_required,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    yield from h.frozen_today()


@pytest.fixture(autouse=True)
def _frameworks(db):
    frameworks_load(actor=None)


@pytest.fixture
def full():
    return h.full_inspection(stage=Stage.FIELDWORK)


@pytest.fixture
def lead(full):
    return h.ofsted_lead(full)


def page_url(event) -> str:
    return reverse("inspections:judgements", kwargs={"event_pk": event.pk})


def record_url(event, code: str) -> str:
    target = Aspect.objects.get(framework__slug=EDUCATION, code=code)
    return reverse(
        "inspections:judgement-record", kwargs={"event_pk": event.pk, "aspect_pk": target.pk}
    )


def level_pk(slug: str) -> str:
    return str(h.level(slug, EDUCATION).pk)


@pytest.mark.rule("IN-7")
def test_the_lead_records_a_grade_citing_evidence_from_the_page(client, full, lead) -> None:
    form = evidence(full, lead, "QE")
    client.force_login(lead)
    page = client.get(page_url(full))
    assert page.status_code == 200
    assert record_url(full, "QE") in page.text
    response = client.post(
        record_url(full, "QE"), {"level": level_pk("good"), "evidence": [str(form.pk)]}
    )
    assert response.status_code == 302
    judgement = Judgement.objects.get(aspect__code="QE")
    assert judgement.level.slug == "good"
    assert list(judgement.evidence.all()) == [form]
    page = client.get(page_url(full))
    assert f"Evidence {form.pk}" in page.text
    assert "Provisional" in page.text


@pytest.mark.rule("IN-7")
def test_a_grade_without_evidence_is_refused_with_the_field_named(client, full, lead) -> None:
    client.force_login(lead)
    response = client.post(record_url(full, "QE"), {"level": level_pk("good")})
    assert response.status_code == 400
    assert "Cite at least one evidence form" in response.text
    assert not Judgement.objects.exists()


@pytest.mark.rule("JG-3")
def test_the_page_explains_the_limit_and_the_form_asks_for_a_reason(client, full, lead) -> None:
    grade(full, lead, "SG", "not_effective")
    client.force_login(lead)
    page = client.get(page_url(full))
    assert "Most likely from the grades entered: <strong>Inadequate</strong>" in page.text
    assert "JG-3" in page.text
    refused = client.post(record_url(full, "OE"), {"level": level_pk("good")})
    assert refused.status_code == 400
    assert "Enter why, to go ahead." in refused.text
    assert not Judgement.objects.filter(aspect__code="OE").exists()
    saved = client.post(
        record_url(full, "OE"),
        {"level": level_pk("good"), "override_reason": "Agreed at moderation."},
    )
    assert saved.status_code == 302
    assert Judgement.objects.get(aspect__code="OE").override_reason == "Agreed at moderation."


def test_a_stale_save_is_refused_and_keeps_the_users_choice(client, full, lead) -> None:
    first = grade(full, lead, "QE", "good")
    cited = [str(pk) for pk in first.evidence.values_list("pk", flat=True)]
    grade(
        full, lead, "QE", "outstanding", version=first.version, evidence=list(first.evidence.all())
    )
    client.force_login(lead)
    response = client.post(
        record_url(full, "QE"),
        {"level": level_pk("inadequate"), "evidence": cited, "version": str(first.version)},
    )
    assert response.status_code == 409
    assert "changed by someone else" in response.text
    assert f'value="{level_pk("inadequate")}" checked' in response.text
    assert Judgement.objects.get(aspect__code="QE").level.slug == "outstanding"


@pytest.mark.rule("JG-9")
def test_moderation_from_the_page_then_corrections_only(client, full, lead) -> None:
    grade_all_required(full, lead)
    client.force_login(lead)
    inspection = Inspection.objects.get(event=full)
    moderate = reverse("inspections:judgements-moderate", kwargs={"event_pk": full.pk})
    # The page links to a check listing the judgements; opening it changes nothing.
    assert f'href="{moderate}"' in client.get(page_url(full)).text
    check = client.get(moderate)
    assert check.status_code == 200
    assert "Once you confirm them they are no longer provisional" in check.text
    assert Inspection.objects.get(event=full).stage != Stage.MODERATED
    response = client.post(moderate, {"version": str(inspection.version)})
    assert response.status_code == 302
    assert Inspection.objects.get(event=full).stage == Stage.MODERATED
    services.factual_accuracy_start(actor=lead, event=full)
    judgement = Judgement.objects.get(aspect__code="QE")
    page = client.get(page_url(full))
    correct = reverse(
        "inspections:judgement-correct", kwargs={"event_pk": full.pk, "pk": judgement.pk}
    )
    assert correct in page.text
    assert record_url(full, "QE") not in page.text
    reviewer = h.user(Role.QUALITY_ASSURANCE)
    response = client.post(
        correct,
        {
            "level": level_pk("requires_improvement"),
            "factual_error": "Achievement data double-counted a cohort.",
            "approved_by": str(reviewer.pk),
            "version": str(judgement.version),
        },
    )
    assert response.status_code == 302
    correction = JudgementCorrection.objects.get()
    assert (correction.corrected_by, correction.approved_by) == (lead, reviewer)
    page = client.get(page_url(full))
    assert "Achievement data double-counted a cohort." in page.text


def test_a_team_member_reads_the_judgements_but_cannot_record(client, full, lead) -> None:
    grade(full, lead, "QE", "good")
    member = h.team_inspector(full)
    client.force_login(member)
    page = client.get(page_url(full))
    assert page.status_code == 200
    assert "Good" in page.text
    assert record_url(full, "QE") not in page.text
    assert client.get(record_url(full, "BA")).status_code == 403
    refused = client.post(record_url(full, "BA"), {"level": level_pk("good")})
    assert refused.status_code == 403
    assert not Judgement.objects.filter(aspect__code="BA").exists()


def test_programme_staff_see_grades_but_not_the_evidence_itself(client, full, lead) -> None:
    judgement = grade(full, lead, "QE", "good")
    form = judgement.evidence.get()
    client.force_login(h.user(Role.HMIP_COORDINATOR))
    page = client.get(page_url(full))
    assert page.status_code == 200
    assert "1 evidence form cited" in page.text
    assert f"Evidence {form.pk}" not in page.text


@pytest.mark.rule("PG-3")
def test_the_establishment_sees_judgements_only_once_published(client, full, lead) -> None:
    grade(full, lead, "QE", "good")
    local = h.establishment_user(full)
    client.force_login(local)
    assert client.get(page_url(full)).status_code == 403
    h.set_stage(full, Stage.PUBLISHED)
    page = client.get(page_url(full))
    assert page.status_code == 200
    assert "Good" in page.text
    other = h.user(
        Role.ESTABLISHMENT_USER, establishment=h.make_establishment("BL", "HMP Belmarsh")
    )
    client.force_login(other)
    assert client.get(page_url(full)).status_code == 404


def test_the_page_takes_the_same_queries_however_many_judgements(client, full, lead) -> None:
    client.force_login(lead)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page_url(full)).status_code == 200
        return len(captured)

    grade(full, lead, "QE", "good")
    queries()  # the first read caches the framework's definition
    few = queries()
    for code in ("BA", "PD", "LM"):
        grade(full, lead, code, "good")
        for _ in range(3):
            Judgement.objects.get(aspect__code=code).citations.create(
                evidence=evidence(full, lead, code)
            )
    many = queries()
    assert many == few
