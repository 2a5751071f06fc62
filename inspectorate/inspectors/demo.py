"""Demo inspectors: about 110 people across HMI Prisons, Ofsted, Estyn, the CQC and the GPhC,
with vetting, a few conflicts of interest with real establishments, and leave in 2026-27.

Names are made deterministically from fixed lists (no Faker at run time). Idempotent: every
record is found by a natural key (email; inspector + establishment + start; inspector +
first day) and only created when missing, so a second run writes nothing. DBS dates are set
relative to the day a record is first created, so the warning list always has something.

Call demo_inspectors_load() after the shell demo has loaded establishments, users and their
inspector records: it also fills in vetting for those inspectors.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from inspectorate.estate.models import Establishment, Provider
from inspectorate.inspectors.constants import (
    Clearance,
    DbsLevel,
    Grade,
    Organisation,
    Region,
    Specialism,
    UnavailabilityKind,
    ordered_specialisms,
)
from inspectorate.inspectors.models import ConflictOfInterest, Inspector, Unavailability
from inspectorate.inspectors.services import _conflict_create, _unavailability_create
from inspectorate.lib.versions import saved

DEMO_DOMAIN = "demo.inspectorate.invalid"
DBS_RENEWAL_DAYS = 3 * 365  # renewed every three years

FIRST_NAMES = (
    "Alison", "Andrew", "Angela", "Benjamin", "Bethan", "Catherine", "Charlotte", "Christopher",
    "Daniel", "David", "Eleanor", "Emma", "Farah", "Gemma", "Graham", "Hannah", "Ian", "Imran",
    "Jacqueline", "James", "Janet", "Jonathan", "Karen", "Kate", "Kwame", "Laura", "Lucy",
    "Malcolm", "Mark", "Michelle", "Mohammed", "Natalie", "Neil", "Nicola", "Oliver", "Paul",
    "Philippa", "Rebecca", "Richard", "Ruth", "Sarah", "Sean", "Sophie", "Stephen", "Sunita",
    "Susan", "Thomas", "Victoria", "William", "Yvonne", "Zainab", "Gareth", "Joanne", "Peter",
    "Amina", "Colin", "Denise", "Harpreet", "Leon", "Margaret",
)  # fmt: skip

SURNAMES = (
    "Abbott", "Ahmed", "Akhtar", "Allen", "Appleby", "Armstrong", "Ashworth", "Atkinson",
    "Bailey", "Banerjee", "Barker", "Barnes", "Bell", "Bennett", "Bhatti", "Bird", "Bishop",
    "Booth", "Bradshaw", "Brennan", "Brooks", "Buckley", "Burgess", "Carter", "Chadwick",
    "Chambers", "Chapman", "Chaudhry", "Clarke", "Coleman", "Collins", "Cooper", "Crawford",
    "Cunningham", "Dale", "Dixon", "Doherty", "Donnelly", "Douglas", "Doyle", "Edwards",
    "Ellis", "Farrell", "Fletcher", "Forbes", "Foster", "Fraser", "Gallagher", "Gibson",
    "Goodwin", "Gordon", "Graham", "Hall", "Hamilton", "Hardy", "Harper", "Hartley", "Hayes",
    "Henderson", "Holland", "Holmes", "Hussain", "Iqbal", "Jackson", "Jarvis", "Kaur",
    "Kennedy", "Khan", "Lambert", "Lawson", "Lees", "Lloyd", "McCarthy", "McDonald", "Mahmood",
    "Mason", "Mensah", "Mitchell", "Moss", "Murphy", "Nash", "Nelson", "Nicholson", "Norris",
    "Osei", "Palmer", "Parker", "Parry", "Patel", "Pearson", "Quinn", "Ramsey", "Richardson",
    "Robinson", "Rowe", "Sanderson", "Sharma", "Shepherd", "Simpson", "Singh", "Slater",
    "Stevens", "Sutton", "Taylor", "Thornton", "Turner", "Wallace", "Walsh", "Webb", "Wood",
)  # fmt: skip

ENGLISH_REGIONS = [region for region in Region if region != Region.WALES]

HMIP_SPECIALISM_PAIRS = (
    (Specialism.SAFETY, Specialism.EQUALITY),
    (Specialism.RESETTLEMENT,),
    (Specialism.CHILDREN, Specialism.SAFETY),
    (Specialism.WOMEN, Specialism.RESETTLEMENT),
    (Specialism.EQUALITY,),
    (Specialism.SUBSTANCE_MISUSE, Specialism.SAFETY),
    (Specialism.HEALTHCARE,),
)


@dataclass(frozen=True)
class DemoInspector:
    name: str
    organisation: Organisation
    grade: Grade
    region: Region
    specialisms: tuple[str, ...]
    clearance: Clearance
    renewal_in_days: int  # days from first load to the DBS renewal date (negative: overdue)

    @property
    def email(self) -> str:
        return demo_email(self.name)


def demo_email(name: str) -> str:
    local = ".".join("".join(ch for ch in part if ch.isalpha()) for part in name.lower().split())
    return f"{local}@{DEMO_DOMAIN}"


def _renewal(index: int, *, expiring: set[int], expired: set[int]) -> int:
    if index in expired:
        return -5 - index % 40
    if index in expiring:
        return 14 + 17 * sorted(expiring).index(index)
    return 150 + (index * 37) % 850  # comfortably valid: 5 months to nearly 3 years ahead


def _hmip(index: int, surname: str) -> DemoInspector:
    leader = index % 7 == 0
    if leader:
        clearance = Clearance.DV if index % 14 == 0 else Clearance.SC
    else:
        clearance = Clearance.CTC if index % 5 == 4 else Clearance.SC
    return DemoInspector(
        name=f"{FIRST_NAMES[(index * 7) % len(FIRST_NAMES)]} {surname}",
        organisation=Organisation.HMI_PRISONS,
        grade=Grade.HMIP_TEAM_LEADER if leader else Grade.HMIP_INSPECTOR,
        region=ENGLISH_REGIONS[index % len(ENGLISH_REGIONS)],
        specialisms=HMIP_SPECIALISM_PAIRS[index % len(HMIP_SPECIALISM_PAIRS)],
        clearance=clearance,
        renewal_in_days=_renewal(index, expiring={5, 23, 41}, expired={50}),
    )


def _ofsted(index: int, surname: str) -> DemoInspector:
    specialisms: tuple[str, ...] = (Specialism.EDUCATION_SKILLS_WORK,)
    if index % 4 == 1:
        specialisms += (Specialism.OFFENDER_LEARNING,)
    if index % 6 == 2:
        specialisms += (Specialism.CHILDREN,)
    if index % 9 == 4:
        specialisms += (Specialism.EQUALITY,)
    return DemoInspector(
        name=f"{FIRST_NAMES[(index * 11 + 3) % len(FIRST_NAMES)]} {surname}",
        organisation=Organisation.OFSTED,
        grade=Grade.OFSTED_HMI if index % 3 == 0 else Grade.OFSTED_INSPECTOR,
        region=ENGLISH_REGIONS[(index + 4) % len(ENGLISH_REGIONS)],
        specialisms=specialisms,
        clearance=Clearance.SC if index % 5 == 0 else Clearance.CTC,
        renewal_in_days=_renewal(index, expiring={7, 19}, expired={33}),
    )


FIXED: tuple[DemoInspector, ...] = (
    # Estyn: education, skills and work in Wales (PG-10).
    DemoInspector("Rhiannon Pritchard", Organisation.ESTYN, Grade.ESTYN_HMI, Region.WALES,
                  (Specialism.EDUCATION_SKILLS_WORK, Specialism.OFFENDER_LEARNING),
                  Clearance.CTC, 600),
    DemoInspector("Dafydd Llewellyn", Organisation.ESTYN, Grade.ESTYN_HMI, Region.WALES,
                  (Specialism.EDUCATION_SKILLS_WORK,), Clearance.CTC, 320),
    DemoInspector("Carys Morgan", Organisation.ESTYN, Grade.ESTYN_HMI, Region.WALES,
                  (Specialism.EDUCATION_SKILLS_WORK, Specialism.CHILDREN), Clearance.SC, 45),
    DemoInspector("Gethin Rees", Organisation.ESTYN, Grade.ESTYN_HMI, Region.WALES,
                  (Specialism.EDUCATION_SKILLS_WORK,), Clearance.CTC, 880),
    # Care Quality Commission: health services in custody.
    DemoInspector("Bernadette Okoye", Organisation.CQC, Grade.SPECIALIST, Region.NORTH_WEST,
                  (Specialism.HEALTHCARE,), Clearance.CTC, 510),
    DemoInspector("Marcus Fenwick", Organisation.CQC, Grade.SPECIALIST, Region.LONDON,
                  (Specialism.HEALTHCARE, Specialism.SUBSTANCE_MISUSE), Clearance.SC, 700),
    DemoInspector("Priti Desai", Organisation.CQC, Grade.SPECIALIST, Region.WEST_MIDLANDS,
                  (Specialism.HEALTHCARE, Specialism.WOMEN), Clearance.CTC, 260),
    DemoInspector("Alastair Munro", Organisation.CQC, Grade.SPECIALIST, Region.NORTH_EAST,
                  (Specialism.HEALTHCARE,), Clearance.CTC, 400),
    # General Pharmaceutical Council.
    DemoInspector("Helena Sokolova", Organisation.GPHC, Grade.SPECIALIST, Region.SOUTH_EAST,
                  (Specialism.PHARMACY,), Clearance.CTC, 830),
    DemoInspector("Ravi Menon", Organisation.GPHC, Grade.SPECIALIST, Region.EAST_MIDLANDS,
                  (Specialism.PHARMACY,), Clearance.CTC, 190),
)  # fmt: skip

HMIP_COUNT = 60
OFSTED_COUNT = 40


def demo_inspectors() -> list[DemoInspector]:
    """The generated people: 60 HMI Prisons, 40 Ofsted, then Estyn, CQC and GPhC."""
    people = [_hmip(i, SURNAMES[i]) for i in range(HMIP_COUNT)]
    people += [_ofsted(i, SURNAMES[HMIP_COUNT + i]) for i in range(OFSTED_COUNT)]
    return people + list(FIXED)


# The shell demo's inspectors (with sign-ins) get vetting by organisation when they have none.
DEFAULT_SPECIALISMS: dict[str, tuple[str, ...]] = {
    Organisation.HMI_PRISONS: (Specialism.SAFETY, Specialism.RESETTLEMENT),
    Organisation.OFSTED: (Specialism.EDUCATION_SKILLS_WORK, Specialism.OFFENDER_LEARNING),
    Organisation.ESTYN: (Specialism.EDUCATION_SKILLS_WORK,),
    Organisation.CQC: (Specialism.HEALTHCARE,),
    Organisation.GPHC: (Specialism.PHARMACY,),
}


@dataclass(frozen=True)
class DemoConflict:
    email: str
    establishment_code: str
    starts_on: date
    ends_on: date | None
    reason: str


@dataclass(frozen=True)
class DemoProviderConflict:
    email: str
    provider_name: str
    starts_on: date
    reason: str


def _email_of(index: int) -> str:
    return demo_inspectors()[index].email


def demo_conflicts() -> list[DemoConflict]:
    return [
        DemoConflict(_email_of(3), "LE", date(2021, 4, 1), date(2028, 3, 31),
                     "Head of reducing reoffending at HMP Leeds until March 2024."),
        DemoConflict(_email_of(HMIP_COUNT + 2), "WD", date(2019, 9, 1), None,
                     "Spouse is a senior officer at HMP Wakefield."),
        DemoConflict(_email_of(12), "BL", date(2023, 1, 9), None,
                     "Sits on the independent monitoring board of HMP/YOI Bristol."),
        DemoConflict(_email_of(HMIP_COUNT + 9), "MR", date(2022, 6, 1), date(2027, 5, 31),
                     "Taught in the education department at HMP/YOI Manchester until 2022."),
        DemoConflict(demo_email("Deborah Okafor"), "HV", date(2024, 2, 1), None,
                     "Sister works in the healthcare team at HMP Haverigg."),
        DemoConflict(demo_email("Tom Reilly"), "HO", date(2020, 1, 6), date(2026, 12, 31),
                     "Former employee of the education provider at HMP/YOI High Down."),
    ]  # fmt: skip


# Conflicts with providers: recorded only where the estate demo has the provider.
DEMO_PROVIDER_CONFLICTS = (
    ("Novus", "Worked for Novus as a curriculum manager until 2023."),
    ("Milton Keynes College", "Governor of Milton Keynes College."),
    ("Weston College", "Partner is a senior manager at Weston College."),
)


@dataclass(frozen=True)
class DemoLeave:
    email: str
    kind: UnavailabilityKind
    starts_on: date
    ends_on: date
    note: str = ""


def demo_leave() -> list[DemoLeave]:
    leave = UnavailabilityKind.ANNUAL_LEAVE
    training = UnavailabilityKind.TRAINING
    rows = [
        DemoLeave(demo_email("Deborah Okafor"), leave, date(2026, 12, 21), date(2027, 1, 1),
                  "Christmas"),
        DemoLeave(demo_email("Deborah Okafor"), training, date(2027, 3, 9), date(2027, 3, 11),
                  "Safeguarding refresher"),
        DemoLeave(demo_email("Tom Reilly"), leave, date(2027, 4, 26), date(2027, 5, 7)),
        DemoLeave(demo_email("Martin Lomax"), leave, date(2027, 8, 2), date(2027, 8, 13)),
        DemoLeave(demo_email("Helen Marsh"), leave, date(2027, 2, 15), date(2027, 2, 19),
                  "Half term"),
    ]  # fmt: skip
    people = demo_inspectors()
    blocks = (
        (date(2026, 12, 21), date(2026, 12, 31)),
        (date(2027, 3, 29), date(2027, 4, 9)),
        (date(2027, 5, 31), date(2027, 6, 4)),
        (date(2027, 7, 26), date(2027, 8, 13)),
        (date(2027, 10, 25), date(2027, 10, 29)),
    )
    for n, index in enumerate(range(1, len(people), 5)):
        first, last = blocks[n % len(blocks)]
        kind = training if n % 6 == 5 else leave
        note = "Inspector training week" if kind == training else ""
        rows.append(DemoLeave(people[index].email, kind, first, last, note))
    return rows


def _load_inspector(spec: DemoInspector, today: date) -> bool:
    if Inspector.objects.filter(email=spec.email).exists():
        return False
    renewal = today + timedelta(days=spec.renewal_in_days)
    Inspector.objects.create(
        email=spec.email,
        name=spec.name,
        organisation=spec.organisation,
        grade=spec.grade,
        home_region=spec.region,
        specialisms=ordered_specialisms(spec.specialisms),
        dbs_level=DbsLevel.ENHANCED_BARRED
        if spec.organisation in {Organisation.OFSTED, Organisation.ESTYN}
        else DbsLevel.ENHANCED,
        dbs_checked_on=renewal - timedelta(days=DBS_RENEWAL_DAYS),
        dbs_renewal_due_on=renewal,
        clearance=spec.clearance,
    )
    return True


def _vet_shell_inspectors(today: date, generated: set[str]) -> int:
    """Give the shell demo's inspectors (those with sign-ins) vetting, once."""
    written = 0
    candidates = Inspector.objects.filter(
        email__endswith=f"@{DEMO_DOMAIN}", dbs_level=DbsLevel.NONE, specialisms=[]
    ).order_by("email")
    for n, inspector in enumerate(candidates):
        if inspector.email in generated:
            continue
        renewal = today + timedelta(days=200 + 61 * n)
        inspector.specialisms = ordered_specialisms(
            DEFAULT_SPECIALISMS.get(inspector.organisation, ())
        )
        inspector.dbs_level = DbsLevel.ENHANCED
        inspector.dbs_checked_on = renewal - timedelta(days=DBS_RENEWAL_DAYS)
        inspector.dbs_renewal_due_on = renewal
        inspector.clearance = (
            Clearance.SC if inspector.organisation == Organisation.HMI_PRISONS else Clearance.CTC
        )
        saved(inspector)
        written += 1
    return written


