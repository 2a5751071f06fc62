"""Who may read frameworks, use the grade calculator and override a warning. Deny by default."""

from __future__ import annotations

import rules

from inspectorate.accounts.roles import Role
from inspectorate.accounts.rules import has_role, is_staff_member, is_system_administrator

# Lead inspectors, team leaders and quality assurance grade with the calculator.
is_assessor = has_role(Role.OFSTED_LEAD_INSPECTOR, Role.HMIP_TEAM_LEADER, Role.QUALITY_ASSURANCE)
# Only an Ofsted lead inspector or an HMI Prisons team leader overrides a rule's warning.
is_grade_authority = has_role(Role.OFSTED_LEAD_INSPECTOR, Role.HMIP_TEAM_LEADER)

rules.add_perm("frameworks.view_framework", is_staff_member)
rules.add_perm("frameworks.load_frameworks", is_system_administrator)
rules.add_perm("frameworks.use_grade_calculator", is_assessor)
rules.add_perm("frameworks.view_assessment", is_assessor)
rules.add_perm("frameworks.create_assessment", is_assessor)
rules.add_perm("frameworks.override_grade_warning", is_grade_authority)
