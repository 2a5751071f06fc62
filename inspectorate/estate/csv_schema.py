"""The columns of the establishment and provider-contract spreadsheets.

Export writes these columns in this order and import reads them, so a file exported here
imports unchanged. Choices are written as their stored value; import also accepts labels.
"""

from __future__ import annotations

import re

from inspectorate.estate.constants import (
    EstablishmentKind,
    EstablishmentStatus,
    Nation,
    ProviderService,
    Region,
    SecurityCategory,
)
from inspectorate.lib.csvio import CellError, Column, choice_column, parse_date, parse_int

CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,9}$")
UKPRN_PATTERN = re.compile(r"^[0-9]{8}$")


def parse_code(text: str) -> str:
    """An establishment code: up to 10 capital letters, digits or hyphens (lower case is raised)."""
    code = text.strip().upper()
    if not CODE_PATTERN.match(code):
        raise CellError(f"'{text}' is not a code: use up to 10 letters, digits or hyphens")
    return code


def parse_ukprn(text: str) -> str:
    if not UKPRN_PATTERN.match(text):
        raise CellError(f"'{text}' is not a UK provider reference number: it is 8 digits")
    return text


ESTABLISHMENT_COLUMNS = (
    Column("code", parse_code, help="The establishment's code, such as LE. Matches records."),
    Column("name", help="Its name, such as HMP Leeds."),
    choice_column("kind", EstablishmentKind),
    Column("function", required=False, help="For example 'Category B local prison'."),
    choice_column("nation", Nation),
    choice_column("region", Region, required=False),
    choice_column("security_category", SecurityCategory, required=False),
    Column(
        "max_inspectors_on_site",
        parse_int,
        required=False,
        help="The most inspectors the site can take at once (PG-11).",
    ),
    Column(
        "probation_group",
        parse_int,
        required=False,
        help="Probation areas only: 1, 2, 3 or 4 (PG-13).",
    ),
    Column("operator", required=False, help="The contractor running it; empty for public sector."),
    Column(
        "operator_company_number", required=False, help="The contractor's Companies House number."
    ),
    choice_column("status", EstablishmentStatus),
    Column("opened_on", parse_date, required=False, help="YYYY-MM-DD."),
    Column("closed_on", parse_date, required=False, help="YYYY-MM-DD; closed establishments only."),
)

# Model fields written from an establishment row, beside the code.
ESTABLISHMENT_FIELDS = tuple(column.name for column in ESTABLISHMENT_COLUMNS[1:])
# Text fields store an empty cell as "" rather than NULL.
ESTABLISHMENT_TEXT_FIELDS = frozenset(
    {"name", "kind", "function", "nation", "region", "security_category", "operator"}
    | {"operator_company_number", "status"}
)

CONTRACT_COLUMNS = (
    Column("establishment_code", parse_code, help="The code of an establishment already here."),
    Column("provider", help="The provider's name; a provider not yet known is added."),
    Column(
        "provider_ukprn",
        parse_ukprn,
        required=False,
        help="8 digits; empty leaves the provider's reference as it is.",
    ),
    choice_column("service", ProviderService),
    Column(
        "contract_name",
        required=False,
        help="What it was let under, such as Prison Education Framework.",
    ),
    Column("starts_on", parse_date, help="YYYY-MM-DD. With the first columns, matches records."),
    Column("ends_on", parse_date, required=False, help="YYYY-MM-DD; empty while it runs."),
)
