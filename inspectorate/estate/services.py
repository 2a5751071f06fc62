"""Writes about establishments, providers and their contracts.

Every write checks the actor's permission, validates with messages naming the field,
writes inside one transaction, bumps `version`, and refuses a stale version.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from inspectorate.estate.constants import (
    EstablishmentKind,
    EstablishmentStatus,
    Nation,
    ProviderService,
    Region,
    SecurityCategory,
)
from inspectorate.estate.csv_schema import (
    CONTRACT_COLUMNS,
    ESTABLISHMENT_COLUMNS,
    ESTABLISHMENT_FIELDS,
    ESTABLISHMENT_TEXT_FIELDS,
)
from inspectorate.estate.models import Establishment, Provider, ProviderContract, RegisterFact
from inspectorate.estate.policy import PROBATION_GROUPS
from inspectorate.estate.register import EstablishmentRecord
from inspectorate.lib.csvio import (
    ImportRejected,
    ImportResult,
    RowError,
    check_unique,
    read_rows,
)
from inspectorate.lib.versions import save_changes, update_at_version
from inspectorate.lib.wording import lower_first

if TYPE_CHECKING:
    from inspectorate.accounts.models import User

MAX_ON_SITE = 100
NON_CUSTODIAL_KINDS = frozenset(
    {EstablishmentKind.PROBATION_AREA, EstablishmentKind.FURTHER_EDUCATION_PROVIDER}
)
COMPANY_NUMBER_PATTERN = re.compile(r"^([0-9]{8}|[A-Z]{2}[0-9]{6})$")

# The fields an establishment's edit form and import write (the code is its natural key).
EDITABLE_FIELDS = ESTABLISHMENT_FIELDS


def _stale_wording(record: Establishment | ProviderContract) -> str:
    """The estate screens' words for a record saved by someone else after the form opened."""
    return (
        f"{record} was changed by someone else while you were editing it. "
        "Your changes have not been saved. Check the values now saved, then save again."
    )


def _require(actor: User, permission: str, what: str) -> None:
    if not actor.has_perm(permission):
        raise PermissionDenied(f"You cannot {what}.")


# Establishments -------------------------------------------------------------------------


def _kind_label(kind: str) -> str:
    return lower_first(EstablishmentKind(kind).label)


_Check = Callable[[Mapping[str, Any]], str]


def _one_of(field: str, choices: Collection[str], message: str) -> _Check:
    """A check that the field's value is one of `choices`."""
    return lambda values: "" if (values.get(field) or "") in choices else message


def _at_most_200(field: str, label: str) -> _Check:
    """A check that the field's text is at most 200 characters."""
    return lambda values: (
        f"{label} must be 200 characters or fewer" if len(values.get(field) or "") > 200 else ""
    )


def _name_problem(values: Mapping[str, Any]) -> str:
    name = values.get("name") or ""
    if not name.strip():
        return "Enter the establishment's name"
    if len(name) > 200:
        return "Name must be 200 characters or fewer"
    return ""


def _first_problem(*checks: _Check) -> _Check:
    """A check that runs `checks` in turn and says the first problem one of them finds."""
    return lambda values: next((problem for check in checks if (problem := check(values))), "")


def _region_for_nation(values: Mapping[str, Any]) -> str:
    nation = values.get("nation") or ""
    region = values.get("region") or ""
    if nation == Nation.WALES and region not in {"", Region.WALES}:
        return "Region must be Wales for an establishment in Wales"
    if nation == Nation.ENGLAND and region == Region.WALES:
        return "Region cannot be Wales for an establishment in England"
    if nation in {Nation.SCOTLAND, Nation.NORTHERN_IRELAND} and region:
        return "Leave region empty for an establishment outside England and Wales"
    return ""


def _security_category_for_kind(values: Mapping[str, Any]) -> str:
    kind = values.get("kind") or ""
    category = values.get("security_category") or ""
    if kind in NON_CUSTODIAL_KINDS and category not in {"", SecurityCategory.NOT_APPLICABLE}:
        return f"Security category does not apply to a {_kind_label(kind)}: leave it empty"
    return ""


def _on_site_maximum_problem(values: Mapping[str, Any]) -> str:
    maximum = values.get("max_inspectors_on_site")
    if maximum is not None and not 1 <= maximum <= MAX_ON_SITE:
        return f"On-site maximum must be a whole number from 1 to {MAX_ON_SITE} inspectors"
    return ""


def _probation_group_problem(values: Mapping[str, Any]) -> str:
    kind = values.get("kind") or ""
    group = values.get("probation_group")
    if group is None:
        return ""
    if group not in PROBATION_GROUPS:
        return "Probation group must be 1, 2, 3 or 4"
    if kind and kind != EstablishmentKind.PROBATION_AREA:
        label = _kind_label(kind) if kind in EstablishmentKind.values else ""
        return (
            f"Only a probation area has a probation group: leave probation group empty "
            f"for a {label or 'establishment that is not a probation area'}"
        )
    return ""


