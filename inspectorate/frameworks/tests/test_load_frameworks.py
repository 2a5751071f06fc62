"""Framework files: checking them, loading them (idempotent), and versions (JG-1)."""

from __future__ import annotations

import copy

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from inspectorate.accounts.roles import Role
from inspectorate.audit.models import ChainLink
from inspectorate.frameworks.constants import EventKind
from inspectorate.frameworks.definition import FrameworkFileError, checksum, parse_framework
from inspectorate.frameworks.models import Aspect, Framework, Level, Rule
from inspectorate.frameworks.selectors import definition_from_models
from inspectorate.frameworks.services import (
    FrameworkLoadError,
    assessment_create,
    framework_files,
    frameworks_load,
)
from inspectorate.frameworks.tests.conftest import shipped, shipped_document

SHIPPED = [
    "cif-2009",
    "cif-2012",
    "eif-prisons",
    "healthy-prison-tests",
    "hmip-irp-progress",
    "ofsted-irp-themes",
]


@pytest.mark.rule("JG-1")
def test_every_shipped_file_is_a_valid_framework() -> None:
    assert [path.stem for path in framework_files()] == SHIPPED
    for slug in SHIPPED:
        framework = shipped(slug)
        assert framework.slug == slug
        assert framework.scales
        assert framework.aspects


@pytest.mark.rule("JG-1")
@pytest.mark.django_db
def test_load_frameworks_is_idempotent(capsys) -> None:
    call_command("load_frameworks")
    first = capsys.readouterr().out
    assert "6 framework versions loaded, 0 unchanged." in first
    counts = (Framework.objects.count(), Aspect.objects.count(), Rule.objects.count())
    events = ChainLink.objects.count()
    assert events > 0, "loading is audited"

    call_command("load_frameworks")
    assert "0 framework versions loaded, 6 unchanged." in capsys.readouterr().out
    assert (Framework.objects.count(), Aspect.objects.count(), Rule.objects.count()) == counts
    assert ChainLink.objects.count() == events, "a second load must write nothing"


@pytest.mark.rule("JG-1")
@pytest.mark.django_db
def test_the_database_gives_back_the_file(frameworks) -> None:
    for slug, framework in frameworks.items():
        assert definition_from_models(framework) == shipped(slug)
        assert framework.checksum == checksum(shipped_document(slug))
    cif = frameworks["cif-2009"]
    oe = Aspect.objects.get(framework=cif, code="OE")
    assert oe.is_derived
    parent = Aspect.objects.get(framework=cif, code="C3").parent
    assert parent is not None
    assert parent.code == "C"
    assert list(Level.objects.filter(scale__framework=cif).values_list("label", flat=True)) == [
        "Outstanding",
        "Good",
        "Satisfactory",
        "Inadequate",
    ]
    rule = Rule.objects.get(framework=cif, key="safeguarding-inadequate")
    assert rule.definition["strength"] == "most_unlikely"
    assert rule.target == oe


@pytest.mark.rule("JG-1")
@pytest.mark.django_db
def test_reindenting_a_file_is_not_a_change(frameworks, tmp_path) -> None:
    path = tmp_path / "cif-2009.json"
    import json

    path.write_text(json.dumps(shipped_document("cif-2009"), sort_keys=True))
    events = ChainLink.objects.count()
    (outcome,) = frameworks_load(actor=None, paths=[path])
    assert not outcome.created
    assert ChainLink.objects.count() == events


@pytest.mark.rule("JG-1")
@pytest.mark.django_db
def test_a_changed_file_with_the_same_version_is_refused(frameworks, write_framework) -> None:
    document = shipped_document("cif-2009")
    document["rules"][0]["max_grade"] = "good"
    path = write_framework(document, "cif-2009-edited.json")
    events = ChainLink.objects.count()
    with pytest.raises(CommandError) as refused:
        call_command("load_frameworks", str(path))
    message = str(refused.value)
    assert "cif-2009 version 2009.1 is already loaded" in message
    assert "needs a new version number" in message
    assert ChainLink.objects.count() == events
    assert (
        Rule.objects.get(
            framework=frameworks["cif-2009"], key=document["rules"][0]["key"]
        ).definition["max_grade"]
        == "satisfactory"
    )


@pytest.mark.rule("JG-1")
@pytest.mark.django_db
def test_one_bad_file_loads_nothing(write_framework) -> None:
    good = write_framework(shipped_document("cif-2009"), "good.json")
    bad_document = shipped_document("cif-2012")
    bad_document["rules"][0]["target"] = "C3"
    bad = write_framework(bad_document, "bad.json")
    with pytest.raises(
        FrameworkLoadError, match=r"bad.json: rules\[0\].target: 'C3' is not a derived"
    ):
        frameworks_load(actor=None, paths=[good, bad])
    assert not Framework.objects.exists()


