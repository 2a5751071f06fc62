from __future__ import annotations

import subprocess
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from inspectorate.shell.management.commands.load_demo import demo_sign_in_text


class Command(BaseCommand):
    help = "Serve the service with a background-task worker beside it (the demo's `make run`)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        worker = subprocess.Popen([sys.executable, "manage.py", "procrastinate", "worker"])
        self.stdout.write(demo_sign_in_text())
        self.stdout.write(f"\nServing on http://{options['addr']}/  (Ctrl-C stops it)\n")
        try:
            call_command("runserver", options["addr"], use_reloader=False)
        finally:
            worker.terminate()
            worker.wait(timeout=10)
