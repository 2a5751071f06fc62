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


class Organisation(models.TextChoices):
    """The inspecting bodies: the education inspectorate of an establishment (PG-10) is one,
    and every inspector works for one."""

    HMI_PRISONS = "hmip", "HM Inspectorate of Prisons"
    OFSTED = "ofsted", "Ofsted"
    ESTYN = "estyn", "Estyn"
    CQC = "cqc", "Care Quality Commission"
    GPHC = "gphc", "General Pharmaceutical Council"


class EstablishmentStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class FactKind(models.TextChoices):
    """What a fact of the register says about an establishment."""

    LISTED = "listed", "Listed in the register"
    OPENED = "opened", "Opened"
    CLOSED = "closed", "Closed"
    RENAMED = "renamed", "Renamed"  # the fact's detail is the former name
    NAMED = "named", "Name corrected"  # the register's name corrected, e.g. a missing "HMP"


class DatePrecision(models.TextChoices):
    """How much of a fact's date its source gives."""

    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


class Region(models.TextChoices):
    NORTH_EAST = "north_east", "North East"
    NORTH_WEST = "north_west", "North West"
    YORKSHIRE = "yorkshire", "Yorkshire and the Humber"
    EAST_MIDLANDS = "east_midlands", "East Midlands"
    WEST_MIDLANDS = "west_midlands", "West Midlands"
    EAST = "east", "East of England"
    LONDON = "london", "London"
    SOUTH_EAST = "south_east", "South East"
    SOUTH_WEST = "south_west", "South West"
    WALES = "wales", "Wales"


class SecurityCategory(models.TextChoices):
    CATEGORY_A = "a", "Category A (high security)"
    CATEGORY_B = "b", "Category B"
    CATEGORY_C = "c", "Category C"
    CATEGORY_D = "d", "Category D (open)"
    WOMENS_CLOSED = "women_closed", "Women's closed"
    WOMENS_OPEN = "women_open", "Women's open"
    YOUNG_PEOPLE = "young_people", "Young people"
    RESETTLEMENT = "resettlement", "Resettlement"
    NOT_APPLICABLE = "n_a", "Not applicable"


class ProviderService(models.TextChoices):
    EDUCATION = "education", "Education"
    SKILLS_AND_WORK = "skills_work", "Skills and work"
    EDUCATION_SKILLS_WORK = "esw", "Education, skills and work"
    CAREERS = "careers", "Careers information, advice and guidance"
    LIBRARY = "library", "Library"
