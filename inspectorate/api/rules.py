"""Who may hold, see and revoke API tokens."""

from __future__ import annotations

from typing import Any

import rules

from inspectorate.accounts.permissions import grant, is_users, permission
from inspectorate.accounts.roles import Duty
from inspectorate.api.models import ApiToken


@rules.predicate
def has_an_active_account(user: Any) -> bool:
    """The account is active."""
    return bool(getattr(user, "is_active", False))


owns_the_token = is_users(ApiToken, "user_id", "owns_the_token", "The token acts as the user.")


permission(
    "api.hold_tokens",
    grant(Duty.STAFF, Duty.ESTABLISHMENT),
    provided=has_an_active_account,
    text="Issue API tokens acting as oneself.",
)
permission(
    "api.view_all_tokens",
    grant(Duty.ADMINISTERS),
    text="See everyone's API tokens.",
)
permission(
    "api.revoke_token",
    grant(when=owns_the_token),
    grant(Duty.ADMINISTERS),
    text="Revoke an API token: one's own, or anyone's for an administrator.",
)
