"""The demo data set: real prisons, one user per role, a few inspectors.

Idempotent: every record is found by a natural key and only created or corrected, so running
it again changes nothing. Later modules add their own demo records here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction

from inspectorate.accounts.models import User
from inspectorate.accounts.roles import Role
from inspectorate.complaints.demo import demo_complaints_load
from inspectorate.estate.demo import demo_estate_load
from inspectorate.estate.models import Establishment
from inspectorate.estate.register import register_establishments
from inspectorate.estate.services import establishments_load_register
from inspectorate.frameworks.models import Framework
from inspectorate.frameworks.services import frameworks_load
from inspectorate.improvement.demo import demo_improvement_load
from inspectorate.inspections.demo import demo_inspections_load
from inspectorate.inspectors.constants import Grade, Organisation, Region
from inspectorate.inspectors.demo import demo_inspectors_load
from inspectorate.inspectors.models import Inspector
from inspectorate.programme.demo import demo_programme_load
from inspectorate.programme.demo_teams import demo_teams_load
from inspectorate.programme.milestones.services import milestones_demo
from inspectorate.programme.models import Event
from inspectorate.reports.demo import demo_reports_load
from inspectorate.safeguarding.demo import demo_safeguarding_load

DEMO_PASSWORD = "demo-inspectorate-2026"
DEMO_ESTABLISHMENT_CODE = "LE"  # HMP Leeds


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: Role
    organisation: Organisation | None = None
    grade: Grade | None = None
    region: Region | None = None


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("coordinator", "Priya", "Shah", Role.HMIP_COORDINATOR),
    DemoUser(
        "teamleader",
        "Martin",
        "Lomax",
        Role.HMIP_TEAM_LEADER,
        Organisation.HMI_PRISONS,
        Grade.HMIP_TEAM_LEADER,
        Region.YORKSHIRE,
    ),
    DemoUser(
        "inspector",
        "Deborah",
        "Okafor",
        Role.HMIP_INSPECTOR,
        Organisation.HMI_PRISONS,
        Grade.HMIP_INSPECTOR,
        Region.NORTH_WEST,
    ),
    DemoUser("scheduler", "Gareth", "Pryce", Role.OFSTED_SCHEDULER),
    DemoUser(
        "ofstedlead",
        "Helen",
        "Marsh",
        Role.OFSTED_LEAD_INSPECTOR,
        Organisation.OFSTED,
        Grade.OFSTED_HMI,
        Region.EAST_MIDLANDS,
    ),
    DemoUser(
        "ofstedinspector",
        "Tom",
        "Reilly",
        Role.OFSTED_INSPECTOR,
        Organisation.OFSTED,
        Grade.OFSTED_INSPECTOR,
        Region.LONDON,
    ),
    DemoUser(
        "improvement",
        "Aisha",
        "Begum",
        Role.IMPROVEMENT_HMI,
        Organisation.OFSTED,
        Grade.OFSTED_HMI,
        Region.WEST_MIDLANDS,
    ),
    DemoUser("qa", "Simon", "Fairweather", Role.QUALITY_ASSURANCE),
    DemoUser("governor", "Claire", "Dawson", Role.ESTABLISHMENT_USER),
    DemoUser("admin", "Sam", "Okonjo", Role.SYSTEM_ADMINISTRATOR),
)
# A role with no named person above (a new one) still gets a demo account, named after it.
DEMO_USERS += tuple(
    DemoUser(role.value.replace("_", "-"), "Demo", role.label, role)
    for role in Role
    if all(spec.role != role for spec in DEMO_USERS)
)

# Inspectors without a sign-in of their own in the demo.
DEMO_INSPECTORS = (
    ("Rachel Whitaker", Organisation.OFSTED, Grade.OFSTED_HMI, Region.NORTH_EAST),
    ("Owain Hughes", Organisation.ESTYN, Grade.ESTYN_HMI, Region.WALES),
    ("Joseph Adeyemi", Organisation.OFSTED, Grade.OFSTED_INSPECTOR, Region.SOUTH_EAST),
    ("Fiona Grant", Organisation.HMI_PRISONS, Grade.HMIP_INSPECTOR, Region.SOUTH_WEST),
    ("Nadia Rahman", Organisation.CQC, Grade.SPECIALIST, Region.LONDON),
)


def _email(name: str) -> str:
    return name.lower().replace(" ", ".") + "@demo.inspectorate.invalid"


def _load_user(spec: DemoUser) -> User:
    establishment = None
    if spec.role == Role.ESTABLISHMENT_USER:
        establishment = Establishment.objects.get(code=DEMO_ESTABLISHMENT_CODE)
    is_admin = spec.role == Role.SYSTEM_ADMINISTRATOR
    user, created = User.objects.get_or_create(
        username=spec.username,
        defaults={
            "first_name": spec.first_name,
            "last_name": spec.last_name,
            "email": _email(f"{spec.first_name} {spec.last_name}"),
            "roles": [spec.role.value],
            "establishment": establishment,
            "is_staff": is_admin,
            "is_superuser": is_admin,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _load_inspector(
    name: str, organisation: str, grade: str, region: str, user: User | None
) -> None:
    Inspector.objects.get_or_create(
        email=user.email if user else _email(name),
        defaults={
            "name": name,
            "organisation": organisation,
            "grade": grade,
            "home_region": region,
            "user": user,
        },
    )


def _refresh_planner_statistics() -> None:
    """ANALYZE what was just loaded. Autovacuum would in time, but not inside a transaction
    still open (a test's): there PostgreSQL plans on empty-table estimates, and the first
    pages read after a load took minutes per query on PostgreSQL 18. ANALYZE counts the rows
    its own transaction inserted."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def demo_load() -> dict[str, int]:
    """Load the whole demo data set in one transaction; return counts of what is there."""
    with transaction.atomic():
        frameworks_load(actor=None)
        establishments_load_register(records=register_establishments())
        demo_estate_load()
        for spec in DEMO_USERS:
            user = _load_user(spec)
            if spec.organisation and spec.grade and spec.region:
                _load_inspector(
                    user.get_full_name(), spec.organisation, spec.grade, spec.region, user
                )
        for name, organisation, grade, region in DEMO_INSPECTORS:
            _load_inspector(name, organisation, grade, region, None)
        demo_inspectors_load()  # after the inspectors above: it completes their vetting
        demo_programme_load()
        demo_teams_load()
        milestones_demo()  # after the teams: naming an Ofsted lead meets PG-6
        inspections = demo_inspections_load()  # after the teams: the leads write the record
        demo_improvement_load()  # the record's judgement opened the case (SC-1)
        demo_safeguarding_load()
        demo_complaints_load()
        demo_reports_load()  # after the inspection record: its reports, checked and published
        milestones_demo()  # again: the reports' own deadlines (RP-3) made then, backdated too
    _refresh_planner_statistics()
    return {
        "establishments": Establishment.objects.count(),
        "users": User.objects.count(),
        "inspectors": Inspector.objects.count(),
        "frameworks": Framework.objects.count(),
        "events": Event.objects.count(),
        "judgements": inspections["judgements"],
    }
