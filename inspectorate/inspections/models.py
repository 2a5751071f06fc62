"""What an inspection team records and decides: fieldwork, judgements and findings.

Every record belongs to one programme event. Who may see a record is decided here, by the
`visible_to(user)` of each queryset and nowhere else:

- fieldwork (briefing, evidence, observations, meetings) is the team's working material:
  the event's team and quality assurance;
- findings (judgements, concerns, recommendations, notable positive practice) also reach
  the HMI Prisons programme staff and the Ofsted scheduling team, and the inspected
  establishment and improvement HMI once the report is published;
- an IRP's follow-up items also reach the establishment once the IRP is announced (PG-3).
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar, Self, TypeVar

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone

from inspectorate.accounts.models import User
from inspectorate.accounts.permissions import user_has_duty
from inspectorate.accounts.roles import Duty
from inspectorate.audit.tracking import audited
from inspectorate.frameworks.models import Aspect, Framework, Level
from inspectorate.inspections.constants import (
    ConcernKind,
    EvidenceSource,
    FollowUpKind,
    JudgementStatus,
    MeetingKind,
    ObservationKind,
    Stage,
)
from inspectorate.lib.models import ConditionQuerySet, Versioned, optional_link, user_link
from inspectorate.programme.models import Event, today

RecordT = TypeVar("RecordT", bound=models.Model)


def _on_team(prefix: str, user: Any) -> Q:
    return Q(**{f"{prefix}team__inspector__user": user})


def fieldwork_filter(user: Any, prefix: str = "event__") -> Q | None:
    """Who sees fieldwork: the event's team and quality assurance. None means nobody."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user_has_duty(user, Duty.ASSURES_QUALITY):
        return Q()
    if user_has_duty(user, Duty.STAFF):
        return _on_team(prefix, user)
    return None


def findings_filter(user: Any, prefix: str = "event__") -> Q | None:
    """Who sees judgements and findings. None means nobody."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user_has_duty(user, Duty.READS_ALL_FINDINGS):
        return Q()
    published = Q(**{f"{prefix}inspection__stage": Stage.PUBLISHED})
    if user_has_duty(user, Duty.ESTABLISHMENT):
        return published & Q(**{f"{prefix}establishment_id": user.establishment_id})
    if user_has_duty(user, Duty.READS_PUBLISHED_FINDINGS):
        return published | _on_team(prefix, user)
    if user_has_duty(user, Duty.STAFF):
        return _on_team(prefix, user)
    return None


class FieldworkQuerySet(ConditionQuerySet[RecordT]):
    def visible_to(self, user: Any) -> Self:
        return self.meeting(fieldwork_filter(user))


class FindingsQuerySet(ConditionQuerySet[RecordT]):
    def visible_to(self, user: Any) -> Self:
        return self.meeting(findings_filter(user))


class Attendee(models.Model):
    """A user at a briefing or meeting: the `through` model of its `attendees`, linked to it
    by the field `gathering` names."""

    gathering: ClassVar[str]
    user = user_link()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.user} at {getattr(self, self.gathering)}"


def attends_once(gathering: str) -> models.UniqueConstraint:
    """Each user is listed once at a gathering (`briefing`, `meeting`)."""
    return models.UniqueConstraint(fields=[gathering, "user"], name=f"{gathering}_attendee_once")


# The inspection as a whole ---------------------------------------------------------------


@audited()
class Inspection(Versioned):
    """The state of one event's inspection record (created with its first record)."""

    event = models.OneToOneField(Event, on_delete=models.PROTECT, related_name="inspection")
    stage = models.CharField(max_length=20, choices=Stage, default=Stage.FIELDWORK)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = user_link(optional=True)
    factual_accuracy_from = models.DateField(null=True, blank=True)
    published_on = models.DateField(null=True, blank=True)
    ofsted_key_concerns_reason = models.TextField(
        blank=True, help_text="Why Ofsted names more than four key concerns (IN-5)."
    )
    follow_up_reason = models.TextField(
        blank=True, help_text="Why an IRP follows up more than 15 recommendations (IN-6)."
    )

    objects = FindingsQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Inspection record of {self.event}"


# Fieldwork -------------------------------------------------------------------------------


