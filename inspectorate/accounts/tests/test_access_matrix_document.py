"""The access matrix is generated from the permissions table, and the table is what the service
enforces: every permission, for every role, iterated from the same table."""

from __future__ import annotations

import pytest
import rules

from inspectorate.accounts.access_matrix import DOCUMENT, cell, render
from inspectorate.accounts.models import User
from inspectorate.accounts.permissions import PERMISSIONS
from inspectorate.accounts.roles import DUTIES, Duty, Role, duties_of, roles_with


class _AnyObject:
    """An object no condition knows: a condition that reads it answers no."""


def _holder(role: Role) -> User:
    return User(username=f"matrix-{role.value}", roles=[role.value], is_active=True)


def test_the_checked_in_access_matrix_is_the_generated_one() -> None:
    assert DOCUMENT.read_text() == render(), "run: manage.py access_matrix --write"


def test_every_app_with_rules_declares_its_permissions_in_the_table() -> None:
    declared = {name.split(".")[0] for name in PERMISSIONS}
    registered = {name.split(".")[0] for name in rules.permissions.permissions}
    assert registered == declared
    assert set(rules.permissions.permissions) == set(PERMISSIONS)


@pytest.mark.parametrize("name", sorted(PERMISSIONS))
def test_each_permission_is_held_exactly_as_the_matrix_says(name: str) -> None:
    permission = PERMISSIONS[name]
    for role in Role:
        says = cell(permission, role)
        user = _holder(role)
        if says == "":
            assert not rules.has_perm(name, user, _AnyObject()), (name, role)
            assert not rules.has_perm(name, user, None), (name, role)
        elif says == "yes":
            assert rules.has_perm(name, user, _AnyObject()), (name, role)


def test_a_signed_out_visitor_holds_no_permission() -> None:
    from django.contrib.auth.models import AnonymousUser

    for name in PERMISSIONS:
        assert not rules.has_perm(name, AnonymousUser(), None), name


def test_every_role_has_a_duty_and_every_duty_a_role() -> None:
    assert all(duties_of(role) for role in Role)
    assert all(DUTIES[duty] for duty in Duty)
    assert roles_with(Duty.STAFF) == frozenset(Role) - {Role.ESTABLISHMENT_USER}


def test_a_superuser_holds_only_what_the_table_grants_their_roles() -> None:
    superuser = User(username="root", roles=[], is_active=True, is_superuser=True)
    assert not superuser.has_perm("accounts.view_audit_trail")
    assert not superuser.has_perm("estate.view_establishment_list")
    administrator = User(
        username="admin", roles=[Role.SYSTEM_ADMINISTRATOR.value], is_active=True, is_superuser=True
    )
    assert administrator.has_perm("accounts.manage_users")
    inactive = User(username="cli", roles=[Role.SYSTEM_ADMINISTRATOR.value], is_active=False)
    assert inactive.has_perm("accounts.manage_users")  # as django-rules' backend: the roles decide
