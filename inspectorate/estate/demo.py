"""Demo data for the estate: what real prisons are, their capacity, their providers.

Run after the prison register is loaded (shell/demo.py). Idempotent and gentle: it fills
only values still empty (or still the register's rough function), and adds contracts,
probation areas and a college only when missing, so a second run writes nothing and an
edit made through the service survives the next run.

Security categories, functions and regions are given only where well known; the others
stay empty. On-site maxima are plausible figures, not agreed ones. The provider for each
region is illustrative of who delivered the Prison Education Framework (PEF) from April
2019, not a record of the actual lots.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from inspectorate.estate.constants import (
    EstablishmentKind,
    Nation,
    ProviderService,
    Region,
    SecurityCategory,
)
from inspectorate.estate.models import Establishment, Provider, ProviderContract
from inspectorate.estate.register import kind_and_function
from inspectorate.lib.versions import save_changes

A, B, C, D = (
    SecurityCategory.CATEGORY_A,
    SecurityCategory.CATEGORY_B,
    SecurityCategory.CATEGORY_C,
    SecurityCategory.CATEGORY_D,
)
WOMEN_CLOSED, WOMEN_OPEN, YOUNG = (
    SecurityCategory.WOMENS_CLOSED,
    SecurityCategory.WOMENS_OPEN,
    SecurityCategory.YOUNG_PEOPLE,
)

HIGH_SECURITY = "High security prison for men"
B_LOCAL = "Category B local prison for men"
B_TRAINING = "Category B training prison for men"
C_TRAINING = "Category C training prison for men"
D_OPEN = "Open prison for men"
WOMEN_CLOSED_PRISON = "Closed prison for women"
WOMEN_OPEN_PRISON = "Open prison for women"
CHILDREN = "Young offender institution for boys aged 15 to 18"

# code: (function, security category, region, on-site maximum)
PRISONS: dict[str, tuple[str, str, str, int]] = {
    # Yorkshire and the Humber
    "LE": (B_LOCAL, B, Region.YORKSHIRE, 16),
    "WD": (HIGH_SECURITY, A, Region.YORKSHIRE, 16),
    "FN": (HIGH_SECURITY, A, Region.YORKSHIRE, 14),
    "HL": (B_LOCAL, B, Region.YORKSHIRE, 14),
    "DN": (B_LOCAL, B, Region.YORKSHIRE, 16),
    "WE": (C_TRAINING, C, Region.YORKSHIRE, 12),
    "HM": ("Category C training and resettlement prison for men", C, Region.YORKSHIRE, 14),
    "LH": (C_TRAINING, C, Region.YORKSHIRE, 12),
    "MD": (C_TRAINING, C, Region.YORKSHIRE, 12),
    "NH": (WOMEN_CLOSED_PRISON, WOMEN_CLOSED, Region.YORKSHIRE, 10),
    "AG": (WOMEN_OPEN_PRISON, WOMEN_OPEN, Region.YORKSHIRE, 8),
    "WY": (CHILDREN, YOUNG, Region.YORKSHIRE, 10),
    # North East
    "FK": (HIGH_SECURITY, A, Region.NORTH_EAST, 14),
    "DM": (B_LOCAL, B, Region.NORTH_EAST, 14),
    "NL": (C_TRAINING, C, Region.NORTH_EAST, 16),
    "LN": (WOMEN_CLOSED_PRISON, WOMEN_CLOSED, Region.NORTH_EAST, 10),
    # North West
    "MR": ("Category A local prison for men", A, Region.NORTH_WEST, 16),
    "LP": (B_LOCAL, B, Region.NORTH_WEST, 16),
    "AC": (B_LOCAL, B, Region.NORTH_WEST, 16),
    "FB": (B_LOCAL, B, Region.NORTH_WEST, 16),
    "PN": (B_LOCAL, B, Region.NORTH_WEST, 12),
    "GH": (B_TRAINING, B, Region.NORTH_WEST, 12),
    "WM": (C_TRAINING, C, Region.NORTH_WEST, 14),
    "HV": (C_TRAINING, C, Region.NORTH_WEST, 10),
    "KM": (D_OPEN, D, Region.NORTH_WEST, 10),
    "ST": (WOMEN_CLOSED_PRISON, WOMEN_CLOSED, Region.NORTH_WEST, 10),
    # West Midlands
    "BM": (B_LOCAL, B, Region.WEST_MIDLANDS, 16),
    "LL": (HIGH_SECURITY, A, Region.WEST_MIDLANDS, 12),
    "OW": (C_TRAINING, C, Region.WEST_MIDLANDS, 20),
    "WN": (CHILDREN, YOUNG, Region.WEST_MIDLANDS, 8),
    # East Midlands
    "NM": (B_LOCAL, B, Region.EAST_MIDLANDS, 14),
    "LC": (B_LOCAL, B, Region.EAST_MIDLANDS, 8),
    "LI": (B_LOCAL, B, Region.EAST_MIDLANDS, 12),
    "GT": ("Category B prison for men serving life sentences", B, Region.EAST_MIDLANDS, 10),
    "FW": (C_TRAINING, C, Region.EAST_MIDLANDS, 18),
    "FO": (C_TRAINING, C, Region.EAST_MIDLANDS, 18),
    "NS": (D_OPEN, D, Region.EAST_MIDLANDS, 8),
    "FH": (WOMEN_CLOSED_PRISON, WOMEN_CLOSED, Region.EAST_MIDLANDS, 10),
    # East of England
    "WR": (HIGH_SECURITY, A, Region.EAST, 12),
    "NW": (B_LOCAL, B, Region.EAST, 14),
    "CD": (B_LOCAL, B, Region.EAST, 12),
    "BF": (B_LOCAL, B, Region.EAST, 10),
    "PB": ("Category B local prison for men and closed prison for women", B, Region.EAST, 14),
    "HP": (C_TRAINING, C, Region.EAST, 14),
    "WL": (C_TRAINING, C, Region.EAST, 12),
    # London
    "BA": ("Category A local prison for men", A, Region.LONDON, 14),
    "PV": (B_LOCAL, B, Region.LONDON, 14),
    "WW": (B_LOCAL, B, Region.LONDON, 16),
    "WS": (B_LOCAL, B, Region.LONDON, 14),
    "TS": (B_LOCAL, B, Region.LONDON, 16),
    "BX": ("Category C resettlement prison for men", C, Region.LONDON, 10),
    "FM": (CHILDREN, YOUNG, Region.LONDON, 10),
    # South East
    "WC": (B_LOCAL, B, Region.SOUTH_EAST, 10),
    "LW": (B_LOCAL, B, Region.SOUTH_EAST, 10),
    "EY": (B_LOCAL, B, Region.SOUTH_EAST, 14),
    "SL": (B_TRAINING, B, Region.SOUTH_EAST, 12),
    "IW": (B_TRAINING, B, Region.SOUTH_EAST, 14),
    "CL": (C_TRAINING, C, Region.SOUTH_EAST, 10),
    "FD": (D_OPEN, D, Region.SOUTH_EAST, 10),
    "CK": (CHILDREN, YOUNG, Region.SOUTH_EAST, 8),
    "SD": (WOMEN_CLOSED_PRISON, WOMEN_CLOSED, Region.SOUTH_EAST, 8),
    "DW": (WOMEN_CLOSED_PRISON, WOMEN_CLOSED, Region.SOUTH_EAST, 8),
    "BZ": (WOMEN_CLOSED_PRISON, WOMEN_CLOSED, Region.SOUTH_EAST, 12),
    "ES": (WOMEN_OPEN_PRISON, WOMEN_OPEN, Region.SOUTH_EAST, 8),
    # South West
    "BL": (B_LOCAL, B, Region.SOUTH_WEST, 12),
    "EX": (B_LOCAL, B, Region.SOUTH_WEST, 10),
    "CW": (C_TRAINING, C, Region.SOUTH_WEST, 12),
    "LY": (D_OPEN, D, Region.SOUTH_WEST, 8),
    "EW": (WOMEN_CLOSED_PRISON, WOMEN_CLOSED, Region.SOUTH_WEST, 10),
    # Wales
    "CF": (B_LOCAL, B, Region.WALES, 12),
    "SW": (B_LOCAL, B, Region.WALES, 10),
    "PR": ("Category B local and training prison for men", B, Region.WALES, 18),
    "BW": (C_TRAINING, C, Region.WALES, 20),
    "UK": ("Category C prison (Usk) and open prison (Prescoed) for men", "", Region.WALES, 8),
}

NOVUS = "Novus"
NOVUS_CAMBRIA = "Novus Cambria"
MILTON_KEYNES_COLLEGE = "Milton Keynes College"
WESTON_COLLEGE = "Weston College"
PEOPLEPLUS = "PeoplePlus"

# Illustrative Prison Education Framework providers by region (see the module docstring).
PEF_PROVIDER_BY_REGION = {
    Region.NORTH_EAST: NOVUS,
    Region.NORTH_WEST: NOVUS,
    Region.YORKSHIRE: NOVUS,
    Region.EAST_MIDLANDS: MILTON_KEYNES_COLLEGE,
    Region.LONDON: MILTON_KEYNES_COLLEGE,
    Region.SOUTH_EAST: MILTON_KEYNES_COLLEGE,
    Region.WEST_MIDLANDS: PEOPLEPLUS,
    Region.EAST: PEOPLEPLUS,
    Region.SOUTH_WEST: WESTON_COLLEGE,
}
# Regions whose PEF contracts ended on 30 September 2025, replaced by the Prison Education
# Service from 1 October 2025; elsewhere the PEF contract is shown as still running.
RENEWED_REGIONS = frozenset({Region.YORKSHIRE, Region.NORTH_EAST, Region.SOUTH_WEST})

PEF = "Prison Education Framework"
PES = "Prison Education Service"
DPS = "Prison Education Dynamic Purchasing System"
WALES_CONTRACT = "Learning and skills in public sector prisons in Wales"
PEF_START = date(2019, 4, 1)
PEF_END = date(2025, 9, 30)
PES_START = date(2025, 10, 1)

# Skills and work contracts let beside the core education, some of them finished.
SKILLS_CONTRACTS = (
    ("LE", PEOPLEPLUS, date(2019, 10, 1), date(2022, 3, 31)),
    ("WD", PEOPLEPLUS, date(2019, 10, 1), None),
    ("BL", WESTON_COLLEGE, date(2020, 4, 1), None),
    ("PV", NOVUS, date(2019, 10, 1), date(2023, 3, 31)),
)


@dataclass(frozen=True)
class OtherEstablishment:
    code: str
    name: str
    kind: EstablishmentKind
    function: str
    region: Region
    max_inspectors_on_site: int
    probation_group: int | None = None


# Probation areas and a further education college, so every kind Ofsted inspects is shown.
OTHERS = (
    OtherEstablishment(
        "PS-YH",
        "Probation Service Yorkshire and the Humber",
        EstablishmentKind.PROBATION_AREA,
        "Probation region",
        Region.YORKSHIRE,
        6,
        probation_group=3,
    ),
    OtherEstablishment(
        "PS-LDN",
        "Probation Service London",
        EstablishmentKind.PROBATION_AREA,
        "Probation region",
        Region.LONDON,
        8,
        probation_group=4,
    ),
    OtherEstablishment(
        "FE-LCC",
        "Leeds City College",
        EstablishmentKind.FURTHER_EDUCATION_PROVIDER,
        "General further education college",
        Region.YORKSHIRE,
        10,
    ),
)

# The register's guesses at a function, which the demo may replace.
_REGISTER_FUNCTIONS = frozenset(
    kind_and_function(name)[1] for name in ("HMP X", "HMP/YOI X", "HMYOI X", "HMIRC X", "X STC")
)


def _fill(record: Establishment | ProviderContract, values: dict[str, Any]) -> bool:
    """Set each of `values` only where the record's value is still empty; True if any set."""

    def empty(name: str) -> bool:
        current = getattr(record, name)
        return current in (None, "") or (name == "function" and current in _REGISTER_FUNCTIONS)

    return save_changes(
        record,
        {name: value for name, value in values.items() if value not in (None, "") and empty(name)},
    )


