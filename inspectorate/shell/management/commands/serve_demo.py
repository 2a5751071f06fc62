from __future__ import annotations

import ctypes
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from inspectorate.shell.management.commands.load_demo import demo_sign_in_text

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Linux: the child gets SIGTERM if this supervisor dies, even by SIGKILL."""
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


class Command(BaseCommand):
    help = "Serve the service with a background-task worker beside it (the demo's `make run`)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(demo_sign_in_text())
        self.stdout.write(f"\nServing on http://{options['addr']}/  (Ctrl-C stops it)\n")
        children = [
            self._start("procrastinate", "worker"),
            self._start("runserver", "--noreload", options["addr"]),
        ]
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            self._stop(children)

    def _start(self, *command: str) -> subprocess.Popen[bytes]:
        preexec = _die_with_parent if sys.platform.startswith("linux") else None
        # manage.py by its full path: `inspectorate serve` may run from any folder.
        manage = str(settings.BASE_DIR / "manage.py")
        return subprocess.Popen([sys.executable, manage, *command], preexec_fn=preexec)

    def _stop(self, children: list[subprocess.Popen[bytes]]) -> None:
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
