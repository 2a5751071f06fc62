"""Fixtures shared by every app's tests."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

# Property tests check results, never speed: a first call that builds a holiday calendar, or a
# busy CI machine, must not fail a test on Hypothesis's per-example deadline.
hypothesis_settings.register_profile("inspectorate", deadline=None)
hypothesis_settings.load_profile("inspectorate")

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from that
# thread are still synchronous, so the async-safety guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE_SCRIPT = Path(__file__).resolve().parent / "static" / "build" / "axe.min.js"
TEST_PASSWORD = "correct-horse-battery-staple"

# The production values that bear on sign-in, forms and headers (settings_production.py), for
# tests that run as the penetration test did: HTTPS by proxy header, DEBUG off, two-factor.
PRODUCTION_SETTINGS: dict[str, Any] = {
    "DEBUG": False,
    "REQUIRE_TWO_FACTOR": True,
    "SECURE_SSL_REDIRECT": True,
    "SECURE_REDIRECT_EXEMPT": [r"^healthz$", r"^readyz$"],
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
}


def apply_production(settings: Any, **extra: Any) -> None:
    """Give pytest-django's `settings` fixture the production values, and `extra` beside them."""
    for name, value in {**PRODUCTION_SETTINGS, **extra}.items():
        setattr(settings, name, value)


def pytest_configure(config: Any) -> None:
    from django.conf import settings

    # The same algorithm (argon2) at its smallest costs: hashing test users' passwords at the
    # real costs was most of the suite's time. Stored hashes still verify with either.
    settings.PASSWORD_HASHERS = [
        "inspectorate.accounts.hashers.CheapArgon2PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]


@pytest.fixture(autouse=True)
def _audit_checkpoints_apart(settings: Any, tmp_path: Path) -> None:
    """Each test its own audit checkpoint log: a log belongs to one chain, and each test's
    chain is rolled back or flushed after it."""
    settings.INSPECTORATE_AUDIT_CHECKPOINTS = tmp_path / "audit-checkpoints.jsonl"


@pytest.fixture
def establishment(db: Any) -> Any:
    from inspectorate.estate.models import Establishment

    return Establishment.objects.create(code="LE", name="HMP Leeds", kind="prison")


@pytest.fixture
def make_user(db: Any) -> Callable[..., Any]:
    """Make a user holding `roles`; establishment users need `establishment`."""
    from inspectorate.accounts.models import User

    def make(*roles: str, username: str | None = None, establishment: Any = None) -> Any:
        name = username or "_".join(roles) or "noroles"
        return User.objects.create_user(
            username=name,
            password=TEST_PASSWORD,
            first_name=name.title(),
            last_name="Tester",
            roles=list(roles),
            establishment=establishment,
        )

    return make


@pytest.fixture
def empty_job_queue(transactional_db: Any) -> Iterator[None]:
    """An empty procrastinate queue. Its tables are unmanaged, so Django's flush between
    transactional tests leaves jobs that an earlier test deferred."""
    from django.db import connection

    def empty() -> None:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE procrastinate_jobs CASCADE")

    empty()
    yield
    empty()


@pytest.fixture
def run_worker(empty_job_queue: None) -> Callable[[], None]:
    """Run a procrastinate worker until the queue is empty, as `manage.py procrastinate
    worker` would (with its own connector). It runs in its own thread: a browser test earlier
    in the session leaves Playwright's event loop running in this one, and the worker needs
    an event loop of its own."""
    import threading

    from procrastinate.contrib.django import app

    def run() -> None:
        connector: Any = app.connector  # the Django connector, typed as its base class
        worker_app = app.with_connector(connector.get_worker_connector())
        failures: list[BaseException] = []

        def work() -> None:
            try:
                worker_app.run_worker(
                    wait=False, install_signal_handlers=False, listen_notify=False
                )
            except BaseException as error:  # re-raised in the test's thread
                failures.append(error)

        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
        if failures:
            raise failures[0]

    return run


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import expect, sync_playwright

    # A page of the live server can take more than Playwright's 5 s on a loaded two-core
    # machine (the other test worker busy beside it): wait longer for what a test expects to
    # see; what never appears still fails.
    expect.set_options(timeout=15_000)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def axe_check() -> Callable[[Any], list[dict[str, Any]]]:
    """Run axe-core on a Playwright page; return its serious and critical violations."""
    script = AXE_SCRIPT.read_text()

    def check(page: Any) -> list[dict[str, Any]]:
        from playwright.sync_api import Error as PlaywrightError

        # A click that navigates can return before the next document exists, so the script
        # meets a page with no <head>, or one torn down mid-run: wait for the load and retry.
        for attempt in range(3):
            page.wait_for_load_state("load")
            try:
                # Evaluated, not added as an inline <script>: the page's Content-Security-Policy
                # refuses inline scripts (script-src 'self').
                page.evaluate(script)
                # Only the violations are wanted, in full.
                result = page.evaluate(
                    "async () => await axe.run(document, {resultTypes: ['violations']})"
                )
            except PlaywrightError:
                if attempt == 2:
                    raise
                page.wait_for_timeout(200)
                continue
            return [v for v in result["violations"] if v["impact"] in {"serious", "critical"}]
        raise AssertionError("unreachable")

    return check
