"""Frameworks in use today (JG-1, JG-8): a prison inspection is graded under Ofsted's
education inspection framework for prisons from its start date, the CIF files stay for
probation and earlier inspections, a new framework is a new file, and the healthy prison test
scores are read through one selector."""

from __future__ import annotations

import copy
import json
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from inspectorate.frameworks.definition import FrameworkFileError, parse_framework
from inspectorate.frameworks.models import Aspect, Framework, Level
from inspectorate.frameworks.selectors import frameworks_in_force, healthy_prison_scores
from inspectorate.frameworks.services import frameworks_load
from inspectorate.frameworks.tests.conftest import shipped_document
from inspectorate.inspections.constants import EvidenceSource, Stage
from inspectorate.inspections.fieldwork.selectors import applicable_frameworks
from inspectorate.inspections.fieldwork.services import evidence_create
from inspectorate.inspections.judgements.services import judgement_record
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.programme.constants import EventKind
from inspectorate.programme.tests.test_milestone_helpers import make_establishment, make_event

pytestmark = pytest.mark.django_db

PRISON_WORDS_NOT_WANTED = ("probation trust", "offenders", "Outcomes for offenders")


@pytest.fixture(autouse=True)
def _frameworks(db) -> None:
    frameworks_load(actor=None)


def _prison_inspection_starting_soon():
    """A full inspection of HMP Leeds created today, starting in eight weeks."""
    starts = timezone.localdate() + timedelta(weeks=8)
    event = make_event(h.leeds(), kind=EventKind.FULL_INSPECTION, starts_on=starts, signal=False)
    h.Inspection.objects.create(event=event, stage=Stage.FIELDWORK)
    return event


def _aspect(slug: str, code: str) -> Aspect:
    return Aspect.objects.select_related("framework", "scale").get(framework__slug=slug, code=code)


def _evidence(event, author, aspect: Aspect):
    return evidence_create(
        actor=author,
        event=event,
        evidence_on=event.starts_on,
        source=EvidenceSource.STAFF,
        aspect=aspect,
        text="Leaders allocate prisoners to activities within a week of arrival.",
    )


@pytest.mark.rule("JG-1")
@pytest.mark.rule("JG-8")
def test_a_prison_inspection_created_today_offers_the_prison_framework(client) -> None:
    event = _prison_inspection_starting_soon()
    assert [f.slug for f in applicable_frameworks(event)] == [
        "eif-prisons",
        "healthy-prison-tests",
    ]
    lead = h.ofsted_lead(event)
    client.force_login(lead)
    page = client.get(reverse("inspections:judgements", kwargs={"event_pk": event.pk}))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Education inspection framework: education, skills and work in prisons" in text
    for title in ("Quality of education", "Behaviour and attitudes", "Personal development"):
        assert title in text
    assert "Rehabilitation and release planning" in text  # the healthy prison tests
    for words in PRISON_WORDS_NOT_WANTED:
        assert words not in text, words


