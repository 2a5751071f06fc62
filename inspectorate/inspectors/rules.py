"""Who may see and change inspectors' records. Everything not granted here is denied."""

from __future__ import annotations

from typing import Any

import rules

from inspectorate.accounts.permissions import grant, permission
from inspectorate.accounts.roles import Duty


@rules.predicate
def is_the_inspector(user: Any, inspector: Any) -> bool:
    """The signed-in user is this inspector (their own record)."""
    return bool(
        inspector is not None
        and getattr(user, "is_authenticated", False)
        and inspector.user_id is not None
        and inspector.user_id == user.pk
    )


permission("inspectors.view_inspector", grant(Duty.STAFF), text="Read inspectors' records.")
# The people who keep inspectors' records: vetting, conflicts, leave, imports.
permission(
    "inspectors.manage_inspectors",
    grant(Duty.KEEPS_INSPECTOR_RECORDS),
    text="Add, change and import inspectors' records.",
)
permission(
    "inspectors.view_dbs_warnings",
    grant(Duty.KEEPS_INSPECTOR_RECORDS),
    text="See the warnings of DBS checks due or lapsed.",
)
permission(
    "inspectors.declare_conflict",
    grant(Duty.KEEPS_INSPECTOR_RECORDS),
    text="Record an inspector's conflict of interest with an establishment.",
)
permission(
    "inspectors.add_unavailability",
    grant(Duty.KEEPS_INSPECTOR_RECORDS),
    grant(when=is_the_inspector),
    text="Record when an inspector is unavailable (leave, training).",
)
permission(
    "inspectors.book_inspector",
    grant(Duty.SEES_WHOLE_PROGRAMME, Duty.ADMINISTERS),
    text="Book an inspector's days.",
)
