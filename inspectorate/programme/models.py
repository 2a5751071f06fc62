"""The annual programme: its events, their teams and their milestones.

Full inspections are unannounced: their dates are confidential (PG-3); see
`EventQuerySet.visible_to`, the one place that decides who may see an event.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from inspectorate.accounts.permissions import user_has_duty
from inspectorate.accounts.roles import Duty
from inspectorate.audit.tracking import audited
from inspectorate.estate.models import Establishment
from inspectorate.inspectors.constants import Organisation
from inspectorate.inspectors.models import Inspector, InspectorBooking
from inspectorate.lib.models import (
    DatedSpan,
    Versioned,
    ends_on_or_after_start,
    one_of,
    optional_link,
    user_link,
)
from inspectorate.programme.constants import (
    EVENT_STATE_TAGS,
    EventKind,
    EventState,
    EventStatus,
    MilestoneStatus,
    MilestoneStrength,
    ProgrammeStatus,
    TeamRole,
)

# Kept for the apps that still import it from here; the duty is SEES_WHOLE_PROGRAMME.


def today() -> date:
    return timezone.localdate()


@audited()
class Programme(Versioned):
    """HMI Prisons' programme for April `year` to March `year + 1` (PG-1)."""

    year = models.PositiveSmallIntegerField(unique=True, help_text="The April it starts in.")
    status = models.CharField(max_length=20, choices=ProgrammeStatus, default=ProgrammeStatus.DRAFT)
    consultation_opened_on = models.DateField(null=True, blank=True)
    confirmed_on = models.DateField(null=True, blank=True)
    confirmation_reason = models.TextField(
        blank=True,
        help_text="Why it was confirmed although rules warned (PG-2, PG-14) or challenges "
        "were unanswered; empty when nothing was overridden.",
    )
    holds_history = models.BooleanField(
        default=False,
        help_text="Created to hold events recorded after they happened (HI-1): it was not "
        "planned in this service.",
    )

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"Programme {self.label}"

    @property
    def label(self) -> str:
        return f"{self.year} to {self.year + 1}"

    @property
    def starts_on(self) -> date:
        return date(self.year, 4, 1)

    @property
    def ends_on(self) -> date:
        return date(self.year + 1, 3, 31)

    @property
    def is_confirmed(self) -> bool:
        return self.status == ProgrammeStatus.CONFIRMED


class EventQuerySet(models.QuerySet["Event"]):
    def visible_to(self, user: Any, *, on: date | None = None) -> EventQuerySet:
        """The events `user` may know about (PG-3).

        Programme staff see every event. Anyone on an event's team sees it. An establishment
        user sees events of their own establishment only once announced or started; other
        staff see announced or started events. Nobody else sees anything.
        """
        if not getattr(user, "is_authenticated", False):
            return self.none()
        day = on or today()
        if user_has_duty(user, Duty.SEES_WHOLE_PROGRAMME):
            return self
        public = Q(announced_on__lte=day) | Q(starts_on__lte=day)
        if user.is_establishment_user:
            return self.filter(public, establishment_id=user.establishment_id)
        if user.has_staff_role:
            return self.filter(public | Q(team__inspector__user=user)).distinct()
        return self.none()


