from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from inspectorate.audit.checkpoints import CheckpointRefused, checkpoint_path, checkpoint_write


class Command(BaseCommand):
    help = (
        "Verify the audit chain, then append a signed checkpoint of its head to the "
        "checkpoint log kept outside the database (INSPECTORATE_AUDIT_CHECKPOINTS)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            checkpoint = checkpoint_write()
        except CheckpointRefused as refusal:
            raise CommandError(str(refusal), returncode=1) from refusal
        self.stdout.write(
            f"Checkpoint written to {checkpoint_path()}: link {checkpoint.link}, "
            f"{checkpoint.links} links, digest {checkpoint.digest[:16]}…"
        )
