"""Private calendar feeds: each user may hold one live token, stored hashed. The token in
the feed's URL is the only credential (calendar programs cannot sign in), so it can be
revoked at any time and a new one issued."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from inspectorate.audit.tracking import audited


@audited()
class CalendarToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_tokens"
    )
    token_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the token.")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="one_live_feed_token"
            )
        ]

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"
