from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from inspectorate.shell.demo import DEMO_PASSWORD, DEMO_USERS, demo_load


class Command(BaseCommand):
    help = "Load the demo data set (idempotent: running it again changes nothing)."

    def handle(self, *args: Any, **options: Any) -> None:
        # The demo's history (announcements, amendments) would otherwise e-mail its people.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            counts = demo_load()
        summary = ", ".join(f"{count} {name}" for name, count in counts.items())
        self.stdout.write(f"Demo data loaded: {summary}.")
        self.stdout.write(demo_sign_in_text())


def demo_sign_in_text() -> str:
    lines = ["", "Demo sign-in (password for every account: " + DEMO_PASSWORD + ")"]
    lines += [f"  {spec.username:<16} {spec.role.label}" for spec in DEMO_USERS]
    # The reports demo's factual-accuracy comment comes from the inspected prison's own user.
    lines.append(f"  {'pentonville':<16} Establishment user (HMP/YOI Pentonville)")
    return "\n".join(lines)
