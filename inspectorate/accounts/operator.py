"""Who the command line acts as.

Anyone who can run the command line can read the database directly, so it is for system
administrators. By default it acts as a built-in account, `inspectorate-cli`, which holds the
system administrator's and the programme coordinator's roles and so sees everything (the
whole confidential programme included). The account cannot sign in (it is inactive and has
no password); it exists so that every confidential record the command line exports is logged
against a named actor (PG-3, DP-1). `--as USERNAME` acts as that person instead, seeing and
exporting only what they could download themselves.
"""

from __future__ import annotations

from inspectorate.accounts.models import User
from inspectorate.accounts.roles import Role

SYSTEM_USERNAME = "inspectorate-cli"


class UnknownUser(LookupError):
    """`--as` named no usable account."""


def system_actor() -> User:
    """The command line's own account, created the first time it is needed."""
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={
            "first_name": "Command line",
            "last_name": "(system)",
            # The account's roles (its data, as a demo user's): what it may do is what
            # these roles' duties are granted, like anyone else.
            "roles": [Role.SYSTEM_ADMINISTRATOR.value, Role.HMIP_COORDINATOR.value],
            "is_active": False,
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def acting_user(username: str | None) -> User:
    """The account named by `--as`, or the system account when none is named."""
    if not username:
        return system_actor()
    user = User.objects.filter(username=username).first()
    if user is None:
        raise UnknownUser(f"There is no user called '{username}'.")
    if not user.is_active:
        raise UnknownUser(f"The user '{username}' is deactivated.")
    return user
