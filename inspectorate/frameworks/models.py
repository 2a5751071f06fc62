"""Inspection frameworks as data (JG-1), and the assessments graded under them.

A framework (slug + version) is loaded from a JSON file by `manage.py load_frameworks` and
never edited afterwards: a changed framework is a new version. Its scales, levels, aspects
and rules belong to that version, so an assessment that points at them records the version
it was made under, whatever is loaded later.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q

from inspectorate.accounts.permissions import DutyQuerySet
from inspectorate.accounts.roles import Duty
from inspectorate.audit.tracking import audited
from inspectorate.estate.constants import EstablishmentKind
from inspectorate.frameworks.constants import AppliesPer, AspectKind, EventKind, RuleKind
from inspectorate.lib.models import Versioned, labels_of, one_of, optional_link, user_link


class FrameworkQuerySet(DutyQuerySet["Framework"]):
    """Frameworks are for staff; establishment users and the public see none."""


@audited()
class Framework(models.Model):
    slug = models.SlugField(max_length=60)
    version = models.CharField(max_length=20, help_text="For example '2009.1'.")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    source = models.TextField(blank=True, help_text="Where the framework's text comes from.")
    valid_from = models.DateField()
    event_kinds = ArrayField(
        models.CharField(max_length=30, choices=EventKind),
        help_text="The kinds of event it is used for (JG-8).",
    )
    establishment_kinds = ArrayField(
        models.CharField(max_length=30, choices=EstablishmentKind), default=list, blank=True
    )
    supersedes = ArrayField(
        models.SlugField(max_length=60),
        default=list,
        blank=True,
        help_text="The frameworks this one replaces from its start date, for the kinds of "
        "event and establishment it applies to.",
    )
    source_file = models.CharField(max_length=200)
    checksum = models.CharField(
        max_length=64,
        help_text="SHA-256 of the file's canonical JSON (key order and spacing aside).",
    )
    loaded_at = models.DateTimeField(auto_now_add=True)

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        ordering = ["name", "-valid_from", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug", "version"], name="framework_slug_version_unique"
            ),
            models.CheckConstraint(
                name="framework_checksum_is_sha256",
                condition=Q(checksum__regex=r"^[0-9a-f]{64}$"),
                violation_error_message="A framework checksum is 64 hexadecimal digits.",
            ),
            models.CheckConstraint(
                name="framework_used_for_some_event",
                condition=~Q(event_kinds=[]),
                violation_error_message="A framework is used for at least one kind of event.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"

    def applies_to(self, event_kind: str) -> bool:
        """Whether the framework is used at events of `event_kind` (JG-8)."""
        return event_kind in self.event_kinds

    @property
    def event_kind_labels(self) -> list[str]:
        return labels_of(EventKind, self.event_kinds)

    @property
    def establishment_kind_labels(self) -> list[str]:
        return labels_of(EstablishmentKind, self.establishment_kinds)


class FrameworkPart(models.Model):
    """A part of one framework version (a scale, an aspect, a rule), at its `position` in the
    framework file. Each kind declares its `framework` link, named for the framework's
    `scales`, `aspects` or `rules`."""

    position = models.PositiveSmallIntegerField()

    class Meta:
        abstract = True
        ordering = ["framework", "position"]


@audited()
class Scale(FrameworkPart):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="scales")
    slug = models.SlugField(max_length=60)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta(FrameworkPart.Meta):
        constraints = [
            models.UniqueConstraint(fields=["framework", "slug"], name="scale_slug_unique"),
        ]

    def __str__(self) -> str:
        return self.name


@audited()
class Level(models.Model):
    """One grade of a scale. Position 0 is the best."""

    scale = models.ForeignKey(Scale, on_delete=models.CASCADE, related_name="levels")
    slug = models.SlugField(max_length=60)
    label = models.CharField(max_length=100)
    value = models.PositiveSmallIntegerField()
    definition = models.TextField()
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["scale", "position"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "slug"], name="level_slug_unique"),
            models.UniqueConstraint(fields=["scale", "position"], name="level_position_unique"),
            models.UniqueConstraint(fields=["scale", "value"], name="level_value_unique"),
            models.CheckConstraint(
                name="level_value_positive",
                condition=Q(value__gte=1),
                violation_error_message="A level's value is a whole number from 1.",
            ),
        ]

    def __str__(self) -> str:
        return self.label


@audited()
class Aspect(FrameworkPart):
    """A node of the framework's tree: a judgement, main grade or evaluation requirement."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="aspects")
    parent = optional_link("self", "children", on_delete=models.CASCADE)
    code = models.CharField(max_length=10)
    title = models.CharField(max_length=200)
    question = models.TextField(blank=True)
    guidance = models.TextField(blank=True)
    scale = models.ForeignKey(Scale, on_delete=models.PROTECT, related_name="aspects")
    kind = models.CharField(max_length=20, choices=AspectKind)
    required = models.BooleanField(default=False)
    applies_per = models.CharField(max_length=20, choices=AppliesPer, default=AppliesPer.EVENT)

    class Meta(FrameworkPart.Meta):
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="aspect_code_unique"),
            one_of("aspect_kind_known", "kind", AspectKind.values, "Unknown aspect kind."),
            models.CheckConstraint(
                name="derived_aspect_not_required",
                condition=~Q(kind=AspectKind.DERIVED, required=True),
                violation_error_message="A derived judgement is computed, not entered.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"

    @property
    def is_derived(self) -> bool:
        return self.kind == AspectKind.DERIVED


@audited()
class Rule(FrameworkPart):
    """One rule of a framework, kept as the JSON it was written in (declarative, not code)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="rules")
    key = models.SlugField(max_length=80)
    rule_id = models.CharField(max_length=10, help_text="The catalogue ID, for example JG-3.")
    kind = models.CharField(max_length=20, choices=RuleKind)
    target = models.ForeignKey(Aspect, on_delete=models.PROTECT, related_name="rules")
    explanation = models.TextField()
    definition = models.JSONField(help_text="The rule exactly as written in the framework file.")

    class Meta(FrameworkPart.Meta):
        constraints = [
            models.UniqueConstraint(fields=["framework", "key"], name="rule_key_unique"),
            one_of("rule_kind_known", "kind", RuleKind.values, "Unknown rule kind."),
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} {self.key}"


# Assessments -----------------------------------------------------------------------------


class AssessmentQuerySet(DutyQuerySet["Assessment"]):
    """Lead inspectors, team leaders and quality assurance; nobody else."""

    seen_by = Duty.ASSESSES


@audited()
class Assessment(Versioned):
    """The aspect grades of one inspection and the derived judgements chosen from them.

    Until inspections exist, this is the thing being graded; a later issue links a judgement
    to these records. `framework` is the exact version used (JG-1).
    """

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="assessments")
    establishment = optional_link("estate.Establishment", "assessments")
    event_kind = models.CharField(max_length=30, choices=EventKind)
    title = models.CharField(max_length=200, blank=True)
    created_by = user_link("assessments")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title or f"Assessment {self.pk}"


@audited()
class AssessmentGrade(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="grades")
    aspect = models.ForeignKey(Aspect, on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["assessment", "aspect__position"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "aspect"], name="one_grade_per_aspect"),
        ]

    def __str__(self) -> str:
        return f"{self.aspect.code}: {self.level.label}"


@audited()
class GradeDecision(Versioned):
    """The grade chosen for a derived judgement, and the override reason when one was needed."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="decisions")
    aspect = models.ForeignKey(Aspect, on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="+")
    most_likely = optional_link(Level)
    overridden_rules = ArrayField(
        models.CharField(max_length=10),
        default=list,
        blank=True,
        help_text="The rule IDs that warned about the chosen grade; empty if none did.",
    )
    override_reason = models.TextField(blank=True)
    decided_by = user_link("grade_decisions")
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["assessment", "aspect__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "aspect"], name="one_decision_per_judgement"
            ),
            models.CheckConstraint(
                name="override_has_a_reason",
                condition=Q(overridden_rules=[]) | ~Q(override_reason=""),
                violation_error_message="A grade the rules warn about needs a recorded reason.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.aspect.code}: {self.level.label}"

    @property
    def is_override(self) -> bool:
        return bool(self.overridden_rules)
