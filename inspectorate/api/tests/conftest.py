from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.cache import cache

from inspectorate.api.tests.helpers import NOON, World, build_world


@pytest.fixture(autouse=True)
def _today(request: pytest.FixtureRequest) -> Iterator[None]:
    if request.node.get_closest_marker("browser"):  # a live server keeps its own time
        yield
        return
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture(autouse=True)
def _no_throttle_history(request: pytest.FixtureRequest) -> Iterator[None]:
    """Throttle counts live in the database cache: cleared around tests that use the
    database (a test's rollback would not clear a live server's)."""
    uses_database = request.node.get_closest_marker("django_db") or any(
        name in request.fixturenames for name in ("db", "transactional_db", "live_server")
    )
    if not uses_database:
        yield
        return
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db: Any) -> World:
    return build_world()
