"""What importing one parsed report would do, item by item, before anything is written (HI-2).

`plan_import` reads the register and the records already here and answers, for the event,
the inspection an IRP follows and every concern, recommendation, healthy prison score,
follow-up (with its progress judgement) and positive practice: create, unchanged, change
(with the difference) or refuse, with the page and line it came from. It writes nothing:
`commit.commit_import` does, from this plan.

Refusals stop the whole import (all or nothing): an establishment not in the register (the
closest names are offered), dates not found, a judgement word on neither scale, a count
sentence that disagrees with the judgements found, a judgement on the wrong scale, or a
change to records that were made in the service rather than recorded as history.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from django.core.exceptions import PermissionDenied

from inspectorate.estate.models import Establishment
from inspectorate.frameworks.models import Aspect, Framework, Level
from inspectorate.imports.models import DocumentKind, SourceDocument
from inspectorate.imports.published.parsed import ParsedReport, Problem, Source
from inspectorate.imports.published.reading import sniff_format
from inspectorate.inspections.constants import (
    FOLLOW_UP_FRAMEWORK,
    HEALTHY_PRISON_TESTS,
    ConcernKind,
    FollowUpKind,
)
from inspectorate.inspections.models import Concern, FollowUp, Judgement, Recommendation
from inspectorate.inspections.models import PositivePractice as PositivePracticeRecord
from inspectorate.lib.wording import lower_first
from inspectorate.programme.constants import EventKind, EventStatus
from inspectorate.programme.models import Event

if TYPE_CHECKING:
    from inspectorate.accounts.models import User

Action = Literal["create", "unchanged", "change", "refuse"]
ACTION_LABELS = {
    "create": "Create",
    "unchanged": "Unchanged",
    "change": "Change",
    "refuse": "Refused",
}
EVENT_KINDS = {"full": EventKind.FULL_INSPECTION, "irp": EventKind.IRP}
SCALE_NAMES = {
    FollowUpKind.RECOMMENDATION: "HMI Prisons' progress scale (JG-6)",
    FollowUpKind.THEME: "Ofsted's progress scale (JG-7)",
}
# How the report names a healthy prison test → the test's code in the framework file.
HEALTHY_PRISON_CODES = {
    "safety": "S",
    "respect": "R",
    "purposeful activity": "PA",
    "rehabilitation and release planning": "RRP",
    "resettlement": "RRP",
}
_KIND_WORDS = frozenset(
    {"hmp", "yoi", "hmyoi", "hmps", "and", "&", "prison", "young", "offender", "institution", "the"}
)


@dataclass
class PlanItem:
    """One record the import would make or find. `key` identifies it within the plan (a
    paragraph reference, a test's code); `values` are what commit writes."""

    kind: str
    key: str
    title: str
    action: Action
    source: Source | None = None
    differences: list[str] = field(default_factory=list)
    existing_id: int | None = None
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def action_label(self) -> str:
        return ACTION_LABELS[self.action]

    @property
    def where(self) -> str:
        if self.source is None:
            return ""
        return f"page {self.source.page}, line {self.source.line}"

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "key": self.key,
            "title": self.title,
            "action": self.action,
            "differences": self.differences,
            "page": self.source.page if self.source else None,
            "line": self.source.line if self.source else None,
            "paragraph": self.source.paragraph if self.source else "",
            "existing_id": self.existing_id,
        }


@dataclass
class EventPlan:
    """The event a report is about (or the inspection an IRP follows): found or to create."""

    kind: str
    starts_on: date
    ends_on: date
    action: Action
    existing: Event | None = None
    differences: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        kind = EventKind(self.kind).label
        return f"{kind} from {self.starts_on:%-d %B %Y} to {self.ends_on:%-d %B %Y}"


