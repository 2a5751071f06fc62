"""Idempotent writes: one mechanism for the screens and the API.

A write sent with a key (a form's hidden `idempotency_token`, the API's `Idempotency-Key`
header) runs at most once per user and key. The first request inserts a row for the key and
runs inside the same transaction; a repeat's insert waits on the unique constraint until the
first commits, then reads the answer the first stored and is given it again. A write that
does not succeed (a form redisplayed with errors, a refused API call) stores nothing, so the
key can be sent again. Keys expire after `IDEMPOTENCY_KEY_LIFETIME`.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

FORM_FIELD = "idempotency_token"
HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_MAX_LENGTH = 255


class KeyMalformed(ValueError):
    pass


@dataclass
class Answer:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None


@dataclass
class Claim:
    """What a request holds for its key: run the write (`first`), replay `answer`, or refuse
    because the key was used for a different request (`conflict`)."""

    first: bool = False
    conflict: bool = False
    answer: Answer | None = None
    _stored: Answer | None = None

    def store(self, answer: Answer) -> None:
        """Keep this answer for repeats; without it the key is released when the write ends."""
        self._stored = answer


def lifetime() -> timedelta:
    return timedelta(hours=getattr(settings, "IDEMPOTENCY_KEY_LIFETIME_HOURS", 24))


def new_token() -> str:
    return secrets.token_urlsafe(24)


def key_check(key: str) -> str:
    """The key as given, or KeyMalformed: 1 to 255 printable ASCII characters."""
    key = key.strip()
    if not 0 < len(key) <= KEY_MAX_LENGTH or not all(33 <= ord(c) <= 126 for c in key):
        raise KeyMalformed(
            f"{HEADER} must be 1 to {KEY_MAX_LENGTH} printable characters without spaces, "
            "for example a UUID."
        )
    return key


def fingerprint(*, method: str, path: str, data: Any, extra: Iterable[str] = ()) -> str:
    """A digest of what a request asks for, to tell a repeat from a different request."""
    digest = hashlib.sha256()
    for part in (method.upper(), path, *extra):
        digest.update(part.encode() + b"\0")
    digest.update(_canonical(data).encode())
    return digest.hexdigest()


def _canonical(data: Any) -> str:
    if hasattr(data, "lists"):  # QueryDict, MultiValueDict
        data = dict(data.lists())
    return json.dumps(data, sort_keys=True, default=_file_digest)


def _file_digest(value: Any) -> str:
    if isinstance(value, UploadedFile):
        digest = hashlib.sha256()
        for chunk in value.chunks():
            digest.update(chunk)
        value.seek(0)
        return f"file:{value.name}:{digest.hexdigest()}"
    return str(value)


def _records() -> type[Model]:
    """The shell app's table of keys, found through the app registry: lib is the lowest
    layer and imports no app."""
    return apps.get_model("shell", "IdempotencyRecord")


@contextmanager
def claim(*, user: Any, scope: str, key: str, fingerprint: str) -> Iterator[Claim]:
    """Hold `user`'s `key` for the write run inside this block (one transaction with it)."""
    user_id = user.pk

    with transaction.atomic():
        if _inserted(user_id, scope, key, fingerprint):
            held = Claim(first=True)
        else:
            record = (
                _records()
                ._default_manager.select_for_update()
                .get(user_id=user_id, scope=scope, key=key)
            )
            held = _claim_existing(record, fingerprint)
        yield held
        if held.first:
            _settle(user_id, scope, key, held._stored)


def _inserted(user_id: int, scope: str, key: str, fingerprint: str) -> bool:
    table = _records()._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (user_id, scope, key, fingerprint, created_at, headers) "
            "VALUES (%s, %s, %s, %s, %s, '{}') "
            "ON CONFLICT (user_id, scope, key) DO NOTHING RETURNING id",
            [user_id, scope, key, fingerprint, timezone.now()],
        )
        return cursor.fetchone() is not None


def _claim_existing(record: Any, fingerprint: str) -> Claim:
    expired = record.created_at < timezone.now() - lifetime()
    if expired or record.status is None:
        record.fingerprint, record.created_at = fingerprint, timezone.now()
        record.status, record.headers, record.body = None, {}, None
        record.save()
        return Claim(first=True)
    if record.fingerprint != fingerprint:
        return Claim(conflict=True)
    return Claim(answer=Answer(record.status, dict(record.headers), record.body))


def _settle(user_id: int, scope: str, key: str, answer: Answer | None) -> None:
    mine = _records()._default_manager.filter(user_id=user_id, scope=scope, key=key)
    if answer is None:
        mine.delete()
    else:
        mine.update(status=answer.status, headers=answer.headers, body=answer.body)


def replay_headers(answer: Answer) -> Mapping[str, str]:
    return {**answer.headers, REPLAYED_HEADER: "true"}


def expired_purge() -> int:
    """Delete the records of keys past their lifetime; the number deleted."""
    cutoff = timezone.now() - lifetime()
    deleted, _ = _records()._default_manager.filter(created_at__lt=cutoff).delete()
    return deleted
