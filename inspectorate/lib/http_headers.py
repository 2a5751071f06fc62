"""Policy headers written out from the settings' dictionaries: the shell's middleware and
the API's browsable pages both send them."""

from __future__ import annotations


def policy_header(directives: dict[str, list[str]]) -> str:
    """`{"default-src": ["'self'"], "upgrade-insecure-requests": []}` as a header value."""
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


def permissions_header(features: dict[str, list[str]]) -> str:
    """`{"camera": []}` as `camera=()`: the feature is refused to every origin."""
    return ", ".join(f"{name}=({' '.join(allowed)})" for name, allowed in features.items())
