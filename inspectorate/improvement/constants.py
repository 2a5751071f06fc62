from __future__ import annotations

from django.db import models

from inspectorate.estate.constants import EstablishmentKind


class Track(models.TextChoices):
    """Which source document the case follows."""

    PRISON = "prison", "Prison (support and challenge for prisons)"
    FURTHER_EDUCATION = "fe", "Further education and skills provider"


PRISON_KINDS = frozenset(
    {
        EstablishmentKind.PRISON,
        EstablishmentKind.YOUNG_OFFENDER_INSTITUTION,
        EstablishmentKind.SECURE_TRAINING_CENTRE,
        EstablishmentKind.IMMIGRATION_REMOVAL_CENTRE,
    }
)

# SC-1: the judgements that open a case, by aspect code of the framework, and their grades
# ("C" in the 2012 CIF, "LM" in the education inspection framework for prisons).
OPENING_ASPECTS = {
    "OE": "overall effectiveness",
    "C": "leadership and management",
    "LM": "leadership and management",
}
OPENING_LEVELS = frozenset({"requires_improvement", "inadequate"})


class CaseStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class ContactKind(models.TextChoices):
    TELEPHONE = "telephone", "Initial telephone conversation"
    VISIT = "visit", "Improvement visit"
    FOLLOW_UP = "follow_up", "Follow-up visit"  # SC-6


VISIT_KINDS = frozenset({ContactKind.VISIT, ContactKind.FOLLOW_UP})

# SC-2: FE improvement visit offered 10 to 30 working days after the report's publication.
FE_VISIT_WINDOW_WORKING_DAYS = (10, 30)
# SC-4: the letter within five working days of the visit.
LETTER_WORKING_DAYS = 5
# SC-7 / SC-8: re-inspection windows for FE providers, in months after the inspection.
FE_REQUIRES_IMPROVEMENT_REINSPECTION = (12, 18)
FE_INADEQUATE_MONITORING_VISIT = (6, 8)
FE_INADEQUATE_REINSPECTION = (12, 15)
FE_REINSPECTION_NOTICE_WORKING_DAYS = 2


class SupportOption(models.TextChoices):
    """SC-3: the indicative options of the source documents (PSC 8, FSC 15)."""

    SEMINAR = "seminar", "Invitation to an Ofsted improvement seminar"
    PROGRESS_MEETING = (
        "progress_meeting",
        ("Meeting with leaders, managers and staff to review progress against the action plan"),
    )
    JOINT_OBSERVATION = "joint_observation", "Joint observation of a subject or aspect"
    GOVERNORS_MEETING = "governors_meeting", "HMI meeting with governors (FE)"
    EXISTING_SUPPORT = "existing_support", "Access to existing support offers such as LSIS (FE)"
    PROVIDER_LINKS = "provider_links", "Links with other regional or national providers (FE)"
    PROVIDER_VISIT = "provider_visit", "Visit for leaders and governors to another provider (FE)"
    SUBJECT_SEMINAR = "subject_seminar", "HMI-led seminar on a subject or aspect (FE)"
    FURTHER_VISIT = "further_visit", "A further visit or visits by the HMI"
    MIDDLE_LEADERS = "middle_leaders", "HMI meeting middle leaders on teaching and training (FE)"


PRISON_SUPPORT_OPTIONS = (
    SupportOption.SEMINAR,
    SupportOption.PROGRESS_MEETING,
    SupportOption.JOINT_OBSERVATION,
    SupportOption.FURTHER_VISIT,
)
SUPPORT_OPTIONS_BY_TRACK = {
    Track.PRISON: PRISON_SUPPORT_OPTIONS,
    Track.FURTHER_EDUCATION: tuple(SupportOption),
}


class ActionStatus(models.TextChoices):
    """Where an agreed priority action stands (SC-3, SC-6)."""

    OPEN = "open", "Open"
    DONE = "done", "Done"


class LetterStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    FACTUAL_CHECK = "factual_check", "Checked for factual accuracy"  # FE only (SC-4)
    SENT = "sent", "Sent"