@dataclass
class ImportPlan:
    parsed: ParsedReport
    data: bytes
    filename: str
    sha256: str
    file_format: str
    establishment: Establishment | None = None
    event: EventPlan | None = None
    followed: EventPlan | None = None
    items: list[PlanItem] = field(default_factory=list)
    refusals: list[Problem] = field(default_factory=list)
    unplaced: list[Problem] = field(default_factory=list)
    same_document: SourceDocument | None = None
    previous_document: SourceDocument | None = None
    closest_names: list[str] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return bool(self.refusals) or any(item.action == "refuse" for item in self.items)

    @property
    def changes_nothing(self) -> bool:
        events = [plan for plan in (self.event, self.followed) if plan is not None]
        return all(item.action == "unchanged" for item in self.items) and all(
            plan.action == "unchanged" for plan in events
        )

    def counts(self) -> dict[str, int]:
        found = dict.fromkeys(ACTION_LABELS, 0)
        for item in self.items:
            found[item.action] += 1
        return found

    @property
    def summary(self) -> str:
        if self.refused:
            return "refused: " + "; ".join(self.refusal_messages())
        if self.same_document is not None:
            return "unchanged: this document was imported already"
        counts = self.counts()
        return (
            f"{counts['create']} to create, {counts['change']} to change, "
            f"{counts['unchanged']} unchanged"
        )

    def refusal_messages(self) -> list[str]:
        messages = [located(problem) for problem in self.refusals]
        messages += [
            f"{item.title}: {'; '.join(item.differences)}"
            for item in self.items
            if item.action == "refuse"
        ]
        return messages

    def as_json(self) -> dict[str, Any]:
        def event(plan: EventPlan | None) -> dict[str, Any] | None:
            if plan is None:
                return None
            return {
                "kind": plan.kind,
                "starts_on": plan.starts_on.isoformat(),
                "ends_on": plan.ends_on.isoformat(),
                "action": plan.action,
                "existing_id": plan.existing.pk if plan.existing else None,
                "differences": plan.differences,
            }

        return {
            "filename": self.filename,
            "sha256": self.sha256,
            "format": self.file_format,
            "establishment": (
                {"code": self.establishment.code, "name": self.establishment.name}
                if self.establishment
                else None
            ),
            "closest_names": self.closest_names,
            "event": event(self.event),
            "follows": event(self.followed),
            "already_imported": self.same_document is not None,
            "replaces": self.previous_document.filename if self.previous_document else None,
            "refused": self.refused,
            "refusals": self.refusal_messages(),
            "unplaced": [located(problem) for problem in self.unplaced],
            "counts": self.counts(),
            "items": [item.as_json() for item in self.items],
            "parsed": self.parsed.as_json(),
        }


def located(problem: Problem) -> str:
    """The problem's message, after the page and line it was found on."""
    if problem.source is None:
        return problem.message
    return f"Page {problem.source.page}, line {problem.source.line}: {problem.message}"


# The file ---------------------------------------------------------------------------------


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# The establishment ------------------------------------------------------------------------


def _bare(name: str) -> str:
    """'HMP & YOI Leeds' → 'leeds': the name without the kind of establishment."""
    words = re.sub(r"[/,.()]", " ", name.lower()).split()
    return " ".join(word for word in words if word not in _KIND_WORDS)


def match_establishment(name: str) -> tuple[Establishment | None, list[str]]:
    """The establishment the report names, or None and the closest names of the register."""
    establishments = list(Establishment.objects.all())
    wanted = name.strip().lower()
    for establishment in establishments:
        if wanted in {establishment.name.lower(), establishment.renamed_from.lower()}:
            return establishment, []
    bare = _bare(name)
    matches = [e for e in establishments if bare and bare == _bare(e.name)]
    if len(matches) == 1:
        return matches[0], []
    by_bare = {_bare(e.name): e.name for e in establishments}
    closest = difflib.get_close_matches(bare, list(by_bare), n=3, cutoff=0.5)
    return None, [by_bare[key] for key in closest]


# Frameworks -------------------------------------------------------------------------------


def latest_framework(slug: str) -> Framework | None:
    """The newest version of a framework: history is recorded on the scale in force now."""
    return Framework.objects.filter(slug=slug).order_by("-valid_from", "-pk").first()


