"""An administrator's reset of someone's second factor (lost phone): system administrators
only, with a reason, audited; it removes the user's authenticators and ends all their
sessions, and the user then enrols afresh. Under the production settings."""

from __future__ import annotations

import datetime as dt

import pghistory.models
import pytest
import time_machine
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import apply_production
from inspectorate.accounts.models import TwoFactorReset
from inspectorate.accounts.roles import Role
from inspectorate.accounts.tests.production import (
    browser,
    device_for,
    sign_in,
    sign_in_fully,
)
from inspectorate.audit.models import ChainLink

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _production(settings) -> None:
    apply_production(settings)


@pytest.fixture
def admin_user(make_user):
    admin = make_user(Role.SYSTEM_ADMINISTRATOR, username="sysadmin")
    admin.is_superuser = admin.is_staff = True
    admin.save()
    return admin


def _reset_path(user) -> str:
    return f"/account/users/{user.pk}/two-factor/reset/"


@pytest.mark.rule("SEC-1")
def test_a_reset_removes_the_devices_ends_every_session_and_is_audited(
    make_user, admin_user
) -> None:
    person = make_user(Role.HMIP_INSPECTOR, username="lostphone")
    device = device_for(person)
    desk, laptop = browser(), browser(address="10.0.0.7")
    sign_in_fully(desk, person, device)
    with time_machine.travel(dt.timedelta(seconds=31)):
        sign_in_fully(laptop, person, device)
    admin = browser(address="10.0.0.9")
    sign_in_fully(admin, admin_user, device_for(admin_user))

    change_page = admin.get(f"/admin/accounts/user/{person.pk}/change/")
    assert _reset_path(person) in change_page.text  # where administrators find it

    missing = admin.post(_reset_path(person), {"reason": "  "})
    assert "Enter why two-factor sign-in is being reset" in missing.text
    assert TOTPDevice.objects.filter(user=person).exists()
    assert desk.get("/dashboard/").status_code == 200

    done = admin.post(_reset_path(person), {"reason": "Lost phone, rang the service desk"})
    assert done.status_code == 302
    said = admin.get(done["Location"]).text
    assert "1 authenticator removed and 2 signed-in sessions ended" in said

    assert not TOTPDevice.objects.filter(user=person).exists()
    for ended in (desk, laptop):
        assert ended.get("/dashboard/")["Location"].startswith("/sign-in/")
    assert admin.get("/dashboard/").status_code == 200  # the administrator's own goes on

    reset = TwoFactorReset.objects.get(user=person)
    assert (reset.actor, reset.reason) == (admin_user, "Lost phone, rang the service desk")
    (event,) = pghistory.models.Events.objects.filter(pgh_obj_model="accounts.TwoFactorReset")
    assert event.pgh_context["user"] == admin_user.pk
    assert event.pgh_data["reason"] == "Lost phone, rang the service desk"
    assert ChainLink.objects.filter(event_table="accounts_twofactorresetevent").count() == 1
    assert f"accounts.TwoFactorReset {reset.pk}" in admin.get("/audit/").text

    # The user enrols afresh at their next sign-in.
    again = browser()
    sign_in(again, person)
    assert again.get("/dashboard/")["Location"].startswith("/account/two-factor/set-up/")
    assert again.get("/account/two-factor/set-up/").status_code == 200


@pytest.mark.parametrize("who", ["coordinator", "superuser-without-role"])
def test_only_system_administrators_reset(make_user, who) -> None:
    if who == "coordinator":
        actor = make_user(Role.HMIP_COORDINATOR, username="coord")
    else:
        actor = make_user(username="root")
        actor.is_superuser = actor.is_staff = True
        actor.save()
    person = make_user(Role.HMIP_INSPECTOR, username="target")
    device = device_for(person)
    client = browser()
    sign_in_fully(client, actor, device_for(actor))
    assert client.post(_reset_path(person), {"reason": "Because"}).status_code == 403
    assert list(TOTPDevice.objects.filter(user=person)) == [device]
    assert not TwoFactorReset.objects.exists()


def test_a_reset_needs_a_recent_confirmation(make_user, admin_user) -> None:
    person = make_user(Role.HMIP_INSPECTOR, username="target")
    device_for(person)
    client = browser()
    sign_in_fully(client, admin_user, device_for(admin_user))
    with time_machine.travel(dt.timedelta(minutes=16)):
        refused = client.post(_reset_path(person), {"reason": "Lost phone"})
    assert refused["Location"].startswith("/account/confirm/")
    assert TOTPDevice.objects.filter(user=person).exists()


def test_the_reset_command(make_user, admin_user, capsys) -> None:
    person = make_user(Role.HMIP_INSPECTOR, username="target")
    device_for(person)
    with pytest.raises(CommandError, match="--actor: Only system administrators"):
        call_command("two_factor_reset", "target", actor="target", reason="Lost phone")
    with pytest.raises(CommandError, match="--reason: Enter why"):
        call_command("two_factor_reset", "target", actor="sysadmin", reason=" ")
    assert TOTPDevice.objects.filter(user=person).exists()
    call_command("two_factor_reset", "target", actor="sysadmin", reason="Lost phone")
    assert "1 authenticator(s) removed" in capsys.readouterr().out
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert TwoFactorReset.objects.get(user=person).actor == admin_user
