from __future__ import annotations

from django.db import models


class Stage(models.TextChoices):
    """Where an inspection's record stands. Judgements are provisional during fieldwork,
    moderated after it; from the factual-accuracy check on, a judgement changes only as a
    recorded factual correction (JG-9). The reports issue moves the last two stages."""

    FIELDWORK = "fieldwork", "Fieldwork"
    MODERATED = "moderated", "Moderated"
    FACTUAL_ACCURACY = "factual_accuracy", "Factual-accuracy check"
    PUBLISHED = "published", "Published"


# Stages from which a judgement changes only by a recorded factual correction (JG-9).
CORRECTION_ONLY_STAGES = frozenset({Stage.FACTUAL_ACCURACY, Stage.PUBLISHED})


class EvidenceSource(models.TextChoices):
    """Where an evidence form's evidence comes from (IN-7)."""

    OBSERVATION = "observation", "Observation"
    PRISONERS = "prisoners", "Discussion with prisoners"
    STAFF = "staff", "Discussion with staff"
    DOCUMENTS = "documents", "Documents"
    DATA = "data", "Data"


class ObservationKind(models.TextChoices):
    """IN-8: formal (graded, with feedback), short focused (about 15 minutes, no feedback),
    joint (with the provider's observer, who gives the feedback)."""

    FORMAL = "formal", "Formal"
    SHORT_FOCUSED = "short_focused", "Short focused"
    JOINT = "joint", "Joint"


SHORT_FOCUSED_MINUTES = 15


class MeetingKind(models.TextChoices):
    TEAM = "team", "Team meeting"
    DELIBERATION = "deliberation", "Deliberation meeting"  # IN-3: Thursday, Ofsted lead attends
    FINAL_FEEDBACK = "final_feedback", "Feedback to prison staff"  # IN-4: the final day
    OTHER = "other", "Other meeting"


class JudgementStatus(models.TextChoices):
    PROVISIONAL = "provisional", "Provisional"
    MODERATED = "moderated", "Moderated"


class ConcernKind(models.TextChoices):
    """HMI Prisons' priority and key concerns; Ofsted's key concerns in the same style (IN-5)."""

    PRIORITY = "priority", "Priority concern"
    KEY = "key", "Key concern"
    OFSTED_KEY = "ofsted_key", "Ofsted key concern"


# IN-5: Ofsted identifies usually no more than four key concerns.
OFSTED_KEY_CONCERNS_USUALLY = 4
# IN-6: an IRP follows up usually no more than 15 recommendations.
FOLLOW_UP_RECOMMENDATIONS_USUALLY = 15


class FollowUpKind(models.TextChoices):
    RECOMMENDATION = "recommendation", "Recommendation"  # judged on the HMI Prisons scale (JG-6)
    THEME = "theme", "Ofsted theme"  # judged on the Ofsted scale (JG-7)


# The framework slugs each follow-up kind is judged under (JG-6, JG-7) and the healthy prison
# tests (JG-8), as loaded by the frameworks app.
FOLLOW_UP_FRAMEWORK = {
    FollowUpKind.RECOMMENDATION: "hmip-irp-progress",
    FollowUpKind.THEME: "ofsted-irp-themes",
}
HEALTHY_PRISON_TESTS = "healthy-prison-tests"
