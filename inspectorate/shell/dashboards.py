"""What each role's dashboard shows. Later modules fill these panels with their own lists;
until then each panel says plainly that there is nothing to show."""

from __future__ import annotations

from dataclasses import dataclass

from inspectorate.accounts.constants import Role


@dataclass(frozen=True)
class Panel:
    heading: str
    empty: str


PANELS: dict[str, tuple[Panel, ...]] = {
    Role.HMIP_COORDINATOR: (
        Panel("Annual programme", "See the current programme under Programme."),
    ),
    Role.HMIP_TEAM_LEADER: (
        Panel("Your inspections", "Your teams and their deadlines are under What is due."),
    ),
    Role.HMIP_INSPECTOR: (Panel("Your assignments", "You have no assignments at the moment."),),
    Role.OFSTED_SCHEDULER: (
        Panel("Programme amendments", "Amendments reach you under Notifications."),
        Panel("Ofsted teams to name", "No inspection is waiting for an Ofsted team."),
    ),
    Role.OFSTED_LEAD_INSPECTOR: (
        Panel("Your inspections", "You are not leading any inspection at the moment."),
        Panel("Reports due", "No report is due from you."),
    ),
    Role.OFSTED_INSPECTOR: (Panel("Your assignments", "You have no assignments at the moment."),),
    Role.IMPROVEMENT_HMI: (
        Panel("Your improvement cases", "You have no open improvement cases."),
        Panel("Letters due", "No letter is due from you."),
    ),
    Role.QUALITY_ASSURANCE: (
        Panel("Reports awaiting quality assurance", "No report is waiting for you."),
    ),
    Role.ESTABLISHMENT_USER: (
        Panel("Reports to check for factual accuracy", "There is no report for you to check."),
        Panel("Announced visits", "No visit has been announced to your establishment."),
    ),
    Role.SYSTEM_ADMINISTRATOR: (Panel("Accounts", "Manage accounts and roles in Administration."),),
}


def panels_for(roles: list[str]) -> list[tuple[str, tuple[Panel, ...]]]:
    """(role label, panels) for each role the user holds, in the order of Role."""
    return [(role.label, PANELS[role]) for role in Role if role in roles]
