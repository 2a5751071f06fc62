"""Reading required configuration from the environment, failing loudly when it is missing."""

from __future__ import annotations

import os


class MissingSetting(RuntimeError):
    """A setting production cannot run without is not in the environment."""


def required(name: str) -> str:
    """The value of environment variable `name`; raise naming it when it is unset or empty."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise MissingSetting(
            f"The environment variable {name} must be set for production; it is missing or empty."
        )
    return value


def required_list(name: str) -> list[str]:
    """A comma-separated environment variable as a list, required to hold at least one item."""
    return [item.strip() for item in required(name).split(",") if item.strip()]


def integer(name: str, default: int) -> int:
    """A whole number of at least 0 from environment variable `name`, or `default` if unset."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit():
        raise MissingSetting(
            f"The environment variable {name} must be a whole number, not {value!r}."
        )
    return int(value)
