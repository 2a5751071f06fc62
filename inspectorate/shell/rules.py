"""The service's own pages: the dashboard, the menu's section pages and the operator's.

The menu (navigation.py) shows each entry by a permission: the app's own where one says
exactly who uses the page, one of these otherwise.
"""

from __future__ import annotations

from inspectorate.accounts.permissions import grant, permission, permissions
from inspectorate.accounts.roles import Duty

permissions(
    "shell",
    grant(Duty.STAFF, Duty.ESTABLISHMENT),
    view_dashboard="Open the dashboard and its work lists.",
    view_reports="Reports in the menu (each reader sees the reports they may).",
)
permission(
    "shell.view_own_establishment",
    grant(Duty.ESTABLISHMENT),
    text="The user's own establishment in the menu.",
)
permission(
    "shell.view_directory",
    grant(Duty.STAFF),
    text="The directory: establishments, providers, inspectors, frameworks, published reports.",
)
permission(
    "shell.view_administration",
    grant(Duty.ADMINISTERS),
    text="The administration pages: accounts, the audit trail, letters, complaints.",
)
permission(
    "shell.see_audit_trail_in_menu",
    grant(Duty.ASSURES_QUALITY),
    text="The audit trail in the menu (administrators reach it from Administration).",
)
