"""Sign-in: the form, throttling by username and address, idle sessions, two-factor."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import TEST_PASSWORD
from inspectorate.accounts.roles import Role


def _sign_in(client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(
        "/sign-in/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


@pytest.mark.django_db
def test_signing_in_reaches_the_dashboard(client, make_user) -> None:
    make_user(Role.HMIP_COORDINATOR, username="priya")
    response = _sign_in(client, "priya", TEST_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    dashboard = client.get("/dashboard/")
    assert "HMI Prisons programme coordinator" in dashboard.text


@pytest.mark.django_db
def test_a_wrong_password_is_refused_with_a_clear_message(client, make_user) -> None:
    make_user(Role.HMIP_COORDINATOR, username="priya")
    response = _sign_in(client, "priya", "wrong")
    assert response.status_code == 200
    assert "Enter a correct username and password" in response.text
    assert client.get("/dashboard/").status_code == 302


@pytest.mark.django_db
def test_five_failures_lock_that_username_from_that_address(client, make_user) -> None:
    make_user(Role.HMIP_COORDINATOR, username="priya")
    for _ in range(5):
        _sign_in(client, "priya", "wrong")
    locked = _sign_in(client, "priya", TEST_PASSWORD)
    assert locked.status_code == 429
    assert "Sign-in is paused" in locked.text
    assert client.get("/dashboard/").status_code == 302

    # The lock is on the username and address together: the same person elsewhere can sign in
    # once the username's short back-off (test_sign_in_limits.py) is over.
    with time_machine.travel(dt.timedelta(seconds=31)):
        assert _sign_in(client, "priya", TEST_PASSWORD, address="10.0.0.2").status_code == 302


@pytest.mark.django_db
def test_sessions_expire_when_idle(client, make_user) -> None:
    user = make_user(Role.HMIP_INSPECTOR)
    start = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        client.force_login(user)
        assert client.get("/dashboard/").status_code == 200
        clock.move_to(start + dt.timedelta(minutes=25))
        assert client.get("/dashboard/").status_code == 200  # activity renews the session
        clock.move_to(start + dt.timedelta(minutes=25 + 31))
        response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def _current_token(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.mark.django_db
@override_settings(REQUIRE_TWO_FACTOR=True)
def test_staff_must_set_up_and_use_two_factor_sign_in(client, make_user) -> None:
    make_user(Role.OFSTED_SCHEDULER, username="gareth")
    _sign_in(client, "gareth", TEST_PASSWORD)

    blocked = client.get("/dashboard/")
    assert blocked.status_code == 302
    assert blocked["Location"].startswith("/account/two-factor/set-up/")

    setup = client.get("/account/two-factor/set-up/")
    assert "Set up two-factor sign-in" in setup.text
    device = TOTPDevice.objects.get(user__username="gareth")
    wrong = client.post("/account/two-factor/set-up/", {"token": "000000"})
    assert "The security code is wrong" in wrong.text
    throttled = client.post("/account/two-factor/set-up/", {"token": _current_token(device)})
    assert "Too many wrong security codes" in throttled.text

    with time_machine.travel(dt.timedelta(seconds=5)):
        confirmed = client.post(
            "/account/two-factor/set-up/",
            {"token": _current_token(device), "next": "/dashboard/"},
        )
    assert confirmed["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200


@pytest.mark.django_db
@override_settings(REQUIRE_TWO_FACTOR=True)
def test_a_returning_user_enters_their_code(client, make_user) -> None:
    user = make_user(Role.HMIP_INSPECTOR, username="deb")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    _sign_in(client, "deb", TEST_PASSWORD)
    response = client.get("/dashboard/")
    assert response["Location"].startswith("/account/two-factor/verify/")
    client.post("/account/two-factor/verify/", {"token": _current_token(device)})
    assert client.get("/dashboard/").status_code == 200


@pytest.mark.django_db
@override_settings(REQUIRE_TWO_FACTOR=True)
def test_establishment_users_are_not_required_to_use_two_factor(
    client, make_user, establishment
) -> None:
    make_user(Role.ESTABLISHMENT_USER, username="governor", establishment=establishment)
    _sign_in(client, "governor", TEST_PASSWORD)
    assert client.get("/dashboard/").status_code == 200


@pytest.mark.django_db
def test_changing_the_password_checks_the_old_one_and_the_new_ones_strength(
    client, make_user
) -> None:
    user = make_user(Role.HMIP_INSPECTOR)
    client.force_login(user)
    weak = client.post(
        "/account/password/",
        {"old_password": TEST_PASSWORD, "new_password1": "short", "new_password2": "short"},
    )
    assert "This password is too short" in weak.text
    new = "a-much-longer-passphrase-2026"
    changed = client.post(
        "/account/password/",
        {"old_password": TEST_PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert changed["Location"] == "/account/"
    user.refresh_from_db()
    assert user.check_password(new)
    assert client.get("/account/").status_code == 200  # still signed in after the change
