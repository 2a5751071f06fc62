"""The README's calendar feed example works as documented."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings

from inspectorate.accounts.roles import Role
from inspectorate.calendars import services
from inspectorate.programme.constants import TeamRole
from inspectorate.programme.tests.test_milestone_helpers import (
    make_establishment,
    make_event,
    put_on_team,
)

pytestmark = pytest.mark.django_db

README = Path(settings.BASE_DIR) / "README.md"


def documented_feed_path() -> str:
    text = README.read_text()
    section = text.split("## Calendar feeds", 1)[1].split("\n## ", 1)[0]
    (url,) = re.findall(r"curl -s (\S+)", section)
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


@pytest.mark.rule("PG-3")
def test_the_documented_feed_answers_and_stops_when_revoked(client, make_user) -> None:
    inspector = make_user(Role.HMIP_INSPECTOR)
    event = make_event(make_establishment("LE", "HMP Leeds"), starts_on=date(2027, 1, 11))
    put_on_team(event, inspector, TeamRole.INSPECTOR)
    token = services.feed_issue(actor=inspector)
    path = documented_feed_path().replace("TOKEN", token)

    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR")
    assert "BEGIN:VEVENT" in body
    assert "HMP Leeds" in body

    services.feed_revoke(actor=inspector)
    assert client.get(path).status_code == 404
