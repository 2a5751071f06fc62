"""Role-based navigation: each entry names the roles that see it.

Apps add their entries here as their screens arrive; an entry whose roles the user does
not hold is never shown, and its view checks the same permission.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from inspectorate.accounts.constants import STAFF_ROLES, Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str]
    prefix: str = ""  # paths under this prefix mark the item as current (longest prefix wins)
    kwargs_for: Callable[[Any], dict[str, Any]] | None = None  # URL arguments from the user

    def href(self, user: Any) -> str:
        return reverse(self.url_name, kwargs=self.kwargs_for(user) if self.kwargs_for else None)


EVERYONE = frozenset(Role.values)
STAFF = frozenset(STAFF_ROLES)
INSPECTOR_MANAGERS = frozenset(
    {Role.HMIP_COORDINATOR, Role.OFSTED_SCHEDULER, Role.SYSTEM_ADMINISTRATOR}
)


def _own_establishment(user: Any) -> dict[str, Any]:
    return {"code": user.establishment.code}


NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("Dashboard", "shell:dashboard", EVERYONE, prefix="/dashboard/"),
    NavItem("Programme", "programme:current", EVERYONE, prefix="/programme/"),
    NavItem("Deadlines", "programme:milestone-dashboard", STAFF, prefix="/programme/deadlines/"),
    NavItem("Establishments", "estate:establishment-list", STAFF, prefix="/establishments/"),
    NavItem(
        "Your establishment",
        "estate:establishment-detail",
        frozenset({Role.ESTABLISHMENT_USER}),
        prefix="/establishments/",
        kwargs_for=_own_establishment,
    ),
    NavItem("Providers", "estate:provider-list", STAFF, prefix="/establishments/providers/"),
    NavItem("Inspectors", "inspectors:list", STAFF, prefix="/inspectors/"),
    NavItem("Frameworks", "frameworks:list", STAFF, prefix="/frameworks/"),
    NavItem("Alerts", "safeguarding:alert-list", STAFF, prefix="/alerts/"),
    NavItem(
        "Support and challenge",
        "improvement:case-list",
        frozenset(
            {
                Role.HMIP_COORDINATOR,
                Role.HMIP_TEAM_LEADER,
                Role.OFSTED_SCHEDULER,
                Role.IMPROVEMENT_HMI,
                Role.QUALITY_ASSURANCE,
                Role.SYSTEM_ADMINISTRATOR,
            }
        ),
        prefix="/support-and-challenge/",
    ),
    NavItem(
        "Grade calculator",
        "frameworks:calculator",
        frozenset({Role.OFSTED_LEAD_INSPECTOR, Role.HMIP_TEAM_LEADER, Role.QUALITY_ASSURANCE}),
        prefix="/frameworks/calculator/",
    ),
    NavItem("Reports", "reports:list", EVERYONE, prefix="/reports/"),
    # Also open to signed-out visitors at /reports/published/ (no sign-in needed).
    NavItem("Published reports", "reports:public-list", EVERYONE, prefix="/reports/published/"),
    NavItem(
        "Complaints",
        "complaints:list",
        frozenset(
            {
                Role.HMIP_COORDINATOR,
                Role.HMIP_TEAM_LEADER,
                Role.OFSTED_LEAD_INSPECTOR,
                Role.QUALITY_ASSURANCE,
                Role.SYSTEM_ADMINISTRATOR,
                Role.ESTABLISHMENT_USER,
            }
        ),
        prefix="/complaints/",
    ),
    NavItem(
        "Audit trail",
        "shell:audit-trail",
        frozenset({Role.SYSTEM_ADMINISTRATOR, Role.QUALITY_ASSURANCE}),
        prefix="/audit/",
    ),
    NavItem(
        "Letter templates",
        "reports:letters",
        frozenset({Role.SYSTEM_ADMINISTRATOR}),
        prefix="/reports/letters/",
    ),
    NavItem("Administration", "admin:index", frozenset({Role.SYSTEM_ADMINISTRATOR}), "/admin/"),
)


def navigation_for(user: Any, path: str) -> list[dict[str, object]]:
    """The navigation entries `user` may use, with the current one marked."""
    roles = set(getattr(user, "roles", []) or [])
    items = [item for item in NAV_ITEMS if roles & item.roles]
    matching = [item for item in items if item.prefix and path.startswith(item.prefix)]
    current = max(matching, key=lambda item: len(item.prefix), default=None)
    return [
        {"label": item.label, "href": item.href(user), "current": item is current} for item in items
    ]
