"""API tokens for other systems: scoped to reading or writing and to organisations,
revocable, and stored only as a SHA-256 hash (the secret is shown once, when issued)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone

from inspectorate.audit.tracking import audited
from inspectorate.inspectors.constants import Organisation
from inspectorate.lib.models import one_of, user_link


class TokenScope(models.TextChoices):
    READ = "read", "Read only"
    WRITE = "write", "Read and write"


@audited(exclude=["last_used_at"])
class ApiToken(models.Model):
    """A credential another system uses in `Authorization: Bearer <secret>`.

    It acts as its user, through the same `visible_to` rules and services as the screens;
    the scope and organisations only ever narrow what that user may see and do.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What uses it, for example 'Ofsted MI'.")
    prefix = models.CharField(
        max_length=12, help_text="The first characters of the secret, to recognise it."
    )
    token_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the secret.")
    scope = models.CharField(max_length=10, choices=TokenScope, default=TokenScope.READ)
    organisations = ArrayField(
        models.CharField(max_length=10, choices=Organisation),
        default=list,
        blank=True,
        help_text="Only events these organisations take part in; empty means no narrowing.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(
        help_text="When the token stops working; every token expires (services.MAX_LIFETIME)."
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = user_link(optional=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            one_of("api_token_scope_known", "scope", TokenScope.values),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_live(self) -> bool:
        if self.revoked_at is not None:
            return False
        return not self.is_expired

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.WRITE
