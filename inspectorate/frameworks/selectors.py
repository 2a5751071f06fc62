"""Reads: frameworks and their definitions, the calculator's choices, saved assessments."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from inspectorate.frameworks.constants import AppliesPer, AspectKind
from inspectorate.frameworks.definition import FrameworkDef, parse_framework
from inspectorate.frameworks.engine import describe_rule, rule_effect
from inspectorate.frameworks.models import (
    Aspect,
    Assessment,
    AssessmentGrade,
    Framework,
    GradeDecision,
    Level,
    Rule,
    Scale,
)

# Frameworks never change once loaded (a change is a new version), so a definition built
# from the database can be kept for the life of the process, keyed by row and checksum.
_DEFINITIONS: dict[tuple[int, str], FrameworkDef] = {}


def framework_list(*, user: Any) -> QuerySet[Framework]:
    """Every framework version `user` may see, with counts; a fixed number of queries."""
    return (
        Framework.objects.visible_to(user)
        .annotate(
            aspect_count=Count("aspects", distinct=True),
            rule_count=Count("rules", distinct=True),
        )
        .order_by("name", "-valid_from", "pk")
    )


def frameworks_in_force(*, event_kind: str, establishment_kind: str, on: date) -> list[Framework]:
    """The frameworks used at an event of `event_kind` at an establishment of
    `establishment_kind` whose first day is `on` (JG-1, JG-8), by name. One query.

    Frameworks form lines: the versions of one slug, joined with every framework one of them
    `supersedes`. Each line gives one framework: its newest version in force on `on`, else
    (an event before any of them started) its earliest. So a new file with a later
    `valid_from`, or one that supersedes another, takes over from its start date with no
    change of code.
    """
    rows = list(
        Framework.objects.filter(event_kinds__contains=[event_kind])
        .filter(Q(establishment_kinds=[]) | Q(establishment_kinds__contains=[establishment_kind]))
        .order_by("valid_from", "pk")
    )
    lines: dict[str, list[Framework]] = defaultdict(list)
    line_of = _lines(rows)
    for framework in rows:
        lines[line_of[framework.slug]].append(framework)
    chosen = []
    for versions in lines.values():
        in_force = [f for f in versions if f.valid_from <= on]
        chosen.append(in_force[-1] if in_force else versions[0])
    return sorted(chosen, key=lambda framework: (framework.name, framework.pk))


def _lines(frameworks: Iterable[Framework]) -> dict[str, str]:
    """Each slug's line: the smallest slug it is joined to through `supersedes`."""
    parent: dict[str, str] = {}

    def root(slug: str) -> str:
        while parent.setdefault(slug, slug) != slug:
            slug = parent[slug]
        return slug

    for framework in frameworks:
        for other in [framework.slug, *framework.supersedes]:
            a, b = root(framework.slug), root(other)
            parent[max(a, b)] = min(a, b)
    return {slug: root(slug) for slug in list(parent)}


def framework_get(*, user: Any, slug: str, version: str) -> Framework:
    try:
        return Framework.objects.visible_to(user).get(slug=slug, version=version)
    except Framework.DoesNotExist:
        raise Http404("No such framework version.") from None


def _framework_rows(framework: Framework) -> Framework:
    """The framework with every scale, level, aspect and rule fetched (4 queries)."""
    frameworks: QuerySet[Framework] = Framework.objects.all()
    return frameworks.prefetch_related(
        Prefetch("scales", queryset=Scale.objects.order_by("position")),
        Prefetch("scales__levels", queryset=Level.objects.order_by("position")),
        Prefetch(
            "aspects",
            queryset=Aspect.objects.select_related("parent", "scale").order_by("position"),
        ),
        Prefetch("rules", queryset=Rule.objects.select_related("target").order_by("position")),
    ).get(pk=framework.pk)


def framework_document(framework: Framework) -> dict[str, Any]:
    """The framework's JSON document, rebuilt from the database rows."""
    rows = _framework_rows(framework)
    return {
        "format": 1,
        "slug": rows.slug,
        "name": rows.name,
        "version": rows.version,
        "valid_from": rows.valid_from.isoformat(),
        "source": rows.source,
        "description": rows.description,
        "applies_to": {
            "establishment_kinds": list(rows.establishment_kinds),
            "event_kinds": list(rows.event_kinds),
        },
        **({"supersedes": list(rows.supersedes)} if rows.supersedes else {}),
        "scales": [
            {
                "slug": scale.slug,
                "name": scale.name,
                "description": scale.description,
                "levels": [
                    {
                        "slug": level.slug,
                        "value": level.value,
                        "label": level.label,
                        "definition": level.definition,
                    }
                    for level in scale.levels.all()
                ],
            }
            for scale in rows.scales.all()
        ],
        "aspects": [
            {
                "code": aspect.code,
                "parent": aspect.parent.code if aspect.parent else None,
                "title": aspect.title,
                "question": aspect.question,
                "guidance": aspect.guidance,
                "scale": aspect.scale.slug,
                "kind": aspect.kind,
                "required": aspect.required,
                "applies_per": aspect.applies_per,
            }
            for aspect in rows.aspects.all()
        ],
        "rules": [rule.definition for rule in rows.rules.all()],
    }


