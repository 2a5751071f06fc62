"""Published judgements as open data: three CSV files and their data dictionary.

- `judgements`: one row per published inspection with Ofsted's education judgements, in the
  shape of Ofsted's "Further education and skills inspections and outcomes: management
  information": its field names, numeric grades (1 outstanding to 4 inadequate), the provider's
  UKPRN, the inspection number, and the previous inspection's number, last day and grade.
- `healthy-prison-tests`: HMI Prisons' healthy prison test scores of each published full
  inspection (4 good, 3 reasonably good, 2 not sufficiently good, 1 poor, as HMI Prisons
  publishes them).
- `irp-progress`: each progress judgement of each published independent review of progress.

Only published inspections appear: nothing of a draft, nothing of the programme (PG-3). The
dictionary (`DATASETS`) is the one description of every column: the CSV headers are written
from it, the JSON and the page show it, and a test compares them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from inspectorate.estate.constants import ProviderService
from inspectorate.estate.models import ProviderContract
from inspectorate.inspections.constants import Stage
from inspectorate.inspections.models import Inspection, Judgement
from inspectorate.lib.csvio import write_csv
from inspectorate.lib.xlsxio import Kind, SheetColumn, write_xlsx

LICENCE = "Open Government Licence v3.0"
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
PUBLISHER = "HM Inspectorate of Prisons and Ofsted"
OFSTED_FRAMEWORKS = ("eif-prisons", "cif-2012", "cif-2009")
EDUCATION_SERVICES = (ProviderService.EDUCATION, ProviderService.EDUCATION_SKILLS_WORK)


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    description: str

    @property
    def datatype(self) -> str:
        """The CSV on the Web (W3C) datatype of the column."""
        return {Kind.DATE: "date", Kind.NUMBER: "integer"}.get(self.kind, "string")


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    fields: tuple[Field, ...]
    rows: Callable[[], Iterable[Sequence[Any]]]
    sheet_title: str = "Open data"

    @property
    def filename(self) -> str:
        return f"{self.slug}.csv"

    @property
    def header(self) -> list[str]:
        return [field.name for field in self.fields]

    def csv(self) -> str:
        return write_csv(self.header, self.rows(), identifiers=self._identifiers())

    def xlsx(self) -> bytes:
        """The same file as a workbook: grades and scores as numbers, identifiers as text."""
        columns = [SheetColumn(field.name, field.name, field.kind) for field in self.fields]
        return write_xlsx(self.sheet_title, columns, self.rows())

    def _identifiers(self) -> list[str]:
        return [field.name for field in self.fields if field.kind == Kind.IDENTIFIER]


def _ident(name: str, description: str) -> Field:
    return Field(name, Kind.IDENTIFIER, description)


def _text(name: str, description: str) -> Field:
    return Field(name, Kind.TEXT, description)


def _date(name: str, description: str) -> Field:
    return Field(name, Kind.DATE, f"{description} (YYYY-MM-DD).")


GRADES = (
    "1 outstanding, 2 good, 3 requires improvement (satisfactory before September 2012), "
    "4 inadequate"
)
SCORES = "4 good, 3 reasonably good, 2 not sufficiently good, 1 poor"


def _levels(name: str, what: str, levels: str, marked: str) -> Field:
    """A number on the scale `levels`, empty when the record was not `marked` (judged,
    scored)."""
    return Field(name, Kind.NUMBER, f"{what}: {levels}; empty when not {marked}.")


def _grade(name: str, what: str) -> Field:
    return _levels(name, what, GRADES, "judged")


def _score(name: str, test: str) -> Field:
    return _levels(name, f"The healthy prison test of {test}", SCORES, "scored")


ESTABLISHMENT_FIELDS = (
    _ident("Establishment code", "HMI Prisons' code of the establishment, such as LE."),
    _text("Establishment name", "The establishment's name as the register holds it today."),
    _text("Establishment type", "Prison, young offender institution, and so on."),
    _text("Nation", "England or Wales."),
)

# (field, its aspect codes), in the order Ofsted publishes them. Prison inspections from
# February 2020 are graded under the education inspection framework for prisons (QE, BA, PD,
# LM), earlier ones and FE providers under the CIF (CI, A, B, C, C3, C4); both have OE. The
# framework's safeguarding (effective or not) is on no 1-4 scale: C3 is the CIF's grade.
OFSTED_GRADES = (
    (_grade("Overall effectiveness", "Overall effectiveness"), ("OE",)),
    (_grade("Quality of education", "Quality of education"), ("QE",)),
    (_grade("Behaviour and attitudes", "Behaviour and attitudes"), ("BA",)),
    (_grade("Personal development", "Personal development"), ("PD",)),
    (_grade("Capacity to improve", "Capacity to improve"), ("CI",)),
    (_grade("Outcomes for learners", "Outcomes for learners"), ("A",)),
    (_grade("Quality of provision", "Quality of provision"), ("B",)),
    (
        _grade("Effectiveness of leadership and management", "Leadership and management"),
        ("LM", "C"),
    ),
    (_grade("Safeguarding", "Safeguarding"), ("C3",)),
    (_grade("Equality and diversity", "Equality and diversity"), ("C4",)),
)
HEALTHY_PRISON_TESTS = (
    (_score("Safety", "safety"), "S"),
    (_score("Respect", "respect"), "R"),
    (_score("Purposeful activity", "purposeful activity"), "PA"),
    (_score("Rehabilitation and release planning", "rehabilitation and release planning"), "RRP"),
)


def _published() -> list[Inspection]:
    return list(
        Inspection.objects.filter(stage=Stage.PUBLISHED, published_on__isnull=False)
        .select_related("event__establishment")
        .order_by("event__starts_on", "event__establishment__name", "pk")
    )


def _grades(frameworks: Sequence[str]) -> dict[int, dict[str, int]]:
    """{event id: {aspect code: level value}} of the published inspections' judgements."""
    grades: dict[int, dict[str, int]] = defaultdict(dict)
    rows = Judgement.objects.filter(
        event__inspection__stage=Stage.PUBLISHED,
        follow_up__isnull=True,
        framework__slug__in=frameworks,
    ).values_list("event_id", "aspect__code", "level__value")
    for event_id, code, value in rows:
        grades[event_id][code] = value
    return grades


