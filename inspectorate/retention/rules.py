"""Who may approve disposals under the retention schedule (DP-1), and export what is held
about a person (DP-3).

The schedule is data: each entry names the role that approves its disposals, so approving
is a condition on the entry, not a duty.
"""

from __future__ import annotations

from typing import Any

import rules

from inspectorate.accounts.permissions import grant, permission
from inspectorate.accounts.roles import Duty
from inspectorate.retention.schedule import Entry, schedule


def _approves(user: Any, entry: Entry) -> bool:
    return entry.approved_by is not None and user.has_role(entry.approved_by)


@rules.predicate
def holds_the_approving_role(user: Any, entry: Any) -> bool:
    """Holds the role the retention schedule names to approve the entry's disposals."""
    return isinstance(entry, Entry) and _approves(user, entry)


@rules.predicate
def approves_some_disposals(user: Any) -> bool:
    """Holds a role the retention schedule names to approve some kind's disposals."""
    return any(_approves(user, entry) for entry in schedule().entries)


permission(
    "retention.view_disposals",
    grant(Duty.ADMINISTERS),
    grant(when=approves_some_disposals),
    rule_ids=("DP-1",),
    text="Open the disposals awaiting approval.",
)
permission(
    "retention.approve_disposal",
    grant(when=holds_the_approving_role),
    rule_ids=("DP-1",),
    text="Approve a record's disposal under a retention schedule entry.",
)
permission(
    "retention.export_subject_access",
    grant(Duty.ADMINISTERS),
    rule_ids=("DP-3",),
    text="Export everything held about a person.",
)
