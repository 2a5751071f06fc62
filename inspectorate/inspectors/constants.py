from django.db import models

from inspectorate.estate.constants import Region as Region  # inspectors have a home region


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