def definition_from_models(framework: Framework) -> FrameworkDef:
    """The engine's frozen definition of a loaded framework version."""
    key = (framework.pk, framework.checksum)
    if key not in _DEFINITIONS:
        _DEFINITIONS[key] = parse_framework(
            framework_document(framework), source=f"{framework.slug} {framework.version}"
        )
    return _DEFINITIONS[key]


@dataclass(frozen=True)
class AspectNode:
    aspect: Aspect
    children: tuple[AspectNode, ...]


@dataclass(frozen=True)
class RuleText:
    rule: Rule
    description: str
    effect: str


@dataclass(frozen=True)
class FrameworkPage:
    framework: Framework
    definition: FrameworkDef
    tree: tuple[AspectNode, ...]
    scales: tuple[Scale, ...]
    rules: tuple[RuleText, ...]
    assessable: bool


def framework_page(*, user: Any, slug: str, version: str) -> FrameworkPage:
    """Everything the framework page shows: aspects as a tree, scales, rules in words."""
    framework = _framework_rows(framework_get(user=user, slug=slug, version=version))
    definition = definition_from_models(framework)
    aspects = list(framework.aspects.all())
    by_parent: dict[int | None, list[Aspect]] = {}
    for aspect in aspects:
        by_parent.setdefault(aspect.parent_id, []).append(aspect)

    def nodes(parent: int | None) -> tuple[AspectNode, ...]:
        return tuple(AspectNode(a, nodes(a.pk)) for a in by_parent.get(parent, []))

    rule_defs = {rule.key: rule for rule in definition.rules}
    texts = tuple(
        RuleText(
            rule=rule,
            description=describe_rule(rule_defs[rule.key], definition),
            effect=rule_effect(rule_defs[rule.key]),
        )
        for rule in framework.rules.all()
    )
    return FrameworkPage(
        framework=framework,
        definition=definition,
        tree=nodes(None),
        scales=tuple(framework.scales.all()),
        rules=texts,
        assessable=bool(definition.graded_aspects),
    )


def calculator_frameworks(*, user: Any) -> QuerySet[Framework]:
    """Frameworks with aspects graded once per event: those the calculator can grade."""
    graded = Aspect.objects.filter(applies_per=AppliesPer.EVENT).exclude(kind=AspectKind.DERIVED)
    return (
        Framework.objects.visible_to(user)
        .filter(pk__in=graded.values("framework_id"))
        .order_by("name", "-valid_from", "pk")
    )


def _assessments(user: Any) -> QuerySet[Assessment]:
    return Assessment.objects.visible_to(user).select_related(
        "framework", "establishment", "created_by"
    )


def _ordered_by_aspect(queryset: QuerySet[Any], *related: str) -> QuerySet[Any]:
    return queryset.select_related(*related).order_by("aspect__position")


def assessment_list(*, user: Any) -> QuerySet[Assessment]:
    """Saved assessments `user` may see, newest first; a fixed number of queries."""
    return (
        _assessments(user)
        .prefetch_related(
            Prefetch(
                "decisions",
                queryset=_ordered_by_aspect(GradeDecision.objects.all(), "aspect", "level"),
            )
        )
        .order_by("-created_at", "-pk")
    )


def assessment_get(*, user: Any, pk: int) -> Assessment:
    """One saved assessment with its grades and decisions (a fixed number of queries)."""
    try:
        return (
            _assessments(user)
            .prefetch_related(
                Prefetch(
                    "grades",
                    queryset=_ordered_by_aspect(
                        AssessmentGrade.objects.all(), "aspect", "aspect__parent", "level"
                    ),
                ),
                Prefetch(
                    "decisions",
                    queryset=_ordered_by_aspect(
                        GradeDecision.objects.all(), "aspect", "level", "most_likely", "decided_by"
                    ),
                ),
            )
            .get(pk=pk)
        )
    except Assessment.DoesNotExist:
        raise Http404("No such assessment.") from None


# Healthy prison test scores (JG-8) ---------------------------------------------------------

HEALTHY_PRISON_TESTS = "healthy-prison-tests"


@dataclass(frozen=True)
class HealthyPrisonScore:
    """One healthy prison test scored at one full inspection."""

    event_id: int
    code: str  # the test's code in the framework file: S, R, PA, RRP
    test: str  # its title: Safety, Respect, ...
    score: str  # the level's label: Good, Reasonably good, ...
    value: int  # HMI Prisons' number for it: 4 good to 1 poor
    status: str  # provisional, moderated (JG-9)
    framework_version: str


def healthy_prison_scores(*, event_ids: Iterable[int]) -> dict[int, list[HealthyPrisonScore]]:
    """The healthy prison test scores recorded at each of `event_ids`, in the framework's
    order of tests; an event with none is absent. One query.

    The caller decides who may see them: open data passes only published inspections.
    """
    from inspectorate.inspections.models import Judgement

    rows = (
        Judgement.objects.filter(
            event_id__in=list(event_ids),
            framework__slug=HEALTHY_PRISON_TESTS,
            follow_up__isnull=True,
        )
        .select_related("aspect", "level", "framework")
        .order_by("event_id", "aspect__position")
    )
    found: dict[int, list[HealthyPrisonScore]] = defaultdict(list)
    for row in rows:
        found[row.event_id].append(
            HealthyPrisonScore(
                event_id=row.event_id,
                code=row.aspect.code,
                test=row.aspect.title,
                score=row.level.label,
                value=row.level.value,
                status=row.status,
                framework_version=row.framework.version,
            )
        )
    return dict(found)
