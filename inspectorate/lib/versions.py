"""Optimistic concurrency shared by every app: a write names the version it read."""

from __future__ import annotations

from typing import Any


class StaleVersion(Exception):
    """Someone else saved the record after it was read: nothing was written. Each app
    words its own message; the API answers any of them 412."""

    def __init__(self, record: Any, message: str) -> None:
        self.record = record
        super().__init__(message)
