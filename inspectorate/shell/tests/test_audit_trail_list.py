"""The audit trail's views of confidential records: every one kept, filtered by person and
record and paged, not only the latest fifty (DP-1)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inspectorate.accounts.roles import Role
from inspectorate.audit.models import AccessEvent
from inspectorate.lib import listing

pytestmark = pytest.mark.django_db

URL = reverse("shell:audit-trail")


def viewed(label: str, record: str) -> None:
    AccessEvent.objects.create(
        actor_label=label, record_type="programme.event", record_id="1", record_label=record
    )


@pytest.mark.rule("DP-1")
def test_views_are_filtered_by_person_and_record_and_paged(client, make_user, monkeypatch) -> None:
    for number in range(3):
        viewed("Priya Shah", f"Full inspection of HMP Leeds {number}")
    viewed("Martin Lomax", "Full inspection of HMP Belmarsh")
    client.force_login(make_user(Role.QUALITY_ASSURANCE))
    page = client.get(URL, {"person": "lomax"})
    assert "Matching the filters: 1 view." in page.text
    assert "HMP Belmarsh" in page.text
    assert "HMP Leeds" not in page.text
    page = client.get(URL, {"record": "Leeds"})
    assert "Matching the filters: 3 views." in page.text

    monkeypatch.setattr(listing, "PER_PAGE", 2)
    first = client.get(URL, {"person": "Priya"})
    assert "page 1 of 2" in first.text
    assert 'href="?person=Priya&amp;page=2#views"' in first.text
    last = client.get(URL, {"person": "Priya", "page": "2"})
    assert "Full inspection of HMP Leeds 0" in last.text  # the oldest, on the last page
    assert "Full inspection of HMP Leeds 0" not in first.text

    bad = client.get(URL, {"person": "x" * 101})
    assert bad.status_code == 200
    assert "The person must be 100 characters or fewer" in bad.text
