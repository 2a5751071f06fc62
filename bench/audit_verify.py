"""How long each part of `audit_verify` takes on an existing database (the demo's, from
DATABASE_URL): the chain, the checkpoints, the records against their snapshots; and writing a
checkpoint; and the audit screen's latest 50 changes against pghistory's own union of events.
Reads only, except the checkpoints, which go to a temporary log."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from _setup import median_seconds

REPEATS = 3


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inspectorate.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from pghistory.models import Events

    from inspectorate.audit.checkpoints import checkpoint_write, verify_checkpoints
    from inspectorate.audit.drift import drift_findings, tracked_tables
    from inspectorate.audit.models import ChainLink
    from inspectorate.audit.selectors import chain_verify, recent_changes

    with tempfile.TemporaryDirectory() as scratch:
        settings.INSPECTORATE_AUDIT_CHECKPOINTS = Path(scratch) / "checkpoints.jsonl"
        with connection.cursor() as cursor:
            tables = tracked_tables()
            cursor.execute(
                "SELECT sum(n_live_tup) FROM pg_stat_user_tables WHERE relname = ANY(%s)",
                [[t.table for t in tables]],
            )
            (rows,) = cursor.fetchone() or (0,)
        print(f"database: {connection.settings_dict['NAME']}, {ChainLink.objects.count()} links,")
        print(f"  {len(tables)} audited tables, about {rows} rows")
        write = median_seconds(checkpoint_write, REPEATS)
        figures = {
            "chain (recompute every link)": median_seconds(chain_verify, REPEATS),
            "checkpoint written (chain verified first)": write,
            "checkpoints verified": median_seconds(verify_checkpoints, REPEATS),
            "records against their latest snapshot": median_seconds(drift_findings, REPEATS),
            "latest 50 changes (audit screen)": median_seconds(
                lambda: recent_changes(limit=50), REPEATS
            ),
            "  the same through pghistory's Events union": median_seconds(
                lambda: list(Events.objects.order_by("-pgh_created_at")[:50]), REPEATS
            ),
        }
    for what, seconds in figures.items():
        print(f"{what:45} median {seconds * 1000:8.0f} ms over {REPEATS} runs")


if __name__ == "__main__":
    main()