@pytest.mark.rule("JG-1")
@pytest.mark.django_db
def test_a_new_version_leaves_old_assessments_on_the_old_one(
    frameworks, write_framework, make_user
) -> None:
    lead = make_user(Role.OFSTED_LEAD_INSPECTOR)
    grades = {"CI": "good", "A": "good", "B": "good", "C": "good", "C3": "good", "C4": "good"}
    old = assessment_create(
        actor=lead,
        framework=frameworks["cif-2009"],
        event_kind=EventKind.FULL_INSPECTION,
        grades=grades,
        choices={"OE": "good"},
    )
    document = shipped_document("cif-2009")
    document["version"] = "2009.2"
    document["rules"] = [r for r in document["rules"] if r["id"] != "JG-3"]
    (outcome,) = frameworks_load(actor=None, paths=[write_framework(document, "cif-2009.2.json")])
    assert outcome.created
    new = Framework.objects.get(slug="cif-2009", version="2009.2")
    assert new.rules.count() == 2

    old.refresh_from_db()
    assert old.framework.version == "2009.1"
    assert old.framework.rules.count() == 8
    assert {grade.level.scale.framework_id for grade in old.grades.all()} == {old.framework_id}
    assert {d.aspect.framework_id for d in old.decisions.all()} == {old.framework_id}


@pytest.mark.django_db
def test_only_administrators_load_frameworks_from_the_service(make_user) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        frameworks_load(actor=make_user(Role.OFSTED_LEAD_INSPECTOR))
    assert not Framework.objects.exists()
    frameworks_load(actor=make_user(Role.SYSTEM_ADMINISTRATOR))
    assert Framework.objects.count() == len(SHIPPED)


def _bad(change) -> list[str]:
    document = copy.deepcopy(shipped_document("cif-2009"))
    change(document)
    with pytest.raises(FrameworkFileError) as error:
        parse_framework(document, source="x.json")
    return error.value.problems


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda d: d.update(format=2), "format: must be 1"),
        (lambda d: d.update(version="next"), "version: 'next' is not in the form needed"),
        (lambda d: d.update(valid_from="2009-13-01"), "valid_from: '2009-13-01' is not a date"),
        (
            lambda d: d["applies_to"].update(event_kinds=["picnic"]),
            "applies_to.event_kinds: 'picnic' is not one of",
        ),
        (lambda d: d["aspects"][3].update(parent="Z"), "aspects[3].parent: 'Z' must be an aspect"),
        (lambda d: d["aspects"][4].update(code="A1"), "aspects[4].code: 'A1' is used by another"),
        (lambda d: d["aspects"][1].update(scale="stars"), "aspects[1].scale: 'stars' is not"),
        (
            lambda d: d["rules"][0]["when"].update(aspect="C9"),
            "rules[0].when.aspect: 'C9' is not one of the file's aspects",
        ),
        (
            lambda d: d["rules"][0]["when"].update(grade_is="awful"),
            "rules[0].when.grade_is: 'awful' is not a level of Common grading scale",
        ),
        (lambda d: d["rules"][0].update(strength="maybe"), "rules[0].strength: 'maybe' is not"),
        (lambda d: d["rules"][0].update(max_grade="inadequate", likely="good"), "rules[0].likely"),
        (lambda d: d["rules"][0].update(id="rule three"), "rules[0].id: 'rule three'"),
        (lambda d: d["rules"][1].update(key=d["rules"][0]["key"]), "rules[1].key"),
        (lambda d: d["rules"][7].update(steps=[]), "rules[7].steps: must have at least 1"),
        (lambda d: d["rules"][7]["steps"].reverse(), "rules[7].steps: must go from the best"),
        (lambda d: d["rules"][6].update(max_grade="good"), "rules[6].max_grade: is not used by"),
        (lambda d: d.update(colour="blue"), "colour: is not a known field"),
    ],
)
def test_a_bad_file_is_refused_naming_the_place_and_problem(change, problem) -> None:
    problems = _bad(change)
    assert any(problem in p for p in problems), problems


def test_every_problem_is_reported_at_once() -> None:
    def two_problems(document) -> None:
        document["slug"] = "Not A Slug"
        document["rules"][0]["target"] = "nope"

    problems = _bad(two_problems)
    assert len(problems) == 2
    assert problems[0].startswith("slug:")
    assert problems[1].startswith("rules[0].target:")
