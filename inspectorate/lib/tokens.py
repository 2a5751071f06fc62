"""Secrets handed to a person (API tokens, calendar feed links) are stored only as a hash."""

from __future__ import annotations

import hashlib


def token_hash(secret: str) -> str:
    """The SHA-256 of `secret`, in hex: what is stored and looked up instead of the secret."""
    return hashlib.sha256(secret.encode()).hexdigest()
