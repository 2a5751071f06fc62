from django.db import models


class Organisation(models.TextChoices):
    HMI_PRISONS = "hmip", "HM Inspectorate of Prisons"
    OFSTED = "ofsted", "Ofsted"
    ESTYN = "estyn", "Estyn"
    CQC = "cqc", "Care Quality Commission"
    GPHC = "gphc", "General Pharmaceutical Council"


class Grade(models.TextChoices):
    OFSTED_HMI = "ofsted_hmi", "His Majesty's Inspector (Ofsted)"
    OFSTED_INSPECTOR = "ofsted_oi", "Ofsted Inspector (contracted)"
    HMIP_INSPECTOR = "hmip_inspector", "HMI Prisons inspector"
    HMIP_TEAM_LEADER = "hmip_team_leader", "HMI Prisons team leader"
    ESTYN_HMI = "estyn_hmi", "His Majesty's Inspector (Estyn)"
    SPECIALIST = "specialist", "Specialist inspector"


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
