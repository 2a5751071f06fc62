"""Two people editing the same evidence form at once: the second save is refused
(StaleVersion), the first is kept, and the second person gets their text back."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from inspectorate.inspections.constants import EvidenceSource
from inspectorate.inspections.fieldwork import services
from inspectorate.inspections.models import EvidenceForm
from inspectorate.inspections.tests.fieldwork_helpers import (
    aspect,
    load_frameworks,
    make_team_event,
    on,
    write_evidence,
)
from inspectorate.lib.versions import StaleVersion


@pytest.fixture(autouse=True)
def _today():
    with on():
        yield


def _edit_data(form: EvidenceForm, text: str, version: int) -> dict[str, str]:
    return {
        "aspect": str(form.aspect_id),
        "source": form.source,
        "evidence_on_day": str(form.evidence_on.day),
        "evidence_on_month": str(form.evidence_on.month),
        "evidence_on_year": str(form.evidence_on.year),
        "observation": "",
        "text": text,
        "version": str(version),
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.rule("IN-7")
def test_of_two_simultaneous_saves_the_second_is_refused_and_the_first_kept() -> None:
    load_frameworks()
    team = make_team_event()
    form = write_evidence(team, text="As first written.")
    start = threading.Barrier(2)
    outcomes: dict[str, Any] = {}

    def save(who: Any, text: str) -> None:
        try:
            start.wait()
            services.evidence_update(
                actor=who,
                evidence=form,
                version=1,  # both opened the form at version 1
                evidence_on=date(2027, 6, 15),
                source=EvidenceSource.STAFF,
                aspect=aspect("QE"),
                text=text,
            )
            outcomes[text] = "saved"
        except StaleVersion as error:
            outcomes[text] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(team.inspector, "The author's change.")),
        threading.Thread(target=save, args=(team.leader, "The lead's change.")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    saved = [text for text, outcome in outcomes.items() if outcome == "saved"]
    refused = [text for text, outcome in outcomes.items() if outcome != "saved"]
    assert len(saved) == 1
    assert len(refused) == 1
    assert isinstance(outcomes[refused[0]], StaleVersion)
    kept = EvidenceForm.objects.get(pk=form.pk)
    assert (kept.text, kept.version) == (saved[0], 2)


@pytest.mark.django_db
@pytest.mark.rule("IN-7")
def test_the_second_save_through_the_page_returns_the_users_text_and_keeps_the_first(
    client, django_user_model
) -> None:
    load_frameworks()
    team = make_team_event()
    form = write_evidence(team, text="As first written.")
    url = reverse("inspections:evidence-edit", kwargs={"event_pk": team.event.pk, "pk": form.pk})
    author, lead = client, type(client)()
    author.force_login(team.inspector)
    lead.force_login(team.leader)
    assert 'name="version" value="1"' in author.get(url).text
    assert 'name="version" value="1"' in lead.get(url).text

    first = author.post(url, _edit_data(form, "The author's careful rewrite.", 1))
    assert first.status_code == 302
    second = lead.post(url, _edit_data(form, "The lead's own long paragraph.", 1))

    assert second.status_code == 409
    page = second.text
    assert "was changed by someone else while you were working on it" in page
    assert "govuk-error-summary" in page
    assert "The lead&#x27;s own long paragraph." in page  # their text, in the form
    assert "What is saved now" in page
    assert "The author&#x27;s careful rewrite." in page  # beside what is saved
    assert 'name="version" value="2"' in page  # saving again is a deliberate choice
    kept = EvidenceForm.objects.get(pk=form.pk)
    assert (kept.text, kept.version) == ("The author's careful rewrite.", 2)