def _education_ukprns(inspections: Sequence[Inspection]) -> dict[int, str]:
    """{inspection id: UKPRN(s) of the education provider(s) under contract on its first day}."""
    contracts = ProviderContract.objects.filter(
        establishment__in={i.event.establishment_id for i in inspections},
        service__in=EDUCATION_SERVICES,
    ).select_related("provider")
    found: dict[int, str] = {}
    for inspection in inspections:
        day = inspection.event.starts_on
        ukprns = sorted(
            {
                c.provider.ukprn
                for c in contracts
                if c.establishment_id == inspection.event.establishment_id
                and c.starts_on <= day
                and (c.ends_on is None or c.ends_on >= day)
                and c.provider.ukprn
            }
        )
        found[inspection.pk] = "; ".join(ukprns)
    return found


def _place(inspection: Inspection) -> list[Any]:
    place = inspection.event.establishment
    return [place.code, place.name, place.get_kind_display(), place.get_nation_display()]


def _judgement_rows() -> Iterable[list[Any]]:
    inspections = _published()
    grades = _grades(OFSTED_FRAMEWORKS)
    graded = [i for i in inspections if grades.get(i.event_id)]
    ukprns = _education_ukprns(graded)
    previous: dict[int, Inspection] = {}  # establishment id: its latest graded inspection so far
    for inspection in graded:
        event = inspection.event
        own = grades[event.pk]
        before = previous.get(event.establishment_id)
        yield [
            ukprns.get(inspection.pk, ""),
            "",  # URN: the register holds none yet
            *_place(inspection),
            inspection.pk,
            event.get_kind_display(),
            event.starts_on,
            event.ends_on,
            inspection.published_on,
            *(_first(own, codes) for _, codes in OFSTED_GRADES),
            before.pk if before else None,
            before.event.ends_on if before else None,
            grades[before.event_id].get("OE") if before else None,
        ]
        previous[event.establishment_id] = inspection


def _first(grades: dict[str, int], codes: Sequence[str]) -> int | None:
    """The grade of the first of `codes` judged (an inspection is graded under one framework)."""
    return next((grades[code] for code in codes if code in grades), None)


def _healthy_prison_rows() -> Iterable[list[Any]]:
    scores = _grades(("healthy-prison-tests",))
    for inspection in _published():
        own = scores.get(inspection.event_id)
        if not own:
            continue
        event = inspection.event
        yield [
            *_place(inspection),
            inspection.pk,
            event.starts_on,
            event.ends_on,
            inspection.published_on,
            *(own.get(code) for _, code in HEALTHY_PRISON_TESTS),
        ]


def _irp_rows() -> Iterable[list[Any]]:
    inspections = {i.event_id: i for i in _published()}
    judgements = (
        Judgement.objects.filter(event_id__in=inspections, follow_up__isnull=False)
        .select_related("follow_up__recommendation", "framework", "level")
        .order_by(
            "event__starts_on", "event_id", "follow_up__kind", "follow_up__position", "follow_up_id"
        )
    )
    numbers: dict[tuple[int, str], int] = defaultdict(int)  # numbered per review and list
    for judgement in judgements:
        inspection = inspections[judgement.event_id]
        event = inspection.event
        item = judgement.follow_up
        assert item is not None  # the query asks for follow-up judgements only
        recommendation = item.recommendation
        numbers[judgement.event_id, item.kind] += 1
        yield [
            *_place(inspection),
            inspection.pk,
            event.starts_on,
            event.ends_on,
            inspection.published_on,
            "Ofsted" if judgement.framework.slug.startswith("ofsted") else "HMI Prisons",
            numbers[judgement.event_id, item.kind],
            recommendation.text if recommendation else item.theme,
            judgement.level.label,
            judgement.level.value,
        ]