def _company_number_problem(values: Mapping[str, Any]) -> str:
    number = values.get("operator_company_number") or ""
    if number and not COMPANY_NUMBER_PATTERN.match(number):
        return "Company number must be 8 characters, such as 02984969 or SC123456"
    if number and not values.get("operator"):
        return (
            "Company number is for a contracted-out establishment: enter the operator, "
            "or clear the company number"
        )
    return ""


# A region or security category is optional, but one from the list; then it must fit the
# nation or the kind of establishment.
_region_problem = _first_problem(
    _one_of("region", {"", *Region.values}, "Select a region from the list"), _region_for_nation
)
_security_category_problem = _first_problem(
    _one_of(
        "security_category",
        {"", *SecurityCategory.values},
        "Select a security category from the list",
    ),
    _security_category_for_kind,
)

# Each field's own check, in the order the problems are listed.
_FIELD_CHECKS: tuple[tuple[str, _Check], ...] = (
    ("name", _name_problem),
    ("kind", _one_of("kind", EstablishmentKind.values, "Select the kind of establishment")),
    ("function", _at_most_200("function", "Function")),
    ("nation", _one_of("nation", Nation.values, "Select the nation the establishment is in")),
    ("region", _region_problem),
    ("security_category", _security_category_problem),
    ("max_inspectors_on_site", _on_site_maximum_problem),
    ("probation_group", _probation_group_problem),
    ("operator", _at_most_200("operator", "Operator")),
    ("operator_company_number", _company_number_problem),
)


def _status_problems(values: Mapping[str, Any]) -> dict[str, str]:
    """The status and closing date checked together, then the dates' order."""
    status = values.get("status") or ""
    opened_on: date | None = values.get("opened_on")
    closed_on: date | None = values.get("closed_on")
    problems: dict[str, str] = {}
    if status not in EstablishmentStatus.values:
        problems["status"] = "Select whether the establishment is open or closed"
    elif status == EstablishmentStatus.CLOSED and closed_on is None:
        problems["closed_on"] = "Enter the closing date of a closed establishment"
    elif status == EstablishmentStatus.OPEN and closed_on is not None:
        problems["closed_on"] = (
            "Closing date is only for a closed establishment: clear it, or set status to closed"
        )
    if opened_on and closed_on and closed_on < opened_on:
        problems.setdefault("closed_on", "Closing date must be on or after the opening date")
    return problems


def establishment_problems(values: Mapping[str, Any]) -> dict[str, str]:
    """Every problem with an establishment's values, by field, each message naming it."""
    problems = {field: problem for field, check in _FIELD_CHECKS if (problem := check(values))}
    problems.update(_status_problems(values))
    return problems


def establishment_update(
    *, actor: User, establishment: Establishment, version: int, values: Mapping[str, Any]
) -> Establishment:
    """Save an establishment's edited values, unless someone else saved it since `version`.

    Raises PermissionDenied, ValidationError (a message per field) or StaleVersion; in each
    case nothing is written. Unchanged values write nothing and keep the version.
    """
    _require(actor, "estate.change_establishment", "change establishments")
    values = {field: values.get(field) for field in EDITABLE_FIELDS}
    for field in ESTABLISHMENT_TEXT_FIELDS:
        values[field] = (values[field] or "").strip()
    problems = establishment_problems(values)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        return update_at_version(Establishment, establishment.pk, version, values, _stale_wording)


def establishments_load_register(*, records: Iterable[EstablishmentRecord]) -> tuple[int, int]:
    """Create or update establishments from register records, with each record's facts and
    their sources; unchanged rows are not written.

    Returns (created, updated). Idempotent: loading the same records twice changes nothing.
    The function is the register's rough guess from the name ("Prison"): it is set when the
    establishment is created and never overwritten, so a curated one ("Category B local
    prison") survives the next load.
    """
    created = updated = 0
    with transaction.atomic():
        existing = {e.code: e for e in Establishment.objects.select_for_update()}
        facts = _facts_by_code()
        for record in records:
            values = {
                "name": record.name,
                "kind": record.kind,
                "nation": record.nation,
                "operator": record.operator,
                "operator_company_number": record.operator_company_number,
                "status": EstablishmentStatus.CLOSED
                if record.closed_on
                else EstablishmentStatus.OPEN,
                "closed_on": record.closed_on,
                "opened_on": record.opened_on,
                "renamed_from": record.renamed_from,
            }
            current = existing.get(record.code)
            if current is None:
                current = Establishment.objects.create(
                    code=record.code, function=record.function, **values
                )
                created += 1
            elif save_changes(current, values):
                updated += 1
            _replace_facts(current, record, facts.get(record.code, []))
    return created, updated


