from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from inspectorate.programme.selectors import unread_count
from inspectorate.shell.navigation import navigation_for


def service(request: HttpRequest) -> dict[str, Any]:
    """Service name, phase, the signed-in user's navigation and unread notifications, for the
    base template."""
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "service_name": settings.SERVICE_NAME,
        "service_phase": settings.SERVICE_PHASE,
        "navigation": navigation_for(user, request.path) if signed_in else [],
        "unread_notifications": unread_count(user) if signed_in else 0,
        # Milestones this session marked met: their marker may undo them at once.
        "milestone_undo_ids": getattr(request, "session", {}).get("milestone_undo", []),
    }
