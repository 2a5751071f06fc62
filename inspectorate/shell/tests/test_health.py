"""/healthz answers that the process is alive without asking anything; /readyz checks the
database, the migrations and the job queue, answers 503 naming what failed, and never shows
a host, a user or an error text; neither may be cached."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from conftest import apply_production
from inspectorate.lib.jobs import jobs_lost_recover
from inspectorate.shell import health
from inspectorate.shell.backup import Database


def _lost_job() -> int:
    """A job left 'doing' by a worker last heard of five minutes ago."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO procrastinate_workers (last_heartbeat) "
            "VALUES (now() - interval '5 minutes') RETURNING id"
        )
        worker = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO procrastinate_jobs (queue_name, task_name, args) "
            "VALUES ('default', 'inspectorate.drill.nothing', '{}') RETURNING id"
        )
        job = cursor.fetchone()[0]
        cursor.execute(
            "UPDATE procrastinate_jobs SET status = 'doing', worker_id = %s WHERE id = %s",
            [worker, job],
        )
    return int(job)


def test_healthz_is_cheap_and_not_cached(client: Any) -> None:
    # No django_db mark: a query here would raise.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "alive"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_answers_ready_with_each_check_and_no_secret(client: Any) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["status"] == "ready"
    assert {name for name, check in answer["checks"].items() if check["ok"]} == {
        "database",
        "migrations",
        "queue",
    }
    assert "no-store" in response["Cache-Control"]
    values = connection.settings_dict
    body = response.content.decode()
    for secret in (values["NAME"], values.get("USER"), values.get("HOST"), values.get("PORT")):
        if secret:
            assert str(secret) not in body


@pytest.mark.django_db
def test_readyz_answers_503_when_the_database_is_unreachable(client: Any, monkeypatch) -> None:
    unreachable = Database(url="postgresql://drilluser@127.0.0.1:1/secretdb")
    monkeypatch.setattr(health, "configured_database", lambda: unreachable)
    response = client.get("/readyz")
    assert response.status_code == 503
    answer = response.json()
    assert answer["status"] == "not ready"
    assert answer["checks"]["database"]["ok"] is False
    body = response.content.decode()
    for secret in ("drilluser", "secretdb", "127.0.0.1"):
        assert secret not in body


@pytest.mark.django_db(transaction=True)
def test_readyz_names_a_stalled_job_until_the_sweep_takes_it_up(client: Any) -> None:
    job = _lost_job()
    response = client.get("/readyz")
    assert response.status_code == 503
    queue = response.json()["checks"]["queue"]
    assert (queue["ok"], queue["stalled"]) == (False, 1)
    assert "lost workers" in queue["problem"]
    assert jobs_lost_recover() == [job]
    assert client.get("/readyz").status_code == 200


@pytest.mark.django_db
def test_readyz_is_not_redirected_to_https_in_production(client: Any, settings: Any) -> None:
    apply_production(settings)
    assert client.get("/readyz").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert client.get("/accessibility/").status_code == 301  # everything else is
