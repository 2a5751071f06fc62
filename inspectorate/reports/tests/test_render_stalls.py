"""A PDF whose worker stopped mid-way is not left "rendering" for ever: the periodic sweep
queues it again, and records it failed, with the reason, after its second stall."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.reports import pdf
from inspectorate.reports.constants import RenderStatus, ReportStage
from inspectorate.reports.models import ReportRender
from inspectorate.reports.tests import document_helpers as dh


@pytest.fixture(autouse=True)
def _today() -> Any:
    yield from h.frozen_today()


def _rendering(report: Any, *, started_minutes_ago: int, attempts: int) -> ReportRender:
    return ReportRender.objects.create(
        report=report,
        stage=ReportStage.DRAFT,
        status=RenderStatus.RENDERING,
        progress=25,
        started_at=timezone.now() - timedelta(minutes=started_minutes_ago),
        attempts=attempts,
    )


@pytest.mark.django_db
def test_a_stalled_render_is_queued_again_then_made(django_capture_on_commit_callbacks) -> None:
    irp = dh.irp_with_judgements()
    stalled = _rendering(irp.report, started_minutes_ago=11, attempts=1)
    working = _rendering(irp.report, started_minutes_ago=2, attempts=1)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert pdf.renders_stalled_restart() == (1, 0)
    assert len(callbacks) == 1  # one job deferred, after commit
    stalled.refresh_from_db()
    assert (stalled.status, stalled.progress) == (RenderStatus.QUEUED, 0)
    assert "worker had stopped" in stalled.message
    working.refresh_from_db()
    assert working.status == RenderStatus.RENDERING  # still within its time
    # The restarted job makes the PDF, and counts its second start.
    assert pdf.render_perform(render_id=stalled.pk) == RenderStatus.DONE
    stalled.refresh_from_db()
    assert stalled.attempts == 2
    assert stalled.content is not None
    assert bytes(stalled.content).startswith(b"%PDF")
    assert stalled.message == ""


@pytest.mark.django_db
def test_a_render_that_stalls_twice_is_recorded_failed_with_its_reason(
    django_capture_on_commit_callbacks,
) -> None:
    irp = dh.irp_with_judgements()
    render = _rendering(irp.report, started_minutes_ago=30, attempts=pdf.MAX_ATTEMPTS)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert pdf.renders_stalled_restart() == (0, 1)
    assert callbacks == []
    render.refresh_from_db()
    assert render.status == RenderStatus.FAILED
    assert "stopped 2 times" in render.message
    assert render.finished_at is not None
    assert pdf.renders_stalled_restart() == (0, 0)  # nothing left to sweep
