"""Search across establishments, events, reports and people, each through its `visible_to`.

PostgreSQL full-text search with the 'simple' configuration (names are not stemmed: 'Leeds'
must not match 'Lee'), every word of the query a prefix ('penton' finds Pentonville), all
words required. A record the user may not see is never counted or shown: the unannounced
programme, drafts and people's records stay where they are (PG-3).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db.models import QuerySet
from django.urls import reverse

from inspectorate.estate.models import Establishment
from inspectorate.inspectors.models import Inspector
from inspectorate.lib.wording import lower_first
from inspectorate.programme.models import Event
from inspectorate.reports.models import Report

PER_KIND = 10
MAX_WORDS = 8
MAX_QUERY = 200
WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Hit:
    title: str
    detail: str
    url: str


@dataclass(frozen=True)
class Group:
    heading: str
    hits: tuple[Hit, ...]
    more: bool  # more than PER_KIND matched


def query_words(text: str) -> list[str]:
    """The words of a query (letters and digits only), at most MAX_WORDS of them."""
    return WORD.findall(text[:MAX_QUERY].lower())[:MAX_WORDS]


def _tsquery(words: list[str]) -> SearchQuery:
    # Raw tsquery: each word is letters and digits only (query_words), so nothing the user
    # typed can be tsquery syntax.
    return SearchQuery(
        " & ".join(f"{word}:*" for word in words), config="simple", search_type="raw"
    )


def _matching(queryset: QuerySet[Any], fields: tuple[str, ...], words: list[str]) -> list[Any]:
    vector = SearchVector(*fields, config="simple")
    query = _tsquery(words)
    return list(
        queryset.annotate(search=vector, rank=SearchRank(vector, query))
        .filter(search=query)
        .order_by("-rank", "pk")[: PER_KIND + 1]
    )


def _group(heading: str, hits: list[Hit]) -> Group:
    return Group(heading, tuple(hits[:PER_KIND]), more=len(hits) > PER_KIND)


def _establishments(user: Any, words: list[str]) -> Group:
    found = _matching(Establishment.objects.visible_to(user), ("name", "code"), words)
    return _group(
        "Establishments",
        [
            Hit(e.name, e.code, reverse("estate:establishment-detail", kwargs={"code": e.code}))
            for e in found
        ],
    )


def _event_hit(event: Event) -> Hit:
    dates = f"{event.starts_on:%-d %B %Y} to {event.ends_on:%-d %B %Y}"
    return Hit(
        f"{event.get_kind_display()}: {event.establishment.name}",
        f"{dates} ({lower_first(str(event.state().label))})",
        reverse("programme:event-detail", kwargs={"pk": event.pk}),
    )


def _events(user: Any, words: list[str]) -> tuple[Group, list[Event]]:
    found = _matching(
        Event.objects.visible_to(user).select_related("establishment"),
        ("establishment__name", "establishment__code"),
        words,
    )[: PER_KIND + 1]
    return _group("Events", [_event_hit(e) for e in found]), found[:PER_KIND]


def _reports(user: Any, words: list[str]) -> Group:
    found = _matching(
        Report.objects.visible_to(user).select_related("event__establishment"),
        ("event__establishment__name", "event__establishment__code"),
        words,
    )
    return _group(
        "Reports",
        [
            Hit(
                f"{r.get_kind_display()}: {r.event.establishment.name}",
                r.stage_label,
                reverse("reports:detail", kwargs={"pk": r.pk}),
            )
            for r in found
        ],
    )


def _people(user: Any, words: list[str]) -> Group:
    found = _matching(Inspector.objects.visible_to(user), ("name",), words)
    return _group(
        "Inspectors",
        [
            Hit(i.name, i.get_grade_display(), reverse("inspectors:detail", kwargs={"pk": i.pk}))
            for i in found
        ],
    )


@dataclass(frozen=True)
class Results:
    groups: tuple[Group, ...]
    events_shown: tuple[Event, ...]  # for logging the confidential ones read (PG-3)


def search(user: Any, text: str) -> Results:
    """What `user` may see that matches `text`, by kind; nothing for a query with no words."""
    words = query_words(text)
    if not words:
        return Results((), ())
    events, shown = _events(user, words)
    groups = [
        _establishments(user, words),
        events,
        _reports(user, words),
        _people(user, words),
    ]
    return Results(tuple(group for group in groups if group.hits), tuple(shown))
