"""Reads for the fieldwork pages: the briefing, evidence forms, observations and meetings of
one event, always through `visible_to(user)`, each in a fixed number of queries; and the
choices the forms offer (the team, the framework aspects, the observation grades)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from inspectorate.accounts.models import User
from inspectorate.frameworks.constants import AspectKind
from inspectorate.frameworks.models import Aspect, Framework, Level, Scale
from inspectorate.frameworks.selectors import frameworks_in_force
from inspectorate.inspections.models import Briefing, EvidenceForm, Meeting, Observation
from inspectorate.programme.constants import TeamRole
from inspectorate.programme.models import Event, TeamMember
from inspectorate.programme.teams.services import role_label

# Observations are graded on the common grading scale of the education framework (JG-2);
# when none applies to the event (an IRP), on the 2012 prisons framework's.
OBSERVATION_SCALE = "grade"
OBSERVATION_FALLBACK_FRAMEWORK = "eif-prisons"

ROLE_ORDER = {
    TeamRole.TEAM_LEADER: 0,
    TeamRole.OFSTED_LEAD: 1,
    TeamRole.INSPECTOR: 2,
    TeamRole.SPECIALIST: 3,
}


# The team -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamUser:
    user: User
    name: str
    role: str  # a TeamRole
    role_label: str


def team_users(event: Event) -> list[TeamUser]:
    """The people on `event`'s team who sign in to the service, leaders first: one query."""
    members = TeamMember.objects.filter(event=event, inspector__user__isnull=False).select_related(
        "inspector__user"
    )
    rows = [
        TeamUser(
            user=member.inspector.user,
            name=member.inspector.name,
            role=member.role,
            role_label=role_label(event, member.role),
        )
        for member in members
        if member.inspector.user is not None
    ]
    rows.sort(key=lambda row: (ROLE_ORDER.get(TeamRole(row.role), 9), row.name, row.user.pk))
    return rows


def leads(event: Event) -> dict[str, TeamMember]:
    """The team leader and the Ofsted (or Estyn) lead of `event`, by role: one query."""
    places = TeamMember.objects.filter(
        event=event, role__in=[TeamRole.TEAM_LEADER, TeamRole.OFSTED_LEAD]
    ).select_related("inspector")
    return {place.role: place for place in places}


# Frameworks: the aspects evidence bears on, the grades of observations ------------------------


def applicable_frameworks(event: Event) -> list[Framework]:
    """The frameworks used at this kind of event at this kind of establishment, each in the
    version in force on the event's first day (see `frameworks_in_force`). One query."""
    return frameworks_in_force(
        event_kind=event.kind, establishment_kind=event.establishment.kind, on=event.starts_on
    )


@dataclass(frozen=True)
class AspectChoices:
    """The aspects an evidence form may be tagged with, grouped by framework."""

    groups: list[tuple[Framework, list[Aspect]]] = field(default_factory=list)

    @property
    def by_pk(self) -> dict[int, Aspect]:
        return {aspect.pk: aspect for _, aspects in self.groups for aspect in aspects}

    def choices(self) -> list[tuple[Any, Any]]:
        """For a select with one option group per framework."""
        return [
            (framework.name, [(aspect.pk, f"{aspect.code} {aspect.title}") for aspect in aspects])
            for framework, aspects in self.groups
        ]


def aspect_choices(event: Event) -> AspectChoices:
    """Every aspect of the event's frameworks that evidence can bear on: all but the
    derived judgements, which are computed from the others. Two queries."""
    frameworks = applicable_frameworks(event)
    aspects = (
        Aspect.objects.filter(framework__in=frameworks)
        .exclude(kind=AspectKind.DERIVED)
        .order_by("framework_id", "position")
    )
    found: dict[int, list[Aspect]] = defaultdict(list)
    for aspect in aspects:
        found[aspect.framework_id].append(aspect)
    return AspectChoices(
        groups=[(framework, found[framework.pk]) for framework in frameworks if found[framework.pk]]
    )


def observation_scale(event: Event) -> Scale | None:
    """The scale formal observations are graded on: the common grading scale of the
    education framework used at this event, else that of the 2012 prisons framework. Two
    queries."""
    frameworks = applicable_frameworks(event)
    scales = {
        scale.framework_id: scale
        for scale in Scale.objects.filter(
            Q(framework__in=frameworks) | Q(framework__slug=OBSERVATION_FALLBACK_FRAMEWORK),
            slug=OBSERVATION_SCALE,
        ).select_related("framework")
    }
    for framework in frameworks:
        if framework.pk in scales:
            return scales[framework.pk]
    fallback = sorted(
        (s for s in scales.values() if s.framework.slug == OBSERVATION_FALLBACK_FRAMEWORK),
        key=lambda scale: (scale.framework.valid_from, scale.framework.pk),
    )
    return fallback[-1] if fallback else None


