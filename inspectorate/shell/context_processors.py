from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from inspectorate.shell.navigation import navigation_for


def service(request: HttpRequest) -> dict[str, Any]:
    """Service name, phase and the signed-in user's navigation, for the base template."""
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "service_name": settings.SERVICE_NAME,
        "service_phase": settings.SERVICE_PHASE,
        "navigation": navigation_for(user, request.path) if signed_in else [],
    }
