from __future__ import annotations

from django.db import models


class ReportKind(models.TextChoices):
    """The documents an event produces. An IRP has its report; a full inspection has the
    Ofsted findings summary for 'Purposeful activity' and the full Ofsted text (RP-2)."""

    IRP_REPORT = "irp_report", "Report on an independent review of progress"
    OFSTED_FINDINGS = "ofsted_findings", "Ofsted findings for purposeful activity"
    OFSTED_REPORT = "ofsted_report", "Ofsted report on education, skills and work"


class ReportStage(models.TextChoices):
    """Draft → quality assurance → factual-accuracy check → final → published."""

    DRAFT = "draft", "Draft"
    QUALITY_ASSURANCE = "quality_assurance", "Quality assurance"
    FACTUAL_ACCURACY = "factual_accuracy", "Factual-accuracy check"
    FINAL = "final", "Final"
    PUBLISHED = "published", "Published"


# Stages at which the event's leads change the report's text.
EDITABLE_STAGES = frozenset({ReportStage.DRAFT, ReportStage.FACTUAL_ACCURACY, ReportStage.FINAL})
# Stages at which a draft goes to the inspected body and partners (RP-3).
EXTERNAL_STAGES = frozenset({ReportStage.FACTUAL_ACCURACY})


class CommentOutcome(models.TextChoices):
    """How the inspectorate answered a factual-accuracy comment."""

    ACCEPTED = "accepted", "Accepted: the report is corrected"
    PARTLY_ACCEPTED = "partly_accepted", "Partly accepted"
    NOT_ACCEPTED = "not_accepted", "Not accepted"


class RenderStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RENDERING = "rendering", "Rendering"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


class LetterKind(models.TextChoices):
    """Letters from templates an administrator can edit."""

    IRP_ANNOUNCEMENT = "irp_announcement", "Announcement of an independent review of progress"
    PROGRAMME_AMENDMENT = "programme_amendment", "Amendment to the programme"
    SUPPORT_AND_CHALLENGE = "support_and_challenge", "Support and challenge letter (SC-4)"
