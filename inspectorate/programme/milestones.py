"""Deadlines as data: milestone rules, the engine that dates them, and reads of milestones."""

from __future__ import annotations

from typing import Any

from inspectorate.programme.models import Event, Milestone


def milestone_panel_context(event: Event, user: Any) -> dict[str, Any]:
    """What the event page's milestones panel shows (includes/milestones_panel.html)."""
    return {"milestones": list(Milestone.objects.filter(event=event).order_by("due_on"))}
