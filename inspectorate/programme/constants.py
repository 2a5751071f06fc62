from django.db import models

from inspectorate.frameworks.constants import EventKind as EventKind  # one vocabulary


class ProgrammeStatus(models.TextChoices):
    """PG-1: drafted, consulted on in December, confirmed."""

    DRAFT = "draft", "Draft"
    CONSULTATION = "consultation", "In consultation"
    CONFIRMED = "confirmed", "Confirmed"


class EventStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    CANCELLED = "cancelled", "Cancelled"
    COMPLETED = "completed", "Completed"


class EventState(models.TextChoices):
    """What an event is at a date: its status read with its dates and announcement. The one
    name for it, in tags and on the event page; a planned event whose dates have come is on
    site, and one whose dates have passed took place."""

    CANCELLED = "cancelled", "Cancelled"
    TOOK_PLACE = "took_place", "Took place"
    ON_SITE = "on_site", "On site"
    ANNOUNCED = "announced", "Announced"
    UNANNOUNCED = "unannounced", "Unannounced"


EVENT_STATE_TAGS = {
    EventState.CANCELLED: "govuk-tag--grey",
    EventState.TOOK_PLACE: "govuk-tag--grey",
    EventState.ON_SITE: "govuk-tag--blue",
    EventState.ANNOUNCED: "govuk-tag--green",
    EventState.UNANNOUNCED: "govuk-tag--red",
}


class TeamRole(models.TextChoices):
    TEAM_LEADER = "team_leader", "HMI Prisons team leader"
    OFSTED_LEAD = "ofsted_lead", "Ofsted lead inspector"  # exactly one where Ofsted takes part
    INSPECTOR = "inspector", "Inspector"
    SPECIALIST = "specialist", "Specialist inspector"


class MilestoneStatus(models.TextChoices):
    DUE = "due", "Due"
    MET = "met", "Met"
    MISSED = "missed", "Missed"
    # Already past its due date when the milestone was made (the event was added, or moved,
    # too late for it): nobody could have met it. A reason is recorded for it, not a miss.
    IMPOSSIBLE = "impossible", "Impossible when created"
    NOT_APPLICABLE = "n_a", "Not applicable"


class MilestoneStrength(models.TextChoices):
    HARD = "hard", "Must"
    NORMALLY = "normally", "Normally"  # a warning that can be overridden with a reason


class EducationJudgement(models.TextChoices):
    """The overall education, skills and work judgement at an inspection (JG-2 grades).

    The values are the stored grade values, so the inspections issue's judgements can be
    compared with them directly.
    """

    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"


# PG-8: Ofsted (or Estyn in Wales) takes part in an IRP after these judgements.
EDUCATION_FOLLOW_UP_JUDGEMENTS = frozenset(
    {EducationJudgement.REQUIRES_IMPROVEMENT, EducationJudgement.INADEQUATE}
)

# PG-7: the records the Ofsted scheduling team makes itself.
OFSTED_RECORDED_KINDS = frozenset({EventKind.OFSTED_STANDALONE, EventKind.MONITORING_VISIT})

# Ofsted's own work: education, skills and work in England only (PG-10).
OFSTED_ONLY_KINDS = frozenset(
    {EventKind.OFSTED_STANDALONE, EventKind.MONITORING_VISIT, EventKind.IMPROVEMENT_VISIT}
)

# Kinds HMI Prisons leads (the calendar's "HM Inspectorate of Prisons" filter).
HMIP_KINDS = frozenset({EventKind.FULL_INSPECTION, EventKind.IRP})

# PG-14: the partners need time to answer the draft; a shorter consultation is a warning.
# (RULES.md sets no length; the "zero days" case made this a named constant.)
CONSULTATION_MIN_WORKING_DAYS = 5

# PG-2: the programme holds between 15 and 20 IRPs.
IRP_RANGE = (15, 20)

# WD-2: an IRP takes place 8 to 12 calendar months after the full inspection it follows up.
IRP_WINDOW_MONTHS = (8, 12)

# PG-3: an IRP is announced at least three months ahead (normally).
IRP_NOTICE_MONTHS = 3

# Full inspection: two weeks on site, Monday of the first week to Friday of the second.
FULL_INSPECTION_DAYS = 12
IRP_DAYS = 3
PROBATION_FULL_INSPECTION_DAYS = 5  # IN-9: five days on site
