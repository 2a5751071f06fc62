"""The demo's inspection record at HMP/YOI Pentonville: the full inspection of November 2025
(briefing, evidence, observations, meetings, judgements, concerns, ten recommendations,
published) and the IRP of October 2026 following up seven of its recommendations and four
Ofsted themes, with every progress judgement recorded and moderated.

Written through the services, as the people on the teams, so the demo obeys the rules the
screens do. Idempotent: a record that exists is left alone. The words are in
demo_content.py.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from inspectorate.accounts.models import User
from inspectorate.frameworks.models import Aspect, Level
from inspectorate.inspections import demo_content as content
from inspectorate.inspections.constants import ConcernKind, EvidenceSource
from inspectorate.inspections.fieldwork.services import (
    briefing_record,
    evidence_create,
    meeting_create,
    observation_create,
)
from inspectorate.inspections.findings.services import (
    concern_add,
    follow_up_edit,
    follow_up_judge,
    follow_up_select,
    follow_up_theme_add,
    positive_practice_add,
    progress_aspect,
    recommendation_add,
)
from inspectorate.inspections.judgements.services import (
    factual_accuracy_start,
    inspection_publish,
    judgement_record,
    judgements_moderate,
)
from inspectorate.inspections.models import (
    Concern,
    EvidenceForm,
    FollowUp,
    Inspection,
    Judgement,
)
from inspectorate.inspectors.constants import Organisation
from inspectorate.inspectors.models import Inspector
from inspectorate.programme.constants import EventKind, TeamRole
from inspectorate.programme.models import Event
from inspectorate.programme.teams.services import team_member_add


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _coordinator() -> User:
    return _user("coordinator")


def _full_inspection() -> Event:
    return Event.objects.get(
        establishment__code=content.ESTABLISHMENT_CODE,
        kind=EventKind.FULL_INSPECTION,
        starts_on=content.FULL_INSPECTION_STARTS_ON,
    )


def _irp() -> Event:
    return Event.objects.get(
        establishment__code=content.ESTABLISHMENT_CODE,
        kind=EventKind.IRP,
        starts_on=content.IRP_STARTS_ON,
    )


def _staff_full_inspection(event: Event) -> None:
    """The 2025-26 inspections have no demo teams: this one gets the demo's own people."""
    placed = set(event.team.values_list("inspector__user__username", flat=True))
    for username, role in content.FULL_INSPECTION_TEAM:
        if username not in placed:
            inspector = Inspector.objects.get(user__username=username)
            team_member_add(actor=_coordinator(), event=event, inspector=inspector, role=role)
    if event.team.filter(inspector__organisation=Organisation.OFSTED).count() < 2:
        ofsted = Inspector.objects.filter(organisation=Organisation.OFSTED)
        # Not the demo's improvement HMI: she must stay clear of this inspection (TM-4).
        _add_first_free(event, ofsted.exclude(user__username="improvement"))


def _add_first_free(event: Event, candidates: QuerySet[Inspector]) -> None:
    """The first candidate the team rules (TM-1, TM-2, TM-5) accept, as an inspector."""
    for inspector in candidates.exclude(team_places__event=event).order_by("name"):
        try:
            with transaction.atomic():
                team_member_add(
                    actor=_coordinator(), event=event, inspector=inspector, role="inspector"
                )
            return
        except ValidationError:
            continue


# The prison education framework the demo's full inspection is graded under.
EDUCATION_FRAMEWORK = "eif-prisons"


def _education(code: str) -> Aspect:
    return Aspect.objects.select_related("scale").get(
        framework__slug=EDUCATION_FRAMEWORK, code=code
    )


def _level(aspect: Aspect, slug: str) -> Level:
    return Level.objects.get(scale=aspect.scale, slug=slug)


def _framework_level(framework: str, slug: str) -> Level:
    """A level of a framework with one scale (the healthy prison tests, the IRP scales)."""
    return Level.objects.get(scale__framework__slug=framework, slug=slug)


def _observation_level(slug: str) -> Level:
    return Level.objects.get(
        scale__framework__slug=EDUCATION_FRAMEWORK, scale__slug="grade", slug=slug
    )


def _lead(event: Event, role: str) -> User | None:
    """The user who holds `role` on the event's team (None if that inspector has no
    account: most of the demo's generated inspectors do not sign in)."""
    place = event.team.select_related("inspector__user").filter(role=role).first()
    return place.inspector.user if place else None


def _fieldwork(event: Event, leader: User, ofsted: User) -> dict[str, list[EvidenceForm]]:
    """The briefing, evidence forms, observations and meetings; evidence by aspect code."""
    start = event.starts_on
    briefing_record(
        actor=leader,
        event=event,
        held_on=start - timedelta(days=7),
        attendees=[leader, ofsted],
        notes=content.BRIEFING_NOTES,
    )
    found: dict[str, list[EvidenceForm]] = {}
    for author, offset, source, code, text in content.EVIDENCE:
        form = evidence_create(
            actor=_user(author),
            event=event,
            evidence_on=start + timedelta(days=offset),
            source=source,
            aspect=_education(code),
            text=text,
        )
        found.setdefault(code, []).append(form)
    for observer, offset, kind, activity, minutes, grade, feedback, other in content.OBSERVATIONS:
        observation_create(
            actor=_user(observer),
            event=event,
            kind=kind,
            observed_on=start + timedelta(days=offset),
            activity=activity,
            duration_minutes=minutes,
            grade=_observation_level(grade) if grade else None,
            feedback=feedback,
            provider_observer=other,
        )
    for kind, day, notes in content.MEETINGS:
        meeting_create(
            actor=leader,
            event=event,
            kind=kind,
            held_on=start + timedelta(days=day) if day >= 0 else event.ends_on,
            attendees=[leader, ofsted],
            notes=notes,
        )
    return found


