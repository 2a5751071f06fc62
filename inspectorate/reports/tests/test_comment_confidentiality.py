"""Factual-accuracy comments stay with those who could read them during the check (the
report's team, programme staff, quality assurance, and the establishment's own users), also
once the report is published: on the report's page and in the API (RP-3, finding 6)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.reports.models import FactualAccuracyComment
from inspectorate.reports.tests import report_helpers as r

pytestmark = [pytest.mark.django_db, pytest.mark.rule("RP-3")]

TEXT = "The figure was 62%, not 58%."
# Who could read the report, and so its comments, during the check.
READERS = {"leader", "ofsted", "qa", "coordinator", "local", "member", "scheduler", "other_leader"}
OTHERS = {"stranger", "inspector", "improvement", "ofsted_inspector", "admin"}


@pytest.fixture(autouse=True)
def _today():
    yield from h.frozen_today()


@pytest.fixture(autouse=True)
def _documents(monkeypatch):
    r.fake_documents(monkeypatch)


def test_a_published_reports_comments_are_read_only_by_those_of_the_check() -> None:
    people = r.cast()
    report = r.published(people)
    comment = report.comments.get()
    for name in READERS | OTHERS:
        user = getattr(people, name)
        reads = name in READERS
        assert FactualAccuracyComment.objects.visible_to(user).contains(comment) == reads, name
        client = Client()
        client.force_login(user)
        page = client.get(reverse("reports:detail", kwargs={"pk": report.pk}))
        assert page.status_code == 200, name
        assert (TEXT in page.text) == reads, name
        listed = client.get("/api/v1/report-comments/", {"report": report.pk})
        assert listed.status_code == 200, name
        assert ([row["id"] for row in listed.json()["results"]] == [comment.pk]) == reads, name
        one = client.get(f"/api/v1/report-comments/{comment.pk}/")
        assert one.status_code == (200 if reads else 404), name
