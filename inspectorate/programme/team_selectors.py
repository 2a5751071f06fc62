"""Reads about event teams."""

from __future__ import annotations

from typing import Any

from inspectorate.programme.models import Event, TeamMember


def team_panel_context(event: Event, user: Any) -> dict[str, Any]:
    """What the event page's team panel shows (templates/programme/includes/team_panel.html)."""
    members = TeamMember.objects.filter(event=event).select_related("inspector")
    return {"team_members": list(members)}
