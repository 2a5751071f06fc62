"""Fixtures for the frameworks app: the shipped files, parsed or loaded, and variants of them."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from inspectorate.frameworks.constants import DATA_DIR
from inspectorate.frameworks.definition import FrameworkDef, parse_framework


def shipped_document(slug: str) -> dict[str, Any]:
    return json.loads((DATA_DIR / f"{slug}.json").read_text(encoding="utf-8"))


def shipped(slug: str) -> FrameworkDef:
    return parse_framework(shipped_document(slug), source=f"{slug}.json")


def strict_document(slug: str) -> dict[str, Any]:
    """A shipped framework with every limit made hard ("must"): a new file, not new code."""
    document = copy.deepcopy(shipped_document(slug))
    document["slug"] = f"{slug}-strict"
    document["name"] += " (hard limits)"
    for rule in document["rules"]:
        if rule["kind"] == "limit":
            rule["strength"] = "must"
    return document


def strict(slug: str) -> FrameworkDef:
    return parse_framework(strict_document(slug))


@pytest.fixture
def write_framework(tmp_path: Path) -> Callable[[dict[str, Any], str], Path]:
    def write(document: dict[str, Any], name: str = "framework.json") -> Path:
        path = tmp_path / name
        path.write_text(json.dumps(document, indent=2), encoding="utf-8")
        return path

    return write


@pytest.fixture
def frameworks(db: Any) -> dict[str, Any]:
    """Every shipped framework loaded into the database, by slug."""
    from inspectorate.frameworks.models import Framework
    from inspectorate.frameworks.services import frameworks_load

    frameworks_load(actor=None)
    return {framework.slug: framework for framework in Framework.objects.all()}
