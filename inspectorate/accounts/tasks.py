"""Background tasks of accounts, run by the procrastinate worker."""

from __future__ import annotations

from procrastinate.contrib.django import app

from inspectorate.accounts.services_recovery import password_reset_mail_send
from inspectorate.lib.jobs import closes_db_connection


@app.task(pass_context=False)
@closes_db_connection
def password_reset_mail_task(email: str, domain: str, use_https: bool) -> None:
    """Send the reset link to the accounts using `email`, if any (see services_recovery)."""
    password_reset_mail_send(email=email, domain=domain, use_https=use_https)
