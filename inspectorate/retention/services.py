"""Retention runs and approvals (DP-1, DP-3).

`retention_run` disposes of every record the schedule says is due (and, where the schedule
asks for it, approved), each in its own transaction with its own Erasure record, so one
failure stops nothing else and leaves no half-erased record. With `dry_run` it only lists.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

import pghistory
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from inspectorate.audit.models import Erasure
from inspectorate.retention.kinds import KINDS
from inspectorate.retention.models import DisposalApproval
from inspectorate.retention.schedule import schedule
from inspectorate.retention.selectors import Due, disposals_due

if TYPE_CHECKING:
    from inspectorate.accounts.models import User

logger = logging.getLogger(__name__)


@dataclass
class RunReport:
    dry_run: bool
    disposed: list[Due] = field(default_factory=list)
    awaiting_approval: list[Due] = field(default_factory=list)
    failed: list[tuple[Due, str]] = field(default_factory=list)


def _dispose(due: Due, performed_by: str) -> None:
    kind = KINDS[due.entry.kind]
    approval = due.approval
    with transaction.atomic(), pghistory.context(retention=due.entry.id):
        erasure = Erasure.objects.create(
            schedule_entry=due.entry.id,
            schedule_version=schedule().version,
            record_type=kind.record_type,
            record_id=due.candidate.record_id,
            reason=due.candidate.reason[:300],
            due_on=due.candidate.due_on,
            approved_by=approval.approved_by if approval else None,
            approved_by_label=str(approval.approved_by) if approval else "",
            performed_by_label=performed_by[:200],
        )
        kind.dispose(due.entry, due.candidate.record_id, erasure)
        if approval is not None:
            DisposalApproval.objects.filter(pk=approval.pk).delete()


def retention_run(*, dry_run: bool, performed_by: str, today: date | None = None) -> RunReport:
    """Dispose of (or, dry, list) every record due under the schedule."""
    report = RunReport(dry_run=dry_run)
    for due in disposals_due(today or timezone.localdate()):
        if due.entry.needs_approval and due.approval is None:
            report.awaiting_approval.append(due)
            continue
        if dry_run:
            report.disposed.append(due)
            continue
        try:
            _dispose(due, performed_by)
        except Exception as error:  # one record's failure must not stop the others
            logger.exception("retention: %s %s not disposed", due.entry.id, due.candidate.record_id)
            report.failed.append((due, str(error)))
        else:
            logger.info(
                "retention: erased %s %s under '%s' (%s)",
                KINDS[due.entry.kind].record_type,
                due.candidate.record_id,
                due.entry.id,
                due.candidate.reason,
            )
            report.disposed.append(due)
    return report


def disposal_approve(*, actor: User, entry_id: str, record_id: str) -> DisposalApproval:
    """Approve one due disposal; only a holder of the entry's approving role may."""
    try:
        entry = schedule().entry(entry_id)
    except KeyError:
        raise ValidationError("That schedule entry does not exist") from None
    if not actor.has_perm("retention.approve_disposal", entry):
        raise PermissionDenied("Only the role the retention schedule names approves this.")
    due = [
        d
        for d in disposals_due(timezone.localdate(), entries=[entry])
        if d.candidate.record_id == record_id
    ]
    if not due:
        raise ValidationError("That record is not due for disposal")
    with transaction.atomic():
        approval, _ = DisposalApproval.objects.get_or_create(
            schedule_entry=entry.id, record_id=record_id, defaults={"approved_by": actor}
        )
    return approval
