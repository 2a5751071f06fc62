"""What every write in the inspections app shares: optimistic concurrency (a version field
checked on save), 'normally' rules that need a recorded reason, and the inspection record
of an event."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models

from inspectorate.inspections.models import Inspection
from inspectorate.lib import versions
from inspectorate.programme.models import Event

RecordT = TypeVar("RecordT", bound=models.Model)


class StaleVersion(versions.StaleVersion):
    """Someone else saved the record after the form was opened: nothing was written."""

    def __init__(self, record: models.Model) -> None:
        super().__init__(
            record,
            f"{record} was changed by someone else while you were working on it. "
            "Your changes have not been saved: copy them, check what is saved now, then try "
            "again.",
        )


class OverrideNeeded(Exception):
    """A 'normally' rule is not met: the write goes ahead only with a recorded reason.
    `warnings` maps each field (or "__all__") to its warning; nothing was written."""

    def __init__(self, warnings: dict[str, str]) -> None:
        self.warnings = warnings
        super().__init__("; ".join(warnings.values()))


def locked(model: type[RecordT], pk: Any, version: int | None) -> RecordT:
    """The row, locked for this transaction; StaleVersion if `version` is given and is not
    the saved one. Call inside transaction.atomic()."""
    record = model._default_manager.select_for_update(of=("self",)).get(pk=pk)
    if version is not None and getattr(record, "version") != version:  # noqa: B009
        raise StaleVersion(record)
    return record


def saved(record: RecordT, **changes: Any) -> RecordT:
    """Apply `changes`, bump the version and save (on a row from `locked`)."""
    for field, value in changes.items():
        setattr(record, field, value)
    setattr(record, "version", getattr(record, "version") + 1)  # noqa: B009, B010
    record.save()
    return record


def inspection_for(event: Event) -> Inspection:
    """The event's inspection record, created on first use."""
    inspection, _ = Inspection.objects.get_or_create(event=event)
    return inspection