def observation_levels(event: Event) -> list[Level]:
    scale = observation_scale(event)
    if scale is None:
        return []
    return list(Level.objects.filter(scale=scale).order_by("position"))


# The briefing ---------------------------------------------------------------------------------


def briefing_get(*, user: Any, event: Event) -> Briefing | None:
    """The event's briefing with its attendees, or None: two queries."""
    return (
        Briefing.objects.visible_to(user)
        .filter(event=event)
        .select_related("recorded_by")
        .prefetch_related(Prefetch("attendees", queryset=User.objects.order_by("last_name")))
        .first()
    )


# Evidence forms -------------------------------------------------------------------------------


def _evidence(user: Any, event: Event) -> QuerySet[EvidenceForm]:
    return EvidenceForm.objects.visible_to(user).filter(event=event)


def evidence_list(
    *, user: Any, event: Event, aspect: int | None = None, author: int | None = None
) -> list[EvidenceForm]:
    """The event's evidence forms, oldest first, optionally of one aspect or author: one
    query whatever their number."""
    forms = _evidence(user, event).select_related("author", "aspect__framework", "observation")
    if aspect is not None:
        forms = forms.filter(aspect_id=aspect)
    if author is not None:
        forms = forms.filter(author_id=author)
    return list(forms.order_by("evidence_on", "pk"))


@dataclass(frozen=True)
class AspectCount:
    aspect_id: int
    code: str
    title: str
    framework: str
    count: int


def evidence_counts(*, user: Any, event: Event) -> list[AspectCount]:
    """How many evidence forms bear on each aspect, in framework order: one query."""
    rows = (
        _evidence(user, event)
        .order_by()
        .values("aspect_id", "aspect__code", "aspect__title", "aspect__framework__name")
        .annotate(count=Count("pk", distinct=True))
        .order_by("aspect__framework__name", "aspect__position")
    )
    return [
        AspectCount(
            aspect_id=row["aspect_id"],
            code=row["aspect__code"],
            title=row["aspect__title"],
            framework=row["aspect__framework__name"],
            count=row["count"],
        )
        for row in rows
    ]


def evidence_authors(*, user: Any, event: Event) -> list[User]:
    """Everyone who wrote evidence at the event or is on its team (the author filter): one
    query."""
    wrote = _evidence(user, event).values("author_id")
    return list(
        User.objects.filter(Q(pk__in=wrote) | Q(inspector__team_places__event=event))
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )


def evidence_get(*, user: Any, event: Event, pk: int) -> EvidenceForm:
    form = (
        _evidence(user, event).select_related("author", "aspect__framework").filter(pk=pk).first()
    )
    if form is None:
        raise Http404("No such evidence form.")
    return form


# Observations ---------------------------------------------------------------------------------


def observation_list(*, user: Any, event: Event) -> list[Observation]:
    """The event's observations with their grade and how many evidence forms cite each: one
    query."""
    return list(
        Observation.objects.visible_to(user)
        .filter(event=event)
        .select_related("observer", "grade")
        .annotate(evidence_count=Count("evidence", distinct=True))
        .order_by("observed_on", "pk")
    )


def observation_get(*, user: Any, event: Event, pk: int) -> Observation:
    observation = (
        Observation.objects.visible_to(user)
        .filter(event=event, pk=pk)
        .select_related("observer", "grade")
        .first()
    )
    if observation is None:
        raise Http404("No such observation.")
    return observation


def observation_choices(*, user: Any, event: Event) -> list[Observation]:
    """The observations an evidence form may link to: one query."""
    return list(
        Observation.objects.visible_to(user).filter(event=event).order_by("observed_on", "pk")
    )


# Meetings -------------------------------------------------------------------------------------


def _meetings(user: Any, event: Event) -> QuerySet[Meeting]:
    return (
        Meeting.objects.visible_to(user)
        .filter(event=event)
        .select_related("recorded_by")
        .prefetch_related(
            Prefetch("attendees", queryset=User.objects.order_by("first_name", "last_name"))
        )
    )


def meeting_list(*, user: Any, event: Event) -> list[Meeting]:
    """The event's meetings with their attendees, oldest first: two queries."""
    return list(_meetings(user, event).order_by("held_on", "pk"))


def meeting_get(*, user: Any, event: Event, pk: int) -> Meeting:
    meeting = _meetings(user, event).filter(pk=pk).first()
    if meeting is None:
        raise Http404("No such meeting.")
    return meeting
