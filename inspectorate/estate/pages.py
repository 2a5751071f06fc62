"""What higher apps add to the estate's pages (see inspectorate.lib.contributions): the
inspections app its recommendation chain, the improvement app its cases."""

from __future__ import annotations

from typing import Any

from inspectorate.estate.models import Establishment
from inspectorate.lib.contributions import PageContributions

# Called with (establishment, user).
establishment_page: PageContributions[[Establishment, Any]] = PageContributions(
    "estate:establishment-detail"
)
