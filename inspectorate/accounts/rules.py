"""Who may do what with accounts, and the predicates every app's rules share.

Everything not granted by a `permission()` in some app's ``rules.py`` is denied.
"""

from __future__ import annotations

from inspectorate.accounts.permissions import grant, has_duty, permission
from inspectorate.accounts.roles import Duty

is_system_administrator = has_duty(Duty.ADMINISTERS)
is_programme_staff = has_duty(Duty.SEES_WHOLE_PROGRAMME)
is_staff_member = has_duty(Duty.STAFF)
is_establishment_user = has_duty(Duty.ESTABLISHMENT)

permission(
    "accounts.view_audit_trail",
    grant(Duty.READS_AUDIT_TRAIL),
    text="Read the audit trail of changes and access.",
)
permission("accounts.manage_users", grant(Duty.ADMINISTERS), text="Add, change and lock users.")
permission(
    "accounts.reset_two_factor",
    grant(Duty.ADMINISTERS),
    text="Reset someone's two-factor sign-in (system administrators by role, not superusers).",
)
permission(
    "estate.view_establishment_list", grant(Duty.STAFF), text="Open the list of establishments."
)
