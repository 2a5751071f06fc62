"""Deployment checks of the audit trail (`manage.py check --deploy`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from inspectorate.audit.checkpoints import MINIMUM_KEY_LENGTH


@register(Tags.security, deploy=True)
def audit_checkpoint_settings(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    """The checkpoint key comes from the environment, long enough; the log has a set place."""
    problems: list[Any] = []
    key = getattr(settings, "INSPECTORATE_AUDIT_KEY", "")
    if len(key) < MINIMUM_KEY_LENGTH:
        problems.append(
            Error(
                "INSPECTORATE_AUDIT_KEY is missing or shorter than "
                f"{MINIMUM_KEY_LENGTH} characters.",
                hint="Set it in the environment from a secret store the database cannot read: "
                "it signs the audit checkpoints (python -c 'import secrets; "
                "print(secrets.token_hex(32))').",
                id="audit.E001",
            )
        )
    if not getattr(settings, "INSPECTORATE_AUDIT_CHECKPOINTS", None):
        problems.append(
            Warning(
                "INSPECTORATE_AUDIT_CHECKPOINTS is not set: the audit checkpoints go under var/ "
                "beside the code.",
                hint="Point it at a file on storage the database's administrators cannot "
                "rewrite (write-once, or shipped to a log store).",
                id="audit.W001",
            )
        )
    return problems
