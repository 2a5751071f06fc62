from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from inspectorate.audit.selectors import chain_verify
from inspectorate.lib.wording import count_noun


class Command(BaseCommand):
    help = "Verify the hash chain over the audit events; exit non-zero naming the first bad one."

    def handle(self, *args: Any, **options: Any) -> None:
        report = chain_verify()
        if not report.intact:
            raise CommandError(
                f"Audit chain broken after {report.links_checked} links: {report.first_bad}"
            )
        self.stdout.write(
            f"Audit chain intact: {count_noun(report.links_checked, 'event')} verified."
        )
