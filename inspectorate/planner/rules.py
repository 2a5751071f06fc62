"""Who may use the planner: HMI Prisons' programme coordinator and system administrators."""

from __future__ import annotations

import rules

from inspectorate.accounts.roles import Role
from inspectorate.accounts.rules import has_role

is_planner = has_role(Role.HMIP_COORDINATOR, Role.SYSTEM_ADMINISTRATOR)

rules.add_perm("planner.use_planner", is_planner)
