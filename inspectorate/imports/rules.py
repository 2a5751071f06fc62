"""Who may import published reports (HI-2): the programme coordinator and system
administrators, who also record history (HI-1)."""

from __future__ import annotations

import rules

from inspectorate.accounts.roles import Role
from inspectorate.accounts.rules import has_role

may_import_reports = has_role(Role.HMIP_COORDINATOR, Role.SYSTEM_ADMINISTRATOR)

rules.add_perm("imports.import_report", may_import_reports)
