"""What every write in the inspections app shares: the inspection record of an event.
Optimistic concurrency is `inspectorate.lib.versions`; a 'normally' rule that needs a
recorded reason raises `inspectorate.lib.overrides.OverrideNeeded`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any, NotRequired, get_origin, get_type_hints

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


@cache
def _declared_keys(declared: Any) -> tuple[frozenset[str], frozenset[str]]:
    """The keys a TypedDict names and those it requires, from its type hints: under
    postponed annotations Python 3.11 counts a NotRequired key as required."""
    hints = get_type_hints(declared, include_extras=True)
    required = {name for name, hint in hints.items() if get_origin(hint) is not NotRequired}
    return frozenset(hints), frozenset(required)


def known_fields(fields: Mapping[str, Any], declared: Any, required: Iterable[str] = ()) -> None:
    """TypeError for a keyword `declared` (a TypedDict) does not name, or for one it requires
    (or `required` adds) left out, as plain keyword parameters would raise: a misspelt field
    is never silently dropped, and an edit that must name a field does not take a default."""
    names, needed = _declared_keys(declared)
    unknown = set(fields) - names
    if unknown:
        raise TypeError(f"unexpected keyword arguments: {', '.join(sorted(unknown))}")
    missing = (needed | set(required)) - set(fields)
    if missing:
        raise TypeError(f"missing keyword arguments: {', '.join(sorted(missing))}")
