"""Import every module of the service (tests and migrations aside) under the current settings.

`make check-runtime` runs it in a venv holding only requirements/runtime.lock: a module that
imports a development-only package fails here, by name.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import django


def main() -> int:
    django.setup()
    import inspectorate

    failures = []
    count = 0
    for module in pkgutil.walk_packages(inspectorate.__path__, "inspectorate."):
        if ".tests" in module.name or ".migrations" in module.name:
            continue
        try:
            importlib.import_module(module.name)
        except ImportError as error:
            failures.append(f"{module.name}: {error}")
        count += 1
    for failure in failures:
        print(failure, file=sys.stderr)
    print(f"{count} modules, {len(failures)} failed to import")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
