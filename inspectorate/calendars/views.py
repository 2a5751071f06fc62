"""The user's calendar feed: a page to issue or revoke its private URL, and the feed itself,
which calendar programs fetch with the token alone (no sign-in)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from inspectorate.calendars import selectors, services
from inspectorate.calendars.models import CalendarToken

TOKEN_SESSION_KEY = "calendar_feed_token"  # shown once, right after it is issued


@require_http_methods(["GET", "POST"])
def feed_settings(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    services.feed_require_user(user)
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.feed_revoke(actor=user)
            messages.success(request, "The feed address no longer works.")
        else:
            token = services.feed_issue(actor=user)
            request.session[TOKEN_SESSION_KEY] = token
            messages.success(request, "A new feed address is ready; any old one stopped working.")
        return redirect("calendars:settings")
    token = request.session.pop(TOKEN_SESSION_KEY, "")
    context = {
        "feed_url": request.build_absolute_uri(reverse("calendars:feed", kwargs={"token": token}))
        if token
        else "",
        "has_feed": CalendarToken.objects.filter(user=user, revoked_at__isnull=True).exists(),
    }
    return render(request, "calendars/settings.html", context)


@login_not_required
@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    owner = selectors.feed_owner(token)
    if owner is None:
        raise Http404("No such calendar.")
    base = f"{request.scheme}://{request.get_host()}"
    response = HttpResponse(selectors.feed_ics(owner, base), content_type="text/calendar")
    response["Content-Disposition"] = 'inline; filename="inspectorate.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
