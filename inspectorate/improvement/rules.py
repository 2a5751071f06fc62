"""Who may work on support and challenge cases (SC-1 to SC-9, TM-4).

Who may *see* a case is `ImprovementCase.objects.visible_to` (every case for the holders of
the improvement-case duty, its own case for an establishment).
"""

from __future__ import annotations

from inspectorate.accounts.permissions import grant, is_users, permission
from inspectorate.accounts.roles import Duty
from inspectorate.improvement.models import ImprovementCase

is_the_case_hmi = is_users(
    ImprovementCase,
    "improvement_hmi_id",
    "is_the_case_hmi",
    "The improvement HMI named for the case.",
)


permission(
    "improvement.view_all_cases",
    grant(Duty.WORKS_IMPROVEMENT_CASES),
    rule_ids=("SC-9",),
    text="See every improvement case (support and challenge in the menu).",
)
permission(
    "improvement.view_case_list",
    grant(Duty.WORKS_IMPROVEMENT_CASES, Duty.ESTABLISHMENT),
    rule_ids=("SC-9",),
    text="Open the list of improvement cases (an establishment: its own).",
)
permission(
    "improvement.assign_case_hmi",
    grant(Duty.ASSIGNS_IMPROVEMENT_CASES),
    rule_ids=("TM-4",),
    text="Name a case's improvement HMI.",
)
permission(
    "improvement.be_case_hmi",
    grant(Duty.IMPROVEMENT_HMI),
    rule_ids=("TM-4",),
    text="Be named a case's improvement HMI.",
)
permission(
    "improvement.work_on_case",
    grant(when=is_the_case_hmi),
    grant(Duty.ADMINISTERS),
    rule_ids=("SC-2", "SC-4", "SC-5", "SC-7"),
    text="Record a case's contacts, actions, letters and requests, as its improvement HMI.",
)
