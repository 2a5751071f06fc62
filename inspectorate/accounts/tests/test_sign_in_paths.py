"""Every sign-in path under the production settings: anonymous → password-verified →
second-factor-verified, with enrolment allowed only at first or from a verified session
(finding 1), every staff account including superusers held to it (finding 3), the session
key rotated at each step, an absolute session lifetime, and signing out."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import TEST_PASSWORD, apply_production
from inspectorate.accounts import services
from inspectorate.accounts.roles import Role
from inspectorate.accounts.tests.production import (
    browser,
    code,
    device_for,
    session_key,
    sign_in,
    sign_in_fully,
    verify,
)

pytestmark = pytest.mark.django_db

SET_UP = "/account/two-factor/set-up/"
VERIFY = "/account/two-factor/verify/"


@pytest.fixture(autouse=True)
def _production(settings) -> None:
    apply_production(settings)


@pytest.mark.rule("SEC-1")
def test_first_enrolment_verifies_the_session_and_rotates_its_key(make_user) -> None:
    user = make_user(Role.OFSTED_SCHEDULER)
    client = browser()
    sign_in(client, user)
    password_only = session_key(client)
    assert client.get("/dashboard/")["Location"].startswith(SET_UP)

    assert client.get(SET_UP).status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    done = client.post(SET_UP, {"token": code(device), "next": "/dashboard/"})

    assert done["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200
    assert session_key(client) != password_only
    device.refresh_from_db()
    assert device.confirmed


def test_a_returning_user_verifies_and_the_session_key_rotates(make_user) -> None:
    user = make_user(Role.HMIP_INSPECTOR)
    device = device_for(user)
    client = browser()
    anonymous = client.get("/sign-in/")
    assert anonymous.status_code == 200
    sign_in(client, user)
    password_only = session_key(client)
    assert client.get("/programme/")["Location"].startswith(VERIFY)

    wrong = client.post(VERIFY, {"token": "000000"})
    assert "The security code is wrong" in wrong.text
    assert client.get("/dashboard/").status_code == 302
    with time_machine.travel(dt.timedelta(seconds=5)):  # past django-otp's throttle
        assert verify(client, device).status_code == 302
        assert client.get("/dashboard/").status_code == 200
    assert session_key(client) != password_only


@pytest.mark.rule("SEC-1")
def test_a_password_alone_cannot_enrol_a_new_authenticator(make_user) -> None:
    """Finding 1, the re-enrolment attack: with the password only, the set-up page made a
    new device, and confirming it deleted the owner's and verified the session."""
    owner = make_user(Role.HMIP_COORDINATOR, username="owner")
    owners_device = device_for(owner)
    attacker = browser(address="203.0.113.9")
    sign_in(attacker, owner)

    page = attacker.get(SET_UP)
    assert page.status_code == 302
    assert page["Location"].startswith(VERIFY)
    assert list(TOTPDevice.objects.filter(user=owner)) == [owners_device]

    # Nor does posting a code to the set-up page, for any device it might have made.
    attacker.post(SET_UP, {"token": code(owners_device), "next": "/programme/"})
    assert list(TOTPDevice.objects.filter(user=owner)) == [owners_device]
    assert attacker.get("/programme/")["Location"].startswith(VERIFY)

    # The owner's codes still work, from their own browser.
    with time_machine.travel(dt.timedelta(seconds=31)):
        real = browser()
        sign_in_fully(real, owner, owners_device)
        assert real.get("/programme/").status_code == 200
        assert attacker.get("/programme/")["Location"].startswith(VERIFY)


@pytest.mark.rule("SEC-1")
def test_the_service_refuses_enrolment_to_an_unverified_session(make_user) -> None:
    owner = make_user(Role.HMIP_COORDINATOR)
    owners_device = device_for(owner)
    with pytest.raises(PermissionDenied, match="current authenticator"):
        services.two_factor_device_start(actor=owner)
    planted = TOTPDevice.objects.create(user=owner, name="planted", confirmed=False)
    with pytest.raises(PermissionDenied, match="current authenticator"):
        services.two_factor_device_confirm(actor=owner, device=planted)
    owners_device.refresh_from_db()
    assert owners_device.confirmed
    planted.refresh_from_db()
    assert not planted.confirmed


@pytest.mark.rule("SEC-1")
def test_a_verified_session_enrols_a_replacement_authenticator(make_user) -> None:
    user = make_user(Role.HMIP_TEAM_LEADER)
    old = device_for(user)
    client = browser()
    sign_in_fully(client, user, old)
    assert client.get(SET_UP).status_code == 200
    new = TOTPDevice.objects.get(user=user, confirmed=False)
    with time_machine.travel(dt.timedelta(seconds=31)):
        done = client.post(SET_UP, {"token": code(new), "next": "/dashboard/"})
        assert done["Location"] == "/dashboard/"
        assert client.get("/dashboard/").status_code == 200
    assert list(TOTPDevice.objects.filter(user=user)) == [new]
    new.refresh_from_db()
    assert new.confirmed


