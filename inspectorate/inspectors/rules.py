"""Who may see and change inspectors' records. Everything not granted here is denied."""

from __future__ import annotations

from typing import Any

import rules

from inspectorate.accounts.permissions import grant, permission, permissions
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
permissions(
    "inspectors",
    grant(Duty.KEEPS_INSPECTOR_RECORDS),
    manage_inspectors="Add, change and import inspectors' records.",
    view_dbs_warnings="See the warnings of DBS checks due or lapsed.",
    declare_conflict="Record an inspector's conflict of interest with an establishment.",
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