def _judge_full_inspection(
    event: Event, leader: User, ofsted: User, evidence: dict[str, list[EvidenceForm]]
) -> None:
    for code, slug in content.EDUCATION_GRADES.items():
        cited = evidence.get(code) or evidence[content.EVIDENCE_FOR_UNTAGGED[code]]
        aspect = _education(code)
        judgement_record(
            actor=ofsted,
            event=event,
            aspect=aspect,
            level=_level(aspect, slug),
            evidence=cited,
        )
    overall = _education("OE")
    judgement_record(
        actor=ofsted,
        event=event,
        aspect=overall,
        level=_level(overall, content.EDUCATION_OVERALL),
        override_reason=content.OVERALL_OVERRIDE_REASON,
    )
    for code, slug in content.HEALTHY_PRISON_TESTS.items():
        test = Aspect.objects.get(framework__slug="healthy-prison-tests", code=code)
        judgement_record(
            actor=leader,
            event=event,
            aspect=test,
            level=_framework_level("healthy-prison-tests", slug),
            evidence=evidence[content.EVIDENCE_FOR_UNTAGGED[code]],
        )


def _findings(event: Event, leader: User, ofsted: User) -> None:
    concerns: dict[str, Concern] = {}
    for kind, text, reference in content.CONCERNS:
        author = ofsted if kind == ConcernKind.OFSTED_KEY else leader
        concerns[reference] = concern_add(
            actor=author, event=event, kind=kind, text=text, paragraph_reference=reference
        )
    for reference, concern_reference, text in content.RECOMMENDATIONS:
        recommendation_add(
            actor=leader,
            event=event,
            text=text,
            paragraph_reference=reference,
            concern=concerns.get(concern_reference),
        )
    for text, reference in content.POSITIVE_PRACTICE:
        positive_practice_add(actor=leader, event=event, text=text, paragraph_reference=reference)


def _finish_full_inspection(event: Event) -> None:
    leader, ofsted = _user("teamleader"), _user("ofstedlead")
    evidence = _fieldwork(event, leader, ofsted)
    _judge_full_inspection(event, leader, ofsted, evidence)
    _findings(event, leader, ofsted)
    judgements_moderate(actor=ofsted, event=event)
    factual_accuracy_start(actor=leader, event=event, on=content.FACTUAL_ACCURACY_FROM)
    inspection_publish(actor=leader, event=event, published_on=content.FULL_INSPECTION_PUBLISHED_ON)


def _item_evidence(event: Event, author: User, item: FollowUp, text: str) -> EvidenceForm:
    return evidence_create(
        actor=author,
        event=event,
        evidence_on=event.starts_on + timedelta(days=1),
        source=EvidenceSource.DOCUMENTS if item.recommendation_id else EvidenceSource.STAFF,
        aspect=progress_aspect(item.kind, event),
        text=text,
    )


def _follow_up(event: Event, full: Event, leader: User, ofsted: User) -> None:
    recommendations = {r.paragraph_reference: r for r in full.recommendations.all()}
    chosen = [recommendations[reference] for reference, _, _ in content.IRP_RECOMMENDATIONS]
    follow_up_select(
        actor=leader,
        event=event,
        recommendations=chosen,
        version=None,
        reason=content.IRP_SELECTION_REASON,
    )
    for theme, _, _ in content.IRP_THEMES:
        follow_up_theme_add(
            actor=ofsted, event=event, theme=theme, reason=content.IRP_SELECTION_REASON
        )
    items = {
        item.recommendation.paragraph_reference if item.recommendation else item.theme: item
        for item in FollowUp.objects.filter(event=event).select_related("recommendation")
    }
    for key, slug, paragraphs in (*content.IRP_RECOMMENDATIONS, *content.IRP_THEMES):
        item = items[key]
        author = leader if item.recommendation_id else ofsted
        item = follow_up_edit(
            actor=author, follow_up=item, narrative="\n\n".join(paragraphs), version=item.version
        )
        follow_up_judge(
            actor=author,
            follow_up=item,
            level=_framework_level(
                "hmip-irp-progress" if item.recommendation_id else "ofsted-irp-themes", slug
            ),
            evidence=[_item_evidence(event, author, item, paragraphs[0])],
        )
    for key, paragraph, text in content.IRP_POSITIVE_PRACTICE:
        positive_practice_add(
            actor=leader, event=event, text=text, follow_up=items[key], paragraph=paragraph
        )
    judgements_moderate(actor=leader, event=event)


def _stage(event: Event) -> str | None:
    return Inspection.objects.filter(event=event).values_list("stage", flat=True).first()


def demo_inspections_load() -> dict[str, int]:
    """Load the demo inspection record; return counts of what is there. A record already
    past fieldwork is left as it is."""
    full = _full_inspection()
    with transaction.atomic():
        _staff_full_inspection(full)
        if _stage(full) is None:
            _finish_full_inspection(full)
    review = _irp()
    with transaction.atomic():
        leader = _lead(review, TeamRole.TEAM_LEADER)
        if _stage(review) is None and leader is not None:  # demo_teams puts a user there
            _follow_up(review, full, leader, _lead(review, TeamRole.OFSTED_LEAD) or leader)
    return {
        "judgements": Judgement.objects.filter(event__in=[full, review]).count(),
        "recommendations": full.recommendations.count(),
        "followed up": FollowUp.objects.filter(event=review).count(),
    }
