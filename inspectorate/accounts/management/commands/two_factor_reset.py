from __future__ import annotations

from typing import Any

import pghistory
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from inspectorate.accounts import services
from inspectorate.accounts.models import User


class Command(BaseCommand):
    help = (
        "Reset a user's two-factor sign-in (lost phone): remove their authenticators and end "
        "all their sessions, recorded in the audit trail with the acting system administrator."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="whose two-factor sign-in to reset")
        parser.add_argument("--actor", required=True, help="your own username (an administrator)")
        parser.add_argument("--reason", required=True, help="why, for the audit trail")

    def _user(self, username: str, option: str) -> User:
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"{option}: no user is called {username!r}") from None

    def handle(self, *args: Any, **options: Any) -> None:
        user = self._user(options["username"], "username")
        actor = self._user(options["actor"], "--actor")
        try:
            with pghistory.context(command=f"manage.py two_factor_reset {user.username}"):
                reset = services.two_factor_reset(actor=actor, user=user, reason=options["reason"])
        except PermissionDenied as refused:
            raise CommandError(f"--actor: {refused}") from None
        except ValidationError as invalid:
            raise CommandError(f"--reason: {' '.join(invalid.messages)}") from None
        self.stdout.write(
            f"Two-factor sign-in reset for {user.username}: {reset.devices_removed} "
            f"authenticator(s) removed, {reset.sessions_ended} session(s) ended."
        )
