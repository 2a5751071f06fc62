"""Sign-in limits (issue 15, finding 5): keyed on the username and the real client behind the
production proxy, a short capped back-off per username, a limit per client across usernames,
and a page saying when to try again that does not tell whether the account exists."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import Client, RequestFactory

from conftest import TEST_PASSWORD
from inspectorate.accounts.roles import Role
from inspectorate.accounts.sign_in_limits import client_address
from inspectorate.accounts.tests.conftest import PROXY
from inspectorate.shell.tests.test_settings import PRODUCTION_ENV, _manage

START = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)  # 9:00am in London


def _sign_in(client: Client, username: str, password: str, forwarded_for: str) -> Any:
    """A sign-in through the proxy, which appends the address it saw to X-Forwarded-For."""
    return client.post(
        "/sign-in/",
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        headers={"X-Forwarded-For": forwarded_for, "X-Forwarded-Proto": "https"},
    )


def test_production_trusts_one_proxy() -> None:
    result = _manage("diffsettings", "--all", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "INSPECTORATE_TRUSTED_PROXY_COUNT = 1" in result.stdout


def test_the_client_is_the_rightmost_address_our_proxies_did_not_add(settings: Any) -> None:
    request = RequestFactory().get(
        "/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )
    settings.INSPECTORATE_TRUSTED_PROXY_COUNT = 0
    assert client_address(request) == PROXY
    settings.INSPECTORATE_TRUSTED_PROXY_COUNT = 1
    assert client_address(request) == "203.0.113.7"
    settings.INSPECTORATE_TRUSTED_PROXY_COUNT = 2
    assert client_address(request) == "6.6.6.6"
    settings.INSPECTORATE_TRUSTED_PROXY_COUNT = 3  # fewer hops than proxies: not through them
    assert client_address(request) == PROXY
    garbage = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="<script>")
    settings.INSPECTORATE_TRUSTED_PROXY_COUNT = 1
    assert client_address(garbage) == PROXY


@pytest.mark.django_db
def test_a_strangers_five_failures_pause_the_owner_elsewhere_only_briefly(
    production: Any, make_user: Any
) -> None:
    make_user(Role.HMIP_COORDINATOR, username="priya")
    stranger, owner = Client(), Client()
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(5):
            _sign_in(stranger, "priya", "guess", forwarded_for="198.51.100.9")
        paused = _sign_in(owner, "priya", TEST_PASSWORD, forwarded_for="203.0.113.7")
        assert paused.status_code == 429
        assert "paused for a short time" in paused.text
        assert "Try again after 9:01am (in 1 minute)" in paused.text

        clock.move_to(START + dt.timedelta(seconds=31))
        signed_in = _sign_in(owner, "priya", TEST_PASSWORD, forwarded_for="203.0.113.7")
        assert signed_in.status_code == 302
        assert signed_in["Location"] == "/dashboard/"
        # The stranger's own client stays paused for that username.
        refused = _sign_in(stranger, "priya", TEST_PASSWORD, forwarded_for="198.51.100.9")
        assert refused.status_code == 429
        assert "5 wrong attempts to sign in with this username from your connection" in (
            refused.text
        )


@pytest.mark.django_db
def test_the_username_back_off_is_capped_at_five_minutes(production: Any, make_user: Any) -> None:
    make_user(Role.HMIP_COORDINATOR, username="priya")
    with time_machine.travel(START, tick=False) as clock:
        for n in range(5):
            _sign_in(Client(), "priya", "guess", forwarded_for=f"198.51.100.{n}")
        latest = START
        for wait in [30, 60, 120, 240, 300]:  # a botnet guessing as soon as it is let
            latest += dt.timedelta(seconds=wait)
            clock.move_to(latest)
            refused = _sign_in(Client(), "priya", "guess", forwarded_for=f"192.0.2.{wait % 256}")
            assert "Enter a correct username and password" in refused.text
        clock.move_to(latest + dt.timedelta(minutes=4, seconds=59))
        assert _sign_in(Client(), "priya", TEST_PASSWORD, "203.0.113.7").status_code == 429
        clock.move_to(latest + dt.timedelta(minutes=5, seconds=1))
        assert _sign_in(Client(), "priya", TEST_PASSWORD, "203.0.113.7").status_code == 302


@pytest.mark.django_db
def test_a_spoofed_forwarded_for_gets_no_fresh_guesses_without_a_trusted_proxy(
    production: Any, make_user: Any
) -> None:
    production.INSPECTORATE_TRUSTED_PROXY_COUNT = 0
    make_user(Role.HMIP_COORDINATOR, username="priya")
    with time_machine.travel(START, tick=False):
        for n in range(5):
            _sign_in(Client(), "priya", "guess", forwarded_for=f"192.0.2.{n}")
        again = _sign_in(Client(), "priya", TEST_PASSWORD, forwarded_for="192.0.2.200")
    assert again.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {PROXY}


@pytest.mark.django_db
def test_with_one_trusted_proxy_a_spoofed_left_entry_gets_no_fresh_guesses(
    production: Any, make_user: Any
) -> None:
    make_user(Role.HMIP_COORDINATOR, username="priya")
    with time_machine.travel(START, tick=False) as clock:
        for n in range(5):
            _sign_in(Client(), "priya", "guess", forwarded_for=f"192.0.2.{n}, 203.0.113.7")
        clock.shift(dt.timedelta(minutes=6))  # past the username back-off, within the pause
        again = _sign_in(Client(), "priya", TEST_PASSWORD, forwarded_for="192.0.2.99, 203.0.113.7")
    assert again.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}


@pytest.mark.django_db
def test_password_spraying_from_one_client_is_paused_across_usernames(
    production: Any, make_user: Any
) -> None:
    make_user(Role.HMIP_COORDINATOR, username="priya")
    with time_machine.travel(START, tick=False):
        for n in range(20):
            _sign_in(Client(), f"user{n}", "Winter2026!", forwarded_for="198.51.100.9")
        sprayed = _sign_in(Client(), "priya", TEST_PASSWORD, forwarded_for="198.51.100.9")
        assert sprayed.status_code == 429
        assert "too many wrong attempts to sign in from your connection" in sprayed.text
        assert "Try again after 9:15am (in 15 minutes)" in sprayed.text
        elsewhere = _sign_in(Client(), "priya", TEST_PASSWORD, forwarded_for="203.0.113.7")
    assert elsewhere.status_code == 302


@pytest.mark.django_db
def test_the_pause_page_does_not_tell_whether_the_account_exists(
    production: Any, make_user: Any
) -> None:
    make_user(Role.HMIP_COORDINATOR, username="priya")
    pages = {}
    with time_machine.travel(START, tick=False):
        for username, address in [("priya", "198.51.100.1"), ("nobody-here", "198.51.100.2")]:
            client = Client()
            for _ in range(5):
                _sign_in(client, username, "guess", forwarded_for=address)
            pages[username] = _sign_in(client, username, "guess", forwarded_for=address)
    assert pages["priya"].status_code == pages["nobody-here"].status_code == 429
    assert pages["priya"].text == pages["nobody-here"].text
    assert "Try again after 9:15am (in 15 minutes)" in pages["priya"].text