@pytest.mark.parametrize(
    "flags",
    [
        {"is_superuser": True, "is_staff": True},
        {"is_staff": True},
        {},
    ],
    ids=["superuser-without-role", "admin-staff-without-role", "no-role"],
)
@pytest.mark.rule("SEC-1")
def test_accounts_without_a_staff_role_still_need_the_second_factor(make_user, flags) -> None:
    user = make_user(username="root")
    for name, value in flags.items():
        setattr(user, name, value)
    user.save()
    client = browser()
    sign_in(client, user)
    for path in ("/admin/", "/dashboard/", "/audit/"):
        assert client.get(path)["Location"].startswith(SET_UP), path

    device = device_for(user)
    verify(client, device)
    assert client.get("/dashboard/").status_code == 200
    if flags.get("is_superuser"):
        assert client.get("/admin/").status_code == 200


def test_the_admin_offers_no_audit_event_tables(make_user) -> None:
    from django.contrib import admin

    registered = {model._meta.app_label for model in admin.site._registry}
    assert "pghistory" not in registered
    assert not any(model._meta.label.endswith("Event") for model in admin.site._registry)
    assert TOTPDevice not in admin.site._registry

    root = make_user(Role.SYSTEM_ADMINISTRATOR, username="root")
    root.is_superuser = root.is_staff = True
    root.save()
    client = browser()
    sign_in_fully(client, root, device_for(root))
    index = client.get("/admin/")
    assert index.status_code == 200
    assert "pghistory" not in index.text.lower()
    assert client.get("/admin/pghistory/events/").status_code == 404


def test_establishment_users_sign_in_with_a_password(make_user, establishment) -> None:
    user = make_user(Role.ESTABLISHMENT_USER, establishment=establishment)
    client = browser()
    sign_in(client, user)
    assert client.get("/dashboard/").status_code == 200


def test_sessions_end_ten_hours_after_sign_in_however_active(make_user) -> None:
    user = make_user(Role.HMIP_INSPECTOR)
    device = device_for(user)
    start = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        client = browser()
        sign_in_fully(client, user, device)
        now = start
        while now < start + dt.timedelta(hours=9, minutes=50):
            now += dt.timedelta(minutes=20)  # inside the 30-minute idle timeout every time
            clock.move_to(now)
            assert client.get("/dashboard/").status_code == 200, now
        clock.move_to(start + dt.timedelta(hours=10, minutes=1))
        ended = client.get("/dashboard/")
        said = client.get(ended["Location"]).text
    assert ended.status_code == 302
    assert ended["Location"].startswith("/sign-in/")
    assert "You were signed out because you signed in over 10 hours ago." in said


def test_signing_out_ends_the_session(make_user) -> None:
    user = make_user(Role.HMIP_INSPECTOR)
    client = browser()
    sign_in_fully(client, user, device_for(user))
    assert client.get("/dashboard/").status_code == 200
    assert client.post("/sign-out/").status_code == 302
    assert client.get("/dashboard/")["Location"].startswith("/sign-in/")


def test_changing_the_password_rotates_the_session_key_and_ends_the_other_sessions(
    make_user,
) -> None:
    user = make_user(Role.HMIP_INSPECTOR)
    device = device_for(user)
    elsewhere = browser(address="10.0.0.8")
    sign_in_fully(elsewhere, user, device)
    client = browser()
    with time_machine.travel(dt.timedelta(seconds=31)):
        sign_in_fully(client, user, device)
    before = session_key(client)
    new = "a-much-longer-passphrase-2026"
    changed = client.post(
        "/account/password/",
        {"old_password": TEST_PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert changed["Location"] == "/account/"
    assert session_key(client) != before
    assert client.get("/dashboard/").status_code == 200  # this one goes on, still verified
    assert elsewhere.get("/dashboard/")["Location"].startswith("/sign-in/")


def test_the_admin_itself_refuses_a_password_only_session(make_user, settings) -> None:
    """Defence in depth: even without the two-factor middleware, the admin does not open."""
    settings.MIDDLEWARE = [
        name for name in settings.MIDDLEWARE if not name.endswith("RequireTwoFactorMiddleware")
    ]
    root = make_user(username="root")
    root.is_superuser = root.is_staff = True
    root.save()
    device = device_for(root)
    client = browser()
    sign_in(client, root)
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    verify(client, device)
    assert client.get("/admin/").status_code == 200
