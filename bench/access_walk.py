"""The access walk of the penetration test's "Done means", printed: every URL pattern of the
project (web, API, admin), filled with the demo's objects, requested signed out and as every
demo account, on a scratch database with the demo loaded.

Printed: the patterns walked, the requests made, and the leaks found (a signed-out answer
other than sign-in or a refusal, a confidential word in a signed-out answer, an object the
permission table hides answering 200 to a role), the answers missing a security header, and
the server errors. The same walk is a test: inspectorate/shell/tests/test_url_walk.py.

    .venv/bin/python bench/access_walk.py
"""

from __future__ import annotations

import time

from _setup import django_on_scratch_database


def main() -> None:
    django_on_scratch_database()
    from django.core.management import call_command
    from django.test import Client

    from inspectorate.shell.tests import url_walk

    call_command("load_demo", verbosity=0)
    start = time.perf_counter()
    found = url_walk.samples()
    planned, unfilled = url_walk.plan(found)
    out = url_walk.Outcome(patterns=len(url_walk.patterns()))
    out.unfilled = [pattern.name for pattern in unfilled]
    url_walk.walk_anonymous(
        Client(raise_request_exception=False), planned, url_walk.secrets_of(found), out
    )
    anonymous = out.requests
    roles = 0
    for user in url_walk.iter_roles():
        client = Client(raise_request_exception=False)
        client.force_login(user)
        url_walk.walk_signed_in(client, user, planned, out)
        roles += 1
    print(f"addresses per identity: {len(planned)} (from {out.patterns} patterns)")
    print(f"signed out: {anonymous} requests; signed in: {roles} accounts")
    print(out.summary())
    for line in [*out.unfilled, *out.leaks, *out.header_faults, *out.server_errors]:
        print("  ", line)
    print(f"walked in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
