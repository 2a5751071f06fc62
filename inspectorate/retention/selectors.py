"""What the retention schedule says is due for disposal, and who may approve it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from inspectorate.retention.kinds import KINDS, Candidate
from inspectorate.retention.models import DisposalApproval
from inspectorate.retention.schedule import Entry, schedule


@dataclass(frozen=True)
class Due:
    entry: Entry
    candidate: Candidate
    approval: DisposalApproval | None

    @property
    def record_type(self) -> str:
        return KINDS[self.entry.kind].record_type


def disposals_due(today: date, entries: Iterable[Entry] | None = None) -> list[Due]:
    """Every record whose retention period has run out by `today`, entry by entry."""
    approvals = {
        (a.schedule_entry, a.record_id): a
        for a in DisposalApproval.objects.select_related("approved_by")
    }
    return [
        Due(entry, candidate, approvals.get((entry.id, candidate.record_id)))
        for entry in (schedule().entries if entries is None else entries)
        for candidate in KINDS[entry.kind].due(entry, today)
    ]


def approvable_by(user: Any, today: date) -> list[Due]:
    """The disposals awaiting the approval of a role `user` holds.

    Asked of the rules themselves: the schedule names a role, and a superuser flag does not
    stand in for it."""
    mine = [e for e in schedule().entries if user.has_perm("retention.approve_disposal", e)]
    return disposals_due(today, entries=mine) if mine else []
