"""Evidence forms (IN-7): tagged with an aspect of the frameworks used at the event, dated
within it, changed only by their author or a lead; the list's filters, counts and queries."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspectorate.inspections.constants import EvidenceSource
from inspectorate.inspections.fieldwork import selectors, services
from inspectorate.inspections.models import EvidenceForm
from inspectorate.inspections.tests.fieldwork_helpers import (
    aspect,
    load_frameworks,
    make_team_event,
    on,
    write_evidence,
)
from inspectorate.programme.constants import EventKind

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    load_frameworks()
    with on():
        yield


@pytest.fixture
def team():
    return make_team_event()


def _list(event, **query) -> str:
    url = reverse("inspections:evidence-list", kwargs={"event_pk": event.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _add(event) -> str:
    return reverse("inspections:evidence-add", kwargs={"event_pk": event.pk})


def _edit(form) -> str:
    return reverse("inspections:evidence-edit", kwargs={"event_pk": form.event_id, "pk": form.pk})


@pytest.mark.rule("IN-7")
def test_an_evidence_form_records_author_date_source_aspect_and_text(team) -> None:
    form = services.evidence_create(
        actor=team.ofsted_inspector,
        event=team.event,
        evidence_on=date(2027, 6, 16),
        source=EvidenceSource.PRISONERS,
        aspect=aspect("BA"),
        text="  Six of eight learners said they had waited months for a place.  ",
    )
    saved = EvidenceForm.objects.get()
    assert saved == form
    assert (saved.author, saved.evidence_on, saved.source, saved.aspect.code) == (
        team.ofsted_inspector,
        date(2027, 6, 16),
        "prisoners",
        "BA",
    )
    assert saved.text == "Six of eight learners said they had waited months for a place."


@pytest.mark.rule("IN-7")
def test_the_aspects_offered_are_those_of_the_frameworks_used_at_the_event(team) -> None:
    groups = selectors.aspect_choices(team.event).groups
    assert [framework.slug for framework, _ in groups] == ["eif-prisons", "healthy-prison-tests"]
    codes = [a.code for a in groups[0][1]]
    assert codes[:3] == ["QE", "BA", "PD"]
    assert "OE" not in codes  # derived: computed from the others, no evidence of its own
    irp = make_team_event(kind=EventKind.IRP, starts_on=date(2027, 5, 10), ends_on=None)
    assert [f.slug for f, _ in selectors.aspect_choices(irp.event).groups] == [
        "hmip-irp-progress",
        "ofsted-irp-themes",
    ]


@pytest.mark.rule("IN-7")
def test_an_aspect_of_a_framework_not_used_at_the_event_is_refused(team) -> None:
    with pytest.raises(ValidationError) as refused:
        services.evidence_create(
            actor=team.inspector,
            event=team.event,
            evidence_on=date(2027, 6, 16),
            source=EvidenceSource.DATA,
            aspect=aspect("A1", framework="cif-2009"),  # probation, not prisons
            text="Data.",
        )
    assert "(IN-7)" in refused.value.message_dict["aspect"][0]
    assert not EvidenceForm.objects.exists()


@pytest.mark.rule("IN-7")
def test_the_date_of_evidence_is_within_the_event(team) -> None:
    with pytest.raises(ValidationError) as refused:
        services.evidence_create(
            actor=team.inspector,
            event=team.event,
            evidence_on=date(2027, 6, 19),
            source=EvidenceSource.DOCUMENTS,
            aspect=aspect("LM"),
            text="The self-assessment report.",
        )
    assert refused.value.message_dict["evidence_on"] == [
        "The date of the evidence must be during the event, from 7 June 2027 to 18 June 2027"
    ]


@pytest.mark.rule("IN-7")
def test_only_the_author_or_a_lead_changes_an_evidence_form(team, client) -> None:
    form = write_evidence(team, text="First draft.")
    with pytest.raises(PermissionDenied):
        services.evidence_update(
            actor=team.ofsted_inspector,
            evidence=form,
            version=form.version,
            evidence_on=form.evidence_on,
            source=form.source,
            aspect=form.aspect,
            text="Not mine to change.",
        )
    changed = services.evidence_update(
        actor=team.ofsted_lead,
        evidence=form,
        version=form.version,
        evidence_on=form.evidence_on,
        source=form.source,
        aspect=aspect("PD"),
        text="Checked by the lead.",
    )
    assert (changed.aspect.code, changed.text, changed.version) == ("PD", "Checked by the lead.", 2)
    client.force_login(team.ofsted_inspector)
    assert client.get(_edit(form)).status_code == 403
    list_page = client.get(_list(team.event)).text
    assert _edit(form) not in list_page  # no Change link for someone else's form


@pytest.mark.rule("IN-7")
def test_the_form_page_tags_the_aspect_in_one_select_grouped_by_framework(team, client) -> None:
    client.force_login(team.inspector)
    page = client.get(_add(team.event) + f"?aspect={aspect('QE').pk}").text
    assert (
        '<optgroup label="Education inspection framework: education, skills and work in '
        'prisons and young offender institutions">' in page
    )
    assert '<optgroup label="HMI Prisons healthy prison tests">' in page
    assert f'<option value="{aspect("QE").pk}" selected>QE Quality of education' in page
    # The aspect comes before the text on the page (one column, near the top).
    assert page.index('name="aspect"') < page.index('name="source"') < page.index('name="text"')
    assert 'rows="12"' in page


@pytest.mark.rule("IN-7")
def test_recording_evidence_through_the_page_clears_the_browser_draft(team, client) -> None:
    client.force_login(team.inspector)
    response = client.post(
        _add(team.event),
        {
            "aspect": str(aspect("QE").pk),
            "source": "observation",
            "evidence_on_day": "16",
            "evidence_on_month": "6",
            "evidence_on_year": "2027",
            "observation": "",
            "text": "The tutor checked understanding well.",
            "version": "",
        },
    )
    assert response.status_code == 302
    form = EvidenceForm.objects.get()
    assert (form.author, form.aspect.code) == (team.inspector, "QE")
    page = client.get(response.url).text
    assert f'data-evidence-draft-clear="{_add(team.event)}"' in page
    assert "The tutor checked understanding well." in page
    # Shown once: the next visit leaves drafts alone.
    assert "data-evidence-draft-clear" not in client.get(response.url).text


@pytest.mark.rule("IN-7")
def test_the_list_filters_by_aspect_and_author_and_counts_per_aspect(team, client) -> None:
    write_evidence(team, team.inspector, code="QE", text="Inspector on teaching.")
    write_evidence(team, team.inspector, code="BA", text="Inspector on achievement.")
    write_evidence(team, team.ofsted_lead, code="QE", text="Lead on teaching.")
    counts = {
        row.code: row.count for row in selectors.evidence_counts(user=team.leader, event=team.event)
    }
    assert counts == {"BA": 1, "QE": 2}

    client.force_login(team.leader)
    page = client.get(_list(team.event, aspect=aspect("QE").pk)).text
    assert "2 evidence forms match your filters" in page
    assert "Lead on teaching." in page
    assert "Inspector on achievement." not in page
    page = client.get(_list(team.event, aspect=aspect("QE").pk, author=team.inspector.pk)).text
    assert "1 evidence form matches your filters" in page
    assert "Inspector on teaching." in page
    assert "Lead on teaching." not in page
    unfiltered = client.get(_list(team.event)).text
    assert "3 evidence forms" in unfiltered


def _list_queries(client, event) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_list(event))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.rule("IN-7")
def test_the_evidence_list_takes_the_same_queries_for_3_or_30_forms(team, client) -> None:
    client.force_login(team.leader)
    for n in range(3):
        write_evidence(team, code=["BA", "QE", "LM"][n], text=f"Form {n}.")
    client.get(_list(team.event))  # warm the session and caches
    few = _list_queries(client, team.event)
    for n in range(27):
        author = team.ofsted_inspector if n % 2 else team.inspector
        write_evidence(team, author, code=["BA", "QE", "LM"][n % 3], text=f"More {n}.")
    many = _list_queries(client, team.event)
    assert few == many
    assert few <= 19  # session, user, event, team, tabs (report tab: 2), alert link, forms, counts,
    # choices, log
