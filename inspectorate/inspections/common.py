"""What every write in the inspections app shares: the inspection record of an event.
Optimistic concurrency is `inspectorate.lib.versions`; a 'normally' rule that needs a
recorded reason raises `inspectorate.lib.overrides.OverrideNeeded`."""

from __future__ import annotations

from inspectorate.inspections.models import Inspection
from inspectorate.lib.versions import locked
from inspectorate.programme.models import Event


def inspection_for(event: Event) -> Inspection:
    """The event's inspection record, created on first use."""
    inspection, _ = Inspection.objects.get_or_create(event=event)
    return inspection


def locked_inspection(event: Event, version: int | None = None) -> Inspection:
    """The event's inspection record, created if need be and locked for this transaction;
    StaleVersion if `version` is given and is not the saved one."""
    return locked(Inspection, inspection_for(event).pk, version)
