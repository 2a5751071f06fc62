"""Production settings: secure, and loud about a missing secret."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "inspectorate.settings_production",
    "DJANGO_SECRET_KEY": "a-production-secret-of-fifty-or-more-characters-0123456789-abcdefgh",
    "DJANGO_ALLOWED_HOSTS": "inspectorate.example.gov.uk",
    "DATABASE_URL": "postgres://inspectorate@db.invalid:5432/inspectorate",
    "INSPECTORATE_AUDIT_KEY": "an-audit-checkpoint-key-of-32-or-more-characters-0123456789",
    "INSPECTORATE_AUDIT_CHECKPOINTS": "/srv/worm/inspectorate/audit-checkpoints.jsonl",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deployment_checks() -> None:
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


def test_production_silences_no_security_check() -> None:
    result = _manage("diffsettings", "--all", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "SILENCED_SYSTEM_CHECKS = []" in result.stdout
    assert "DEBUG = False" in result.stdout


def test_a_missing_secret_stops_production_naming_it() -> None:
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set for production" in result.stderr
