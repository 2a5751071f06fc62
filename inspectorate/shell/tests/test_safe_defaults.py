"""Safe by default: DEBUG is off unless DJANGO_DEBUG=1 asks for it, so a stranger probing an
unknown address gets the service's own "Page not found", never Django's technical page that
lists every URL pattern. The demo is served as production is: gunicorn's sync workers, a
bounded number of database connections."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from inspectorate.shell.management.commands.serve_demo import (
    DEFAULT_WEB_WORKERS,
    gunicorn_command,
)

ROOT = Path(__file__).resolve().parents[3]

PROBE = """
import django
django.setup()
from django.conf import settings
from django.test import Client
response = Client().get("/no-such-page/")
print("DEBUG", settings.DEBUG)
print("STATUS", response.status_code)
print("TECHNICAL", "Using the URLconf defined in" in response.text)
print("OWN", "If you typed the web address, check it is correct." in response.text)
"""


def _probe(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "inspectorate.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_an_unknown_url_under_the_default_settings_is_the_service_own_404() -> None:
    out = _probe()
    assert "DEBUG False" in out
    assert "STATUS 404" in out
    assert "TECHNICAL False" in out
    assert "OWN True" in out


def test_debug_is_on_only_when_explicitly_asked_for() -> None:
    assert "DEBUG True" in _probe(DJANGO_DEBUG="1")
    for value in ("0", "true"):
        assert "DEBUG False" in _probe(DJANGO_DEBUG=value), value


def test_the_demo_is_served_by_a_bounded_number_of_sync_workers() -> None:
    command = gunicorn_command("127.0.0.1:8104", DEFAULT_WEB_WORKERS)
    assert command[:3] == ["-m", "gunicorn", "inspectorate.wsgi"]
    assert command[command.index("--worker-class") + 1] == "sync"
    assert command[command.index("--workers") + 1] == str(DEFAULT_WEB_WORKERS)
    assert command[command.index("--bind") + 1] == "127.0.0.1:8104"