@audited()
class Briefing(Versioned):
    """The pre-inspection briefing between the Ofsted lead and the HMI Prisons team leader,
    held before fieldwork (IN-1)."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="briefing")
    held_on = models.DateField()
    attendees: models.ManyToManyField[User, BriefingAttendee] = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="BriefingAttendee", related_name="+"
    )
    notes = models.TextField(blank=True)
    recorded_by = user_link()

    objects = FieldworkQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Briefing for {self.event} on {self.held_on:%-d %B %Y}"


@audited()
class BriefingAttendee(Attendee):
    gathering = "briefing"
    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [attends_once("briefing")]


@audited()
class Observation(Versioned):
    """A session observed (IN-8): formal ones are graded with feedback; short focused ones
    last about 15 minutes with no feedback; at joint ones the provider's observer gives it."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="observations")
    kind = models.CharField(max_length=20, choices=ObservationKind)
    observer = user_link()
    observed_on = models.DateField()
    activity = models.CharField(max_length=200, help_text="For example 'Level 1 English'.")
    location = models.CharField(max_length=200, blank=True)
    duration_minutes = models.PositiveSmallIntegerField()
    grade = optional_link(Level)
    feedback = models.TextField(blank=True, help_text="The feedback given after the session.")
    provider_observer = models.CharField(
        max_length=200, blank=True, help_text="Joint observations: the provider's observer."
    )

    objects = FieldworkQuerySet.as_manager()

    class Meta:
        ordering = ["observed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                name="short_focused_observation_not_graded",
                condition=~Q(kind=ObservationKind.SHORT_FOCUSED) | Q(grade__isnull=True),
                violation_error_message="A short focused observation is not graded (IN-8).",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} observation: {self.activity}"


@audited()
class EvidenceForm(Versioned):
    """One piece of evidence, tagged with the framework aspect it bears on (IN-7)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="evidence_forms")
    author = user_link()
    evidence_on = models.DateField(help_text="The date of the evidence.")
    source = models.CharField(max_length=20, choices=EvidenceSource)
    aspect = models.ForeignKey(Aspect, on_delete=models.PROTECT, related_name="+")
    observation = optional_link(Observation, "evidence", on_delete=models.SET_NULL)
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = FieldworkQuerySet.as_manager()

    class Meta:
        ordering = ["evidence_on", "pk"]
        indexes = [models.Index(fields=["event", "aspect"])]

    def __str__(self) -> str:
        return f"Evidence {self.pk} ({self.aspect.code}, {self.evidence_on:%-d %B %Y})"


@audited()
class Meeting(Versioned):
    """Team meetings, the Thursday deliberation (IN-3) and the final-day feedback (IN-4)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(max_length=20, choices=MeetingKind)
    held_on = models.DateField()
    attendees: models.ManyToManyField[User, MeetingAttendee] = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="MeetingAttendee", related_name="+"
    )
    others_present = models.TextField(
        blank=True, help_text="People present who are not users, for example prison staff."
    )
    notes = models.TextField(blank=True)
    recorded_by = user_link()

    objects = FieldworkQuerySet.as_manager()

    class Meta:
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.held_on:%-d %B %Y}"


@audited()
class MeetingAttendee(Attendee):
    gathering = "meeting"
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [attends_once("meeting")]


# Findings --------------------------------------------------------------------------------


@audited()
class Concern(Versioned):
    """A priority or key concern (HMI Prisons) or an Ofsted key concern (IN-5)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="concerns")
    kind = models.CharField(max_length=20, choices=ConcernKind)
    text = models.TextField()
    paragraph_reference = models.CharField(max_length=20, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = FindingsQuerySet.as_manager()

    class Meta:
        ordering = ["event", "kind", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


@audited()
class Recommendation(Versioned):
    """A recommendation with the paragraph reference it carries in the report. `previous`
    links a recommendation repeated from an earlier inspection: the chain across
    inspections."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="recommendations")
    concern = optional_link(Concern, "recommendations", on_delete=models.SET_NULL)
    text = models.TextField()
    paragraph_reference = models.CharField(max_length=20, help_text="For example '1.12'.")
    area = models.CharField(
        max_length=300,
        blank=True,
        help_text="The section of the report it sits under, such as 'Safety' (RP-7).",
    )
    position = models.PositiveSmallIntegerField(default=0)
    previous = optional_link("self", "repeated_by", on_delete=models.SET_NULL)

    objects = FindingsQuerySet.as_manager()

    class Meta:
        ordering = ["event", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "paragraph_reference"], name="one_recommendation_per_paragraph"
            )
        ]

    def __str__(self) -> str:
        return f"{self.text[:80]} ({self.paragraph_reference})"


