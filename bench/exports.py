"""How long the demo's outputs in third-party formats take to make, and their queries.

The demo is loaded into a scratch database. Printed: for each demo user with a calendar
feed, its events, queries and the median time of `feed_ics`; for each open-data file, its
rows, queries and median time; and the median time of the programme's .xlsx export.

    .venv/bin/python bench/exports.py [--runs 7]
"""

from __future__ import annotations

import argparse
from functools import partial

from _setup import django_on_scratch_database, median_seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    django_on_scratch_database()

    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from inspectorate.accounts.models import User
    from inspectorate.calendars.selectors import feed_ics
    from inspectorate.inspections import open_data
    from inspectorate.programme import selectors as programme
    from inspectorate.shell.demo import demo_load

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # quiet demo
    demo_load()
    for name in ("ofstedlead", "teamleader", "inspector"):
        user = User.objects.get(username=name)
        with CaptureQueriesContext(connection) as queries:
            body = feed_ics(user)
        seconds = median_seconds(partial(feed_ics, user), runs)
        events = body.count(b"BEGIN:VEVENT")
        print(f"feed {name}: {events} events, {len(queries)} queries, {seconds * 1000:.0f} ms")
    for dataset in open_data.DATASETS:
        with CaptureQueriesContext(connection) as queries:
            rows = dataset.csv().count("\n") - 1
        seconds = median_seconds(dataset.csv, runs)
        print(
            f"open data {dataset.filename}: {rows} rows, {len(queries)} queries, "
            f"{seconds * 1000:.0f} ms"
        )
    coordinator = User.objects.get(username="coordinator")
    current = programme.current_programme()
    if current is not None:
        seconds = median_seconds(
            lambda: programme.events_export_xlsx(coordinator, current, path="bench"), runs
        )
        print(f"programme .xlsx: {seconds * 1000:.0f} ms")


if __name__ == "__main__":
    main()
