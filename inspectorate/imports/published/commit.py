"""Write an import plan: one transaction, idempotent, the file kept, every record linked (HI-2).

Judgements recorded from a published report are history (HI-1): the grade the report
published, decided by the inspectorate then. They are written here with the ORM, not through
`judgement_services`, because the rules for judgements made in the service do not describe
history: there are no evidence forms to cite (IN-7: the published report is the evidence,
kept and linked), no team whose lead decides, and the report is past its factual-accuracy
check (JG-9). This bypass is for historical events only: `plan_import` refuses any change
to an event that was planned and run here, and commit checks it again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from inspectorate.imports.models import SourceDocument, SourceLink
from inspectorate.imports.published.parsed import Source
from inspectorate.imports.published.plan import (
    EventPlan,
    ImportPlan,
    PlanItem,
    document_kind,
)
from inspectorate.inspections.constants import FollowUpKind, JudgementStatus, Stage
from inspectorate.inspections.models import (
    Concern,
    FollowUp,
    Inspection,
    Judgement,
    PositivePractice,
    Recommendation,
)
from inspectorate.lib.versions import locked, saved
from inspectorate.programme.history import record_historical_event
from inspectorate.programme.models import Event

if TYPE_CHECKING:
    from inspectorate.accounts.models import User


class ImportRefused(ValidationError):
    """The plan has refusals: nothing was written."""

    def __init__(self, messages: list[str]) -> None:
        self.messages_list = messages
        super().__init__(messages)


@dataclass
class ImportResult:
    document: SourceDocument
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    already_imported: bool = False
    records: list[models.Model] = field(default_factory=list)

    @property
    def summary(self) -> str:
        if self.already_imported:
            return f"{self.document.filename} was imported already: nothing changed"
        return (
            f"{self.created} created, {self.changed} changed, {self.unchanged} unchanged, "
            f"from {self.document.filename}"
        )


def commit_import(plan: ImportPlan, actor: User) -> ImportResult:
    """Write `plan`: all of it or nothing. The same document again changes nothing."""
    if not actor.has_perm("imports.import_report"):
        raise PermissionDenied(
            "Only the programme coordinator and system administrators can import reports."
        )
    if plan.refused:
        raise ImportRefused(plan.refusal_messages())
    with transaction.atomic():
        existing = SourceDocument.objects.select_for_update().filter(sha256=plan.sha256).first()
        if existing is not None:
            return ImportResult(existing, unchanged=len(plan.items), already_imported=True)
        try:
            with transaction.atomic():
                return _write(plan, actor)
        except IntegrityError as clash:
            # Another import of the same file committed between our check and our insert.
            again = SourceDocument.objects.filter(sha256=plan.sha256).first()
            if again is None:
                raise clash
            return ImportResult(again, unchanged=len(plan.items), already_imported=True)


def _source_note(plan: ImportPlan) -> str:
    return f"Published report {plan.filename} (SHA-256 {plan.sha256[:12]}…), imported"


def _event(plan: ImportPlan, event_plan: EventPlan, actor: User, **values: Any) -> Event:
    if event_plan.existing is not None:
        return Event.objects.select_for_update().get(pk=event_plan.existing.pk)
    values.setdefault("education_inspectorate", "")  # none unless the report shows one
    return record_historical_event(
        actor=actor,
        kind=event_plan.kind,
        establishment=plan.establishment,
        starts_on=event_plan.starts_on,
        ends_on=event_plan.ends_on,
        source=_source_note(plan),
        **values,
    )


def _uses_ofsted(plan: ImportPlan) -> str:
    parsed = plan.parsed
    ofsted = any(f.kind == "theme" for f in parsed.follow_ups) or any(
        c.kind == "ofsted_key" for c in parsed.concerns
    )
    return "ofsted" if ofsted else ""


def _write(plan: ImportPlan, actor: User) -> ImportResult:
    parsed = plan.parsed
    assert plan.event is not None
    assert plan.establishment is not None
    followed: Event | None = None
    if plan.followed is not None:
        followed = _event(plan, plan.followed, actor)
        if plan.followed.existing is None:
            Inspection.objects.create(event=followed, stage=Stage.PUBLISHED)
    event = _event(
        plan,
        plan.event,
        actor,
        follows_up=followed,
        education_inspectorate=_uses_ofsted(plan),
    )
    if not event.historical and any(i.action in {"create", "change"} for i in plan.items):
        raise ImportRefused(["The event was planned and run in the service: nothing was written"])
    if plan.event.existing is not None and followed is not None and event.follows_up_id is None:
        saved(event, partial=True, follows_up=followed)
    inspection, created = Inspection.objects.get_or_create(
        event=event, defaults={"stage": Stage.PUBLISHED, "published_on": parsed.published_on}
    )
    if not created and event.historical and inspection.published_on is None:
        saved(inspection, partial=True, published_on=parsed.published_on)

    previous = plan.previous_document
    document = SourceDocument.objects.create(
        content=plan.data,
        filename=plan.filename[:255],
        file_format=plan.file_format,
        sha256=plan.sha256,
        size=len(plan.data),
        kind=document_kind(parsed),
        title=parsed.title[:500],
        published_on=parsed.published_on,
        pages=parsed.pages,
        establishment=plan.establishment,
        event=event,
        supersedes=previous,
        imported_by=actor,
    )
    writer = _Writer(plan, actor, document, event, followed)
    writer.link(event, Source(1, 1))
    if followed is not None and plan.followed is not None and plan.followed.existing is None:
        writer.link(followed, Source(1, 1))
    for item in plan.items:
        writer.apply(item)
    return writer.finish()


class _Writer:
    """Applies plan items in order, remembering the record each key made."""

    def __init__(
        self,
        plan: ImportPlan,
        actor: User,
        document: SourceDocument,
        event: Event,
        followed: Event | None,
    ) -> None:
        self.plan, self.actor, self.document = plan, actor, document
        self.event, self.followed = event, followed
        self.result = ImportResult(document)
        self.made: dict[tuple[str, str], models.Model] = {}
        self.links: dict[tuple[int, Any], SourceLink] = {}
        self.types: dict[type[models.Model], ContentType] = {}
        ends_on = plan.parsed.published_on or event.ends_on
        self.decided_at = timezone.make_aware(datetime.combine(ends_on, time(12)))

    def link(self, record: models.Model, source: Source | None) -> None:
        content_type = self.types.get(type(record))
        if content_type is None:
            content_type = ContentType.objects.get_for_model(record)
            self.types[type(record)] = content_type
        where = source or Source(1, 1)
        key = (content_type.pk, record.pk)
        if key not in self.links:  # written together at the end (one insert)
            self.links[key] = SourceLink(
                document=self.document,
                content_type=content_type,
                object_id=record.pk,
                page=where.page,
                line=where.line,
                paragraph=where.paragraph,
            )
            self.result.records.append(record)

    def finish(self) -> ImportResult:
        SourceLink.objects.bulk_create(self.links.values())
        return self.result

    def _count(self, item: PlanItem) -> None:
        if item.action == "create":
            self.result.created += 1
        elif item.action == "change":
            self.result.changed += 1
        else:
            self.result.unchanged += 1

    def apply(self, item: PlanItem) -> None:
        self._count(item)
        handler = {
            "concern": self._concern,
            "recommendation": self._recommendation,
            "followed recommendation": self._followed_recommendation,
            "score": self._score,
            "follow-up": self._follow_up,
            "positive practice": self._positive_practice,
        }[item.kind]
        record = handler(item)
        self.made[(item.kind, item.key)] = record
        self.link(record, item.source)

    def _upsert(self, model: type[models.Model], item: PlanItem, **values: Any) -> Any:
        if item.existing_id is None:
            return model._default_manager.create(**values)
        record = locked(model, item.existing_id, None)
        if item.action == "change":
            saved(record, **values)
        return record

    def _concern(self, item: PlanItem) -> Concern:
        values = _taken(item, "kind", "text", "paragraph_reference", "position")
        return self._upsert(Concern, item, event=self.event, **values)

    def _recommendation(self, item: PlanItem) -> Recommendation:
        v = item.values
        if not v:  # kept from an earlier version, not in this one
            assert item.existing_id is not None
            return Recommendation.objects.get(pk=item.existing_id)
        concern = self.made.get(("concern", v["concern_key"])) if v["concern_key"] else None
        values = _taken(item, *RECOMMENDATION_VALUES)
        return self._upsert(Recommendation, item, event=self.event, concern=concern, **values)

    def _followed_recommendation(self, item: PlanItem) -> Recommendation:
        assert self.followed is not None
        values = _taken(item, *RECOMMENDATION_VALUES)
        return Recommendation.objects.create(event=self.followed, **values)

    def _judgement(
        self, item: PlanItem, existing_id: int | None, follow_up: FollowUp | None
    ) -> Judgement:
        """A judgement as the report published it (see the module's note on history)."""
        v = item.values
        if existing_id is not None:
            judgement = Judgement.objects.select_for_update().get(pk=existing_id)
            if judgement.level_id != v["level_id"]:
                saved(judgement, partial=True, level_id=v["level_id"])
            return judgement
        return Judgement.objects.create(
            event=self.event,
            framework_id=v["framework_id"],
            aspect_id=v["aspect_id"],
            follow_up=follow_up,
            level_id=v["level_id"],
            status=JudgementStatus.MODERATED,
            rationale=f"As published in {self.document.filename}.",
            decided_by=self.actor,
            decided_at=self.decided_at,
        )

    def _score(self, item: PlanItem) -> Judgement:
        return self._judgement(item, item.existing_id, None)

    def _follow_up(self, item: PlanItem) -> FollowUp:
        v = item.values
        values: dict[str, Any] = {
            "event": self.event,
            "kind": v["kind"],
            "paragraph_reference": v["paragraph_reference"],
            "narrative": v["narrative"],
            "position": v["position"],
        }
        if v["kind"] == FollowUpKind.RECOMMENDATION:
            values["recommendation"] = self._followed(v["recommendation_reference"])
        else:
            values["theme"] = v["theme"]
        follow_up = self._upsert(FollowUp, item, **values)
        judgement = self._judgement(item, v.get("judgement_id"), follow_up)
        self.link(judgement, item.source)
        return follow_up

    def _followed(self, reference: str) -> Recommendation:
        made = self.made.get(("followed recommendation", reference))
        if isinstance(made, Recommendation):
            return made
        if self.followed is None:
            raise ImportRefused([f"Recommendation {reference}: no inspection it follows"])
        return Recommendation.objects.get(event=self.followed, paragraph_reference=reference)

    def _positive_practice(self, item: PlanItem) -> PositivePractice:
        values = _taken(item, "text", "paragraph_reference", "position")
        return self._upsert(PositivePractice, item, event=self.event, **values)


# What a recommendation takes from its plan item, in this report or the one it follows.
RECOMMENDATION_VALUES = ("text", "paragraph_reference", "area", "position")


def _taken(item: PlanItem, *names: str) -> dict[str, Any]:
    """The values of `item` named `names`: the fields a record takes from it as they are."""
    return {name: item.values[name] for name in names}