class _Scales:
    """The levels of the progress scales and the healthy prison tests, read once."""

    def __init__(self) -> None:
        self.frameworks: dict[str, Framework | None] = {
            slug: latest_framework(slug)
            for slug in (*FOLLOW_UP_FRAMEWORK.values(), HEALTHY_PRISON_TESTS)
        }
        ids = [f.pk for f in self.frameworks.values() if f is not None]
        self.aspects = {
            (a.framework_id, a.code): a for a in Aspect.objects.filter(framework_id__in=ids)
        }
        self.levels: dict[int, list[Level]] = {}
        for level in Level.objects.filter(scale__framework_id__in=ids).select_related("scale"):
            self.levels.setdefault(level.scale.framework_id, []).append(level)

    def progress_level(self, kind: str, wording: str) -> Level | None:
        framework = self.frameworks[FOLLOW_UP_FRAMEWORK[FollowUpKind(kind)]]
        if framework is None:
            return None
        wanted = " ".join(wording.casefold().split())
        return next(
            (lv for lv in self.levels.get(framework.pk, []) if lv.label.casefold() == wanted), None
        )

    def aspect(self, slug: str) -> Aspect | None:
        framework = self.frameworks[slug]
        if framework is None:
            return None
        return next((a for (fid, _), a in self.aspects.items() if fid == framework.pk), None)


# The plan ---------------------------------------------------------------------------------


def plan_import(
    parsed: ParsedReport, actor: User, *, data: bytes | None = None, filename: str = ""
) -> ImportPlan:
    """What importing `parsed` (read from `data`) would create or change. Writes nothing."""
    if not actor.has_perm("imports.import_report"):
        raise PermissionDenied(
            "Only the programme coordinator and system administrators can import reports."
        )
    if data is None:  # a report built by hand: its JSON stands for the file
        data = json.dumps(parsed.as_json(), sort_keys=True).encode()
    plan = ImportPlan(
        parsed=parsed,
        data=data,
        filename=filename or "report.txt",
        sha256=content_hash(data),
        file_format=sniff_format(data) or "text",
        unplaced=list(parsed.problems),
    )
    plan.same_document = SourceDocument.objects.filter(sha256=plan.sha256).first()
    _plan_establishment(plan)
    if plan.establishment is None or not _plan_dates(plan):
        return plan
    scales = _Scales()
    _check_judgements(plan, scales)
    _plan_events(plan)
    event = plan.event.existing if plan.event else None
    if event is not None:
        plan.previous_document = (
            SourceDocument.objects.filter(event=event, kind=parsed.kind, superseded_by=None)
            .exclude(sha256=plan.sha256)
            .first()
        )
    _plan_concerns(plan, event)
    _plan_recommendations(plan, event)
    _plan_scores(plan, event, scales)
    _plan_follow_ups(plan, event, scales)
    _plan_positive_practice(plan, event)
    _guard_service_records(plan)
    if plan.same_document is not None:
        for item in plan.items:
            item.action, item.differences = "unchanged", []
        for event_plan in (plan.event, plan.followed):
            if event_plan is not None:
                event_plan.action, event_plan.differences = "unchanged", []
    return plan


def _plan_establishment(plan: ImportPlan) -> None:
    name = plan.parsed.establishment.strip()
    if not name:
        plan.refusals.append(
            Problem("The establishment's name was not found on the title page", Source(1, 1))
        )
        return
    establishment, closest = match_establishment(name)
    if establishment is None:
        offer = (
            f" Closest names in the register: {', '.join(closest)}."
            if closest
            else " No name in the register is close to it."
        )
        plan.closest_names = closest
        plan.refusals.append(
            Problem(
                f"The establishment '{name}' is not in the register.{offer}",
                Source(1, 1),
            )
        )
    plan.establishment = establishment


