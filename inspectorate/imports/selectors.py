"""Reads of imported sources: where a record came from (HI-2)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q

from inspectorate.imports.models import SourceLink


def attach_sources(records: Iterable[Model]) -> None:
    """Set `source_label` ("Source: leeds.pdf, page 12, paragraph 1.10", or "") on each
    record, from its newest source document: one query, whatever the number of records."""
    found = [record for record in records if record is not None]
    by_type: dict[int, list[Any]] = {}
    for record in found:
        record.source_label = ""  # type: ignore[attr-defined]
        content_type = ContentType.objects.get_for_model(record)
        by_type.setdefault(content_type.pk, []).append(record.pk)
    if not by_type:
        return
    condition = Q(pk__in=[])
    for content_type_id, ids in by_type.items():
        condition |= Q(content_type_id=content_type_id, object_id__in=ids)
    labels: dict[tuple[int, int], str] = {}
    links = SourceLink.objects.filter(condition).select_related("document")
    for link in links.order_by("document__imported_at", "pk"):
        labels[(link.content_type_id, link.object_id)] = link.label  # the newest wins
    for record in found:
        key = (ContentType.objects.get_for_model(record).pk, record.pk)
        record.source_label = labels.get(key, "")  # type: ignore[attr-defined]