@audited()
class PositivePractice(Versioned):
    """Notable positive practice, with its paragraph reference in the report."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="positive_practice")
    text = models.TextField()
    paragraph_reference = models.CharField(
        max_length=20,
        blank=True,
        help_text="As written, for a record not linked to a paragraph (an imported report).",
    )
    # The cross-reference as a link (RP-7): the `paragraph`th numbered paragraph (from 1,
    # the closing judgement included) of a follow-up's part of the IRP report. The report
    # prints that paragraph's current number, however the numbering moves.
    follow_up = optional_link(
        "FollowUp",
        "positive_practice",
        on_delete=models.SET_NULL,
        help_text="The recommendation or theme of the review whose paragraph it points to.",
    )
    paragraph = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Which of that item's paragraphs, from 1."
    )
    position = models.PositiveSmallIntegerField(default=0)

    objects = FindingsQuerySet.as_manager()

    class Meta:
        ordering = ["event", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                name="positive_practice_links_a_paragraph",
                condition=Q(follow_up__isnull=True) | Q(paragraph__gte=1),
                violation_error_message="A link to a follow-up names which of its paragraphs.",
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]


class FollowUpQuerySet(ConditionQuerySet["FollowUp"]):
    def visible_to(self, user: Any, *, on: date | None = None) -> FollowUpQuerySet:
        """Findings readers; and the establishment once its IRP is announced (PG-3)."""
        if user_has_duty(user, Duty.ESTABLISHMENT):
            day = on or today()
            announced = Q(event__announced_on__lte=day) | Q(event__starts_on__lte=day)
            return self.filter(announced, event__establishment_id=user.establishment_id)
        return self.meeting(findings_filter(user))


@audited()
class FollowUp(Versioned):
    """An item an IRP follows up: a recommendation of the previous full inspection, judged
    on the HMI Prisons scale (JG-6), or an Ofsted theme, judged on Ofsted's (JG-7). The
    narrative is the report's numbered paragraphs, one per blank-line-separated block."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="follow_up_items")
    kind = models.CharField(max_length=20, choices=FollowUpKind)
    recommendation = optional_link(Recommendation, "follow_ups")
    theme = models.CharField(max_length=2000, blank=True)
    paragraph_reference = models.CharField(
        max_length=20, blank=True, help_text="A theme's paragraph reference, such as '1.3'."
    )
    from_recommendations = models.ManyToManyField(
        Recommendation,
        blank=True,
        related_name="themes",
        help_text="For a theme: the recommendations of the inspection it came from.",
    )
    narrative = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["event", "kind", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                name="follow_up_names_its_subject",
                condition=(
                    Q(kind=FollowUpKind.RECOMMENDATION, recommendation__isnull=False, theme="")
                    | (Q(kind=FollowUpKind.THEME, recommendation__isnull=True) & ~Q(theme=""))
                ),
                violation_error_message=(
                    "A follow-up is either a recommendation or an Ofsted theme, and names it."
                ),
            ),
            models.UniqueConstraint(
                fields=["event", "recommendation"], name="recommendation_followed_up_once"
            ),
        ]

    def __str__(self) -> str:
        subject = self.recommendation.text if self.recommendation else self.theme
        return f"{self.get_kind_display()}: {subject[:80]}"

    @property
    def paragraphs(self) -> list[str]:
        return [block.strip() for block in self.narrative.split("\n\n") if block.strip()]


@audited()
class Judgement(Versioned):
    """A grade for one framework aspect at one event (or for one follow-up item at an IRP),
    citing its evidence (IN-7). Provisional until moderated; after the factual-accuracy
    check it changes only by a recorded correction (JG-9)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="judgements")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="+")
    aspect = models.ForeignKey(Aspect, on_delete=models.PROTECT, related_name="+")
    follow_up = optional_link(FollowUp, "judgements", on_delete=models.CASCADE)
    level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=20, choices=JudgementStatus, default=JudgementStatus.PROVISIONAL
    )
    rationale = models.TextField(blank=True)
    evidence: models.ManyToManyField[EvidenceForm, JudgementEvidence] = models.ManyToManyField(
        EvidenceForm, through="JudgementEvidence", related_name="+"
    )
    most_likely = optional_link(Level)
    overridden_rules = ArrayField(models.CharField(max_length=10), default=list, blank=True)
    override_reason = models.TextField(blank=True)
    decided_by = user_link()
    decided_at = models.DateTimeField(default=timezone.now)

    objects = FindingsQuerySet.as_manager()

    class Meta:
        ordering = ["event", "framework", "aspect__position", "follow_up__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "aspect"],
                condition=Q(follow_up__isnull=True),
                name="one_judgement_per_event_aspect",
            ),
            models.UniqueConstraint(
                fields=["follow_up", "aspect"],
                condition=Q(follow_up__isnull=False),
                name="one_judgement_per_follow_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.aspect.code}: {self.level.label}"


@audited()
class JudgementEvidence(models.Model):
    judgement = models.ForeignKey(Judgement, on_delete=models.CASCADE, related_name="citations")
    evidence = models.ForeignKey(EvidenceForm, on_delete=models.PROTECT, related_name="citations")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["judgement", "evidence"], name="evidence_cited_once")
        ]

    def __str__(self) -> str:
        return f"{self.judgement} cites {self.evidence}"


@audited()
class JudgementCorrection(models.Model):
    """A judgement changed after the factual-accuracy check: only for a factual error with
    significant bearing, by the lead inspector with quality assurance (JG-9)."""

    judgement = models.ForeignKey(Judgement, on_delete=models.CASCADE, related_name="corrections")
    previous_level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="+")
    new_level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="+")
    factual_error = models.TextField(help_text="The factual error and why it bears on the grade.")
    corrected_by = user_link()
    approved_by = user_link()
    corrected_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["judgement", "corrected_at"]
        constraints = [
            models.CheckConstraint(
                name="correction_approved_by_someone_else",
                condition=~Q(corrected_by=models.F("approved_by")),
                violation_error_message="Quality assurance is someone other than the lead (JG-9).",
            )
        ]

    def __str__(self) -> str:
        return f"Correction of {self.judgement}"
