#!/usr/bin/env python
"""Django's command-line utility. Commands run inside an audit context that names them."""

import contextlib
import os
import sys

# Schema migrations run raw SQL that pghistory's context injection would corrupt ('%' signs);
# they change no domain records, so they run without it.
_UNTRACKED_COMMANDS = {"migrate", "makemigrations", "sqlmigrate", "showmigrations"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inspectorate.settings")
    import django
    import pghistory
    from django.core.management import execute_from_command_line

    django.setup()
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    audit_context = (
        contextlib.nullcontext()
        if command in _UNTRACKED_COMMANDS
        else pghistory.context(command=" ".join(["manage.py", *sys.argv[1:]])[:500])
    )
    with audit_context:
        execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
