"""Optimistic concurrency shared by every app: a write names the version it read.

A write locks the row (`locked`), which refuses it with `StaleVersion` when the version it
names is not the saved one, then applies its changes and bumps the version (`saved`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models

RecordT = TypeVar("RecordT", bound=models.Model)


def changed_meanwhile(record: Any) -> str:
    """The usual words for a stale record."""
    return (
        f"{record} was changed by someone else while you were working on it. "
        "Your changes have not been saved: copy them, check what is saved now, then try again."
    )


class StaleVersion(ValidationError):
    """Someone else saved the record after it was read: nothing was written.

    A ValidationError with code "stale" (under `field` when given), so a form shows it like
    any refusal where the page does not answer 409, and the API answers it 412. Its text is
    `changed_meanwhile` unless the app words its own message."""

    def __init__(self, record: Any, message: str | None = None, *, field: str | None = None):
        self.record = record
        self.text = message or changed_meanwhile(record)
        stale = ValidationError(self.text, code="stale")
        super().__init__({field: stale} if field else stale)

    def __str__(self) -> str:
        return self.text


def check_version(
    record: Any, version: int | None, wording: Callable[[Any], str] = changed_meanwhile
) -> None:
    """StaleVersion if `version` is given and is not the record's saved one."""
    if version is not None and record.version != version:
        raise StaleVersion(record, wording(record))


def locked(
    model: type[RecordT] | models.QuerySet[RecordT],
    pk: Any,
    version: int | None,
    wording: Callable[[Any], str] = changed_meanwhile,
) -> RecordT:
    """The row, locked for this transaction; StaleVersion if `version` is given and is not
    the saved one. Call inside transaction.atomic(). A queryset may say what to select with
    the row."""
    rows = model if isinstance(model, models.QuerySet) else model._default_manager.all()
    record = rows.select_for_update(of=("self",)).get(pk=pk)
    check_version(record, version, wording)
    return record


def saved(record: RecordT, *, partial: bool = False, **changes: Any) -> RecordT:
    """Apply `changes`, bump the version and save (on a row from `locked`): the whole row,
    or with `partial` only the changed fields and the version."""
    for field, value in changes.items():
        setattr(record, field, value)
    setattr(record, "version", getattr(record, "version") + 1)  # noqa: B009, B010
    record.save(update_fields=[*changes, "version"] if partial else None)
    return record


def save_changes(record: models.Model, values: Mapping[str, Any]) -> bool:
    """Set `values` on `record` and save it with the version bumped (`saved`) only when they
    change something: True then. Unchanged values write nothing and keep the version."""
    changed = False
    for name, value in values.items():
        if getattr(record, name) != value:
            setattr(record, name, value)
            changed = True
    if changed:
        saved(record)
    return changed


def update_at_version(
    model: type[RecordT],
    pk: Any,
    version: int | None,
    values: Mapping[str, Any],
    wording: Callable[[Any], str] = changed_meanwhile,
) -> RecordT:
    """The row `locked` at `version`, with `values` saved on it when they change something
    (`save_changes`). Call inside transaction.atomic()."""
    record = locked(model, pk, version, wording)
    save_changes(record, values)
    return record
