"""Role-based navigation: each entry names the roles that see it.

Apps add their entries here as their screens arrive; an entry whose roles the user does
not hold is never shown, and its view checks the same permission.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from inspectorate.accounts.roles import STAFF_ROLES, Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str]
    prefix: str = ""  # paths under this prefix mark the item as current (longest prefix wins)
    kwargs_for: Callable[[Any], dict[str, Any]] | None = None  # URL arguments from the user
    also: tuple[str, ...] = ()  # the section's other pages: they mark the item current too

    @property
    def prefixes(self) -> tuple[str, ...]:
        return (self.prefix, *self.also) if self.prefix else self.also

    def href(self, user: Any) -> str:
        return reverse(self.url_name, kwargs=self.kwargs_for(user) if self.kwargs_for else None)


EVERYONE = frozenset(Role.values)
STAFF = frozenset(STAFF_ROLES)
INSPECTOR_MANAGERS = frozenset(
    {Role.HMIP_COORDINATOR, Role.OFSTED_SCHEDULER, Role.SYSTEM_ADMINISTRATOR}
)


def _own_establishment(user: Any) -> dict[str, Any]:
    return {"code": user.establishment.code}


COMPLAINT_ROLES = frozenset(
    {
        Role.HMIP_COORDINATOR,
        Role.HMIP_TEAM_LEADER,
        Role.OFSTED_LEAD_INSPECTOR,
        Role.QUALITY_ASSURANCE,
        Role.ESTABLISHMENT_USER,
    }
)
CASE_ROLES = frozenset(
    {
        Role.HMIP_COORDINATOR,
        Role.HMIP_TEAM_LEADER,
        Role.OFSTED_SCHEDULER,
        Role.IMPROVEMENT_HMI,
        Role.QUALITY_ASSURANCE,
        Role.SYSTEM_ADMINISTRATOR,
    }
)
# Quality assurance reads reports, not alerts: their alert list is still at /alerts/.
ALERT_ROLES = STAFF - {Role.QUALITY_ASSURANCE}
ADMINISTRATORS = frozenset({Role.SYSTEM_ADMINISTRATOR})
MAX_ITEMS = 8  # per role: the menu stays on one row at 1280 px

# The menu: at most MAX_ITEMS for any role; the rest is grouped under the section pages
# Directory and Administration (SECTIONS below). Notifications, your account and sign out
# are in the header's account links, not here.
NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("Dashboard", "shell:dashboard", EVERYONE, prefix="/dashboard/"),
    NavItem("Programme", "programme:current", EVERYONE, prefix="/programme/"),
    NavItem("Deadlines", "programme:milestone-dashboard", STAFF, prefix="/programme/deadlines/"),
    NavItem(
        "Your establishment",
        "estate:establishment-detail",
        frozenset({Role.ESTABLISHMENT_USER}),
        prefix="/establishments/",
        kwargs_for=_own_establishment,
    ),
    NavItem("Reports", "reports:list", EVERYONE, prefix="/reports/"),
    NavItem(
        "Support and challenge", "improvement:case-list", CASE_ROLES, "/support-and-challenge/"
    ),
    NavItem("Alerts", "safeguarding:alert-list", ALERT_ROLES, prefix="/alerts/"),
    NavItem(
        "Directory",
        "shell:directory",
        STAFF,
        prefix="/directory/",
        also=("/establishments/", "/inspectors/", "/frameworks/"),
    ),
    NavItem(
        "Complaints", "complaints:list", COMPLAINT_ROLES - ADMINISTRATORS, prefix="/complaints/"
    ),
    NavItem(
        "Audit trail",
        "shell:audit-trail",
        frozenset({Role.QUALITY_ASSURANCE}),
        prefix="/audit/",
    ),
    NavItem(
        "Administration",
        "shell:administration",
        ADMINISTRATORS,
        prefix="/administration/",
        also=("/admin/", "/audit/", "/reports/letters/", "/complaints/"),
    ),
)


@dataclass(frozen=True)
class SectionLink:
    label: str
    url_name: str
    roles: frozenset[str]
    description: str


# What each section page lists, by role.
SECTIONS: dict[str, tuple[SectionLink, ...]] = {
    "directory": (
        SectionLink(
            "Establishments",
            "estate:establishment-list",
            STAFF,
            "Prisons, young offender institutions, probation areas and colleges inspected.",
        ),
        SectionLink(
            "Providers",
            "estate:provider-list",
            STAFF,
            "Learning and skills providers and the establishments they serve.",
        ),
        SectionLink(
            "Inspectors",
            "inspectors:list",
            STAFF,
            "Inspectors, their DBS checks, clearances and calendars.",
        ),
        SectionLink(
            "Frameworks",
            "frameworks:list",
            STAFF,
            "The inspection frameworks: aspects, grading scales and rules.",
        ),
        SectionLink(
            "Grade calculator",
            "frameworks:calculator",
            frozenset({Role.OFSTED_LEAD_INSPECTOR, Role.HMIP_TEAM_LEADER, Role.QUALITY_ASSURANCE}),
            "Work out an overall grade from aspect grades, with the limiting rules explained.",
        ),
        SectionLink(
            "Published reports",
            "reports:public-list",
            STAFF,
            "Every published report, as the public sees it.",
        ),
    ),
    "administration": (
        SectionLink(
            "Accounts and roles",
            "admin:index",
            ADMINISTRATORS,
            "Add people, give them roles and reset second factors.",
        ),
        SectionLink(
            "Audit trail",
            "shell:audit-trail",
            ADMINISTRATORS,
            "Recent changes and reads of confidential records; verify the audit chain.",
        ),
        SectionLink(
            "Letter templates",
            "reports:letters",
            ADMINISTRATORS,
            "The fixed wording of letters sent by the service.",
        ),
        SectionLink(
            "Complaints",
            "complaints:list",
            ADMINISTRATORS,
            "Concerns and formal complaints about inspections, and their responses.",
        ),
        SectionLink(
            "Import published reports",
            "imports:reports",
            frozenset({Role.HMIP_COORDINATOR, Role.SYSTEM_ADMINISTRATOR}),
            "Record past inspections and IRPs as history from their published reports.",
        ),
    ),
}


def section_links(user: Any, section: str) -> list[dict[str, str]]:
    """The links of a section page that `user` may use."""
    roles = set(getattr(user, "roles", []) or [])
    return [
        {"label": link.label, "href": reverse(link.url_name), "description": link.description}
        for link in SECTIONS[section]
        if roles & link.roles
    ]


def navigation_for(user: Any, path: str) -> list[dict[str, object]]:
    """The navigation entries `user` may use, with the current one marked."""
    roles = set(getattr(user, "roles", []) or [])
    items = [item for item in NAV_ITEMS if roles & item.roles]
    matching = [
        (len(prefix), index)
        for index, item in enumerate(items)
        for prefix in item.prefixes
        if path.startswith(prefix)
    ]
    current = items[max(matching)[1]] if matching else None
    return [
        {"label": item.label, "href": item.href(user), "current": item is current} for item in items
    ]
