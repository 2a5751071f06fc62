"""The walk the penetration test's "Done means" asks for, over the demo's data: every URL
pattern of the project (web, API, admin) is resolved with real objects and requested signed
out and as every demo account. Signed out, only the public pages answer; signed in, no
object the permission table (visible_to) hides from a role answers 200; every answer carries
the Content-Security-Policy and Permissions-Policy, and every signed-in answer is no-store."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from inspectorate.shell.tests import url_walk


@pytest.mark.django_db
def test_every_url_pattern_signed_out_and_as_every_role(capsys: pytest.CaptureFixture) -> None:
    call_command("load_demo", verbosity=0)
    capsys.readouterr()
    found = url_walk.samples()
    planned, unfilled = url_walk.plan(found)
    out = url_walk.Outcome(patterns=len(url_walk.patterns()))
    out.unfilled = [pattern.name for pattern in unfilled]
    assert not out.unfilled, f"teach url_walk these patterns' parameters: {out.unfilled}"

    url_walk.walk_anonymous(
        Client(raise_request_exception=False), planned, url_walk.secrets_of(found), out
    )
    for user in url_walk.iter_roles():
        client = Client(raise_request_exception=False)
        client.force_login(user)
        url_walk.walk_signed_in(client, user, planned, out)

    with capsys.disabled():
        print(f"\nURL walk: {out.summary()}")
        for line in [*out.leaks, *out.header_faults, *out.server_errors]:
            print("  ", line)
    assert not out.leaks, "\n".join(out.leaks[:50])
    assert not out.header_faults, "\n".join(out.header_faults[:50])
    assert not out.server_errors, "\n".join(out.server_errors[:50])
    assert out.requests >= out.patterns * 2
