from collections.abc import Iterable

from django.db import models

from inspectorate.estate.constants import Organisation as Organisation  # inspectors' employers
from inspectorate.estate.constants import Region as Region  # inspectors have a home region


class Grade(models.TextChoices):
    OFSTED_HMI = "ofsted_hmi", "His Majesty's Inspector (Ofsted)"
    OFSTED_INSPECTOR = "ofsted_oi", "Ofsted Inspector (contracted)"
    HMIP_INSPECTOR = "hmip_inspector", "HMI Prisons inspector"
    HMIP_TEAM_LEADER = "hmip_team_leader", "HMI Prisons team leader"
    ESTYN_HMI = "estyn_hmi", "His Majesty's Inspector (Estyn)"
    SPECIALIST = "specialist", "Specialist inspector"


class Specialism(models.TextChoices):
    EDUCATION_SKILLS_WORK = "esw", "Education, skills and work"
    OFFENDER_LEARNING = "offender_learning", "Offender learning"
    HEALTHCARE = "healthcare", "Healthcare"
    PHARMACY = "pharmacy", "Pharmacy"
    SUBSTANCE_MISUSE = "substance_misuse", "Substance misuse"
    SAFETY = "safety", "Safety"
    RESETTLEMENT = "resettlement", "Resettlement"
    CHILDREN = "children", "Children and young people"
    WOMEN = "women", "Women"
    EQUALITY = "equality", "Equality and diversity"


class DbsLevel(models.TextChoices):
    """The level of the Disclosure and Barring Service check held (TM-1 needs enhanced)."""

    NONE = "none", "No check recorded"
    BASIC = "basic", "Basic"
    STANDARD = "standard", "Standard"
    ENHANCED = "enhanced", "Enhanced"
    ENHANCED_BARRED = "enhanced_barred", "Enhanced with barred lists"


ENHANCED_DBS_LEVELS = frozenset({DbsLevel.ENHANCED, DbsLevel.ENHANCED_BARRED})


class DbsStatus(models.TextChoices):
    """Where an inspector's DBS check stands on a given day (the list filter, the warnings)."""

    VALID = "valid", "Valid"
    EXPIRING = "expiring", "Renewal due within 90 days"
    EXPIRED = "expired", "Renewal overdue"
    NONE = "none", "No enhanced check"


DBS_WARNING_DAYS = 90


class Clearance(models.TextChoices):
    """National security vetting, from least to most; a higher level satisfies a lower one."""

    NONE = "none", "None"
    CTC = "ctc", "Counter-terrorist check (CTC)"
    SC = "sc", "Security check (SC)"
    DV = "dv", "Developed vetting (DV)"


CLEARANCE_RANK = {level: rank for rank, level in enumerate(Clearance)}


class UnavailabilityKind(models.TextChoices):
    ANNUAL_LEAVE = "annual_leave", "Annual leave"
    TRAINING = "training", "Training"
    SICKNESS = "sickness", "Sickness"
    OTHER = "other", "Other"


class BookingKind(models.TextChoices):
    BOOKING = "booking", "Booking"
    UNAVAILABILITY = "unavailability", "Unavailable"


def ordered_specialisms(values: Iterable[str]) -> list[str]:
    """Specialisms without repeats, in the order of Specialism (so equal sets compare equal)."""
    chosen = set(values)
    return [value for value in Specialism.values if value in chosen]
