"""The framework screens, the grade calculator and saved assessments."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from inspectorate.accounts.roles import Role
from inspectorate.frameworks.models import (
    Aspect,
    Assessment,
    Framework,
    GradeDecision,
    Level,
    Scale,
)
from inspectorate.frameworks.services import assessment_create

GOOD = {"CI": "good", "A": "good", "B": "good", "C": "good", "C3": "good", "C4": "good"}


def grade_post(grades: dict[str, str], **extra: str) -> dict[str, str]:
    data = {f"grade_{code}": level for code, level in grades.items()}
    data.update(extra)
    return data


def calculator_url(framework: Framework) -> str:
    return f"{reverse('frameworks:calculator')}?framework={framework.pk}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.HMIP_INSPECTOR, Role.OFSTED_SCHEDULER, Role.IMPROVEMENT_HMI])
def test_staff_see_the_frameworks_and_their_versions(client, make_user, frameworks, role) -> None:
    client.force_login(make_user(role))
    page = client.get(reverse("frameworks:list"))
    assert page.status_code == 200
    text = page.text
    assert "Common Inspection Framework 2009" in text
    assert "2012.1" in text
    assert "HMI Prisons healthy prison tests" in text
    assert "Grade calculator" not in text, "only assessors are offered the calculator"


@pytest.mark.rule("JG-1")
@pytest.mark.django_db
def test_the_framework_page_shows_aspects_scales_and_rules(client, make_user, frameworks) -> None:
    client.force_login(make_user(Role.HMIP_INSPECTOR))
    cif = frameworks["cif-2009"]
    page = client.get(reverse("frameworks:detail", args=[cif.slug, cif.version]))
    assert page.status_code == 200
    text = page.text
    assert "How safe do offenders feel?" in text  # A3's evaluation requirement, as written
    assert "C3 Safeguarding" in text
    assert "Grade 3: there is a trend of improvement" in text  # a level definition
    assert (
        "If safeguarding (C3) is graded inadequate, overall effectiveness is most unlikely to be "
        "better than satisfactory; it is likely to be inadequate." in text
    )
    assert "JG-4" in text
    assert "JG-5" in text
    assert text.count("<h1") == 1


@pytest.mark.rule("JG-6")
@pytest.mark.rule("JG-7")
@pytest.mark.django_db
def test_the_irp_scales_are_shown(client, make_user, frameworks) -> None:
    client.force_login(make_user(Role.HMIP_TEAM_LEADER))
    hmip = client.get(reverse("frameworks:detail", args=["hmip-irp-progress", "2026.1"])).text
    for label in (
        "Good progress",
        "Reasonable progress",
        "Insufficient progress",
        "No meaningful progress",
    ):
        assert label in hmip
    assert "once per recommendation followed up" in hmip
    ofsted = client.get(reverse("frameworks:detail", args=["ofsted-irp-themes", "2026.1"])).text
    for label in ("Significant progress", "Reasonable progress", "Insufficient progress"):
        assert label in ofsted
    levels = Level.objects.filter(scale__framework__slug="ofsted-irp-themes")
    assert list(levels.values_list("slug", flat=True)) == [
        "significant_progress",
        "reasonable_progress",
        "insufficient_progress",
    ]


@pytest.mark.django_db
def test_establishment_users_are_refused_every_screen(client, make_user, establishment, frameworks):
    client.force_login(make_user(Role.ESTABLISHMENT_USER, establishment=establishment))
    cif = frameworks["cif-2009"]
    for url in (
        reverse("frameworks:list"),
        reverse("frameworks:detail", args=[cif.slug, cif.version]),
        reverse("frameworks:calculator"),
        calculator_url(cif),
        reverse("frameworks:assessment-list"),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Common Inspection Framework" not in response.text


@pytest.mark.django_db
def test_the_calculator_and_assessments_are_for_assessors_only(client, make_user, frameworks):
    client.force_login(make_user(Role.HMIP_INSPECTOR))
    assert client.get(reverse("frameworks:calculator")).status_code == 403
    assert client.get(reverse("frameworks:assessment-list")).status_code == 403
    post = client.post(calculator_url(frameworks["cif-2009"]), grade_post(GOOD, action="save"))
    assert post.status_code == 403
    assert not Assessment.objects.exists()


def _tiny_framework(n: int) -> None:
    framework = Framework.objects.create(
        slug=f"tiny-{n}",
        version="1.0",
        name=f"Tiny framework {n}",
        valid_from=date(2026, 1, 1),
        event_kinds=["full_inspection"],
        source_file="tiny.json",
        checksum="0" * 64,
    )
    scale = Scale.objects.create(framework=framework, slug="s", name="Scale", position=0)
    Level.objects.create(scale=scale, slug="l", label="L", value=1, definition="d", position=0)
    Aspect.objects.create(
        framework=framework, code="X", title="X", scale=scale, kind="main", position=0
    )


@pytest.mark.django_db
def test_the_list_makes_a_fixed_number_of_queries(client, make_user, django_assert_num_queries):
    client.force_login(make_user(Role.HMIP_INSPECTOR))
    for n in range(3):
        _tiny_framework(n)
    with CaptureQueriesContext(connection) as three:
        assert client.get(reverse("frameworks:list")).status_code == 200
    for n in range(3, 30):
        _tiny_framework(n)
    with django_assert_num_queries(len(three.captured_queries)):
        page = client.get(reverse("frameworks:list"))
    assert page.text.count("Tiny framework") == 30


@pytest.mark.django_db
def test_the_assessment_list_makes_a_fixed_number_of_queries(
    client, make_user, frameworks, django_assert_num_queries
) -> None:
    lead = make_user(Role.OFSTED_LEAD_INSPECTOR)
    client.force_login(lead)
    cif = frameworks["cif-2009"]
    oe = Aspect.objects.get(framework=cif, code="OE")
    good = Level.objects.get(scale=oe.scale, slug="good")

    def add(count: int) -> None:
        for _ in range(count):
            assessment = Assessment.objects.create(
                framework=cif, event_kind="full_inspection", created_by=lead
            )
            GradeDecision.objects.create(
                assessment=assessment,
                aspect=oe,
                level=good,
                decided_by=lead,
                decided_at=timezone.now(),
            )

    add(3)
    with CaptureQueriesContext(connection) as three:
        assert client.get(reverse("frameworks:assessment-list")).status_code == 200
    add(27)
    with django_assert_num_queries(len(three.captured_queries)):
        page = client.get(reverse("frameworks:assessment-list"))
    assert page.text.count("Overall effectiveness: Good") == 30


@pytest.mark.django_db
def test_the_calculator_offers_only_frameworks_graded_once_per_event(client, make_user, frameworks):
    client.force_login(make_user(Role.QUALITY_ASSURANCE))
    page = client.get(reverse("frameworks:calculator"))
    assert page.status_code == 200
    assert "Common Inspection Framework 2009" in page.text
    assert "HMI Prisons healthy prison tests" in page.text
    assert "independent review of progress: recommendations" not in page.text
    bad = client.get(reverse("frameworks:calculator") + "?framework=999999")
    assert bad.status_code == 400
    assert "Choose a framework from the list" in bad.text


@pytest.mark.rule("JG-3")
@pytest.mark.django_db
def test_the_calculator_shows_allowed_grades_most_likely_and_reasons(
    client, make_user, frameworks
) -> None:
    client.force_login(make_user(Role.OFSTED_LEAD_INSPECTOR))
    url = calculator_url(frameworks["cif-2009"])
    form = client.get(url)
    assert form.status_code == 200
    assert 'name="grade_C3"' in form.text
    assert 'name="grade_OE"' not in form.text, "the derived judgement is not entered"

    result = client.post(url, grade_post(GOOD | {"C3": "inadequate"}, action="calculate"))
    assert result.status_code == 200
    text = result.text
    assert "Most likely grade:" in text
    assert "Needs a recorded reason" in text
    assert "<strong>JG-3</strong>: Safeguarding (C3) is inadequate" in text
    assert "<strong>JG-4</strong>" in text
    assert not Assessment.objects.exists(), "calculating saves nothing"


@pytest.mark.rule("JG-3")
@pytest.mark.django_db
def test_saving_a_warned_grade_needs_a_reason(client, make_user, frameworks) -> None:
    client.force_login(make_user(Role.OFSTED_LEAD_INSPECTOR))
    url = calculator_url(frameworks["cif-2009"])
    data = grade_post(
        GOOD | {"C3": "inadequate"},
        action="save",
        event_kind="full_inspection",
        choice_OE="good",
    )
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "There is a problem" in refused.text
    assert "Give the reason for grading overall effectiveness good" in refused.text
    assert 'href="#id_reason_OE"' in refused.text
    assert not Assessment.objects.exists()

    saved = client.post(url, data | {"reason_OE": "Failings were isolated and fixed."})
    assessment = Assessment.objects.get()
    assert saved.status_code == 302
    assert saved["Location"] == reverse("frameworks:assessment-detail", args=[assessment.pk])
    detail = client.get(saved["Location"])
    assert "Overrides JG-3, JG-4: Failings were isolated and fixed." in detail.text
    assert "Common Inspection Framework 2009" in detail.text
    assert "(2009.1)" in detail.text


@pytest.mark.rule("JG-3")
@pytest.mark.django_db
def test_quality_assurance_cannot_override_in_the_calculator(client, make_user, frameworks):
    client.force_login(make_user(Role.QUALITY_ASSURANCE))
    response = client.post(
        calculator_url(frameworks["cif-2009"]),
        grade_post(
            GOOD | {"C4": "satisfactory", "A": "outstanding", "B": "outstanding"},
            action="save",
            event_kind="full_inspection",
            choice_OE="outstanding",
            reason_OE="Because.",
        ),
    )
    assert response.status_code == 400
    assert (
        "Only an Ofsted lead inspector or an HMI Prisons team leader can override" in response.text
    )
    assert not Assessment.objects.exists()


@pytest.mark.rule("JG-8")
@pytest.mark.django_db
def test_the_calculator_refuses_healthy_prison_tests_at_an_irp(
    client, make_user, frameworks, establishment
) -> None:
    client.force_login(make_user(Role.HMIP_TEAM_LEADER))
    url = calculator_url(frameworks["healthy-prison-tests"])
    data = grade_post(
        {"S": "good", "R": "good", "PA": "poor", "RRP": "reasonably_good"},
        action="save",
        event_kind="irp",
        establishment=str(establishment.pk),
    )
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "cannot be scored at an independent review of progress" in refused.text
    assert not Assessment.objects.exists()
    saved = client.post(url, data | {"event_kind": "full_inspection"})
    assert saved.status_code == 302
    assert Assessment.objects.get().establishment == establishment


@pytest.mark.django_db
def test_a_grade_can_be_changed_on_the_assessment_page(client, make_user, frameworks) -> None:
    lead = make_user(Role.HMIP_TEAM_LEADER)
    client.force_login(lead)
    assessment = assessment_create(
        actor=lead,
        framework=frameworks["cif-2012"],
        event_kind="full_inspection",
        grades=GOOD,
        choices={"OE": "good"},
    )
    decision = assessment.decisions.get()
    url = reverse("frameworks:decision-change", args=[assessment.pk, decision.pk])
    prefix = f"d{decision.pk}-"
    page = client.get(reverse("frameworks:assessment-detail", args=[assessment.pk]))
    assert "Requires improvement" in page.text  # the 2012 scale (JG-2)

    refused = client.post(url, {prefix + "level": "requires_improvement", prefix + "version": "1"})
    assert refused.status_code == 400
    assert "Give the reason for grading overall effectiveness requires improvement" in refused.text

    changed = client.post(
        url,
        {
            prefix + "level": "requires_improvement",
            prefix + "reason": "Outcomes data were found to be inaccurate.",
            prefix + "version": "1",
        },
    )
    assert changed.status_code == 302
    decision.refresh_from_db()
    assert (decision.level.slug, decision.version) == ("requires_improvement", 2)

    stale = client.post(
        url,
        {prefix + "level": "good", prefix + "version": "1"},
    )
    assert stale.status_code == 400
    assert "changed by someone else" in stale.text
