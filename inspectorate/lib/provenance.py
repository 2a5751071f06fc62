"""Where a record came from (HI-2): screens below the imports app label their records with
their source document through here; the imports app, which keeps the source documents,
registers the labeller from its AppConfig.ready()."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

# Sets `source_label` ("Source: leeds.pdf, page 12, paragraph 1.10", or "") on each record.
SourceLabeller = Callable[[list[Any]], None]
SOURCE_LABELLERS: list[SourceLabeller] = []


def register_source_labeller(labeller: SourceLabeller) -> SourceLabeller:
    if labeller not in SOURCE_LABELLERS:
        SOURCE_LABELLERS.append(labeller)
    return labeller


def attach_sources(records: Iterable[Any]) -> None:
    """Set `source_label` on each record (None skipped), in a fixed number of queries."""
    found = [record for record in records if record is not None]
    for labeller in SOURCE_LABELLERS:
        labeller(found)
