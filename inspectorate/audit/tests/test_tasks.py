"""The background worker: the nightly audit verification runs through procrastinate."""

from __future__ import annotations

from typing import Any

import pytest
from procrastinate.contrib.django.models import ProcrastinateJob

from inspectorate.audit.tasks import audit_chain_verify_nightly
from inspectorate.estate.models import Establishment


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_nightly_audit_verification(run_worker: Any) -> None:
    Establishment.objects.create(code="ZZ", name="HMP Test", kind="prison")
    task: Any = audit_chain_verify_nightly  # periodic tasks' defer() is typed without args
    task.defer(timestamp=0)
    assert ProcrastinateJob.objects.get().status == "todo"

    run_worker()

    # The worker may also defer other periodic tasks when it starts (alert escalation).
    job = ProcrastinateJob.objects.get(
        task_name="inspectorate.audit.tasks.audit_chain_verify_nightly"
    )
    assert job.status == "succeeded"


@pytest.mark.django_db
def test_a_trail_found_broken_fails_the_nightly_job() -> None:
    from inspectorate.audit.tasks import AuditTrailBroken
    from inspectorate.audit.tests.test_tamper_evidence import as_superuser_with_triggers_off

    place = Establishment.objects.create(code="ZZ", name="HMP Test", kind="prison")
    work: Any = audit_chain_verify_nightly.func
    assert work.__wrapped__(timestamp=0) is True
    as_superuser_with_triggers_off(
        "UPDATE estate_establishment SET name = 'HMP Changed' WHERE id = %s", [place.pk]
    )
    with pytest.raises(AuditTrailBroken, match="not intact"):
        work.__wrapped__(timestamp=0)
