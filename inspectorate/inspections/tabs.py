"""The tabs across an event's pages: the programme's overview, then the inspection record.

Each tab names who sees it; a view renders `inspections/event_base.html` with
`event_tabs(event, user, current)` in its context.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from inspectorate.inspections.rules import is_on_event_team
from inspectorate.programme.constants import EventKind
from inspectorate.programme.models import Event


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    url_name: str
    shown: Callable[[Any, Event], bool]

    def href(self, event: Event) -> str:
        if self.url_name == "programme:event-detail":
            return reverse(self.url_name, kwargs={"pk": event.pk})
        return reverse(self.url_name, kwargs={"event_pk": event.pk})


def _always(user: Any, event: Event) -> bool:
    return True


def _fieldwork(user: Any, event: Event) -> bool:
    return bool(user.has_perm("inspections.see_fieldwork", event))


def _findings(user: Any, event: Event) -> bool:
    return bool(user.has_perm("inspections.see_findings", event))


def _irp_follow_up(user: Any, event: Event) -> bool:
    return event.kind == EventKind.IRP


def _reports(user: Any, event: Event) -> bool:
    return bool(user.has_perm("reports.see_report_tab", event))


TABS: tuple[Tab, ...] = (
    Tab("overview", "Overview", "programme:event-detail", _always),
    Tab("briefing", "Briefing", "inspections:briefing", _fieldwork),
    Tab("evidence", "Evidence", "inspections:evidence-list", _fieldwork),
    Tab("observations", "Observations", "inspections:observation-list", _fieldwork),
    Tab("meetings", "Meetings", "inspections:meeting-list", _fieldwork),
    Tab("judgements", "Judgements", "inspections:judgements", _findings),
    Tab("findings", "Concerns and recommendations", "inspections:findings", _findings),
    Tab("follow-up", "Follow-up", "inspections:follow-ups", _irp_follow_up),
    Tab("report", "Report", "reports:event-reports", _reports),
)


def event_tabs(event: Event, user: Any, current: str) -> dict[str, Any]:
    """Context for the tab bar: the tabs `user` may open, with `current` marked. Only the
    overview when the user sees nothing of the inspection record."""
    fieldwork = _fieldwork(user, event)
    findings = fieldwork or _findings(user, event)
    answered: dict[Callable[[Any, Event], bool], bool] = {
        _fieldwork: fieldwork,  # each asked once
        _findings: findings,
    }
    tabs = [
        {"label": tab.label, "href": tab.href(event), "current": tab.key == current}
        for tab in TABS
        if answered.get(tab.shown) or (tab.shown not in answered and tab.shown(user, event))
    ]
    return {
        "event_tabs": tabs if len(tabs) > 1 else [],
        "on_event_team": bool(is_on_event_team(user, event)),  # may raise an alert (SG-1)
        "may_see_fieldwork": fieldwork,
        "may_see_findings": findings,
    }
