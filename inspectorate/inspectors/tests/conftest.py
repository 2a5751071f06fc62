"""Fixtures for the inspectors' tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from itertools import count
from typing import Any

import pytest

from inspectorate.inspectors.constants import Clearance, DbsLevel, Grade, Organisation
from inspectorate.inspectors.models import Inspector

_serial = count(1)


@pytest.fixture
def make_inspector(db: Any) -> Callable[..., Inspector]:
    """An inspector with a valid enhanced DBS check (2025-01-01 to 2028-01-01) and SC."""

    def make(name: str | None = None, **values: Any) -> Inspector:
        number = next(_serial)
        name = name or f"Inspector {number}"
        defaults: dict[str, Any] = {
            "email": f"inspector{number}@example.invalid",
            "organisation": Organisation.HMI_PRISONS,
            "grade": Grade.HMIP_INSPECTOR,
            "dbs_level": DbsLevel.ENHANCED,
            "dbs_checked_on": date(2025, 1, 1),
            "dbs_renewal_due_on": date(2028, 1, 1),
            "clearance": Clearance.SC,
        }
        defaults.update(values)
        return Inspector.objects.create(name=name, **defaults)

    return make
