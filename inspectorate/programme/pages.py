"""What higher apps add to the programme's pages (see inspectorate.lib.contributions): the
inspections app the event's tabs, the improvement app its re-inspections and letters due,
the complaints app the responses due."""

from __future__ import annotations

from datetime import date
from typing import Any

from inspectorate.lib.contributions import PageContributions
from inspectorate.programme.models import Event, Programme

# Called with (programme, user).
programme_page: PageContributions[[Programme, Any]] = PageContributions("programme:detail")
# Called with (event, user).
event_page: PageContributions[[Event, Any]] = PageContributions("programme:event-detail")
# Called with (user, by): the deadlines kept outside the programme's events, due by `by`.
deadlines_page: PageContributions[[Any, date]] = PageContributions("programme:milestone-dashboard")
