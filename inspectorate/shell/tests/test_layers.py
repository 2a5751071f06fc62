"""The apps are layered: an app imports, at module level, only apps of lower layers, so no
import cycle runs between apps (issue 19). A lower app's page that shows a higher app's panel
takes it through a registry the higher app fills from its AppConfig.ready()
(inspectorate.lib.contributions, the establishment timeline's sources).

Imports inside functions are checked too: the few that still reach up, where a lower app
builds on a higher one lazily, are listed in LAZY_UPWARD with why.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import inspectorate

# Lowest first; apps of one layer are peers and import none of each other.
LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"lib"}),
    frozenset({"audit"}),  # refers to users by AUTH_USER_MODEL; accounts are audited
    frozenset({"accounts"}),
    frozenset({"estate"}),
    frozenset({"inspectors"}),
    frozenset({"frameworks"}),
    frozenset({"programme"}),
    frozenset({"inspections"}),
    frozenset({"improvement", "complaints", "safeguarding"}),
    frozenset({"reports"}),  # its letters include the improvement visit's (SC-4)
    frozenset({"imports"}),
    frozenset({"planner", "calendars", "retention"}),
    frozenset({"api"}),
    frozenset({"shell"}),
)
# The imports inside functions that still reach up a layer, each with why it is lazy.
LAZY_UPWARD: dict[str, str] = {
    "inspectorate/estate/selectors.py imports inspectorate.inspections.constants": "the "
    "establishment page's last judgements",
    "inspectorate/estate/selectors.py imports inspectorate.inspections.models": "the "
    "establishment page's last judgements",
    "inspectorate/frameworks/selectors.py imports inspectorate.inspections.models": "whether "
    "a framework version is in use by a judgement",
    "inspectorate/programme/selectors.py imports inspectorate.inspections.models": "an "
    "event's previous judgement",
    "inspectorate/improvement/services.py imports inspectorate.reports.letters": "the "
    "support-and-challenge letter's text, written with the reports' letters (SC-4)",
    "inspectorate/programme/services.py imports inspectorate.reports.letters": "the "
    "amendment and announcement letters' text",
    "inspectorate/reports/demo.py imports inspectorate.shell.demo": "the demo's one password",
}
LAYER_OF = {app: rank for rank, apps in enumerate(LAYERS) for app in apps}

ROOT = Path(inspectorate.__file__).parent


def _apps() -> set[str]:
    return {path.parent.name for path in ROOT.glob("*/__init__.py")}


def _modules() -> Iterator[Path]:
    """Every module of every app, without its tests and migrations."""
    for path in sorted(ROOT.glob("*/**/*.py")):
        parts = path.relative_to(ROOT).parts
        if "tests" not in parts and "migrations" not in parts:
            yield path


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _module_level(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The statements run when the module is imported: not those of functions, nor those
    only a type checker reads."""
    for node in body:
        yield node
        if isinstance(node, ast.If) and not _is_type_checking(node):
            yield from _module_level(node.body + node.orelse)
        elif isinstance(node, ast.Try):
            handlers = [stmt for handler in node.handlers for stmt in handler.body]
            yield from _module_level(node.body + handlers + node.orelse + node.finalbody)
        elif isinstance(node, ast.With | ast.ClassDef):
            yield from _module_level(node.body)


def _in_functions(tree: ast.Module) -> Iterator[ast.stmt]:
    """The statements inside functions, run only when the function is called."""
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield from (stmt for stmt in ast.walk(node) if isinstance(stmt, ast.stmt))


def _imported(node: ast.stmt, path: Path) -> list[str]:
    """The dotted names `node` imports, relative imports resolved against `path`."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    module = node.module or ""
    if node.level:
        package = ["inspectorate", *path.relative_to(ROOT).with_suffix("").parts[:-1]]
        module = ".".join([*package[: len(package) - node.level + 1], *filter(None, [module])])
    if module == "inspectorate":  # from inspectorate import estate
        return [f"inspectorate.{alias.name}" for alias in node.names]
    return [module]


def _upward_imports(everywhere: bool = False) -> list[str]:
    """Imports that reach up a layer or across it: at module level, or `everywhere`
    (inside functions too)."""
    problems = []
    for path in _modules():
        app = path.relative_to(ROOT).parts[0]
        tree = ast.parse(path.read_text(), str(path))
        nodes = [*_module_level(tree.body), *(_in_functions(tree) if everywhere else [])]
        for node in nodes:
            for name in _imported(node, path):
                parts = name.split(".")
                if len(parts) < 2 or parts[0] != "inspectorate" or parts[1] == app:
                    continue
                other = parts[1]
                if other in LAYER_OF and LAYER_OF[other] >= LAYER_OF[app]:
                    where = path.relative_to(ROOT.parent)
                    problems.append(
                        f"{where}:{node.lineno} imports {name}: {app} may not import "
                        f"{other} ({'a peer' if LAYER_OF[other] == LAYER_OF[app] else 'higher'})"
                    )
    return problems


def test_every_app_has_a_layer() -> None:
    assert _apps() == set(LAYER_OF)


def test_no_app_imports_a_higher_app_at_module_level() -> None:
    problems = _upward_imports()
    assert not problems, "\n".join(problems)


def _without_line(problem: str) -> str:
    where, _, rest = problem.partition(" imports ")
    return f"{where.rsplit(':', 1)[0]} imports {rest.split(':', 1)[0]}"


def test_imports_inside_functions_reach_up_only_where_listed() -> None:
    """A function may import a higher app only where LAZY_UPWARD says why; a new one fails
    here, and so does a listed one that is gone (the list stays true)."""
    lazy = {_without_line(problem) for problem in _upward_imports(everywhere=True)}
    eager = {_without_line(problem) for problem in _upward_imports()}
    assert lazy - eager == set(LAZY_UPWARD), "\n".join(sorted(lazy - eager ^ set(LAZY_UPWARD)))