def _plan_dates(plan: ImportPlan) -> bool:
    parsed = plan.parsed
    if parsed.starts_on is None or parsed.ends_on is None:
        plan.refusals.append(
            Problem("The inspection's dates were not found on the title page", Source(1, 1))
        )
        return False
    if parsed.ends_on < parsed.starts_on:
        plan.refusals.append(Problem("The inspection's dates end before they start", Source(1, 1)))
        return False
    return True


def _check_judgements(plan: ImportPlan, scales: _Scales) -> None:
    """Every progress judgement on its own scale; every count sentence true (JG-6, JG-7)."""
    parsed = plan.parsed
    for slug in (*FOLLOW_UP_FRAMEWORK.values(), HEALTHY_PRISON_TESTS):
        needed = (slug == HEALTHY_PRISON_TESTS and parsed.healthy_prison_scores) or (
            slug != HEALTHY_PRISON_TESTS and parsed.follow_ups
        )
        if needed and scales.frameworks[slug] is None:
            plan.refusals.append(
                Problem(
                    f"The framework {slug} is not loaded: ask a system administrator to load "
                    "the frameworks"
                )
            )
            return
    for item in parsed.follow_ups:
        kind = FollowUpKind.RECOMMENDATION if item.kind == "recommendation" else FollowUpKind.THEME
        if scales.progress_level(kind, item.judgement) is not None:
            continue
        other = (
            FollowUpKind.THEME
            if kind == FollowUpKind.RECOMMENDATION
            else FollowUpKind.RECOMMENDATION
        )
        what = "a recommendation" if kind == FollowUpKind.RECOMMENDATION else "a theme"
        if scales.progress_level(other, item.judgement) is not None:
            message = (
                f"'{item.judgement}' is on {SCALE_NAMES[other]}, but {what} is judged on "
                f"{SCALE_NAMES[kind]}"
            )
        else:
            message = (
                f"The judgement '{item.judgement}' of {_follow_up_name(item)} is on neither "
                "progress scale (JG-6, JG-7)"
            )
        plan.refusals.append(Problem(message, item.source))
    for stated in parsed.stated_counts:
        counted = "recommendation" if stated.scale == "hmip" else "theme"
        wanted = " ".join(stated.judgement.lower().split())
        found = sum(
            1
            for item in parsed.follow_ups
            if item.kind == counted and " ".join(item.judgement.lower().split()) == wanted
        )
        if found != stated.count:
            noun = "recommendations" if counted == "recommendation" else "themes"
            plan.refusals.append(
                Problem(
                    f"The report says {stated.count} {noun} were judged '{stated.judgement}', "
                    f"but {found} such judgements were found",
                    stated.source,
                )
            )
    if parsed.kind == "irp" and parsed.healthy_prison_scores:
        first = parsed.healthy_prison_scores[0]
        plan.refusals.append(
            Problem(
                "Healthy prison tests are scored at full inspections, never at an IRP (JG-8)",
                first.source,
            )
        )


def _follow_up_name(item: Any) -> str:
    if item.kind == "recommendation":
        return f"recommendation {item.follows_reference or item.paragraph_reference}".strip()
    return f"theme '{item.title}'"


def _overlapping(establishment: Establishment, kind: str, starts_on: date, ends_on: date) -> Any:
    return (
        Event.objects.filter(
            establishment=establishment,
            kind=kind,
            starts_on__lte=ends_on,
            ends_on__gte=starts_on,
        )
        .exclude(status=EventStatus.CANCELLED)
        .order_by("starts_on", "pk")
        .first()
    )


def _event_plan(kind: str, starts_on: date, ends_on: date, existing: Event | None) -> EventPlan:
    if existing is None:
        return EventPlan(kind, starts_on, ends_on, "create")
    differences = []
    if (existing.starts_on, existing.ends_on) != (starts_on, ends_on):
        differences.append(
            f"the report gives {starts_on:%-d %B %Y} to {ends_on:%-d %B %Y}; the record "
            f"says {existing.starts_on:%-d %B %Y} to {existing.ends_on:%-d %B %Y} (kept)"
        )
    return EventPlan(kind, existing.starts_on, existing.ends_on, "unchanged", existing, differences)