_FACT_FIELDS = ("kind", "on", "precision", "detail", "source", "checked_on")


def _facts_by_code() -> dict[str, list[tuple[Any, ...]]]:
    found: dict[str, list[tuple[Any, ...]]] = {}
    for row in RegisterFact.objects.order_by("establishment__code", "position").values_list(
        "establishment__code", *_FACT_FIELDS
    ):
        found.setdefault(row[0], []).append(tuple(row[1:]))
    return found


def _replace_facts(
    establishment: Establishment, record: EstablishmentRecord, loaded: list[tuple[Any, ...]]
) -> None:
    """The establishment's facts become the record's, unless they already are."""
    wanted = [
        (fact.kind, fact.on, fact.precision, fact.detail, fact.source, fact.checked_on)
        for fact in record.facts
    ]
    if wanted == loaded:
        return
    RegisterFact.objects.filter(establishment=establishment).delete()
    RegisterFact.objects.bulk_create(
        RegisterFact(
            establishment=establishment,
            position=position,
            **dict(zip(_FACT_FIELDS, fact, strict=True)),
        )
        for position, fact in enumerate(wanted)
    )


def _establishment_values(cells: Mapping[str, Any]) -> dict[str, Any]:
    values = {field: cells.get(field) for field in ESTABLISHMENT_FIELDS}
    for field in ESTABLISHMENT_TEXT_FIELDS:
        values[field] = values[field] or ""
    return values


def establishments_import(*, actor: User, data: bytes | str) -> ImportResult:
    """Import establishments from CSV, matched by code: all rows or none (see csv_schema).

    Every row is checked first; any problem is reported by line and column and nothing is
    written. Then new codes are created and changed records updated; re-importing the same
    file writes nothing.
    """
    _require(actor, "estate.import_establishments", "import establishments")
    rows = read_rows(data, ESTABLISHMENT_COLUMNS)
    errors: list[RowError] = []
    try:
        check_unique(rows, "code")
    except ImportRejected as rejected:
        errors.extend(rejected.errors)
    parsed: list[tuple[str, dict[str, Any]]] = []
    for row in rows:
        values = _establishment_values(row.values)
        errors.extend(
            RowError(row.line, field, message)
            for field, message in establishment_problems(values).items()
        )
        parsed.append((row.values["code"], values))
    if errors:
        raise ImportRejected(sorted(errors, key=lambda error: error.line))
    result = ImportResult(rows=len(rows))
    with transaction.atomic():
        codes = [code for code, _ in parsed]
        existing = {
            e.code: e for e in Establishment.objects.select_for_update().filter(code__in=codes)
        }
        for code, values in parsed:
            result.upsert(
                existing.get(code),
                values,
                partial(Establishment.objects.create, code=code, **values),
            )
    return result


# Providers and contracts ----------------------------------------------------------------


def _provider_named(name: str) -> Provider | None:
    return Provider.objects.filter(name__iexact=name.strip()).first()


def contract_problems(
    values: Mapping[str, Any], *, establishment: Establishment, contract: ProviderContract | None
) -> dict[str, str]:
    """Every problem with a contract's values, by field, each message naming the field."""
    problems: dict[str, str] = {}
    provider_name = (values.get("provider_name") or "").strip()
    if not provider_name:
        problems["provider_name"] = "Enter the provider's name"
    elif len(provider_name) > 200:
        problems["provider_name"] = "Provider name must be 200 characters or fewer"
    service = values.get("service") or ""
    if service not in ProviderService.values:
        problems["service"] = "Select the service the provider delivers"
    if len(values.get("contract_name") or "") > 200:
        problems["contract_name"] = "Contract name must be 200 characters or fewer"
    starts_on: date | None = values.get("starts_on")
    ends_on: date | None = values.get("ends_on")
    if starts_on is None:
        problems["starts_on"] = "Enter the date the contract starts"
    elif ends_on is not None and ends_on < starts_on:
        problems["ends_on"] = "End date must be on or after the start date"
    if not problems and starts_on is not None:
        provider = _provider_named(provider_name)
        clash = ProviderContract.objects.filter(
            establishment=establishment, provider=provider, service=service, starts_on=starts_on
        )
        if contract is not None:
            clash = clash.exclude(pk=contract.pk)
        if provider is not None and clash.exists():
            problems["starts_on"] = (
                f"{provider} already has a contract for "
                f"{lower_first(ProviderService(service).label)} "
                f"at {establishment} starting on that date"
            )
    return problems


def _provider_get_or_create(name: str) -> Provider:
    provider = _provider_named(name)
    return provider or Provider.objects.create(name=name.strip())


