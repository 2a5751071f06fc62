"""A PDF whose worker stopped mid-way is not left "rendering" for ever: the periodic sweeps
queue it again (at once when its worker stops sending heartbeats), make it once, and record
it failed, with the reason, after its second stall."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.lib.jobs import jobs_lost_recover
from inspectorate.reports import pdf
from inspectorate.reports.constants import RenderStatus, ReportStage
from inspectorate.reports.models import ReportRender
from inspectorate.reports.tasks import report_render_task
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


def _job_of_lost_worker(task_name: str, args: str) -> int:
    """A job left 'doing' by a worker last heard of five minutes ago."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO procrastinate_workers (last_heartbeat) "
            "VALUES (now() - interval '5 minutes') RETURNING id"
        )
        worker = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO procrastinate_jobs (queue_name, task_name, args) "
            "VALUES ('reports', %s, %s) RETURNING id",
            [task_name, args],
        )
        job = cursor.fetchone()[0]
        cursor.execute(
            "UPDATE procrastinate_jobs SET status = 'doing', worker_id = %s WHERE id = %s",
            [worker, job],
        )
    return int(job)


def _job_status(job: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT status FROM procrastinate_jobs WHERE id = %s", [job])
        return str(cursor.fetchone()[0])


@pytest.mark.django_db
def test_the_job_of_a_killed_worker_is_retried_and_the_pdf_made_once() -> None:
    irp = dh.irp_with_judgements()
    render = _rendering(irp.report, started_minutes_ago=0, attempts=1)
    job = _job_of_lost_worker(report_render_task.name, f'{{"render_id": {render.pk}}}')
    assert jobs_lost_recover() == [job]
    assert _job_status(job) == "todo"  # the same job, handed back to the queue
    render.refresh_from_db()
    assert (render.status, render.message) == (
        RenderStatus.QUEUED,
        "Restarted: the worker had stopped.",
    )
    assert pdf.render_perform(render_id=render.pk) == RenderStatus.DONE
    # A second run of the job (or a second job) finds it made and writes nothing.
    assert pdf.render_perform(render_id=render.pk) == RenderStatus.DONE
    render.refresh_from_db()
    assert render.attempts == 2
    assert jobs_lost_recover() == []


@pytest.mark.django_db
def test_a_worker_taken_for_dead_that_was_only_slow_writes_nothing(monkeypatch) -> None:
    irp = dh.irp_with_judgements()
    render = ReportRender.objects.create(report=irp.report, stage=ReportStage.DRAFT)
    real_render_pdf = pdf.render_pdf

    def slow_render(report: Any, **options: Any) -> tuple[bytes, int]:
        pdf.render_worker_lost(render.pk)  # the sweep gave the render to another worker
        return real_render_pdf(report, **options)

    monkeypatch.setattr(pdf, "render_pdf", slow_render)
    assert pdf.render_perform(render_id=render.pk) == "superseded"
    render.refresh_from_db()
    assert (render.status, render.content) == (RenderStatus.QUEUED, None)


@pytest.mark.django_db
def test_a_render_whose_worker_dies_again_and_again_is_recorded_failed() -> None:
    irp = dh.irp_with_judgements()
    render = _rendering(irp.report, started_minutes_ago=0, attempts=pdf.MAX_ATTEMPTS)
    _job_of_lost_worker(report_render_task.name, f'{{"render_id": {render.pk}}}')
    jobs_lost_recover()
    render.refresh_from_db()
    assert render.status == RenderStatus.FAILED
    assert "stopped 2 times" in render.message
