"""Who sees a report at each stage, for every role: in lists, detail pages, comments and
downloads. An establishment user sees only their own establishment's draft, and only at the
factual-accuracy stage; other establishments never; the public only published reports. What
one may not know exists is a 404, not a 403 (RP-3)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.reports.constants import RenderStatus, ReportStage
from inspectorate.reports.models import FactualAccuracyComment, Report, ReportRender
from inspectorate.reports.tests import report_helpers as r

pytestmark = [pytest.mark.django_db, pytest.mark.rule("RP-3")]

STAGES = [stage.value for stage in ReportStage]
EVERY = set(STAGES)
PUBLISHED = {ReportStage.PUBLISHED.value}

# Who sees the report at which stages.
EXPECTED = {
    "leader": EVERY,  # on the team
    "ofsted": EVERY,  # on the team
    "qa": EVERY,
    "coordinator": EVERY,
    "local": {ReportStage.FACTUAL_ACCURACY.value, ReportStage.PUBLISHED.value},
    "stranger": PUBLISHED,
    "inspector": PUBLISHED,  # staff not on the team
    "improvement": PUBLISHED,
    "member": EVERY,  # on the team, not a lead
    "scheduler": EVERY,  # Ofsted's scheduling team: the partner's programme staff
    "other_leader": EVERY,  # HMI Prisons team leaders plan the programme
    "ofsted_inspector": PUBLISHED,  # not on the team
    "admin": PUBLISHED,
}


@pytest.fixture(autouse=True)
def _today():
    yield from h.frozen_today()


@pytest.fixture(autouse=True)
def _documents(monkeypatch):
    r.fake_documents(monkeypatch)


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _with_comment(people, stage: str) -> tuple[Report, FactualAccuracyComment | None]:
    report = r.at_stage(people, stage)
    comment = report.comments.first()
    if stage == ReportStage.FACTUAL_ACCURACY:
        comment = r.comment(people, report)
    return report, comment


@pytest.mark.parametrize("stage", STAGES)
def test_every_role_sees_the_report_only_at_its_stages(stage: str) -> None:
    people = r.cast()
    report, comment = _with_comment(people, stage)
    detail = reverse("reports:detail", kwargs={"pk": report.pk})
    public = reverse("reports:public-report", kwargs={"pk": report.pk})
    pdf = reverse("reports:public-pdf", kwargs={"pk": report.pk})
    document = reverse("reports:document", kwargs={"pk": report.pk})
    render = ReportRender.objects.create(
        report=report, stage=stage, status=RenderStatus.DONE, content=b"%PDF stage"
    )
    download = reverse("reports:pdf-download", kwargs={"pk": render.pk})
    for name, stages in EXPECTED.items():
        user = getattr(people, name)
        sees = stage in stages
        assert Report.objects.visible_to(user).filter(pk=report.pk).exists() == sees, name
        client = _client(user)
        assert client.get(detail).status_code == (200 if sees else 404), (name, stage)
        assert client.get(document).status_code == (200 if sees else 404), (name, stage)
        assert client.get(download).status_code == (200 if sees else 404), (name, stage)
        listed = client.get(reverse("reports:list")).context["reports"]
        assert (report in list(listed)) == sees, (name, stage)
        if comment is not None:
            respond = reverse("reports:comment-respond", kwargs={"pk": comment.pk})
            status = client.get(respond).status_code
            if not sees:
                assert status == 404, (name, stage)
    # The public pages, signed out: only the published report, its text and its PDF.
    anonymous = Client()
    published = stage == ReportStage.PUBLISHED
    assert anonymous.get(public).status_code == (200 if published else 404)
    assert anonymous.get(pdf).status_code == (200 if published else 404)
    listed = anonymous.get(reverse("reports:public-list")).context["page"].object_list
    assert (report in list(listed)) == published
    assert anonymous.get(detail).status_code == 302  # the workflow pages need a sign-in


def test_an_establishment_user_never_sees_another_establishments_draft_or_comments() -> None:
    people = r.cast()
    report = r.at_factual_accuracy(people)
    comment = r.comment(people, report)
    stranger = _client(people.stranger)
    for url in (
        reverse("reports:detail", kwargs={"pk": report.pk}),
        reverse("reports:comment-add", kwargs={"pk": report.pk}),
        reverse("reports:comment-respond", kwargs={"pk": comment.pk}),
        reverse("reports:event-reports", kwargs={"event_pk": report.event_id}),
    ):
        assert stranger.get(url).status_code == 404, url
    assert not FactualAccuracyComment.objects.visible_to(people.stranger).exists()
    assert list(FactualAccuracyComment.objects.visible_to(people.local)) == [comment]
    page = _client(people.local).get(reverse("reports:detail", kwargs={"pk": report.pk}))
    assert "The figure was 62%" in page.content.decode()


def test_an_establishment_user_comments_but_does_not_answer() -> None:
    people = r.cast()
    report = r.at_factual_accuracy(people)
    comment = r.comment(people, report)
    local = _client(people.local)
    assert local.get(reverse("reports:comment-add", kwargs={"pk": report.pk})).status_code == 200
    respond = reverse("reports:comment-respond", kwargs={"pk": comment.pk})
    assert local.get(respond).status_code == 403  # they know the comment: it is theirs
    assert local.get(reverse("reports:edit", kwargs={"pk": report.pk})).status_code == 403


def test_the_establishment_loses_sight_of_the_draft_once_the_check_closes() -> None:
    people = r.cast()
    report = r.final(people)
    local = _client(people.local)
    assert local.get(reverse("reports:detail", kwargs={"pk": report.pk})).status_code == 404
    assert report not in list(local.get(reverse("reports:list")).context["reports"])


def test_the_report_tab_shows_for_those_who_see_a_report() -> None:
    people = r.cast()
    report = r.at_factual_accuracy(people)
    tab = reverse("reports:event-reports", kwargs={"event_pk": report.event_id})
    page = _client(people.local).get(tab)
    assert page.status_code == 200
    assert report.get_kind_display() in page.content.decode()
    assert _client(people.inspector).get(tab).status_code in (403, 404)
