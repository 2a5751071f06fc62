"""The demo's clock: each step of the demo happened on its own day, not when it was loaded.

The services write `timezone.now()`; the demo runs them in a block that then dates what they
wrote (the notifications, and the record's own time stamps the caller names) at the time of
the thing they report, so the demo reads as a real history.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time

from django.db.models import Max
from django.utils import timezone

from inspectorate.programme.models import Notification


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    """`day` at `hour`:`minute` in the service's time zone, and never later than now."""
    moment = timezone.make_aware(datetime.combine(day, time(hour, minute)))
    return min(moment, timezone.now())


@contextmanager
def happened_at(moment: datetime) -> Iterator[datetime]:
    """Date every notification written inside the block at `moment`."""
    last = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
    yield moment
    Notification.objects.filter(pk__gt=last).update(created_at=moment)
