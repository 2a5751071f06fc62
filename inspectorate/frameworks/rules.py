"""Who may read frameworks, use the grade calculator and override a warning. Deny by default."""

from __future__ import annotations

from inspectorate.accounts.permissions import grant, permission, permissions
from inspectorate.accounts.roles import Duty

permission(
    "frameworks.view_framework",
    grant(Duty.STAFF),
    text="Read the inspection frameworks.",
)
permission(
    "frameworks.load_frameworks",
    grant(Duty.ADMINISTERS),
    text="Load framework files (a new version each time).",
)
# Lead inspectors, team leaders and quality assurance grade with the calculator.
permissions(
    "frameworks",
    grant(Duty.ASSESSES),
    use_grade_calculator="Grade with the calculator.",
    view_assessment="Read saved assessments.",
    create_assessment="Save an assessment, and change the grade chosen for a derived judgement.",
)
# Only an Ofsted lead inspector or an HMI Prisons team leader overrides a rule's warning.
permission(
    "frameworks.override_grade_warning",
    grant(Duty.OVERRIDES_ASSESSMENTS),
    text="Choose a grade the framework's rules warn against, with a reason.",
)
