"""Sign-in limits: who the client really is behind the proxy, and three limits on wrong passwords.

django-axes records every failed sign-in as (username, client address, user agent) with a
count and the time of the latest failure; this module reads the rows of the last
SIGN_IN_WINDOW three ways (see the settings comment "Sign-in limits" for the reasons):

- the username from one client: SIGN_IN_FAILURE_LIMIT failures pause it for SIGN_IN_PAUSE;
- the username from any client: from SIGN_IN_ACCOUNT_DELAY_AFTER failures each further
  attempt waits a delay doubling from SIGN_IN_ACCOUNT_DELAY_FIRST up to SIGN_IN_ACCOUNT_DELAY_MAX
  after the latest failure, so a stranger can slow a named account but never lock it for long;
- one client across usernames: SIGN_IN_CLIENT_FAILURE_LIMIT failures (password spraying) pause
  that client for SIGN_IN_PAUSE.

A username that does not exist is counted and answered exactly as one that does.
"""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def client_address(request: HttpRequest) -> str:
    """The address of the client, not of our own proxies.

    With INSPECTORATE_TRUSTED_PROXY_COUNT = n, the last n hops (REMOTE_ADDR and the
    rightmost X-Forwarded-For entries) are our proxies, and the entry before them is the
    client: the rightmost address no proxy of ours vouches for. Entries further left were
    written by the client and are never used. With n = 0 the header is ignored.
    """
    remote = request.META.get("REMOTE_ADDR", "") or "0.0.0.0"
    proxies = settings.INSPECTORATE_TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()] + [remote]
    if len(hops) <= proxies:
        return remote  # reached us without passing through every proxy of ours
    candidate = hops[-(proxies + 1)]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


@dataclass(frozen=True)
class Lock:
    """Why sign-in is paused for this request, and until when."""

    reason: str  # "account_client", "account" or "client"
    until: datetime


def _failures(attempts: QuerySet[AccessAttempt]) -> tuple[int, datetime | None]:
    totals = attempts.aggregate(count=Sum("failures_since_start"), latest=Max("attempt_time"))
    return totals["count"] or 0, totals["latest"]


def account_delay(failures: int) -> timedelta:
    """How long the username waits after its latest failure, counted from any client."""
    if failures < settings.SIGN_IN_ACCOUNT_DELAY_AFTER:
        return timedelta(0)
    doublings = min(failures - settings.SIGN_IN_ACCOUNT_DELAY_AFTER, 16)
    delay: timedelta = settings.SIGN_IN_ACCOUNT_DELAY_FIRST * 2**doublings
    return min(delay, settings.SIGN_IN_ACCOUNT_DELAY_MAX)


def current_lock(username: str | None, address: str) -> Lock | None:
    """The lock that holds longest for this username from this client now, if any."""
    now = timezone.now()
    pause: timedelta = settings.SIGN_IN_PAUSE
    recent = AccessAttempt.objects.filter(attempt_time__gte=now - settings.SIGN_IN_WINDOW)
    locks: list[Lock] = []
    count, latest = _failures(recent.filter(username=username, ip_address=address))
    if latest and count >= settings.SIGN_IN_FAILURE_LIMIT:
        locks.append(Lock("account_client", latest + pause))
    count, latest = _failures(recent.filter(ip_address=address))
    if latest and count >= settings.SIGN_IN_CLIENT_FAILURE_LIMIT:
        locks.append(Lock("client", latest + pause))
    count, latest = _failures(recent.filter(username=username))
    if latest and latest + account_delay(count) > now:
        locks.append(Lock("account", latest + account_delay(count)))
    live = [lock for lock in locks if lock.until > now]
    return max(live, key=lambda lock: lock.until) if live else None


class SignInLimitsHandler(AxesDatabaseHandler):
    """Axes' database handler, locking by the three limits above instead of one."""

    def is_locked(self, request: Any, credentials: dict[str, Any] | None = None) -> bool:
        username = get_client_username(request, credentials)
        return current_lock(username, request.axes_ip_address) is not None


def clock_time(moment: datetime) -> str:
    """9:05am, rounded up to the minute so that the pause is over by then."""
    local = timezone.localtime(moment)
    if local.second or local.microsecond:
        local += timedelta(minutes=1)
    return f"{local:%-I:%M}{local:%p}".lower()


def lockout_response(
    request: Any, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """The page shown when sign-in is paused: what happened and when to try again."""
    username = get_client_username(request, credentials)
    lock = current_lock(username, request.axes_ip_address) or Lock(
        "account_client", timezone.now() + settings.SIGN_IN_PAUSE
    )
    minutes = max(1, math.ceil((lock.until - timezone.now()).total_seconds() / 60))
    context = {"reason": lock.reason, "try_after": clock_time(lock.until), "minutes": minutes}
    return render(request, "accounts/locked_out.html", context, status=429)
