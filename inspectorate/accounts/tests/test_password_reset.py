"""Password reset by e-mail (issue 15, finding 5), through a real SMTP server on loopback:
a single-use link that expires, an answer that never tells whether an account exists, a
reset that ends every session and clears sign-in pauses but not the second factor, and
throttled requests per address and per client."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import TEST_PASSWORD
from inspectorate.accounts.roles import Role
from inspectorate.accounts.tests.conftest import Inbox, proxied_client

NEW_PASSWORD = "a-new-and-long-passphrase-2026"
START = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def priya(make_user: Any) -> Any:
    user = make_user(Role.HMIP_COORDINATOR, username="priya")
    user.email = "priya@justice.example.gov.uk"
    user.save(update_fields=["email"])
    return user


def _ask(client: Client, email: str) -> Any:
    return client.post("/password-reset/", {"email": email})


def _link(inbox: Inbox, to: str) -> str:
    """The path of the reset link in the one message sent to `to`."""
    [message] = [m for m in inbox.messages if m["To"] == to]
    body = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    url = re.search(r"https://testserver(/password-reset/\S+/)", body)
    assert url, body
    return url.group(1)


def _set_password(client: Client, link: str, password: str = NEW_PASSWORD) -> Any:
    form = client.get(link, follow=True)  # Django moves the token out of the address
    assert "Choose a new password" in form.text, form.text
    path = form.redirect_chain[-1][0] if form.redirect_chain else link
    return client.post(path, {"new_password1": password, "new_password2": password})


def _sign_in(client: Client, username: str, password: str) -> Any:
    return client.post("/sign-in/", {"username": username, "password": password})


def test_the_sign_in_page_links_to_the_password_reset(production: Any) -> None:
    page = proxied_client("203.0.113.7").get("/sign-in/")
    assert 'href="/password-reset/">Forgotten your password?</a>' in page.text


def test_the_link_in_the_email_sets_a_new_password_once(
    production: Any, smtp_inbox: Inbox, run_worker: Any, priya: Any
) -> None:
    browser = proxied_client("203.0.113.7")
    asked = _ask(browser, "Priya@Justice.example.gov.uk")
    assert asked.status_code == 302
    assert asked["Location"] == "/password-reset/sent/"
    run_worker()

    [message] = smtp_inbox.messages
    assert message["Subject"] == "Reset your Inspectorate password"
    link = _link(smtp_inbox, "priya@justice.example.gov.uk")
    done = _set_password(browser, link)
    assert done["Location"] == "/password-reset/complete/"
    assert "Your password has been reset" in browser.get(done["Location"]).text
    assert _sign_in(browser, "priya", NEW_PASSWORD)["Location"] == "/dashboard/"

    again = proxied_client("203.0.113.7").get(link, follow=True)
    assert "The reset link does not work" in again.text
    assert "has been used or has expired" in again.text


def test_an_expired_link_fails(
    production: Any, smtp_inbox: Inbox, run_worker: Any, priya: Any
) -> None:
    with time_machine.travel(START, tick=False) as clock:
        browser = proxied_client("203.0.113.7")
        _ask(browser, priya.email)
        run_worker()
        link = _link(smtp_inbox, priya.email)
        clock.move_to(START + dt.timedelta(minutes=61))
        late = proxied_client("203.0.113.7").get(link, follow=True)
    assert "The reset link does not work" in late.text
    priya.refresh_from_db()
    assert priya.check_password(TEST_PASSWORD)


def test_the_answer_does_not_tell_whether_an_account_uses_the_address(
    production: Any, smtp_inbox: Inbox, run_worker: Any, priya: Any
) -> None:
    known = _ask(proxied_client("203.0.113.7"), priya.email)
    unknown = _ask(proxied_client("203.0.113.8"), "nobody@justice.example.gov.uk")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    sent_page = proxied_client("203.0.113.8").get(unknown["Location"])
    assert "If an account in this service uses that email address" in sent_page.text
    run_worker()
    assert [m["To"] for m in smtp_inbox.messages] == [priya.email]


def test_a_missing_or_malformed_address_is_named_and_nothing_is_sent(
    production: Any, smtp_inbox: Inbox, run_worker: Any, priya: Any
) -> None:
    browser = proxied_client("203.0.113.7")
    empty = _ask(browser, "")
    assert empty.status_code == 400
    assert "Enter your email address" in empty.text
    assert 'href="#id_email"' in empty.text
    malformed = _ask(browser, "priya-at-justice")
    assert "Enter an email address in the correct format" in malformed.text
    run_worker()
    assert smtp_inbox.messages == []


def test_a_reset_ends_every_session_and_clears_the_sign_in_pause(
    production: Any, smtp_inbox: Inbox, run_worker: Any, priya: Any
) -> None:
    elsewhere = proxied_client("198.51.100.20")
    assert _sign_in(elsewhere, "priya", TEST_PASSWORD)["Location"] == "/dashboard/"
    # Signed in (two-factor set-up is next under the production settings).
    assert elsewhere.get("/dashboard/")["Location"].startswith("/account/two-factor/set-up/")
    browser = proxied_client("203.0.113.7")
    for _ in range(5):
        _sign_in(browser, "priya", "forgotten")
    assert _sign_in(browser, "priya", TEST_PASSWORD).status_code == 429

    _ask(browser, priya.email)
    run_worker()
    _set_password(browser, _link(smtp_inbox, priya.email))

    ended = elsewhere.get("/dashboard/")
    assert ended.status_code == 302
    assert ended["Location"].startswith("/sign-in/")
    assert _sign_in(browser, "priya", NEW_PASSWORD)["Location"] == "/dashboard/"


def test_a_reset_does_not_bypass_the_second_factor(
    production: Any, smtp_inbox: Inbox, run_worker: Any, priya: Any
) -> None:
    device = TOTPDevice.objects.create(user=priya, name="app", confirmed=True)
    browser = proxied_client("203.0.113.7")
    _ask(browser, priya.email)
    run_worker()
    _set_password(browser, _link(smtp_inbox, priya.email))
    assert browser.get("/dashboard/")["Location"].startswith("/sign-in/")  # not signed in

    _sign_in(browser, "priya", NEW_PASSWORD)
    blocked = browser.get("/dashboard/")
    assert blocked.status_code == 302
    assert blocked["Location"].startswith("/account/two-factor/verify/")
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    browser.post("/account/two-factor/verify/", {"token": code})
    assert browser.get("/dashboard/").status_code == 200


def test_reset_emails_are_throttled_per_address_and_per_client(
    production: Any, smtp_inbox: Inbox, run_worker: Any, priya: Any
) -> None:
    with time_machine.travel(START, tick=False):
        for n in range(3):
            assert _ask(proxied_client(f"198.51.100.{n}"), priya.email).status_code == 302
        fourth = _ask(proxied_client("198.51.100.99"), priya.email)
        assert fourth.status_code == 400
        assert (
            "Too many reset emails have been asked for this address or from your connection. "
            "Try again after 10:00am" in fourth.text
        )
        assert 'href="#id_email"' in fourth.text

        sprayer = proxied_client("192.0.2.1")
        for n in range(10):
            assert _ask(sprayer, f"person{n}@example.gov.uk").status_code == 302
        assert _ask(sprayer, "person10@example.gov.uk").status_code == 400
        other = _ask(proxied_client("192.0.2.2"), "person10@example.gov.uk")
        assert other.status_code == 302
        run_worker()
    assert [m["To"] for m in smtp_inbox.messages] == [priya.email] * 3