@pytest.mark.rule("JG-1")
def test_the_grade_screen_shows_prison_wording_and_the_grade_descriptors(client) -> None:
    event = _prison_inspection_starting_soon()
    lead = h.ofsted_lead(event)
    quality = _aspect("eif-prisons", "QE")
    client.force_login(lead)
    page = client.get(
        reverse(
            "inspections:judgement-record",
            kwargs={"event_pk": event.pk, "aspect_pk": quality.pk},
        )
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "prisoners" in text
    assert "version 2024.1" in text
    good = Level.objects.get(scale=quality.scale, slug="good")
    assert good.definition in text  # each grade's descriptor beside its radio
    for words in PRISON_WORDS_NOT_WANTED:
        assert words not in text, words


@pytest.mark.rule("JG-1")
def test_a_judgement_records_and_shows_the_framework_files_version(client) -> None:
    event = _prison_inspection_starting_soon()
    lead = h.ofsted_lead(event)
    quality = _aspect("eif-prisons", "QE")
    judgement = judgement_record(
        actor=lead,
        event=event,
        aspect=quality,
        level=Level.objects.get(scale=quality.scale, slug="good"),
        evidence=[_evidence(event, lead, quality)],
    )
    assert (judgement.framework.slug, judgement.framework.version) == ("eif-prisons", "2024.1")
    assert judgement.framework.source_file == "eif-prisons.json"
    client.force_login(lead)
    page = client.get(reverse("inspections:judgements", kwargs={"event_pk": event.pk}))
    assert "Version 2024.1" in page.content.decode()


@pytest.mark.rule("JG-1")
def test_earlier_prison_inspections_and_probation_keep_the_common_inspection_framework() -> None:
    leeds = h.leeds()
    probation = make_establishment("PA1", "London probation area", kind="probation_area")
    chosen = {
        "prison 2015": frameworks_in_force(
            event_kind="full_inspection", establishment_kind="prison", on=date(2015, 6, 1)
        ),
        "prison, the EIF's first day": frameworks_in_force(
            event_kind="full_inspection", establishment_kind="prison", on=date(2020, 2, 1)
        ),
        "probation today": frameworks_in_force(
            event_kind="full_inspection",
            establishment_kind=probation.kind,
            on=timezone.localdate(),
        ),
        "further education today": frameworks_in_force(
            event_kind="full_inspection", establishment_kind="fe_provider", on=date(2026, 1, 5)
        ),
    }
    slugs = {name: [f.slug for f in found] for name, found in chosen.items()}
    assert "cif-2012" in slugs["prison 2015"]
    assert "eif-prisons" not in slugs["prison 2015"]
    assert "eif-prisons" in slugs["prison, the EIF's first day"]
    assert "cif-2012" not in slugs["prison, the EIF's first day"]
    assert slugs["probation today"] == ["cif-2009"]
    assert slugs["further education today"] == ["cif-2012"]  # the EIF file is for prisons
    assert leeds.kind == "prison"


@pytest.mark.rule("JG-1")
def test_a_new_framework_is_a_new_file_not_new_code(tmp_path) -> None:
    """A later version of the prison framework, and a new framework that supersedes it,
    loaded from files in a temporary directory: each is chosen from its start date and
    graded with, with no change of code."""
    revised = copy.deepcopy(shipped_document("eif-prisons"))
    revised["version"] = "2027.1"
    revised["valid_from"] = "2027-09-01"
    revised["aspects"][1]["title"] = "Quality of education and training"
    successor = copy.deepcopy(shipped_document("eif-prisons"))
    successor.update(
        slug="prison-education-2028",
        version="2028.1",
        valid_from="2028-04-01",
        name="Prison education framework 2028",
        supersedes=["eif-prisons"],
    )
    successor["scales"][0]["levels"][2]["label"] = "Needs attention"
    paths = []
    for name, document in (("revised.json", revised), ("successor.json", successor)):
        path = tmp_path / name
        path.write_text(json.dumps(document), encoding="utf-8")
        paths.append(path)
    frameworks_load(actor=None, paths=paths)

    def education_on(day: date) -> Framework:
        found = frameworks_in_force(
            event_kind="full_inspection", establishment_kind="prison", on=day
        )
        (education,) = [f for f in found if f.slug != "healthy-prison-tests"]
        return education

    assert education_on(date(2027, 8, 31)).version == "2024.1"
    assert education_on(date(2027, 9, 1)).version == "2027.1"
    assert education_on(date(2028, 4, 1)).slug == "prison-education-2028"

    event = make_event(
        h.leeds(), kind=EventKind.FULL_INSPECTION, starts_on=date(2028, 5, 8), signal=False
    )
    h.Inspection.objects.create(event=event, stage=Stage.FIELDWORK)
    lead = h.ofsted_lead(event)
    quality = _aspect("prison-education-2028", "QE")
    judgement = judgement_record(
        actor=lead,
        event=event,
        aspect=quality,
        level=Level.objects.get(scale=quality.scale, label="Needs attention"),
        evidence=[_evidence(event, lead, quality)],
    )
    assert (judgement.framework.slug, judgement.level.label) == (
        "prison-education-2028",
        "Needs attention",
    )


@pytest.mark.parametrize(
    ("supersedes", "problem"),
    [
        (["eif-prisons"], "supersedes: a framework cannot replace itself"),
        (["Not a slug"], "supersedes: 'Not a slug' is not a framework slug"),
        ("cif-2012", "supersedes: must be a list"),
    ],
)
def test_a_bad_supersedes_is_refused_naming_the_problem(supersedes, problem) -> None:
    document = copy.deepcopy(shipped_document("eif-prisons"))
    document["supersedes"] = supersedes
    with pytest.raises(FrameworkFileError) as error:
        parse_framework(document)
    assert problem in error.value.problems


@pytest.mark.rule("JG-8")
def test_healthy_prison_scores_are_recorded_per_full_inspection_and_read_by_one_selector() -> None:
    event = _prison_inspection_starting_soon()
    leader = h.team_leader(event)
    scores = {"S": "good", "R": "reasonably_good", "PA": "poor", "RRP": "not_sufficiently_good"}
    for code, slug in scores.items():
        test = _aspect("healthy-prison-tests", code)
        judgement_record(
            actor=leader,
            event=event,
            aspect=test,
            level=Level.objects.get(scale=test.scale, slug=slug),
            evidence=[_evidence(event, leader, test)],
        )
    other = _prison_inspection_starting_soon_elsewhere()
    found = healthy_prison_scores(event_ids=[event.pk, other.pk])
    assert other.pk not in found
    assert [(s.test, s.score, s.value) for s in found[event.pk]] == [
        ("Safety", "Good", 4),
        ("Respect", "Reasonably good", 3),
        ("Purposeful activity", "Poor", 1),
        ("Rehabilitation and release planning", "Not sufficiently good", 2),
    ]
    assert {s.status for s in found[event.pk]} == {"provisional"}
    assert {s.framework_version for s in found[event.pk]} == {"2026.1"}


def _prison_inspection_starting_soon_elsewhere():
    starts = timezone.localdate() + timedelta(weeks=20)
    return make_event(
        make_establishment("WD", "HMP Wakefield"),
        kind=EventKind.FULL_INSPECTION,
        starts_on=starts,
        signal=False,
    )
