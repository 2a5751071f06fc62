"""Who may see and change inspectors' records. Everything not granted here is denied."""

from __future__ import annotations

from typing import Any

import rules

from inspectorate.accounts.roles import Role
from inspectorate.accounts.rules import has_role, is_programme_staff, is_staff_member

# The people who keep inspectors' records: vetting, conflicts, leave, imports.
is_inspector_manager = has_role(
    Role.HMIP_COORDINATOR, Role.OFSTED_SCHEDULER, Role.SYSTEM_ADMINISTRATOR
)


@rules.predicate
def is_the_inspector(user: Any, inspector: Any) -> bool:
    """The signed-in user is this inspector (their own record)."""
    return bool(
        inspector is not None
        and getattr(user, "is_authenticated", False)
        and inspector.user_id is not None
        and inspector.user_id == user.pk
    )


rules.add_perm("inspectors.view_inspector", is_staff_member)
rules.add_perm("inspectors.manage_inspectors", is_inspector_manager)
rules.add_perm("inspectors.view_dbs_warnings", is_inspector_manager)
rules.add_perm("inspectors.declare_conflict", is_inspector_manager)
rules.add_perm("inspectors.add_unavailability", is_inspector_manager | is_the_inspector)
rules.add_perm(
    "inspectors.book_inspector", is_programme_staff | has_role(Role.SYSTEM_ADMINISTRATOR)
)
