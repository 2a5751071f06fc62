"""The programme's entries in an establishment's inspection history: its events, as far as
the user may see them (PG-3)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import reverse

from inspectorate.estate.models import Establishment
from inspectorate.estate.selectors import TimelineEvent, register_timeline_source
from inspectorate.programme.models import Event
from inspectorate.programme.selectors import confidential_reads_record


@register_timeline_source
def programme_events(establishment: Establishment, user: Any) -> Iterator[TimelineEvent]:
    """The establishment's events `user` may see, in one query (and one more logging the
    confidential ones shown)."""
    events = list(
        Event.objects.visible_to(user)
        .filter(establishment=establishment)
        .select_related("programme")
    )
    page = reverse("estate:establishment-detail", kwargs={"code": establishment.code})
    confidential_reads_record(user=user, events=events, path=page)
    for event in events:
        yield TimelineEvent(
            on=event.starts_on,
            title=event.get_kind_display(),
            description=f"{event.starts_on:%-d %B %Y} to {event.ends_on:%-d %B %Y}, "
            f"programme {event.programme.label}",
            url=reverse("programme:event-detail", kwargs={"pk": event.pk}),
            tag=event.state().label,
        )
