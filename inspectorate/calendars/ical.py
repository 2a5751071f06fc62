"""The iCalendar pieces every feed shares (RFC 5545): the Europe/London time zone with its
daylight-saving rules, and the fields that make a calendar program update an event in place
rather than add a copy — a stable UID, a SEQUENCE that grows with every change, the DTSTAMP of
the last change, and STATUS:CANCELLED for a cancelled event (which a program then strikes out
or removes, instead of keeping a stale entry)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Timezone, TimezoneDaylight, TimezoneStandard
from icalendar import Event as CalendarEvent

LONDON_TZID = "Europe/London"
LONDON = ZoneInfo(LONDON_TZID)
PRODID = "-//HM Inspectorate of Prisons and Ofsted//Inspectorate//EN"


def london_timezone() -> Timezone:
    """Europe/London as the UK has kept it since 1996 (the EU rule): BST from 01:00 GMT on
    the last Sunday of March to 01:00 GMT (02:00 BST) on the last Sunday of October. Every
    date a feed carries is after 1996, so the two yearly rules describe them all."""
    zone = Timezone()
    zone.add("tzid", LONDON_TZID)
    zone.add("x-lic-location", LONDON_TZID)
    # From a last Sunday of March, and of October.
    zone.add_component(_yearly(TimezoneDaylight(), "BST", 0, 1, datetime(1981, 3, 29, 1, 0)))
    zone.add_component(_yearly(TimezoneStandard(), "GMT", 1, 0, datetime(1996, 10, 27, 2, 0)))
    return zone


def _yearly(
    part: TimezoneDaylight | TimezoneStandard,
    name: str,
    hours_from: int,
    hours_to: int,
    start: datetime,
) -> TimezoneDaylight | TimezoneStandard:
    """`part` of the zone: `name`, UTC+`hours_to` (from +`hours_from`) from `start`'s time on
    the last Sunday of `start`'s month, every year."""
    part.add("tzname", name)
    part.add("tzoffsetfrom", timedelta(hours=hours_from))
    part.add("tzoffsetto", timedelta(hours=hours_to))
    part.add("dtstart", start)
    part.add("rrule", {"freq": "yearly", "bymonth": start.month, "byday": "-1SU"})
    return part


def new_calendar(name: str) -> Calendar:
    """An empty feed named `name`, with the time zone its timed events refer to."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", LONDON_TZID)
    calendar.add_component(london_timezone())
    return calendar


def london(day: date, at: time) -> datetime:
    """`at` on `day` as a clock in London reads it (written with TZID=Europe/London)."""
    return datetime.combine(day, at, tzinfo=LONDON)


def new_event(
    *, uid: str, changed_at: datetime | None, sequence: int, cancelled: bool
) -> CalendarEvent:
    """A VEVENT with the fields a calendar program matches and updates by."""
    item = CalendarEvent()
    item.add("uid", uid)
    stamp = (changed_at or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    item.add("dtstamp", stamp)
    item.add("last-modified", stamp)
    item.add("sequence", max(sequence, 0))
    item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    item.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    return item


def all_day(item: CalendarEvent, first: date, last: date) -> None:
    """DATE values: from `first` to `last` inclusive (DTEND is exclusive, the day after)."""
    item.add("dtstart", first)
    item.add("dtend", last + timedelta(days=1))
