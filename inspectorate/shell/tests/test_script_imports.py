"""The scripts without a .py ending (the fault drill) are not type-checked: every name they
import from the service must still exist, or CI's fault drill fails after a refactor."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

SCRIPTS = [Path(__file__).resolve().parents[3] / "scripts" / "fault-drill"]


def _service_imports(script: Path) -> list[tuple[str, str]]:
    tree = ast.parse(script.read_text())
    return [
        (node.module, alias.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        and node.module is not None
        and node.module.startswith("inspectorate")
        for alias in node.names
    ]


def _exists(module_name: str, name: str) -> bool:
    module = importlib.import_module(module_name)
    if hasattr(module, name):
        return True
    try:
        importlib.import_module(f"{module_name}.{name}")
    except ImportError:
        return False
    return True


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_every_name_a_script_imports_from_the_service_exists(script: Path) -> None:
    imports = _service_imports(script)
    assert imports, "the script imports nothing from the service: is the path right?"
    missing = [f"{module}.{name}" for module, name in imports if not _exists(module, name)]
    assert missing == []
