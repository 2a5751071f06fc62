"""A realistic national instance, the same every time for a seed.

The establishments are the open prisons, young offender institutions and secure training
centre of the prison register (about 120; Welsh ones in Wales, the rest in an English region
drawn by the seed). Sixty of them are due a full inspection, their windows worked out from a
last inspection and its judgement; twenty others an IRP 8 to 12 months after theirs (PG-2),
with Ofsted or Estyn when the education judgement was requires improvement or inadequate
(PG-8, PG-10). Sixty HMI Prisons inspectors (fourteen team leaders, fifteen health
specialists), forty Ofsted inspectors (twelve HMI who may lead) and, for Wales, four Estyn
inspectors, each with leave, an enhanced DBS check (some expiring within the year, two with
none), clearance, and a few declared conflicts and improvement-HMI roles. The programme is
April 2027 to March 2028 (52 weeks), planned on 1 October 2026, Christmas closed.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from inspectorate.estate.register import open_establishments
from inspectorate.lib.workdays import Nation, add_months, bank_holidays, month_window
from inspectorate.planner.instance import (
    CLEARANCE_CTC,
    CLEARANCE_DV,
    CLEARANCE_SC,
    ESTYN,
    FULL_INSPECTION,
    FULL_INSPECTION_INTERVALS,
    HMIP,
    IRP,
    IRP_WINDOW_MONTHS,
    OFSTED,
    STANDARD_KINDS,
    Inspector,
    Instance,
    RequiredEvent,
    Site,
)

ENGLISH_REGIONS = (
    "north_east",
    "north_west",
    "yorkshire",
    "east_midlands",
    "west_midlands",
    "east",
    "london",
    "south_east",
    "south_west",
)
# High-security prisons: their inspectors need security check clearance (TM-1).
HIGH_SECURITY = frozenset({"BA", "FK", "FN", "LL", "MR", "WD", "WR", "WH"})
HMIP_SPECIALISMS = ("safety", "resettlement", "substance_misuse", "equality", "women", "children")
JUDGEMENTS = ("outstanding", "good", "good", "requires_improvement", "requires_improvement")
FIRST_NAMES = (
    "Alex",
    "Sam",
    "Jo",
    "Priya",
    "Tom",
    "Aisha",
    "Gareth",
    "Fiona",
    "Kwame",
    "Ruth",
    "Dev",
    "Megan",
    "Owen",
    "Helen",
    "Imran",
    "Carys",
)
SURNAMES = (
    "Evans",
    "Shah",
    "Brown",
    "Okafor",
    "Taylor",
    "Jones",
    "Patel",
    "Walsh",
    "Hughes",
    "Clarke",
    "Begum",
    "Morgan",
    "Reid",
    "Khan",
    "Lloyd",
    "Price",
)

YEAR = 2027
FIRST_MONDAY = date(2027, 4, 5)
TODAY = date(2026, 10, 1)
WEEKS = 52


def national_instance(
    seed: int = 2027,
    *,
    full_inspections: int = 60,
    irps: int = 20,
    hmip: int = 60,
    ofsted: int = 40,
    estyn: int = 4,
) -> Instance:
    """The national instance for `seed` (see the module's docstring)."""
    rng = random.Random(seed)
    sites = _sites(rng)
    events = _events(rng, sites, full_inspections, irps)
    inspectors = _inspectors(rng, sites, events, hmip, ofsted, estyn)
    christmas = (date(2027, 12, 20) - FIRST_MONDAY).days // 7
    holidays = {
        nation: frozenset(
            day for year in (YEAR, YEAR + 1) for day in bank_holidays(Nation(nation), year)
        )
        for nation in ("england", "wales")
    }
    return Instance(
        name=f"national instance, seed {seed}",
        first_monday=FIRST_MONDAY,
        weeks=WEEKS,
        today=TODAY,
        sites=tuple(sites),
        events=tuple(events),
        inspectors=tuple(inspectors),
        kinds=STANDARD_KINDS,
        closed_weeks=frozenset({christmas, christmas + 1}),
        bank_holidays=holidays,
        start_limits={HMIP: 3, OFSTED: 3, ESTYN: 1},
    )


def _sites(rng: random.Random) -> list[Site]:
    sites = []
    for record in open_establishments():
        welsh = record.nation == "wales"
        sites.append(
            Site(
                key=record.code,
                name=record.name,
                nation=str(record.nation),
                region="wales" if welsh else rng.choice(ENGLISH_REGIONS),
                on_site_maximum=rng.choice((6, 7, 8, 8, 9, 10, 12, None)),
                clearance=CLEARANCE_SC if record.code in HIGH_SECURITY else CLEARANCE_CTC,
            )
        )
    return sites


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _events(
    rng: random.Random, sites: list[Site], full_inspections: int, irps: int
) -> list[RequiredEvent]:
    chosen = rng.sample(sites, full_inspections + irps)
    events = []
    for site in chosen[:full_inspections]:
        judgement = rng.choice(JUDGEMENTS)
        low, high = FULL_INSPECTION_INTERVALS[judgement]
        # The last inspection puts the start of the window from 3 months before the
        # programme to 9 months into it.
        last = add_months(FIRST_MONDAY, -low) + timedelta(days=rng.randint(-90, 270))
        reason = (
            f"Last full inspection {_long(last)}, judged "
            f"{judgement.replace('_', ' ')}: due {low} to {high} months after."
        )
        events.append(
            _due("full", FULL_INSPECTION, site, last, (low, high), _education(site), reason)
        )
    low, high = IRP_WINDOW_MONTHS
    for site in chosen[full_inspections:]:
        last = add_months(FIRST_MONDAY, -low) + timedelta(days=rng.randint(0, 200))
        weak_education = rng.random() < 0.55  # PG-8
        education = _education(site) if weak_education else ""
        reason = f"Full inspection {_long(last)}: an IRP {low} to {high} months after."
        events.append(_due("irp", IRP, site, last, (low, high), education, reason))
    return events


def _education(site: Site) -> str:
    """The inspectorate inspecting education at `site`: Estyn in Wales, Ofsted in England."""
    return ESTYN if site.nation == "wales" else OFSTED


def _due(
    key: str,
    kind: str,
    site: Site,
    last: date,
    months: tuple[int, int],
    education: str,
    reason: str,
) -> RequiredEvent:
    """An event of `kind` at `site`, due `months` (from, to) after its last inspection."""
    low, high = months
    due_from, due_to = month_window(last, low, high, Nation(site.nation))
    return RequiredEvent(
        key=f"{key}:{site.key}",
        kind=kind,
        site=site.key,
        due_from=due_from,
        due_to=due_to,
        education=education,
        reason=reason,
    )


def _name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
        if name not in used:
            used.add(name)
            return name


def _leave(rng: random.Random) -> frozenset[int]:
    weeks: set[int] = set()
    for _ in range(rng.randint(2, 3)):
        first = rng.randrange(WEEKS)
        weeks.update(range(first, min(WEEKS, first + rng.randint(1, 2))))
    return frozenset(weeks)


def _inspectors(
    rng: random.Random,
    sites: list[Site],
    events: list[RequiredEvent],
    hmip: int,
    ofsted: int,
    estyn: int,
) -> list[Inspector]:
    used: set[str] = set()
    people: list[Inspector] = []
    english = list(ENGLISH_REGIONS)

    def person(organisation: str, region: str, **values: Any) -> Inspector:
        number = len(people) + 1
        checked = TODAY - timedelta(days=rng.randint(30, 1000))
        until = FIRST_MONDAY + timedelta(weeks=rng.randint(20, 400))
        return Inspector(
            id=number,
            name=_name(rng, used),
            organisation=organisation,
            region=region,
            unavailable_weeks=_leave(rng),
            dbs_from=checked,
            dbs_until=until,
            clearance=rng.choice((CLEARANCE_CTC, CLEARANCE_SC, CLEARANCE_SC, CLEARANCE_DV)),
            **values,
        )

    for n in range(hmip):
        region = "wales" if n % 20 == 7 else english[n % len(english)]
        specialisms = {"healthcare"} if n % 4 == 1 else set()
        specialisms.add(rng.choice(HMIP_SPECIALISMS))
        people.append(
            person(HMIP, region, can_lead=n % 4 == 0 and n < 56, specialisms=frozenset(specialisms))
        )
    for n in range(ofsted):
        people.append(
            person(
                OFSTED,
                english[n % len(english)],
                can_lead=n % 10 < 3,
                specialisms=frozenset({"esw"}),
            )
        )
    for n in range(estyn):
        people.append(person(ESTYN, "wales", can_lead=n < 2, specialisms=frozenset({"esw"})))
    # Two HMI Prisons inspectors with no DBS check recorded (TM-1).
    for index in (n for n in (5, 38) if n < hmip):
        people[index] = _without_dbs(people[index])
    due_sites = [e.site for e in events]
    for index in rng.sample(range(len(people)), min(12, len(people) // 8)):  # TM-2
        conflicts = frozenset(rng.sample(due_sites, rng.randint(1, 2)))
        people[index] = _with(people[index], conflicts=conflicts)
    full_sites = [e.site for e in events if e.kind == FULL_INSPECTION and e.education == OFSTED]
    ofsted_people = [n for n, p in enumerate(people) if p.organisation == OFSTED]
    improvement = min(5, len(ofsted_people) // 4, len(full_sites))
    chosen = zip(
        rng.sample(ofsted_people, improvement), rng.sample(full_sites, improvement), strict=True
    )
    for index, site in chosen:
        people[index] = _with(people[index], improvement_hmi_for=frozenset({site}))  # TM-4
    return people


def _without_dbs(inspector: Inspector) -> Inspector:
    return _with(inspector, dbs_from=None, dbs_until=None)


def _with(inspector: Inspector, **values: Any) -> Inspector:
    return replace(inspector, **values)
