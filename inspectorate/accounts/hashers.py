"""A password hasher for the test suite only (see conftest.py)."""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class CheapArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 at its smallest costs. Tests create thousands of users; at the real costs
    hashing their passwords is most of the suite's time. Never in settings.py."""

    time_cost = 1
    memory_cost = 64  # KiB
    parallelism = 1
