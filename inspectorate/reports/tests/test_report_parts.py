"""Every part of a report editable by those who edit it, with versioned saves (issue 17):
the signature and month under the summary, the areas and theme references, the team list
and its order, the glossary, the about text; Figure 1 from the healthy prison test scores
of the establishment's previous full inspections (JG-8); comments on the grade table and
the key concerns (RP-3)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from inspectorate.frameworks.models import Aspect, Framework
from inspectorate.inspections.constants import FollowUpKind, Stage
from inspectorate.inspections.models import FollowUp, Judgement
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.lib.versions import StaleVersion
from inspectorate.reports import documents, part_services, parts, services
from inspectorate.reports.constants import ReportKind, ReportStage
from inspectorate.reports.tests import document_helpers as dh

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    yield from h.frozen_today()


@pytest.fixture
def irp():
    return dh.irp_with_judgements()


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def html_of(report) -> str:
    report.refresh_from_db()
    return documents.document_html(report)


# The signature and month ---------------------------------------------------------------------


def test_the_summary_is_signed_by_the_chief_inspector_in_the_reports_month(irp) -> None:
    text = text_of(html_of(irp.report))
    # The default: the Chief Inspector in the data file, the month the event ends.
    assert "Charlie Taylor HM Chief Inspector of Prisons October 2026" in text
    report = part_services.report_signature_update(
        actor=irp.leader,
        report=irp.report,
        signatory="  Jane   Doe ",
        report_month=date(2027, 1, 19),
        version=irp.report.version,
    )
    assert (report.signatory, report.report_month, report.version) == (
        "Jane Doe",
        date(2027, 1, 1),
        2,
    )
    assert "Jane Doe HM Chief Inspector of Prisons January 2027" in text_of(html_of(report))


def test_a_stale_save_is_refused_and_the_page_answers_409(client, irp) -> None:
    report = irp.report
    opened_at = report.version
    part_services.report_about_update(
        actor=irp.leader, report=report, text="First.", version=opened_at
    )
    with pytest.raises(StaleVersion):
        part_services.report_signature_update(
            actor=irp.leader,
            report=report,
            signatory="Jane Doe",
            report_month=date(2027, 1, 1),
            version=opened_at,
        )
    client.force_login(irp.leader)
    response = client.post(
        reverse("reports:parts-signature", kwargs={"pk": report.pk}),
        {"version": opened_at, "signatory": "Jane Doe", "month": "1", "year": "2027"},
    )
    assert response.status_code == 409
    assert "changed by someone else" in response.content.decode()
    report.refresh_from_db()
    assert (report.signatory, report.about_text) == ("", "First.")
    # Saved from the page with the current version, it goes through.
    response = client.post(
        reverse("reports:parts-signature", kwargs={"pk": report.pk}),
        {"version": report.version, "signatory": "Jane Doe", "month": "1", "year": "2027"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.signatory == "Jane Doe"
    # Each save is in the report's audited history.
    assert report.audit_events.count() >= 3


def test_only_the_events_leads_edit_the_parts_while_the_report_is_editable(client, irp) -> None:
    member = dh.team_member(irp.review)
    qa = h.user("quality_assurance")
    local = h.establishment_user(irp.review)
    for outsider in (member, qa):
        with pytest.raises(PermissionDenied):
            part_services.report_about_update(
                actor=outsider, report=irp.report, text="Mine.", version=irp.report.version
            )
        client.force_login(outsider)
        for name in ("parts", "parts-signature", "parts-team", "parts-glossary"):
            url = reverse(f"reports:{name}", kwargs={"pk": irp.report.pk})
            assert client.get(url).status_code in (403, 404)
    client.force_login(local)
    assert (
        client.get(reverse("reports:parts-about", kwargs={"pk": irp.report.pk})).status_code == 404
    )
    # At quality assurance the report is not editable, by its leads either.
    irp.report.stage = ReportStage.QUALITY_ASSURANCE
    irp.report.save()
    with pytest.raises(Exception, match="quality assurance stage"):
        part_services.report_about_update(
            actor=irp.leader, report=irp.report, text="Late.", version=irp.report.version
        )
    irp.report.refresh_from_db()
    assert irp.report.about_text == ""


# Areas and theme references -------------------------------------------------------------------


def test_areas_theme_references_and_sources_are_edited_and_shown(client, irp) -> None:
    first = FollowUp.objects.get(event=irp.review, recommendation=irp.recommendations[0])
    theme = FollowUp.objects.filter(event=irp.review, kind=FollowUpKind.THEME).first()
    assert theme is not None
    client.force_login(irp.leader)
    url = reverse("reports:parts-references", kwargs={"pk": irp.report.pk})
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(
        url,
        {
            f"version_{first.pk}": irp.recommendations[0].version,
            f"area_{first.pk}": "Early days in custody",
            f"version_{theme.pk}": theme.version,
            f"reference_{theme.pk}": "1.3",
            f"sources_{theme.pk}": [irp.recommendations[8].pk, irp.recommendations[7].pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    html = html_of(irp.report)
    text = text_of(html)
    assert '<h4 class="govuk-heading-s app-document__heading" id="recommendation-1">' in html
    assert "Early days in custody" in text
    first_theme = f"Theme: {theme.theme} (1.3)"
    assert first_theme in text
    refs = sorted(
        (irp.recommendations[7].paragraph_reference, irp.recommendations[8].paragraph_reference)
    )
    assert f"This theme follows up recommendations {refs[0]} and {refs[1]}" in text
    # A stale save of the same record is refused with 409, nothing written.
    response = client.post(
        url,
        {
            f"version_{first.pk}": irp.recommendations[0].version,
            f"area_{first.pk}": "Safety",
            f"version_{theme.pk}": theme.version,
        },
    )
    assert response.status_code == 409
    irp.recommendations[0].refresh_from_db()
    assert irp.recommendations[0].area == "Early days in custody"


# The team list --------------------------------------------------------------------------------


def test_the_team_is_listed_leader_first_movable_with_the_chief_inspector(irp) -> None:
    dh.team_member(irp.review)
    rows = parts.team_rows(irp.report)
    assert [row.member_id is not None for row in rows] == [True, True, True]
    assert rows[0].role == "HMI Prisons team leader"
    leader, ofsted, inspector = rows
    report = part_services.report_team_update(
        actor=irp.leader,
        report=irp.report,
        entries=[
            part_services.TeamEntry(key=leader.key, position=3),
            part_services.TeamEntry(key=ofsted.key, position=2),
            part_services.TeamEntry(key=inspector.key, position=1),
            part_services.TeamEntry(
                key="", position=1, name="Charlie Taylor", role="HM Chief Inspector of Prisons"
            ),
        ],
        version=irp.report.version,
    )
    names = [row.name for row in parts.team_rows(report)]
    assert names == [inspector.name, "Charlie Taylor", ofsted.name, leader.name]
    html = html_of(report)
    team = text_of(html[html.index('id="appendix-2"') : html.index('id="appendix-3"')])
    assert [team.index(name) for name in names] == sorted(team.index(name) for name in names)
    assert "Charlie Taylor HM Chief Inspector of Prisons" in text_of(html_of(report))
    # Removing the extra keeps every team member.
    extra = next(row for row in parts.team_rows(report) if row.is_extra)
    report = part_services.report_team_update(
        actor=irp.leader,
        report=report,
        entries=[part_services.TeamEntry(key=extra.key, position=1, remove=True)],
        version=report.version,
    )
    assert [row.name for row in parts.team_rows(report)] == [
        inspector.name,
        ofsted.name,
        leader.name,
    ]


def test_the_team_page_saves_the_order(client, irp) -> None:
    client.force_login(irp.leader)
    url = reverse("reports:parts-team", kwargs={"pk": irp.report.pk})
    assert client.get(url).status_code == 200
    leader, ofsted = parts.team_rows(irp.report)
    data = {
        "version": irp.report.version,
        "team-TOTAL_FORMS": "3",
        "team-INITIAL_FORMS": "3",
        "team-0-key": leader.key,
        "team-0-position": "2",
        "team-1-key": ofsted.key,
        "team-1-position": "1",
        "team-2-key": "",
        "team-2-position": "3",
        "team-2-name": "Charlie Taylor",
        "team-2-role": "HM Chief Inspector of Prisons",
    }
    assert client.post(url, data).status_code == 302
    irp.report.refresh_from_db()
    assert [row.name for row in parts.team_rows(irp.report)] == [
        ofsted.name,
        leader.name,
        "Charlie Taylor",
    ]


# The glossary and the about text ------------------------------------------------------------


def test_the_glossary_starts_from_the_terms_the_text_uses_and_is_editable(client, irp) -> None:
    text = text_of(html_of(irp.report))
    glossary = text[text.index("Appendix III Glossary") :]
    assert "Ofsted The Office for Standards" in glossary
    assert "Notable positive practice" in glossary
    assert "Segregation" not in glossary  # the report never mentions it
    client.force_login(irp.leader)
    url = reverse("reports:parts-glossary", kwargs={"pk": irp.report.pk})
    page = client.get(url).content.decode()
    assert 'value="Ofsted"' in page
    response = client.post(
        url,
        {
            "version": irp.report.version,
            "terms-TOTAL_FORMS": "2",
            "terms-INITIAL_FORMS": "0",
            "terms-0-term": "Segregation",
            "terms-0-definition": "Keeping a prisoner apart from others.",
            "terms-1-term": "ACCT",
            "terms-1-definition": "Assessment, care in custody and teamwork.",
        },
    )
    assert response.status_code == 302
    glossary = text_of(html_of(irp.report)).split("Appendix III Glossary")[1]
    assert glossary.strip() == (
        "ACCT Assessment, care in custody and teamwork. "
        "Segregation Keeping a prisoner apart from others."
    )
    response = client.post(
        url,
        {
            "version": irp.report.version,
            "terms-TOTAL_FORMS": "1",
            "terms-INITIAL_FORMS": "0",
            "terms-0-term": "ACCT",
            "terms-0-definition": "",
        },
    )
    assert response.status_code == 400
    assert "Enter the definition of &#x27;ACCT&#x27;" in response.content.decode()


def test_the_about_text_defaults_from_data_and_is_editable(irp) -> None:
    text = text_of(html_of(irp.report))
    assert "selection of the recommendations of that inspection (November 2025)" in text
    report = part_services.report_about_update(
        actor=irp.leader,
        report=irp.report,
        text="This review looked again at HMP Leeds.\r\n\r\nIt was short.",
        version=irp.report.version,
    )
    text = text_of(html_of(report))
    assert (
        "Appendix I About this report This review looked again at HMP Leeds. It was short." in text
    )
    assert "Good progress" in text  # the scales' definitions still follow


# Figure 1 ---------------------------------------------------------------------------------------


def _score(event, scores: dict[str, str], decided_by) -> None:
    tests = Framework.objects.get(slug="healthy-prison-tests")
    for code, slug in scores.items():
        Judgement.objects.create(
            event=event,
            framework=tests,
            aspect=Aspect.objects.get(framework=tests, code=code),
            level=h.level(slug, "healthy-prison-tests"),
            decided_by=decided_by,
        )


@pytest.mark.rule("JG-8")
def test_figure_1_shows_the_scores_of_the_two_previous_full_inspections(irp) -> None:
    earlier = h.full_inspection(irp.full.establishment, starts_on=date(2023, 5, 8))
    _score(
        earlier,
        {"S": "poor", "R": "not_sufficiently_good", "PA": "poor", "RRP": "reasonably_good"},
        irp.leader,
    )
    _score(
        irp.full,
        {"S": "not_sufficiently_good", "R": "reasonably_good", "PA": "poor", "RRP": "good"},
        irp.leader,
    )
    # A later inspection and another prison's are not previous inspections of this one.
    later = h.full_inspection(irp.full.establishment, starts_on=date(2027, 2, 1))
    _score(later, {"S": "good"}, irp.leader)
    document = documents.build(irp.report)
    figure = document.figures[0]
    assert isinstance(figure, documents.OutcomesFigure)
    assert figure.number == 1
    assert figure.title == (
        "HMP Leeds healthy prison outcomes at the full inspections of May 2023 and November 2025"
    )
    assert figure.table.head == ("Healthy prison test", "May 2023", "November 2025")
    assert figure.table.rows == (
        ("Safety", "Poor", "Not sufficiently good"),
        ("Respect", "Not sufficiently good", "Reasonably good"),
        ("Purposeful activity", "Poor", "Poor"),
        ("Rehabilitation and release planning", "Reasonably good", "Good"),
    )
    # The key findings' figures follow it; the chart is labelled by its caption.
    assert [f.number for f in document.figures] == [1, 2, 3]
    html = documents.document_html(irp.report)
    summary = html[html.index('id="section-1"') : html.index('id="section-2"')]
    assert 'aria-labelledby="figure-1-caption"' in summary
    assert "Data for figure 1" in text_of(summary)
    assert figure.png().startswith(b"\x89PNG")


def test_without_previous_scores_there_is_no_figure_1(irp) -> None:
    document = documents.build(irp.report)
    assert [type(f) for f in document.figures] == [documents.Figure, documents.Figure]
    assert document.figures[0].number == 1


# Comments on the grade table and the key concerns (RP-3) ------------------------------------


@pytest.mark.rule("RP-3")
def test_a_key_concern_and_the_grade_table_take_comments() -> None:
    report, _ = dh.full_inspection_report(ReportKind.OFSTED_FINDINGS)
    report.stage = ReportStage.FACTUAL_ACCURACY
    report.save()
    h.set_stage(report.event, Stage.FACTUAL_ACCURACY)
    html = documents.document_html(report)
    assert 'id="para-5-4"' in html  # the grade table
    assert re.search(r'id="para-5-6"><p[^>]*><a[^>]*>5\.6</a> <span[^>]*>Key concern:', html)
    local = h.establishment_user(report.event)
    comment = services.comment_submit(
        actor=local, report=report, paragraph="5.6", text="This concern was resolved in May."
    )
    table = services.comment_submit(
        actor=local, report=report, paragraph="5.4", text="The grade table misses a judgement."
    )
    assert (comment.paragraph, table.paragraph) == ("5.6", "5.4")


def test_the_parts_page_lists_each_part(client, irp) -> None:
    client.force_login(irp.leader)
    body = client.get(reverse("reports:parts", kwargs={"pk": irp.report.pk})).content.decode()
    for name in ("signature", "references", "team", "glossary", "about"):
        assert reverse(f"reports:parts-{name}", kwargs={"pk": irp.report.pk}) in body
