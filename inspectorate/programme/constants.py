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


class TeamRole(models.TextChoices):
    TEAM_LEADER = "team_leader", "HMI Prisons team leader"
    OFSTED_LEAD = "ofsted_lead", "Ofsted lead inspector"  # exactly one where Ofsted takes part
    INSPECTOR = "inspector", "Inspector"
    SPECIALIST = "specialist", "Specialist inspector"


class MilestoneStatus(models.TextChoices):
    DUE = "due", "Due"
    MET = "met", "Met"
    MISSED = "missed", "Missed"
    NOT_APPLICABLE = "n_a", "Not applicable"


class MilestoneStrength(models.TextChoices):
    HARD = "hard", "Must"
    NORMALLY = "normally", "Normally"  # a warning that can be overridden with a reason
