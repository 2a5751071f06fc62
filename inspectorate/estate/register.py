"""Reading the public prison register (GOV.UK registers, Open Government Licence).

Pure functions: a register row becomes an EstablishmentRecord with its kind, nation and
operator derived from the name prefix, a list of Welsh establishments, and the Companies
House numbers of the contractors. The register predates a few prisons; those are in
`prisons-since-register.tsv` beside it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from inspectorate.estate.constants import EstablishmentKind, Nation

DATA_DIR = Path(__file__).resolve().parent / "data"
REGISTER = DATA_DIR / "prison-register.tsv"
ADDED_SINCE = DATA_DIR / "prisons-since-register.tsv"

WELSH_PRISONS = frozenset({"BW", "CF", "PR", "SW", "UK"})

# Contractors by Companies House number, as they ran prisons when the register was taken.
CONTRACTORS = {
    "00390328": "G4S Care and Justice Services",
    "02984969": "G4S Care and Justice Services",
    "03045222": "G4S Care and Justice Services",
    "03682678": "G4S Care and Justice Services",
    "00242246": "Serco",
    "03154430": "Serco",
    "03403669": "Serco",
    "03471077": "Serco",
    "07279250": "Serco",
    "00842846": "Sodexo Justice Services",
    "03509050": "Sodexo Justice Services",
    "04334205": "Sodexo Justice Services",
    "04350276": "Sodexo Justice Services",
}


@dataclass(frozen=True)
class EstablishmentRecord:
    code: str
    name: str
    kind: EstablishmentKind
    function: str
    nation: Nation
    operator: str
    operator_company_number: str
    closed_on: date | None
    opened_on: date | None = None


def kind_and_function(name: str) -> tuple[EstablishmentKind, str]:
    """The kind of establishment, and its function in words, from the register name."""
    if name.startswith("HMIRC"):
        return EstablishmentKind.IMMIGRATION_REMOVAL_CENTRE, "Immigration removal centre"
    if name.endswith("STC"):
        return EstablishmentKind.SECURE_TRAINING_CENTRE, "Secure training centre"
    if name.startswith("HMYOI"):
        return EstablishmentKind.YOUNG_OFFENDER_INSTITUTION, "Young offender institution"
    if "HMP/YOI" in name:
        return EstablishmentKind.PRISON, "Prison and young offender institution"
    return EstablishmentKind.PRISON, "Prison"


def parse_end_date(text: str) -> date | None:
    """Register end dates are YYYY, YYYY-MM or YYYY-MM-DD; a partial one means its start."""
    text = text.strip()
    if not text:
        return None
    parts = [int(part) for part in text.split("-")]
    return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def _company_number(operator: str) -> str:
    return operator.removeprefix("company:").strip()


def register_records(path: Path = REGISTER) -> Iterator[EstablishmentRecord]:
    """Every row of the register, the first row of a code winning (later rows re-use codes)."""
    seen: set[str] = set()
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            code = row["prison"].strip()
            if code in seen:
                continue
            seen.add(code)
            kind, function = kind_and_function(row["name"].strip())
            number = _company_number(row["operator"])
            yield EstablishmentRecord(
                code=code,
                name=row["name"].strip(),
                kind=kind,
                function=function,
                nation=Nation.WALES if code in WELSH_PRISONS else Nation.ENGLAND,
                operator=CONTRACTORS.get(number, f"Company {number}" if number else ""),
                operator_company_number=number,
                closed_on=parse_end_date(row["end-date"]),
            )


def added_since_register(path: Path = ADDED_SINCE) -> Iterator[EstablishmentRecord]:
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            kind, function = kind_and_function(row["name"])
            yield EstablishmentRecord(
                code=row["prison"],
                name=row["name"],
                kind=kind,
                function=function,
                nation=Nation.ENGLAND,
                operator=row["operator"],
                operator_company_number="",
                closed_on=None,
                opened_on=date.fromisoformat(row["opened"]),
            )


def open_establishments() -> list[EstablishmentRecord]:
    """Every open establishment of England and Wales known to the register and since."""
    records = [r for r in register_records() if r.closed_on is None]
    return records + list(added_since_register())
