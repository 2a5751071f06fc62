"""The background worker: the nightly audit verification runs through procrastinate."""

from __future__ import annotations

from typing import Any

import pytest
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

from inspectorate.audit.tasks import audit_chain_verify_nightly
from inspectorate.estate.models import Establishment


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_nightly_audit_verification() -> None:
    Establishment.objects.create(code="ZZ", name="HMP Test", kind="prison")
    task: Any = audit_chain_verify_nightly  # periodic tasks' defer() is typed without args
    task.defer(timestamp=0)
    assert ProcrastinateJob.objects.get().status == "todo"

    # As `manage.py procrastinate worker` does: a worker connects with its own connector.
    connector: Any = app.connector  # the Django connector, typed as its base class
    worker_app = app.with_connector(connector.get_worker_connector())
    worker_app.run_worker(wait=False, install_signal_handlers=False, listen_notify=False)

    job = ProcrastinateJob.objects.get()
    assert job.task_name == "inspectorate.audit.tasks.audit_chain_verify_nightly"
    assert job.status == "succeeded"
