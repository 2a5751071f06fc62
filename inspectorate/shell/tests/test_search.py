"""Search across establishments, events, reports and inspectors: prefixes of names, every
word required, nothing a user may not see (PG-3), and no query text as tsquery syntax."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from inspectorate.accounts.roles import Role
from inspectorate.audit.models import AccessEvent
from inspectorate.programme.tests.test_team_helpers import (
    make_establishment,
    make_event,
    make_inspector,
)
from inspectorate.shell.search import PER_KIND, query_words, search

pytestmark = pytest.mark.django_db

TODAY = date(2027, 3, 1)


@pytest.fixture
def places():
    pentonville = make_establishment("PN", "HMP/YOI Pentonville", region="london")
    leeds = make_establishment("LE", "HMP Leeds", region="yorkshire")
    unannounced = make_event(pentonville, starts_on=date(2027, 6, 7))
    make_inspector("Penelope Pitstop")
    return pentonville, leeds, unannounced


def titles(results) -> dict[str, list[str]]:
    return {group.heading: [hit.title for hit in group.hits] for group in results.groups}


@time_machine.travel(TODAY)
def test_a_prefix_of_a_name_finds_the_establishment_its_events_and_people(make_user, places):
    coordinator = make_user(Role.HMIP_COORDINATOR)
    found = titles(search(coordinator, "penton"))
    assert found["Establishments"] == ["HMP/YOI Pentonville"]
    assert found["Events"] == ["Full inspection: HMP/YOI Pentonville"]
    assert "Inspectors" not in found  # 'Penelope' does not start with 'penton'
    assert titles(search(coordinator, "pen"))["Inspectors"] == ["Penelope Pitstop"]


@time_machine.travel(TODAY)
def test_every_word_must_match(make_user, places):
    coordinator = make_user(Role.HMIP_COORDINATOR)
    assert titles(search(coordinator, "HMP Leeds"))["Establishments"] == ["HMP Leeds"]
    assert search(coordinator, "Leeds Pentonville").groups == ()


@pytest.mark.rule("PG-3")
@time_machine.travel(TODAY)
def test_the_unannounced_programme_and_people_stay_hidden(make_user, places):
    pentonville, _, _ = places
    governor = make_user(Role.ESTABLISHMENT_USER, establishment=pentonville)
    found = titles(search(governor, "pen"))
    assert "Events" not in found  # its own unannounced inspection: not before the notice
    assert "Inspectors" not in found  # inspectors' records are for staff
    inspector = make_user(Role.HMIP_INSPECTOR)
    assert "Events" not in titles(search(inspector, "penton"))


@pytest.mark.rule("PG-3")
@time_machine.travel(TODAY)
def test_the_search_page_logs_the_confidential_events_it_shows(client, make_user, places):
    _, _, unannounced = places
    client.force_login(make_user(Role.HMIP_COORDINATOR))
    page = client.get(reverse("shell:search"), {"q": "Pentonville"})
    assert page.status_code == 200
    assert reverse("programme:event-detail", kwargs={"pk": unannounced.pk}) in page.text
    assert "7 June 2027 to 18 June 2027 (unannounced)" in page.text
    assert AccessEvent.objects.filter(record_id=str(unannounced.pk)).exists()


@pytest.mark.parametrize(
    "text",
    [
        "penton:* | !x",
        "'); DROP TABLE x; --",
        "<script>alert(1)</script>",
        "a\x00b",
        "&|!():*",
        "x" * 5000,
    ],
)
@time_machine.travel(TODAY)
def test_query_text_is_never_tsquery_syntax_or_markup(client, make_user, places, text):
    client.force_login(make_user(Role.HMIP_COORDINATOR))
    page = client.get(reverse("shell:search"), {"q": text})
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text
    assert all(word.isalnum() for word in query_words(text))


def test_an_empty_query_shows_the_form_only(client, make_user):
    client.force_login(make_user(Role.HMIP_COORDINATOR))
    page = client.get(reverse("shell:search"), {"q": "  "})
    assert page.status_code == 200
    assert "Nothing you may see matches" not in page.text


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("shell:search"), {"q": "leeds"})
    assert response.status_code == 302
    assert "sign-in" in response["Location"]


@time_machine.travel(TODAY)
def test_many_matches_are_cut_to_a_page_and_the_page_says_so(client, make_user):
    for number in range(PER_KIND + 2):
        make_establishment(f"Z{number}", f"HMP Zeta {number}")
    client.force_login(make_user(Role.HMIP_COORDINATOR))
    page = client.get(reverse("shell:search"), {"q": "zeta"})
    assert page.text.count("HMP Zeta") == PER_KIND
    assert f"Only the first {PER_KIND} are shown" in page.text