def _contracts_wanted(establishments: dict[str, Establishment]) -> list[tuple[Any, ...]]:
    """(establishment, provider name, service, contract name, starts, ends) to be present."""
    wanted: list[tuple[Any, ...]] = []
    for establishment in establishments.values():
        region = establishment.region
        if establishment.operator or establishment.security_category == YOUNG:
            continue  # contractors teach in their own prisons; children's education differs
        if region == Region.WALES:
            education = ProviderService.EDUCATION
            wanted.append(
                (establishment, NOVUS_CAMBRIA, education, WALES_CONTRACT, PEF_START, None)
            )
            continue
        provider = PEF_PROVIDER_BY_REGION.get(Region(region)) if region else None
        if provider is None:
            continue
        if region in RENEWED_REGIONS:
            wanted.append(
                (establishment, provider, ProviderService.EDUCATION, PEF, PEF_START, PEF_END)
            )
            wanted.append(
                (establishment, provider, ProviderService.EDUCATION, PES, PES_START, None)
            )
        else:
            wanted.append(
                (establishment, provider, ProviderService.EDUCATION, PEF, PEF_START, None)
            )
    for code, provider, starts, ends in SKILLS_CONTRACTS:
        if code in establishments:
            wanted.append(
                (establishments[code], provider, ProviderService.SKILLS_AND_WORK, DPS, starts, ends)
            )
    return wanted


