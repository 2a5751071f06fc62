from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from inspectorate.audit.verification import AuditReport, audit_verify
from inspectorate.lib.wording import count_noun


class Command(BaseCommand):
    help = (
        "Verify the audit trail: recompute the hash chain, check it against the signed "
        "checkpoints kept outside the database, and check every audited row against its "
        "latest audit snapshot. Exit non-zero naming each problem."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_verify()
        for line in _summary(report):
            self.stdout.write(line)
        if not report.intact:
            problems = "\n".join(f"- {finding}" for finding in report.findings)
            raise CommandError(
                f"The audit trail does not verify: {count_noun(len(report.findings), 'problem')} "
                f"found.\n{problems}"
            )


def _summary(report: AuditReport) -> list[str]:
    chain = report.chain
    lines = [
        f"Audit chain intact: {count_noun(chain.links_checked, 'event')} verified."
        if chain.intact
        else f"Audit chain broken after {count_noun(chain.links_checked, 'link')}: "
        f"{chain.first_bad}"
    ]
    checkpoints = report.checkpoints
    if checkpoints.checkpoints == 0:
        lines.append(
            "No checkpoint yet: a truncated or recomputed chain cannot be detected until one "
            "is written (manage.py audit_checkpoint)."
        )
    elif checkpoints.intact and checkpoints.last is not None:
        lines.append(
            f"Checkpoints verified: {count_noun(checkpoints.checkpoints, 'checkpoint')}, the "
            f"last at {checkpoints.last.at} (link {checkpoints.last.link})."
        )
    else:
        lines.append(f"Checkpoints: {count_noun(len(checkpoints.findings), 'problem')} found.")
    lines.append(
        "Every audited record matches its latest audit snapshot."
        if not report.drift
        else f"Records: {count_noun(len(report.drift), 'record')} "
        f"{'differs' if len(report.drift) == 1 else 'differ'} from the audit trail."
    )
    return lines
