"""Role-based navigation: each entry names the roles that see it.

Apps add their entries here as their screens arrive; an entry whose roles the user does
not hold is never shown, and its view checks the same permission.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from inspectorate.accounts.constants import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str]
    prefix: str = ""  # paths under this prefix mark the item as current

    def href(self) -> str:
        return reverse(self.url_name)


EVERYONE = frozenset(Role.values)

NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("Dashboard", "shell:dashboard", EVERYONE, prefix="/dashboard/"),
    NavItem(
        "Audit trail",
        "shell:audit-trail",
        frozenset({Role.SYSTEM_ADMINISTRATOR, Role.QUALITY_ASSURANCE}),
        prefix="/audit/",
    ),
    NavItem("Administration", "admin:index", frozenset({Role.SYSTEM_ADMINISTRATOR}), "/admin/"),
)


def navigation_for(user: object, path: str) -> list[dict[str, object]]:
    """The navigation entries `user` may use, with the current one marked."""
    roles = set(getattr(user, "roles", []) or [])
    return [
        {"label": item.label, "href": item.href(), "current": path.startswith(item.prefix)}
        for item in NAV_ITEMS
        if roles & item.roles
    ]
