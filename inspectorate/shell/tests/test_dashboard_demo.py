"""Each demo role's dashboard, as the demo stands on Monday 7 December 2026: the items its
worklists show, read from the page, and the empty sentences only where nothing waits."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from inspectorate.accounts.models import User

pytestmark = pytest.mark.django_db

DEMO_DAY = datetime(2026, 12, 7, 10, 0, tzinfo=ZoneInfo("Europe/London"))

# For each demo account: what its page must say (items, next steps, due dates), and the
# empty sentences it must not (work waits) or must (nothing waits).
EXPECTED: dict[str, dict[str, list[str]]] = {
    "coordinator": {
        "shows": [
            "Annual programmes to finish",
            "Programme 2027 to 2028",  # PG-1: produced this December, not yet drafted
            "Draft it and open it to consultation (PG-14)",
            "Thu 31 Dec 2026",
        ],
        "hides": ["Every annual programme is confirmed"],
    },
    "teamleader": {
        "shows": [
            "Briefing",
            "Independent review of progress of HMP Leeds",
            "Hold the pre-inspection briefing (IN-1)",
            "Fri 8 Jan 2027",
            "On site",
            "Full inspection of HMP Highpoint",
            "Record evidence and provisional judgements; on site to 11 December",
        ],
        "hides": ["You are not team leader of any inspection in progress."],
    },
    "inspector": {
        "shows": [
            "Full inspection of HMP Highpoint",
            "Inspector, 30 November to 11 December 2026",
            "Full inspection of HMP/YOI Wormwood Scrubs",
        ],
        "hides": ["You are on no team this month or next."],
    },
    "scheduler": {
        "shows": ["Every coming event with Ofsted has its Ofsted lead and inspectors."],
    },
    "ofstedlead": {
        "shows": [
            "Full inspection of HMP/YOI Thameside",
            "Judgements to moderate",
            "Independent review of progress of HMP/YOI Exeter",
            "Fri 11 Dec 2026",
        ],
        "hides": ["You are not Ofsted lead of any inspection in progress."],
    },
    "ofstedinspector": {"shows": ["You are on no team this month or next."]},
    "improvement": {
        "shows": [
            "HMP/YOI Pentonville",
            "No visit planned: arrange the next one",
            "No support and challenge letter is due from you.",
        ],
        "hides": ["You hold no open improvement case."],
    },
    "qa": {"shows": ["No report is waiting for quality assurance."]},
    "governor": {
        "shows": [
            "Independent review of progress of HMP Leeds",
            "Announced 5 October 2026; prepare for the visit",
            "No report is open for your factual-accuracy check.",
        ],
        "hides": ["No visit to your establishment is announced."],
    },
    "pentonville": {
        "shows": [
            "Ofsted findings for purposeful activity: HMP/YOI Pentonville",
            "Check the draft and send any factual corrections",
            "No visit to your establishment is announced.",
        ],
        "hides": ["No report is open for your factual-accuracy check."],
    },
    "admin": {"shows": ["Manage accounts and roles in Administration"]},
}


def test_each_demo_role_sees_its_work(client: Any) -> None:
    with time_machine.travel(DEMO_DAY, tick=True):
        call_command("load_demo", verbosity=0)
        for username, expected in EXPECTED.items():
            client.force_login(User.objects.get(username=username))
            page = client.get(reverse("shell:dashboard")).content.decode()
            for text in expected.get("shows", []):
                assert text in page, (username, text)
            for text in expected.get("hides", []):
                assert text not in page, (username, text)
