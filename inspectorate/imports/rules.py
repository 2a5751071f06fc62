"""Who may import published reports (HI-2): the programme coordinator and system
administrators, who also record history (HI-1)."""

from __future__ import annotations

from inspectorate.accounts.permissions import grant, permission
from inspectorate.accounts.roles import Duty

permission(
    "imports.import_report",
    grant(Duty.RECORDS_HISTORY),
    rule_ids=("HI-2", "HI-1"),
    text="Import a published report as a past event and its findings.",
)