def _plan_events(plan: ImportPlan) -> None:
    parsed, establishment = plan.parsed, plan.establishment
    assert establishment is not None
    assert parsed.starts_on
    assert parsed.ends_on
    kind = EVENT_KINDS[parsed.kind]
    existing = _overlapping(establishment, kind, parsed.starts_on, parsed.ends_on)
    plan.event = _event_plan(kind, parsed.starts_on, parsed.ends_on, existing)
    if parsed.kind != "irp":
        return
    followed: Event | None = existing.follows_up if existing is not None else None
    starts_on, ends_on = parsed.follows_inspection_starts_on, parsed.follows_inspection_ends_on
    if followed is None and starts_on is not None:
        followed = _overlapping(
            establishment, EventKind.FULL_INSPECTION, starts_on, ends_on or starts_on
        )
    if followed is None and starts_on is None:
        followed = (
            Event.objects.filter(
                establishment=establishment,
                kind=EventKind.FULL_INSPECTION,
                ends_on__lt=parsed.starts_on,
            )
            .exclude(status=EventStatus.CANCELLED)
            .order_by("-starts_on")
            .first()
        )
    if followed is not None:
        plan.followed = EventPlan(
            EventKind.FULL_INSPECTION, followed.starts_on, followed.ends_on, "unchanged", followed
        )
        if existing is not None and existing.follows_up_id is None:
            plan.event.action = "change"
            plan.event.differences.append(f"it follows up the {plan.followed.label}")
        return
    if starts_on is None:
        plan.refusals.append(
            Problem(
                "The dates of the full inspection this IRP follows were not found, and no full "
                f"inspection of {establishment.name} before it is recorded",
                Source(1, 1),
            )
        )
        return
    plan.followed = EventPlan(EventKind.FULL_INSPECTION, starts_on, ends_on or starts_on, "create")


def _differences(record: Any, values: dict[str, Any], names: dict[str, str]) -> list[str]:
    found = []
    for name, label in names.items():
        old, new = getattr(record, name), values[name]
        if old != new:
            found.append(f"{label}: '{old}' becomes '{new}'")
    return found


def _plan_concerns(plan: ImportPlan, event: Event | None) -> None:
    existing = list(Concern.objects.filter(event=event)) if event else []
    for index, concern in enumerate(plan.parsed.concerns):
        reference = concern.paragraph_reference or concern.source.paragraph
        values = {
            "kind": concern.kind,
            "text": concern.text,
            "paragraph_reference": reference,
            "position": index,
        }
        match = next(
            (
                c
                for c in existing
                if c.kind == concern.kind
                and (
                    (reference and c.paragraph_reference == reference)
                    or _same_text(c.text, concern.text)
                )
            ),
            None,
        )
        key = f"concern-{index}"
        title = f"{ConcernKind(concern.kind).label} {reference}".strip()
        plan.items.append(
            _item("concern", key, title, concern.source, match, values, {"text": "text"})
        )


def _same_text(left: str, right: str) -> bool:
    return " ".join(left.split()).lower() == " ".join(right.split()).lower()


def _item(
    kind: str,
    key: str,
    title: str,
    source: Source,
    match: Any,
    values: dict[str, Any],
    compared: dict[str, str],
) -> PlanItem:
    if match is None:
        return PlanItem(kind, key, title, "create", source, values=values)
    differences = _differences(match, values, compared)
    action: Action = "change" if differences else "unchanged"
    return PlanItem(kind, key, title, action, source, differences, match.pk, values)


