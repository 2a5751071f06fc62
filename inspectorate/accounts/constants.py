from django.db import models


class Role(models.TextChoices):
    HMIP_COORDINATOR = "hmip_coordinator", "HMI Prisons programme coordinator"
    HMIP_TEAM_LEADER = "hmip_team_leader", "HMI Prisons team leader"
    HMIP_INSPECTOR = "hmip_inspector", "HMI Prisons inspector"
    OFSTED_SCHEDULER = "ofsted_scheduler", "Ofsted scheduler"
    OFSTED_LEAD_INSPECTOR = "ofsted_lead_inspector", "Ofsted lead inspector"
    OFSTED_INSPECTOR = "ofsted_inspector", "Ofsted inspector"
    IMPROVEMENT_HMI = "improvement_hmi", "Improvement HMI"
    QUALITY_ASSURANCE = "quality_assurance", "Quality assurance"
    ESTABLISHMENT_USER = "establishment_user", "Establishment user"
    SYSTEM_ADMINISTRATOR = "system_administrator", "System administrator"


STAFF_ROLES = frozenset(Role) - {Role.ESTABLISHMENT_USER}
PROGRAMME_ROLES = frozenset({Role.HMIP_COORDINATOR, Role.HMIP_TEAM_LEADER, Role.OFSTED_SCHEDULER})
INSPECTING_ROLES = frozenset(
    {
        Role.HMIP_TEAM_LEADER,
        Role.HMIP_INSPECTOR,
        Role.OFSTED_LEAD_INSPECTOR,
        Role.OFSTED_INSPECTOR,
    }
)


class EmailPreference(models.TextChoices):
    """How a person wants to be told by e-mail, besides the service itself."""

    EACH = "each", "Each notification, when it is sent"
    DAILY = "daily", "One e-mail each morning: a digest of notifications and what is due"
    NONE = "none", "No e-mail: I read notifications in the service"