JUDGEMENTS = Dataset(
    "judgements",
    "Education, skills and work: published inspection judgements",
    "Ofsted's judgements of education, skills and work at each published inspection, in "
    "the fields of Ofsted's further education and skills management information.",
    (
        _ident(
            "Provider UKPRN",
            "UK provider reference number of the education provider "
            "under contract on the first day of the inspection; several are joined by '; '.",
        ),
        _ident("URN", "Ofsted's unique reference number of the establishment, where known."),
        *ESTABLISHMENT_FIELDS,
        _ident("Inspection number", "This service's number of the inspection."),
        _text("Inspection type", "Full inspection, Ofsted standalone inspection, and so on."),
        _date("First day of inspection", "The first day on site"),
        _date("Last day of inspection", "The last day on site"),
        _date("Publication date", "The day the report was published"),
        *(field for field, _ in OFSTED_GRADES),
        _ident(
            "Previous inspection number",
            "The number of the establishment's previous "
            "published inspection with these judgements; empty for the first.",
        ),
        _date("Previous last day of inspection", "The previous inspection's last day on site"),
        _grade(
            "Previous overall effectiveness", "Overall effectiveness at the previous inspection"
        ),
    ),
    _judgement_rows,
    "Published judgements",
)
HEALTHY_PRISONS = Dataset(
    "healthy-prison-tests",
    "Healthy prison test scores",
    "HMI Prisons' scores of the four healthy prison tests at each published full inspection.",
    (
        *ESTABLISHMENT_FIELDS,
        _ident("Inspection number", "This service's number of the inspection."),
        _date("First day of inspection", "The first day on site"),
        _date("Last day of inspection", "The last day on site"),
        _date("Publication date", "The day the report was published"),
        *(field for field, _ in HEALTHY_PRISON_TESTS),
    ),
    _healthy_prison_rows,
    "Healthy prison tests",
)
IRP_PROGRESS = Dataset(
    "irp-progress",
    "Independent reviews of progress: progress judgements",
    "Each judgement of progress at each published independent review of progress: HMI "
    "Prisons' on each recommendation followed up, Ofsted's on each theme.",
    (
        *ESTABLISHMENT_FIELDS,
        _ident("Review number", "This service's number of the review."),
        _date("First day of review", "The first day on site"),
        _date("Last day of review", "The last day on site"),
        _date("Publication date", "The day the report was published"),
        _text("Inspectorate", "HMI Prisons (recommendations) or Ofsted (themes)."),
        Field(
            "Item number",
            Kind.NUMBER,
            "The item's number in the report's list of recommendations, or of themes.",
        ),
        _text("Recommendation or theme", "The recommendation followed up, or Ofsted's theme."),
        _text(
            "Progress judgement",
            "HMI Prisons: good, reasonable, insufficient or no "
            "meaningful progress. Ofsted: significant, reasonable or insufficient progress.",
        ),
        Field(
            "Progress score",
            Kind.NUMBER,
            "The judgement as a number, 1 the most progress (HMI Prisons 1 to 4, Ofsted 1 to 3).",
        ),
    ),
    _irp_rows,
    "IRP progress",
)
DATASETS = (JUDGEMENTS, HEALTHY_PRISONS, IRP_PROGRESS)
BY_SLUG = {dataset.slug: dataset for dataset in DATASETS}


def published_judgements_csv() -> str:
    """The judgements file (the command line's `export judgements`)."""
    return JUDGEMENTS.csv()


def dictionary(base_url: str = "") -> dict[str, Any]:
    """The data dictionary as CSV on the Web (W3C) metadata: one table per file."""
    return {
        "@context": "http://www.w3.org/ns/csvw",
        "dc:publisher": PUBLISHER,
        "dc:license": {"name": LICENCE, "url": LICENCE_URL},
        "dc:modified": date.today().isoformat(),
        "tables": [
            {
                "url": base_url + dataset.filename,
                "dc:title": dataset.title,
                "dc:description": dataset.description,
                "tableSchema": {
                    "columns": [
                        {
                            "name": _csvw_name(field.name),
                            "titles": field.name,
                            "datatype": field.datatype,
                            "dc:description": field.description,
                        }
                        for field in dataset.fields
                    ]
                },
            }
            for dataset in DATASETS
        ],
    }


def _csvw_name(heading: str) -> str:
    """The column's machine name in the CSVW metadata ("Provider UKPRN" gives provider_ukprn):
    an identifier for programs, never shown to people as wording."""
    return "".join(c if c.isalnum() else "_" for c in heading.casefold()).strip("_")
