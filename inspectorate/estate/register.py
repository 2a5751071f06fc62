"""Reading the public prison register (GOV.UK registers, Open Government Licence), and
bringing it up to date.

Pure functions: a register row becomes an EstablishmentRecord with its kind, nation and
operator derived from the name prefix, a list of Welsh establishments, and the Companies
House numbers of the contractors. The register was published around 2017; what has changed
since (closures, new names, new prisons) is in `register-changes.tsv` beside it, one fact a
row, each with its source and the date it was checked. Every record carries its facts, so
the service can say where each one comes from.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from inspectorate.estate.constants import DatePrecision, EstablishmentKind, FactKind, Nation

DATA_DIR = Path(__file__).resolve().parent / "data"
REGISTER = DATA_DIR / "prison-register.tsv"
CHANGES = DATA_DIR / "register-changes.tsv"
REGISTER_SOURCE = (
    "GOV.UK prison register (register.gov.uk, Open Government Licence), as published around 2017"
)

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
class Fact:
    kind: str
    on: date | None
    precision: str  # a DatePrecision: how much of the date the source gives
    detail: str
    source: str  # a web address, or the register's own description
    checked_on: date | None  # None: the register snapshot, not checked again since


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
    renamed_from: str = ""
    facts: tuple[Fact, ...] = field(default=())


@dataclass(frozen=True)
class Change:
    """One row of `register-changes.tsv`."""

    code: str
    kind: str
    on: date | None
    precision: str
    name: str
    operator: str
    source: str
    checked_on: date


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


def date_precision(text: str) -> str:
    """How much of a YYYY, YYYY-MM or YYYY-MM-DD date is given."""
    parts = len(text.strip().split("-"))
    return {1: DatePrecision.YEAR, 2: DatePrecision.MONTH}.get(parts, DatePrecision.DAY)


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
            name = row["name"].strip()
            kind, function = kind_and_function(name)
            number = _company_number(row["operator"])
            closed_on = parse_end_date(row["end-date"])
            facts = [Fact(FactKind.LISTED, None, DatePrecision.DAY, name, REGISTER_SOURCE, None)]
            if closed_on:
                precision = date_precision(row["end-date"])
                facts.append(Fact(FactKind.CLOSED, closed_on, precision, "", REGISTER_SOURCE, None))
            yield EstablishmentRecord(
                code=code,
                name=name,
                kind=kind,
                function=function,
                nation=Nation.WALES if code in WELSH_PRISONS else Nation.ENGLAND,
                operator=CONTRACTORS.get(number, f"Company {number}" if number else ""),
                operator_company_number=number,
                closed_on=closed_on,
                facts=tuple(facts),
            )


def register_changes(path: Path = CHANGES) -> list[Change]:
    """The changes since the register, in file order; a row that does not make sense is a
    ValueError naming its line."""
    changes = []
    with path.open(newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle, delimiter="\t"), start=2):
            kind = row["change"].strip()
            if kind not in (FactKind.OPENED, FactKind.CLOSED, FactKind.RENAMED, FactKind.NAMED):
                raise ValueError(f"{path.name} line {line}: unknown change '{kind}'")
            if kind in (FactKind.RENAMED, FactKind.NAMED) and not row["name"].strip():
                raise ValueError(f"{path.name} line {line}: a {kind} row needs the new name")
            if not row["source"].strip() or not row["checked"].strip():
                raise ValueError(f"{path.name} line {line}: every change needs its source")
            changes.append(
                Change(
                    code=row["prison"].strip(),
                    kind=kind,
                    on=parse_end_date(row["date"]),
                    precision=date_precision(row["date"]),
                    name=row["name"].strip(),
                    operator=row["operator"].strip(),
                    source=row["source"].strip(),
                    checked_on=date.fromisoformat(row["checked"].strip()),
                )
            )
    return changes


def _new_establishment(change: Change) -> EstablishmentRecord:
    if not change.name:
        raise ValueError(f"{change.code} opened after the register: its row needs a name")
    kind, function = kind_and_function(change.name)
    return EstablishmentRecord(
        code=change.code,
        name=change.name,
        kind=kind,
        function=function,
        nation=Nation.WALES if change.code in WELSH_PRISONS else Nation.ENGLAND,
        operator=change.operator,
        operator_company_number="",
        closed_on=None,
    )


def _apply(record: EstablishmentRecord, change: Change) -> EstablishmentRecord:
    detail = change.name
    values: dict[str, object] = {}
    if change.kind == FactKind.OPENED:
        values["opened_on"] = change.on
    elif change.kind == FactKind.CLOSED:
        values["closed_on"] = change.on or date.min
    elif change.kind == FactKind.RENAMED:
        detail = record.name
        values.update(name=change.name, renamed_from=record.name)
    else:  # named: the register's name corrected
        values["name"] = change.name
    if change.operator:
        values["operator"] = change.operator
    fact = Fact(change.kind, change.on, change.precision, detail, change.source, change.checked_on)
    return replace(record, **values, facts=(*record.facts, fact))  # type: ignore[arg-type]


def establishment_records(
    register: Path = REGISTER, changes: Path = CHANGES
) -> list[EstablishmentRecord]:
    """Every establishment of the register brought up to date, open or closed, with the
    facts that make it so; new establishments after those of the register."""
    records = {record.code: record for record in register_records(register)}
    for change in register_changes(changes):
        record = records.get(change.code) or _new_establishment(change)
        records[change.code] = _apply(record, change)
    return list(records.values())


def open_establishments() -> list[EstablishmentRecord]:
    """Every open establishment of England and Wales, the register brought up to date."""
    return [record for record in establishment_records() if record.closed_on is None]


def register_establishments() -> list[EstablishmentRecord]:
    """What the service's register holds: every open establishment, and those that closed
    since the register was published (shown as closed, never planned)."""
    closed_since = {c.code for c in register_changes() if c.kind == FactKind.CLOSED}
    return [
        record
        for record in establishment_records()
        if record.closed_on is None or record.code in closed_since
    ]
