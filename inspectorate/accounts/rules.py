"""Who may do what with accounts, and the predicates every app's rules share.

Everything not granted by a `permission()` in some app's ``rules.py`` is denied.
"""

from __future__ import annotations

from typing import Any

import rules
from rules.predicates import Predicate

from inspectorate.accounts.permissions import grant, has_duty, permission
from inspectorate.accounts.roles import Duty, Role


def has_role(*roles: Role) -> Predicate:
    """A predicate true for signed-in users holding any of `roles`.

    Only for conditions on a particular role held (a retention entry approved by a role);
    permissions are granted to duties, with `grant()`."""
    names = "_or_".join(role.value for role in roles)

    @rules.predicate(name=f"has_role_{names}")
    def predicate(user: Any) -> bool:
        return bool(getattr(user, "is_authenticated", False) and user.has_role(*roles))

    return predicate


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
