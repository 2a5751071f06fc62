from django.db import models

from inspectorate.lib.workdays import Nation as WorkdayNation


class EstablishmentKind(models.TextChoices):
    PRISON = "prison", "Prison"
    YOUNG_OFFENDER_INSTITUTION = "yoi", "Young offender institution"
    SECURE_TRAINING_CENTRE = "stc", "Secure training centre"
    IMMIGRATION_REMOVAL_CENTRE = "irc", "Immigration removal centre"
    PROBATION_AREA = "probation_area", "Probation area"
    FURTHER_EDUCATION_PROVIDER = "fe_provider", "Further education provider"


class Nation(models.TextChoices):
    """The nation selects the bank holidays (WD-1) and the education inspectorate (PG-10)."""

    ENGLAND = WorkdayNation.ENGLAND.value, "England"
    WALES = WorkdayNation.WALES.value, "Wales"
    SCOTLAND = WorkdayNation.SCOTLAND.value, "Scotland"
    NORTHERN_IRELAND = WorkdayNation.NORTHERN_IRELAND.value, "Northern Ireland"


class EstablishmentStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