def _plan_recommendations(plan: ImportPlan, event: Event | None) -> None:
    existing = (
        {r.paragraph_reference: r for r in Recommendation.objects.filter(event=event)}
        if event
        else {}
    )
    seen = set()
    for index, recommendation in enumerate(plan.parsed.recommendations):
        reference = recommendation.paragraph_reference
        if reference in seen:
            plan.refusals.append(
                Problem(
                    f"Paragraph {reference} carries two recommendations; each paragraph "
                    "reference is one recommendation",
                    recommendation.source,
                )
            )
            continue
        seen.add(reference)
        values = {
            "text": recommendation.text,
            "paragraph_reference": reference,
            "area": recommendation.area,
            "position": index,
            "concern_key": (
                f"concern-{recommendation.concern_index}"
                if recommendation.concern_index is not None
                else None
            ),
        }
        plan.items.append(
            _item(
                "recommendation",
                reference,
                f"Recommendation {reference}",
                recommendation.source,
                existing.get(reference),
                values,
                {"text": "text", "area": "area"},
            )
        )
    if plan.previous_document is not None:
        for reference, record in existing.items():
            if reference not in seen:
                plan.items.append(
                    PlanItem(
                        "recommendation",
                        reference,
                        f"Recommendation {reference}",
                        "unchanged",
                        differences=["not in this version of the report; kept as it is"],
                        existing_id=record.pk,
                    )
                )


def _plan_scores(plan: ImportPlan, event: Event | None, scales: _Scales) -> None:
    framework = scales.frameworks[HEALTHY_PRISON_TESTS]
    if not plan.parsed.healthy_prison_scores or framework is None or plan.parsed.kind == "irp":
        return
    existing = (
        {
            j.aspect_id: j
            for j in Judgement.objects.filter(event=event, framework__slug=HEALTHY_PRISON_TESTS)
        }
        if event
        else {}
    )
    levels = {lv.value: lv for lv in scales.levels.get(framework.pk, [])}
    for score in plan.parsed.healthy_prison_scores:
        code = HEALTHY_PRISON_CODES.get(" ".join(score.test.lower().split()))
        aspect = scales.aspects.get((framework.pk, code or ""))
        level = levels.get(score.score)
        if aspect is None or level is None:
            plan.refusals.append(
                Problem(
                    f"The healthy prison test '{score.test}' scored {score.score} is not one of "
                    "the four tests scored 1 (poor) to 4 (good) (JG-8)",
                    score.source,
                )
            )
            continue
        values = {"framework_id": framework.pk, "aspect_id": aspect.pk, "level_id": level.pk}
        match = existing.get(aspect.pk)
        title = f"Healthy prison test: {aspect.title}, {lower_first(level.label)}"
        if match is None:
            plan.items.append(
                PlanItem("score", aspect.code, title, "create", score.source, values=values)
            )
            continue
        differences = []
        if match.level_id != level.pk:
            differences.append(f"score: '{match.level}' becomes '{level.label}'")
        action: Action = "change" if differences else "unchanged"
        plan.items.append(
            PlanItem(
                "score", aspect.code, title, action, score.source, differences, match.pk, values
            )
        )


