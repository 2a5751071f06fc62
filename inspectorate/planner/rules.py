"""Who may use the planner: HMI Prisons' programme coordinator and system administrators."""

from __future__ import annotations

from inspectorate.accounts.permissions import grant, permission
from inspectorate.accounts.roles import Duty

# The planner proposes the whole programme, confidential dates included: the people who
# keep the programme's record (the coordinator, system administrators) run it.
permission(
    "planner.use_planner",
    grant(Duty.RECORDS_HISTORY),
    text="Ask the planner for a draft programme and apply its plan.",
)
