"""Permission predicates (django-rules). Everything not granted here is denied."""

from __future__ import annotations

from typing import Any

import rules

from inspectorate.accounts.constants import PROGRAMME_ROLES, STAFF_ROLES, Role


def has_role(*roles: Role) -> Any:
    """A predicate true for signed-in users holding any of `roles`."""
    names = "_or_".join(role.value for role in roles)

    @rules.predicate(name=f"has_role_{names}")
    def predicate(user: Any) -> bool:
        return bool(getattr(user, "is_authenticated", False) and user.has_role(*roles))

    return predicate


is_system_administrator = has_role(Role.SYSTEM_ADMINISTRATOR)
is_programme_staff = has_role(*PROGRAMME_ROLES)
is_staff_member = has_role(*STAFF_ROLES)
is_establishment_user = has_role(Role.ESTABLISHMENT_USER)

rules.add_perm(
    "accounts.view_audit_trail", is_system_administrator | has_role(Role.QUALITY_ASSURANCE)
)
rules.add_perm("accounts.manage_users", is_system_administrator)
rules.add_perm("estate.view_establishment_list", is_staff_member)
