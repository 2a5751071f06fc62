"""What every write in the inspections app shares: 'normally' rules that need a recorded
reason, and the inspection record of an event. Optimistic concurrency is
`inspectorate.lib.versions`."""

from __future__ import annotations

from inspectorate.inspections.models import Inspection
from inspectorate.lib.versions import locked
from inspectorate.programme.models import Event


class OverrideNeeded(Exception):
    """A 'normally' rule is not met: the write goes ahead only with a recorded reason.
    `warnings` maps each field (or "__all__") to its warning; nothing was written."""

    def __init__(self, warnings: dict[str, str]) -> None:
        self.warnings = warnings
        super().__init__("; ".join(warnings.values()))


def inspection_for(event: Event) -> Inspection:
    """The event's inspection record, created on first use."""
    inspection, _ = Inspection.objects.get_or_create(event=event)
    return inspection


def locked_inspection(event: Event, version: int | None = None) -> Inspection:
    """The event's inspection record, created if need be and locked for this transaction;
    StaleVersion if `version` is given and is not the saved one."""
    return locked(Inspection, inspection_for(event).pk, version)
