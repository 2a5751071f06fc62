from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from inspectorate.shell.management.commands.load_demo import demo_sign_in_text

_PR_SET_PDEATHSIG = 1
# Sync workers, one request and one database connection each: a crawl of any size holds at
# most this many connections (the development server held one per concurrent client).
DEFAULT_WEB_WORKERS = 3


def _die_with_parent() -> None:
    """Linux: the child gets SIGTERM if this supervisor dies, even by SIGKILL."""
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


class Command(BaseCommand):
    help = (
        "Serve the service as in production (gunicorn, DEBUG off, static files by WhiteNoise) "
        "with a background-task worker beside it: the demo's `make run`."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--addr",
            default=os.environ.get("INSPECTORATE_ADDR", "127.0.0.1:8000"),
            help="host:port (default $INSPECTORATE_ADDR or %(default)s)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("INSPECTORATE_WEB_WORKERS", DEFAULT_WEB_WORKERS)),
            help="gunicorn sync workers (default %(default)s)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(demo_sign_in_text())
        self.stdout.write(f"\nServing on http://{options['addr']}/  (Ctrl-C stops it)\n")
        children = [
            self._start([self._manage(), "run_worker"]),
            self._start(gunicorn_command(options["addr"], options["workers"])),
        ]
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            self._stop(children)

    def _manage(self) -> str:
        # manage.py by its full path: `inspectorate serve` may run from any folder.
        return str(settings.BASE_DIR / "manage.py")

    def _start(self, command: list[str]) -> subprocess.Popen[bytes]:
        preexec = _die_with_parent if sys.platform.startswith("linux") else None
        return subprocess.Popen(
            [sys.executable, *command], preexec_fn=preexec, cwd=settings.BASE_DIR
        )

    def _stop(self, children: list[subprocess.Popen[bytes]]) -> None:
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()


def gunicorn_command(addr: str, workers: int) -> list[str]:
    """gunicorn's arguments (after the Python executable) for the WSGI application."""
    return [
        "-m",
        "gunicorn",
        "inspectorate.wsgi",
        "--bind",
        addr,
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--timeout",
        "120",
        "--graceful-timeout",
        "10",
        "--access-logfile",
        "-",
        # gunicorn's control socket is one path per machine user: two demos would collide.
        "--no-control-socket",
    ]
