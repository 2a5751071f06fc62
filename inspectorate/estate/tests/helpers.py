"""Small builders shared by the estate tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from inspectorate.estate.models import Establishment, Provider, ProviderContract


def make_establishment(code: str, name: str | None = None, **values: Any) -> Establishment:
    values.setdefault("kind", "prison")
    return Establishment.objects.create(code=code, name=name or f"HMP {code}", **values)


def make_contract(
    establishment: Establishment,
    provider: str = "Novus",
    starts_on: date = date(2019, 4, 1),
    **values: Any,
) -> ProviderContract:
    values.setdefault("service", "education")
    return ProviderContract.objects.create(
        establishment=establishment,
        provider=Provider.objects.get_or_create(name=provider)[0],
        starts_on=starts_on,
        **values,
    )


def date_post(prefix: str, value: date | None) -> dict[str, str]:
    """The three GOV.UK date boxes of a form field, as posted."""
    if value is None:
        return {f"{prefix}_day": "", f"{prefix}_month": "", f"{prefix}_year": ""}
    return {
        f"{prefix}_day": str(value.day),
        f"{prefix}_month": str(value.month),
        f"{prefix}_year": str(value.year),
    }
