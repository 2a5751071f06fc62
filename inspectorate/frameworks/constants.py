"""The vocabulary of framework files: event kinds, aspect kinds, rule kinds and strengths."""

from __future__ import annotations

from pathlib import Path

from django.db import models

DATA_DIR = Path(__file__).resolve().parent / "data"
FILE_FORMAT = 1  # the "format" every framework file declares; a new format needs new code


class EventKind(models.TextChoices):
    """What a framework is used for (its `applies_to.event_kinds`)."""

    FULL_INSPECTION = "full_inspection", "Full inspection"
    IRP = "irp", "Independent review of progress"
    OFSTED_STANDALONE = "ofsted_standalone", "Ofsted standalone inspection"
    MONITORING_VISIT = "monitoring_visit", "Monitoring visit"
    IMPROVEMENT_VISIT = "improvement_visit", "Improvement visit"


class AspectKind(models.TextChoices):
    DERIVED = "derived", "Derived judgement"  # computed from the others (overall effectiveness)
    MAIN = "main", "Main grade"
    CONTRIBUTORY = "contributory", "Contributory grade"
    QUESTION = "question", "Question"


class AppliesPer(models.TextChoices):
    """How often an aspect is graded in one event."""

    EVENT = "event", "Once per inspection"
    RECOMMENDATION = "recommendation", "Once per recommendation followed up"
    THEME = "theme", "Once per theme"


class RuleKind(models.TextChoices):
    LIMIT = "limit", "Limiting grade"
    LIKELY = "likely", "Likely grade"
    LADDER = "ladder", "Grade characteristics"


class Strength(models.TextChoices):
    """How firmly a limit holds. Only `must` forbids; the others warn and need an override."""

    MUST = "must", "cannot be better than"
    MOST_UNLIKELY = "most_unlikely", "is most unlikely to be better than"
    UNLIKELY = "unlikely", "is unlikely to be better than"


class OptionStatus(models.TextChoices):
    ALLOWED = "allowed", "Allowed"
    WARNING = "warning", "Needs a recorded reason"
    FORBIDDEN = "forbidden", "Not allowed"


class ConditionOp(models.TextChoices):
    IS = "grade_is", "is"
    AT_MOST = "grade_at_most", "or worse"
    AT_LEAST = "grade_at_least", "or better"
