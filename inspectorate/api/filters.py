"""Pagination, filtering and ordering of every API list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from rest_framework.filters import BaseFilterBackend, OrderingFilter
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request


class Pages(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


@dataclass(frozen=True)
class Filter:
    """A query parameter that narrows a list: `lookup` gets the parsed value."""

    lookup: str | Callable[[Any], Q]
    kind: type = str
    description: str = ""


def _parse(kind: type, raw: str) -> Any:
    if "\x00" in raw:  # PostgreSQL refuses NUL in text: a bad value, not a server error
        raise ValueError(raw)
    if kind is int:
        return int(raw)
    if kind is date:
        return date.fromisoformat(raw)
    if kind is bool:
        if raw.lower() not in {"true", "false", "1", "0"}:
            raise ValueError(raw)
        return raw.lower() in {"true", "1"}
    return raw


_KIND_WORDS = {
    int: "a whole number",
    date: "a date, YYYY-MM-DD",
    bool: "true or false",
    str: "text without NUL characters",
}
_SCHEMA_TYPES = {int: "integer", date: "string", bool: "boolean", str: "string"}


class QueryFilters(BaseFilterBackend):
    """Each view's `query_filters`, checked and applied; a bad value is a 400 naming it."""

    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: Any) -> Any:
        problems: dict[str, str] = {}
        for name, spec in getattr(view, "query_filters", {}).items():
            raw = request.query_params.get(name, "")
            if raw == "":
                continue
            try:
                value = _parse(spec.kind, raw)
            except ValueError:
                problems[name] = f"{name} must be {_KIND_WORDS.get(spec.kind, 'text')}"
                continue
            condition = spec.lookup(value) if callable(spec.lookup) else Q(**{spec.lookup: value})
            queryset = queryset.filter(condition)
        if problems:
            raise ValidationError(problems)
        return queryset

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = []
        for name, spec in getattr(view, "query_filters", {}).items():
            schema: dict[str, Any] = {"type": _SCHEMA_TYPES.get(spec.kind, "string")}
            if spec.kind is date:
                schema["format"] = "date"
            parameters.append(
                {
                    "name": name,
                    "required": False,
                    "in": "query",
                    "description": spec.description or f"Only those with this {name}.",
                    "schema": schema,
                }
            )
        return parameters


class StableOrdering(OrderingFilter):
    """Ordering by the allowed fields, then by id, so pages never overlap."""

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: Any) -> list[str]:
        ordering = list(super().get_ordering(request, queryset, view) or [])
        return [*ordering, "pk"]
