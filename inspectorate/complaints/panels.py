"""What the complaints add to lower apps' pages (inspectorate.lib.contributions): the
responses due on the deadlines dashboard. Imported by the app's ready()."""

from __future__ import annotations

from datetime import date
from typing import Any

from inspectorate.complaints.selectors import responses_due
from inspectorate.programme.pages import deadlines_page


@deadlines_page.register
def complaint_responses_due(user: Any, by: date) -> dict[str, Any]:
    """CP-1: the complaint responses the user answers for, due by `by`."""
    return {"complaint_responses_due": responses_due(user, by=by)}
