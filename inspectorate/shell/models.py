"""What the interface shell stores for itself: the outcome of idempotent writes."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone


class IdempotencyRecord(models.Model):
    """The first successful answer to a write sent with an idempotency key (a form's hidden
    token or the API's Idempotency-Key), replayed to any repeat of that write.

    The unique constraint is the lock: a second insert of the same key waits for the first
    request's transaction, then finds its answer (see inspectorate.lib.idempotency).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    status = models.PositiveSmallIntegerField(null=True)
    headers = models.JSONField(default=dict)
    body = models.JSONField(null=True, encoder=DjangoJSONEncoder)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "scope", "key"], name="idempotency_one_answer_per_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"
