"""The supply chain: every import declared, runtime and development apart, every pin hashed.

requirements/runtime.in and dev.in declare what the code imports; `make lock` pins them, with
hashes, in runtime.lock (the production install) and dev.lock (runtime plus the tools).
No database: these read the source tree, the lock files and the installed distributions' metadata.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterable, Iterator
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
REQUIREMENTS = ROOT / "requirements"
RUNTIME_IN = REQUIREMENTS / "runtime.in"
DEV_IN = REQUIREMENTS / "dev.in"
RUNTIME_LOCK = REQUIREMENTS / "runtime.lock"
DEV_LOCK = REQUIREMENTS / "dev.lock"
# Where first-party modules live: the project root (inspectorate, conftest) and bench/, which the
# benchmarks and mypy put on the path (its _setup helper).
FIRST_PARTY_DIRS = (ROOT, ROOT / "bench")
SETTINGS_FILES = sorted((ROOT / "inspectorate").glob("settings*.py"))
DEVELOPMENT_TOOLS = ("pytest", "playwright", "mypy", "ruff", "hypothesis")
DOTTED_PATH = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)+")
HASH = re.compile(r"--hash=sha256:[0-9a-f]{64}")


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared(path: Path) -> set[str]:
    """The distributions a requirements .in file declares, following its `-r` includes."""
    names: set[str] = set()
    for raw in path.read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if line.startswith("-r"):
            names |= _declared(path.parent / line[2:].strip())
        elif line and not line.startswith("-"):
            match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", line)
            assert match, f"{path.name}: cannot read the requirement {raw!r}"
            names.add(_canonical(match.group()))
    return names


def _lock_entries(path: Path) -> list[str]:
    """A lock file's requirements, each with its continuation lines joined, comments dropped."""
    text = path.read_text().replace("\\\n", " ")
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [line for line in lines if line]


def _locked(path: Path) -> dict[str, str]:
    """Distribution (canonical name) to the entry that pins it."""
    entries: dict[str, str] = {}
    for entry in _lock_entries(path):
        match = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)==", entry)
        assert match, f"{path.name}: {entry.split()[0]!r} is not pinned with =="
        entries[_canonical(match.group(1))] = entry
    return entries


def _is_first_party(module: str) -> bool:
    return any(
        (folder / f"{module}.py").exists() or (folder / module / "__init__.py").exists()
        for folder in FIRST_PARTY_DIRS
    )


def _is_third_party(module: str) -> bool:
    return module not in sys.stdlib_module_names and not _is_first_party(module)


def _imports(path: Path) -> Iterator[str]:
    """The top-level module of each absolute import in a source file."""
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0]


def _named_in_settings(path: Path, installed: Iterable[str]) -> Iterator[str]:
    """Modules settings name as dotted strings (INSTALLED_APPS, MIDDLEWARE, backends, ...)."""
    known = set(installed)
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and DOTTED_PATH.fullmatch(node.value)
        ):
            top = node.value.split(".")[0]
            if top in known:
                yield top


def _is_test_code(path: Path) -> bool:
    relative = path.relative_to(ROOT)
    return relative.parts[0] == "bench" or "tests" in relative.parts or path.name == "conftest.py"


def _sources() -> list[Path]:
    return [
        *(ROOT / "inspectorate").rglob("*.py"),
        *(ROOT / "bench").rglob("*.py"),
        ROOT / "conftest.py",
        ROOT / "manage.py",
    ]


def _undeclared(files: Iterable[Path], declared: set[str], extra: dict[str, Path]) -> list[str]:
    """One line per third-party module that no declared distribution provides."""
    providers = packages_distributions()
    used: dict[str, Path] = dict(extra)
    for path in files:
        for module in _imports(path):
            if _is_third_party(module):
                used.setdefault(module, path)
    problems = []
    for module, path in sorted(used.items()):
        where = path.relative_to(ROOT)
        distributions = {_canonical(name) for name in providers.get(module, [])}
        if not distributions:
            problems.append(f"{module} (used by {where}): no installed distribution has it")
        elif not distributions & declared:
            names = ", ".join(sorted(distributions))
            problems.append(f"{module} (used by {where}) comes from {names}: not declared")
    return problems


def test_every_module_the_service_imports_is_declared_for_runtime() -> None:
    service = [path for path in _sources() if not _is_test_code(path)]
    named = {
        module: path
        for path in SETTINGS_FILES
        for module in _named_in_settings(path, packages_distributions())
        if _is_third_party(module)
    }
    assert service
    assert "django" in named, "the settings scan found no module named in settings"
    assert _undeclared(service, _declared(RUNTIME_IN), named) == []


def test_every_module_the_tests_and_benchmarks_import_is_declared() -> None:
    tests = [path for path in _sources() if _is_test_code(path)]
    assert any(path.name == "conftest.py" for path in tests)
    assert any(path.parts[-2] == "bench" for path in tests)
    assert _undeclared(tests, _declared(DEV_IN), {}) == []


def test_the_runtime_lock_holds_no_development_tool() -> None:
    development_only = _declared(DEV_IN) - _declared(RUNTIME_IN)
    locked = _locked(RUNTIME_LOCK)
    assert sorted((development_only | set(DEVELOPMENT_TOOLS)) & locked.keys()) == []
    assert set(DEVELOPMENT_TOOLS) <= development_only, "dev.in declares the development tools"


@pytest.mark.parametrize("lock", [RUNTIME_LOCK, DEV_LOCK], ids=lambda path: path.name)
def test_every_locked_requirement_carries_a_hash(lock: Path) -> None:
    entries = _locked(lock)
    assert len(entries) > 50
    assert sorted(name for name, entry in entries.items() if not HASH.search(entry)) == []


@pytest.mark.parametrize(
    ("source", "lock"), [(RUNTIME_IN, RUNTIME_LOCK), (DEV_IN, DEV_LOCK)], ids=["runtime", "dev"]
)
def test_every_declared_distribution_is_locked(source: Path, lock: Path) -> None:
    """An edit of an .in file without `make lock` is caught here."""
    assert sorted(_declared(source) - _locked(lock).keys()) == []


def test_the_development_lock_pins_the_runtime_as_production_does() -> None:
    """Tests run the exact releases production installs: same version, same files."""
    runtime, dev = _locked(RUNTIME_LOCK), _locked(DEV_LOCK)
    differing = sorted(
        name for name, entry in runtime.items() if entry.split() != dev.get(name, "").split()
    )
    assert differing == []