def contract_create(
    *, actor: User, establishment: Establishment, values: Mapping[str, Any]
) -> ProviderContract:
    """Record a provider's contract at `establishment`; a provider not yet known is added."""
    _require(actor, "estate.change_contract", "change provider contracts")
    problems = contract_problems(values, establishment=establishment, contract=None)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        return ProviderContract.objects.create(
            establishment=establishment,
            provider=_provider_get_or_create(values["provider_name"]),
            service=values["service"],
            contract_name=(values.get("contract_name") or "").strip(),
            starts_on=values["starts_on"],
            ends_on=values.get("ends_on"),
        )


def contract_update(
    *, actor: User, contract: ProviderContract, version: int, values: Mapping[str, Any]
) -> ProviderContract:
    """Save a contract's edited values, unless someone else saved it since `version`."""
    _require(actor, "estate.change_contract", "change provider contracts")
    problems = contract_problems(values, establishment=contract.establishment, contract=contract)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        changes = {
            "provider": _provider_get_or_create(values["provider_name"]),
            "service": values["service"],
            "contract_name": (values.get("contract_name") or "").strip(),
            "starts_on": values["starts_on"],
            "ends_on": values.get("ends_on"),
        }
        return update_at_version(ProviderContract, contract.pk, version, changes, _stale_wording)


def _contract_row_errors(
    line: int,
    values: Mapping[str, Any],
    establishments: Mapping[str, Establishment],
    first_line: dict[tuple[Any, ...], int],
    ukprns: dict[str, tuple[str, int]],
) -> list[RowError]:
    errors: list[RowError] = []
    code = values["establishment_code"]
    if code not in establishments:
        errors.append(
            RowError(line, "establishment_code", f"no establishment has the code '{code}'")
        )
    provider = values["provider"]
    if len(provider) > 200:
        errors.append(RowError(line, "provider", "must be 200 characters or fewer"))
    if len(values["contract_name"] or "") > 200:
        errors.append(RowError(line, "contract_name", "must be 200 characters or fewer"))
    if values["ends_on"] and values["ends_on"] < values["starts_on"]:
        errors.append(RowError(line, "ends_on", "the contract ends before it starts"))
    key = (code, provider.lower(), values["service"], values["starts_on"])
    if key in first_line:
        errors.append(
            RowError(
                line,
                "starts_on",
                f"repeats line {first_line[key]}: same establishment, provider, service and "
                "start date",
            )
        )
    else:
        first_line[key] = line
    ukprn = values["provider_ukprn"]
    if ukprn:
        seen = ukprns.setdefault(provider.lower(), (ukprn, line))
        if seen[0] != ukprn:
            errors.append(
                RowError(line, "provider_ukprn", f"differs from line {seen[1]} for {provider}")
            )
    return errors


def contracts_import(*, actor: User, data: bytes | str) -> ImportResult:
    """Import provider contracts from CSV: all rows or none (see csv_schema).

    A contract is matched by establishment code, provider name (any case), service and start
    date; a provider not yet known is added. Re-importing the same file writes nothing.
    """
    _require(actor, "estate.import_establishments", "import provider contracts")
    rows = read_rows(data, CONTRACT_COLUMNS)
    codes = {row.values["establishment_code"] for row in rows}
    establishments = {e.code: e for e in Establishment.objects.filter(code__in=codes)}
    errors: list[RowError] = []
    first_line: dict[tuple[Any, ...], int] = {}
    ukprns: dict[str, tuple[str, int]] = {}
    for row in rows:
        errors.extend(
            _contract_row_errors(row.line, row.values, establishments, first_line, ukprns)
        )
    if errors:
        raise ImportRejected(errors)
    result = ImportResult(rows=len(rows))
    with transaction.atomic():
        providers = {p.name.lower(): p for p in Provider.objects.select_for_update()}
        contracts = {
            (c.establishment_id, c.provider_id, c.service, c.starts_on): c
            for c in ProviderContract.objects.select_for_update().filter(
                establishment__code__in=codes
            )
        }
        added = 0
        for row in rows:
            values = row.values
            name = values["provider"].strip()
            provider = providers.get(name.lower())
            if provider is None:
                provider = Provider.objects.create(name=name, ukprn=values["provider_ukprn"] or "")
                providers[name.lower()] = provider
                added += 1
            elif values["provider_ukprn"]:
                save_changes(provider, {"ukprn": values["provider_ukprn"]})
            establishment = establishments[values["establishment_code"]]
            key = (establishment.pk, provider.pk, values["service"], values["starts_on"])
            changes = {"contract_name": values["contract_name"] or "", "ends_on": values["ends_on"]}
            result.upsert(
                contracts.get(key),
                changes,
                partial(
                    ProviderContract.objects.create,
                    establishment=establishment,
                    provider=provider,
                    service=values["service"],
                    starts_on=values["starts_on"],
                    **changes,
                ),
            )
        if added:
            result.notes.append(f"{added} new provider{'s' if added != 1 else ''} added.")
    return result
