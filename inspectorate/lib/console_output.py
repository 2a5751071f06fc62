"""Writing a command's file: to standard output, or to a path only once it is complete."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

STDOUT = "-"
BAD_INPUT = 2  # the exit code for a command line that names something wrong


def bad_input(message: str) -> CommandError:
    return CommandError(message, returncode=BAD_INPUT)


def check_output(output: str, *, binary: bool) -> None:
    """Refuse, before any work, an output that cannot be written."""
    if output == STDOUT:
        if binary and sys.stdout.isatty():
            raise bad_input("An Excel file cannot be shown in the terminal: add --output FILE.")
        return
    path = Path(output)
    if path.is_dir():
        raise bad_input(f"{output} is a folder: name a file with --output.")
    if not path.parent.is_dir():
        raise bad_input(f"Cannot write {output}: the folder {path.parent} does not exist.")


def write_output(output: str, data: bytes, stdout: Any) -> None:
    """Write `data` whole: a file appears only when complete (written beside it, then renamed)."""
    if output == STDOUT:
        stream = getattr(stdout, "_out", stdout)
        buffer = getattr(stream, "buffer", None)
        if buffer is not None:
            buffer.write(data)
            buffer.flush()
        else:
            stream.write(data.decode())
        return
    path = Path(output)
    partial = path.with_name(f".{path.name}.partial-{os.getpid()}")
    try:
        partial.write_bytes(data)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