@audited()
class Event(DatedSpan, Versioned):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=30, choices=EventKind)
    establishment = models.ForeignKey(
        Establishment, on_delete=models.PROTECT, related_name="events"
    )
    status = models.CharField(max_length=20, choices=EventStatus, default=EventStatus.PLANNED)
    announced_on = models.DateField(
        null=True,
        blank=True,
        help_text="When the establishment was told; empty while unannounced (PG-3).",
    )
    education_inspectorate = models.CharField(
        max_length=10,
        blank=True,
        help_text="ofsted, estyn, or empty when none takes part (PG-8, PG-10).",
    )
    education_week_starts_on = models.DateField(
        null=True,
        blank=True,
        help_text="Full inspections: the week Ofsted attends, normally the second (PG-9).",
    )
    education_week_reason = models.TextField(
        blank=True, help_text="Why Ofsted attends another week, as agreed by HMI Prisons (PG-9)."
    )
    follows_up = optional_link(
        "self",
        "follow_ups",
        help_text="For an IRP: the full inspection whose recommendations it follows up.",
    )
    notes = models.TextField(blank=True)
    historical = models.BooleanField(
        default=False,
        help_text="It happened before it was recorded here: recorded as it was, exempt from "
        "forward-looking rules and never due (HI-1).",
    )
    history_source = models.TextField(
        blank=True,
        help_text="Where a historical record came from: a published report, a file, a person.",
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "establishment__name"]
        constraints = [
            ends_on_or_after_start(
                "event_ends_on_or_after_it_starts", "An event cannot end before it starts."
            ),
            one_of(
                "education_inspectorate_known",
                "education_inspectorate",
                ["", "ofsted", "estyn"],
                "The education inspectorate is Ofsted, Estyn or none.",
            ),
        ]
        indexes = [models.Index(fields=["starts_on"]), models.Index(fields=["kind", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.establishment} from {self.starts_on:%-d %B %Y}"

    @property
    def is_announced(self) -> bool:
        return self.announced_on is not None and self.announced_on <= today()

    def state(self, on: date | None = None) -> EventState:
        """What the event is on `on` (today): cancelled, took place, on site, announced or
        unannounced. A completed event took place, whatever its dates say."""
        day = on or today()
        if self.status == EventStatus.CANCELLED:
            return EventState.CANCELLED
        if self.status == EventStatus.COMPLETED or self.ends_on < day:
            return EventState.TOOK_PLACE
        if self.starts_on <= day:
            return EventState.ON_SITE
        if self.announced_on is not None and self.announced_on <= day:
            return EventState.ANNOUNCED
        return EventState.UNANNOUNCED

    @property
    def state_tag_class(self) -> str:
        return EVENT_STATE_TAGS[self.state()]

    def is_confidential(self, on: date | None = None) -> bool:
        """Unannounced and not yet started: the dates are confidential (PG-3)."""
        day = on or today()
        announced = self.announced_on is not None and self.announced_on <= day
        return not announced and self.starts_on > day


@audited()
class TeamMember(DatedSpan):
    """An inspector on an event's team, for some or all of its days."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="team")
    inspector = models.ForeignKey(Inspector, on_delete=models.PROTECT, related_name="team_places")
    role = models.CharField(max_length=20, choices=TeamRole)
    booking = models.OneToOneField(
        InspectorBooking, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    override_reason = models.TextField(
        blank=True, help_text="Why a 'normally' rule (for example PG-11) was set aside."
    )

    class Meta:
        ordering = ["event", "role", "inspector__name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "inspector"], name="one_place_per_inspector"),
            models.UniqueConstraint(
                fields=["event"],
                condition=Q(role=TeamRole.OFSTED_LEAD),
                name="one_ofsted_lead_per_event",
                violation_error_message="An event has exactly one Ofsted lead inspector (TM-3).",
            ),
            models.UniqueConstraint(
                fields=["event"],
                condition=Q(role=TeamRole.TEAM_LEADER),
                name="one_team_leader_per_event",
                violation_error_message="An event has one HMI Prisons team leader.",
            ),
            ends_on_or_after_start("team_member_dates_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.inspector.name}, {self.get_role_display()}"


@audited()
class Milestone(Versioned):
    """One deadline of one event, computed from a milestone rule (deadlines are data)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="milestones")
    rule_code = models.CharField(max_length=40, help_text="The milestone rule's code.")
    rule_id = models.CharField(max_length=10, blank=True, help_text="The RULES.md ID, e.g. RP-1.")
    title = models.CharField(max_length=200)
    strength = models.CharField(max_length=10, choices=MilestoneStrength)
    due_on = models.DateField()
    due_time = models.TimeField(null=True, blank=True, help_text="For example 12:00 (IN-2).")
    status = models.CharField(max_length=10, choices=MilestoneStatus, default=MilestoneStatus.DUE)
    met_on = models.DateTimeField(null=True, blank=True)
    met_by = user_link(optional=True)
    override_reason = models.TextField(blank=True)
    reopen_reason = models.TextField(
        blank=True, help_text="Why a milestone marked met was reopened (or that it was undone)."
    )
    reminded_on = models.DateField(null=True, blank=True)
    opened_on = models.DateField(
        default=today,
        help_text="The day the milestone was made; due before it, it was impossible when created.",
    )
    impossible_reason = models.TextField(
        blank=True, help_text="Why a deadline impossible when created was let pass."
    )
    impossible_recorded_by = user_link(optional=True)
    impossible_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "event"]
        constraints = [
            models.UniqueConstraint(fields=["event", "rule_code"], name="one_milestone_per_rule"),
            models.CheckConstraint(
                name="met_milestone_records_when",
                condition=~Q(status=MilestoneStatus.MET) | Q(met_on__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.title} (due {self.due_on:%-d %B %Y})"


class AmendmentQuerySet(models.QuerySet["Amendment"]):
    def visible_to(self, user: Any) -> AmendmentQuerySet:
        """The amendments log is for the programme staff (`programme.view_amendments`), and
        even for them only the amendments of events they may see: a superuser passes every
        permission but sees events only as their roles allow (the URL walk found the log
        naming an unannounced inspection's dates to a system administrator)."""
        if not user.has_perm("programme.view_amendments"):
            return self.none()
        events = Event.objects.visible_to(user)
        return self.filter(models.Q(event__isnull=True) | models.Q(event__in=events))


@audited()
class Amendment(models.Model):
    """A change to a confirmed programme, shared with Ofsted at once (PG-4)."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="amendments")
    event = optional_link(Event, "amendments", on_delete=models.SET_NULL)
    summary = models.CharField(max_length=300)
    changes = models.JSONField(default=dict, help_text="Field: [before, after].")
    made_by = user_link()
    made_at = models.DateTimeField(default=timezone.now)

    objects = AmendmentQuerySet.as_manager()

    class Meta:
        ordering = ["-made_at"]

    def __str__(self) -> str:
        return self.summary


@audited()
class Notification(models.Model):
    """An in-app notification; e-mail copies are sent after the writing transaction commits."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    subject = models.CharField(max_length=200)
    body = models.TextField()
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.subject


class ConsultationResponseQuerySet(models.QuerySet["ConsultationResponse"]):
    def visible_to(self, user: Any) -> ConsultationResponseQuerySet:
        """Consultation on the draft is as confidential as the programme itself (PG-3):
        the programme roles only (`programme.view_consultation`)."""
        if not getattr(user, "is_authenticated", False) or not user.has_perm(
            "programme.view_consultation"
        ):
            return self.none()
        return self


@audited()
class ConsultationResponse(Versioned):
    """A partner's answer to the draft programme (PG-14, PROT 13): whether it has the
    resourcing for the programme, with its challenges to particular events."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="consultation_responses"
    )
    partner = models.CharField(max_length=10, choices=Organisation)
    resourcing_confirmed = models.BooleanField(
        null=True, blank=True, help_text="Empty until the partner has said (PG-14)."
    )
    comment = models.TextField(blank=True)
    responded_by = user_link()
    responded_at = models.DateTimeField(default=timezone.now)

    objects = ConsultationResponseQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "partner"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "partner"], name="one_consultation_response_per_partner"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_partner_display()}'s response to {self.programme}"


@audited()
class ConsultationChallenge(models.Model):
    """A partner's challenge to one event of the draft programme, raised at once (PG-14);
    HMI Prisons' answer, once given."""

    response = models.ForeignKey(
        ConsultationResponse, on_delete=models.CASCADE, related_name="challenges"
    )
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="challenges")
    text = models.TextField()
    raised_by = user_link()
    raised_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(blank=True)
    answered_by = user_link(optional=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["raised_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="answered_challenge_records_when",
                condition=Q(answer="") | Q(answered_at__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"Challenge to {self.event}"

    @property
    def is_answered(self) -> bool:
        return bool(self.answer)
