"""The menu: each entry names the permission that shows it.

Apps add their entries here as their screens arrive; an entry whose permission the user
does not hold is never shown, and its view checks the same permission or a stricter one.
The menu asks the rules themselves (`rules.has_perm`), not `User.has_perm`: it follows the
user's duties, and a superuser flag does not add entries (nor the establishment link that
needs an establishment).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse


def shows(user: Any, permission: str) -> bool:
    """Whether `user`'s duties grant `permission`: what every menu entry asks."""
    return bool(user.has_perm(permission))


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str  # shown to the holders of this permission
    prefix: str = ""  # paths under this prefix mark the item as current (longest prefix wins)
    kwargs_for: Callable[[Any], dict[str, Any]] | None = None  # URL arguments from the user
    also: tuple[str, ...] = ()  # the section's other pages: they mark the item current too

    @property
    def prefixes(self) -> tuple[str, ...]:
        return (self.prefix, *self.also) if self.prefix else self.also

    def href(self, user: Any) -> str:
        return reverse(self.url_name, kwargs=self.kwargs_for(user) if self.kwargs_for else None)


def _own_establishment(user: Any) -> dict[str, Any]:
    return {"code": user.establishment.code}


ADMINISTRATION = "shell.view_administration"
MAX_ITEMS = 8  # per role: the menu stays on one row at 1280 px

# The menu: at most MAX_ITEMS for any role; the rest is grouped under the section pages
# Directory and Administration (SECTIONS below). Notifications, your account and sign out
# are in the header's account links, not here.
NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("Dashboard", "shell:dashboard", "shell.view_dashboard", prefix="/dashboard/"),
    NavItem("Programme", "programme:current", "programme.view_programme", prefix="/programme/"),
    NavItem(
        "Deadlines",
        "programme:milestone-dashboard",
        "programme.view_deadlines",
        prefix="/programme/deadlines/",
    ),
    NavItem(
        "Your establishment",
        "estate:establishment-detail",
        "shell.view_own_establishment",
        prefix="/establishments/",
        kwargs_for=_own_establishment,
    ),
    NavItem("Reports", "reports:list", "shell.view_reports", prefix="/reports/"),
    NavItem(
        "Support and challenge",
        "improvement:case-list",
        "improvement.view_all_cases",
        "/support-and-challenge/",
    ),
    # Quality assurance reads reports, not alerts: their alert list is still at /alerts/.
    NavItem("Alerts", "safeguarding:alert-list", "safeguarding.follow_alerts", prefix="/alerts/"),
    NavItem(
        "Directory",
        "shell:directory",
        "shell.view_directory",
        prefix="/directory/",
        also=("/establishments/", "/inspectors/", "/frameworks/"),
    ),
    NavItem("Complaints", "complaints:list", "complaints.follow_complaints", prefix="/complaints/"),
    NavItem("Audit trail", "shell:audit-trail", "shell.see_audit_trail_in_menu", prefix="/audit/"),
    NavItem(
        "Administration",
        "shell:administration",
        ADMINISTRATION,
        prefix="/administration/",
        also=("/admin/", "/audit/", "/reports/letters/", "/complaints/"),
    ),
)


@dataclass(frozen=True)
class SectionLink:
    label: str
    url_name: str
    permission: str  # listed for the holders of this permission
    description: str


# What each section page lists, by permission.
SECTIONS: dict[str, tuple[SectionLink, ...]] = {
    "directory": (
        SectionLink(
            "Establishments",
            "estate:establishment-list",
            "shell.view_directory",
            "Prisons, young offender institutions, probation areas and colleges inspected.",
        ),
        SectionLink(
            "Providers",
            "estate:provider-list",
            "shell.view_directory",
            "Learning and skills providers and the establishments they serve.",
        ),
        SectionLink(
            "Inspectors",
            "inspectors:list",
            "shell.view_directory",
            "Inspectors, their DBS checks, clearances and calendars.",
        ),
        SectionLink(
            "Frameworks",
            "frameworks:list",
            "shell.view_directory",
            "The inspection frameworks: aspects, grading scales and rules.",
        ),
        SectionLink(
            "Grade calculator",
            "frameworks:calculator",
            "frameworks.use_grade_calculator",
            "Work out an overall grade from aspect grades, with the limiting rules explained.",
        ),
        SectionLink(
            "Published reports",
            "reports:public-list",
            "shell.view_directory",
            "Every published report, as the public sees it.",
        ),
    ),
    "administration": (
        SectionLink(
            "Accounts and roles",
            "admin:index",
            "accounts.manage_users",
            "Add people, give them roles and reset second factors.",
        ),
        SectionLink(
            "Audit trail",
            "shell:audit-trail",
            ADMINISTRATION,
            "Recent changes and reads of confidential records; verify the audit chain.",
        ),
        SectionLink(
            "Letter templates",
            "reports:letters",
            ADMINISTRATION,
            "The fixed wording of letters sent by the service.",
        ),
        SectionLink(
            "Complaints",
            "complaints:list",
            ADMINISTRATION,
            "Concerns and formal complaints about inspections, and their responses.",
        ),
        SectionLink(
            "Import published reports",
            "imports:reports",
            "imports.import_report",
            "Record past inspections and IRPs as history from their published reports.",
        ),
    ),
}


def section_links(user: Any, section: str) -> list[dict[str, str]]:
    """The links of a section page that `user` may use."""
    return [
        {"label": link.label, "href": reverse(link.url_name), "description": link.description}
        for link in SECTIONS[section]
        if shows(user, link.permission)
    ]


def navigation_for(user: Any, path: str) -> list[dict[str, object]]:
    """The navigation entries `user` may use, with the current one marked."""
    items = [item for item in NAV_ITEMS if shows(user, item.permission)]
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