def _load_conflicts(by_email: dict[str, Inspector]) -> None:
    codes = {conflict.establishment_code for conflict in demo_conflicts()}
    establishments = {e.code: e for e in Establishment.objects.filter(code__in=codes)}
    for conflict in demo_conflicts():
        inspector = by_email.get(conflict.email)
        establishment = establishments.get(conflict.establishment_code)
        if inspector is None or establishment is None:
            continue
        if ConflictOfInterest.objects.filter(
            inspector=inspector, establishment=establishment, starts_on=conflict.starts_on
        ).exists():
            continue
        _conflict_create(
            inspector=inspector,
            establishment=establishment,
            provider=None,
            starts_on=conflict.starts_on,
            ends_on=conflict.ends_on,
            reason=conflict.reason,
        )
    ofsted = [p for p in demo_inspectors() if p.organisation == Organisation.OFSTED]
    providers = {
        p.name: p
        for p in Provider.objects.filter(name__in=[name for name, _ in DEMO_PROVIDER_CONFLICTS])
    }
    for n, (name, reason) in enumerate(DEMO_PROVIDER_CONFLICTS):
        provider = providers.get(name)
        inspector = by_email.get(ofsted[5 + 6 * n].email)
        starts_on = date(2023, 9, 1)
        if provider is None or inspector is None:
            continue
        if ConflictOfInterest.objects.filter(
            inspector=inspector, provider=provider, starts_on=starts_on
        ).exists():
            continue
        _conflict_create(
            inspector=inspector,
            establishment=None,
            provider=provider,
            starts_on=starts_on,
            ends_on=None,
            reason=reason,
        )


def _load_leave(by_email: dict[str, Inspector]) -> None:
    for leave in demo_leave():
        inspector = by_email.get(leave.email)
        if inspector is None:
            continue
        if Unavailability.objects.filter(inspector=inspector, starts_on=leave.starts_on).exists():
            continue
        try:
            _unavailability_create(
                inspector=inspector,
                kind=leave.kind,
                starts_on=leave.starts_on,
                ends_on=leave.ends_on,
                note=leave.note,
            )
        except ValidationError:
            continue  # already booked on those days (by another demo): leave it out


def demo_inspectors_load() -> int:
    """Load the demo inspectors, their conflicts and leave; return how many inspectors exist.

    Idempotent: a second run writes nothing."""
    today = timezone.localdate()
    people = demo_inspectors()
    with transaction.atomic():
        for spec in people:
            _load_inspector(spec, today)
        _vet_shell_inspectors(today, {spec.email for spec in people})
        by_email = {i.email: i for i in Inspector.objects.all()}
        _load_conflicts(by_email)
        _load_leave(by_email)
    return Inspector.objects.count()
