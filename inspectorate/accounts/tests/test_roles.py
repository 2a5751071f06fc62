"""Users hold roles; an establishment user belongs to exactly one establishment."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from inspectorate.accounts.models import User
from inspectorate.accounts.roles import Role


@pytest.mark.django_db
def test_a_user_may_hold_several_roles(make_user) -> None:
    user = make_user(Role.HMIP_TEAM_LEADER, Role.QUALITY_ASSURANCE, username="both")
    assert user.has_role(Role.QUALITY_ASSURANCE)
    assert not user.has_role(Role.OFSTED_SCHEDULER)
    assert user.role_labels == ["HMI Prisons team leader", "Quality assurance"]
    assert user.has_staff_role


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("roles", "with_establishment"),
    [
        ([Role.ESTABLISHMENT_USER], False),  # an establishment user needs an establishment
        ([Role.ESTABLISHMENT_USER, Role.HMIP_INSPECTOR], True),  # and holds no other role
        ([Role.HMIP_INSPECTOR], True),  # staff do not belong to an establishment
    ],
)
def test_the_database_binds_establishment_users_to_one_establishment(
    establishment, roles, with_establishment
) -> None:
    with pytest.raises(IntegrityError, match="establishment_user_bound"), transaction.atomic():
        User.objects.create_user(
            username="x",
            roles=roles,
            establishment=establishment if with_establishment else None,
        )
    assert not User.objects.filter(username="x").exists()


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2(make_user) -> None:
    user = make_user(Role.HMIP_INSPECTOR)
    assert user.password.startswith("argon2$")