def _plan_follow_ups(plan: ImportPlan, event: Event | None, scales: _Scales) -> None:
    if not plan.parsed.follow_ups:
        return
    followed = plan.followed.existing if plan.followed else None
    followed_recommendations = (
        {r.paragraph_reference: r for r in Recommendation.objects.filter(event=followed)}
        if followed
        else {}
    )
    existing = (
        list(
            FollowUp.objects.filter(event=event)
            .select_related("recommendation")
            .prefetch_related("judgements__level")
        )
        if event
        else []
    )
    planned_references = {item.key for item in plan.items if item.kind == "recommendation"}
    for index, follow_up in enumerate(plan.parsed.follow_ups):
        kind = (
            FollowUpKind.RECOMMENDATION
            if follow_up.kind == "recommendation"
            else FollowUpKind.THEME
        )
        level = scales.progress_level(kind, follow_up.judgement)
        framework = scales.frameworks[FOLLOW_UP_FRAMEWORK[kind]]
        aspect = scales.aspect(FOLLOW_UP_FRAMEWORK[kind])
        if level is None or framework is None or aspect is None:
            continue  # refused already (_check_judgements)
        values: dict[str, Any] = {
            "kind": kind,
            "paragraph_reference": follow_up.paragraph_reference,
            "narrative": "\n\n".join(follow_up.narrative),
            "position": index,
            "framework_id": framework.pk,
            "aspect_id": aspect.pk,
            "level_id": level.pk,
            "level_label": level.label,
        }
        if kind == FollowUpKind.RECOMMENDATION:
            reference = follow_up.follows_reference or follow_up.paragraph_reference
            values["recommendation_reference"] = reference
            recommendation = followed_recommendations.get(reference)
            if recommendation is None and reference not in planned_references:
                planned_references.add(reference)
                plan.items.append(
                    PlanItem(
                        "followed recommendation",
                        reference,
                        f"Recommendation {reference} of the inspection followed up",
                        "create",
                        follow_up.source,
                        ["not recorded yet: made from this report's follow-up"],
                        values={
                            "text": follow_up.title,
                            "paragraph_reference": reference,
                            "area": follow_up.area,
                            "position": index,
                        },
                    )
                )
            match = next(
                (
                    f
                    for f in existing
                    if f.recommendation and f.recommendation.paragraph_reference == reference
                ),
                None,
            )
            title = f"Follow-up of recommendation {reference}: {lower_first(level.label)}"
            key = f"rec-{reference}"
        else:
            values["theme"] = follow_up.title
            match = next(
                (
                    f
                    for f in existing
                    if f.kind == FollowUpKind.THEME
                    and (
                        (
                            follow_up.paragraph_reference
                            and f.paragraph_reference == follow_up.paragraph_reference
                        )
                        or _same_text(f.theme, follow_up.title)
                    )
                ),
                None,
            )
            judged = lower_first(level.label)
            title = f"Theme {follow_up.paragraph_reference} {follow_up.title}: {judged}"
            title = " ".join(title.split())
            key = f"theme-{index}"
        plan.items.append(_follow_up_item(key, title, follow_up.source, match, values))


def _follow_up_item(
    key: str, title: str, source: Source, match: FollowUp | None, values: dict[str, Any]
) -> PlanItem:
    if match is None:
        return PlanItem("follow-up", key, title, "create", source, values=values)
    compared = {"narrative": "narrative"}
    if values["kind"] == FollowUpKind.THEME:
        compared["theme"] = "theme"
    differences = _differences(match, values, compared)
    judgement = next(iter(match.judgements.all()), None)
    if judgement is None:
        differences.append(f"judgement: none becomes '{values['level_label']}'")
    elif judgement.level_id != values["level_id"]:
        differences.append(f"judgement: '{judgement.level}' becomes '{values['level_label']}'")
    values["judgement_id"] = judgement.pk if judgement else None
    action: Action = "change" if differences else "unchanged"
    return PlanItem("follow-up", key, title, action, source, differences, match.pk, values)


def _plan_positive_practice(plan: ImportPlan, event: Event | None) -> None:
    existing = list(PositivePracticeRecord.objects.filter(event=event)) if event else []
    for index, (text, source) in enumerate(plan.parsed.positive_practice):
        match = next((p for p in existing if _same_text(p.text, text)), None)
        values = {"text": text, "paragraph_reference": source.paragraph, "position": index}
        title = f"Notable positive practice {source.paragraph}".strip()
        plan.items.append(
            _item(
                "positive practice", f"pp-{index}", title, source, match, values, {"text": "text"}
            )
        )


def _guard_service_records(plan: ImportPlan) -> None:
    """Records made in the service are its own: an import adds to history, never rewrites
    an event that was planned and run here."""
    event = plan.event.existing if plan.event else None
    if event is None or event.historical:
        return
    for item in plan.items:
        if item.action in {"create", "change"} and item.kind != "followed recommendation":
            item.differences.append(
                f"the {lower_first(EventKind(event.kind).label)} was planned and run in the "
                "service, not recorded as history: an import does not change its records"
            )
            item.action = "refuse"


def document_kind(parsed: ParsedReport) -> str:
    return DocumentKind.IRP if parsed.kind == "irp" else DocumentKind.FULL