def demo_estate_load() -> int:
    """Fill in the demo prisons, add probation areas, a college, providers and contracts.

    Returns how many records it created or changed: 0 when run again.
    """
    written = 0
    with transaction.atomic():
        for other in OTHERS:
            establishment, created = Establishment.objects.get_or_create(
                code=other.code,
                defaults={
                    "name": other.name,
                    "kind": other.kind,
                    "function": other.function,
                    "nation": Nation.ENGLAND,
                    "region": other.region,
                    "max_inspectors_on_site": other.max_inspectors_on_site,
                    "probation_group": other.probation_group,
                },
            )
            written += created
        establishments = {
            e.code: e for e in Establishment.objects.filter(code__in=PRISONS).order_by("code")
        }
        for code, establishment in establishments.items():
            function, category, region, maximum = PRISONS[code]
            written += _fill(
                establishment,
                {
                    "function": function,
                    "security_category": category,
                    "region": region,
                    "max_inspectors_on_site": maximum,
                },
            )
        providers: dict[str, Provider] = {}
        for establishment, name, service, contract_name, starts, ends in _contracts_wanted(
            establishments
        ):
            if name not in providers:
                providers[name], created = Provider.objects.get_or_create(name=name)
                written += created
            _, created = ProviderContract.objects.get_or_create(
                establishment=establishment,
                provider=providers[name],
                service=service,
                starts_on=starts,
                defaults={"contract_name": contract_name, "ends_on": ends},
            )
            written += created
    return written
