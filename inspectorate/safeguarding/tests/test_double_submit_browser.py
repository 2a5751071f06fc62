"""Finding 6 in a real browser: the alert form sent twice at once (a double click, a retry on
a bad connection) raises one alert, and both requests are answered with its page."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from playwright.sync_api import Browser

from conftest import TEST_PASSWORD
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.safeguarding.constants import EntryKind
from inspectorate.safeguarding.models import Alert, AlertEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEND_TWICE = """async (button) => {
    const form = button.form;
    const send = () => fetch(form.action, {method: "POST", body: new FormData(form)});
    const answers = await Promise.all([send(), send()]);
    return answers.map((answer) => [answer.status, new URL(answer.url).pathname]);
}"""


def test_the_alert_form_sent_twice_at_once_raises_one_alert(
    browser: Browser, live_server: Any
) -> None:
    base = live_server.url
    with time_machine.travel(h.NOON):
        event = h.full_inspection()
        h.team_leader(event)
        inspector = h.team_inspector(event)
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{base}/sign-in/")
        page.get_by_label("Username").fill(inspector.username)
        page.get_by_label("Password").fill(TEST_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{base}/dashboard/")
        page.goto(f"{base}/alerts/events/{event.pk}/raise/")
        page.get_by_label("Safeguarding: a child or vulnerable adult").check()
        page.get_by_label("What did you see or hear?").fill("Bruising seen on a young adult.")
        answers = page.get_by_role("button", name="Raise the alert now").evaluate(SEND_TWICE)
        context.close()
        alert = Alert.objects.get()
        assert answers == [[200, f"/alerts/{alert.pk}/"]] * 2
        assert AlertEntry.objects.filter(alert=alert, kind=EntryKind.NOTIFIED).count() == 1
