"""What the inspection record adds to lower apps' pages (inspectorate.lib.contributions):
the recommendation chain on the establishment page, the tabs on an event's overview.
Imported by the app's ready()."""

from __future__ import annotations

from typing import Any

from inspectorate.estate.pages import establishment_page
from inspectorate.inspections.findings.selectors import recommendation_chain_context
from inspectorate.inspections.tabs import event_tabs
from inspectorate.programme.models import Event
from inspectorate.programme.pages import event_page

establishment_page.register(recommendation_chain_context)


@event_page.register
def overview_tabs(event: Event, user: Any) -> dict[str, Any]:
    """The tab bar of the event's overview, with the overview marked."""
    return event_tabs(event, user, "overview")
