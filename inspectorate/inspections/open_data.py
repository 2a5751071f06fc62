"""Published judgements as open data (CSV), one row per published inspection, in the shape
of Ofsted's published management information: the establishment, the kind of event, its
dates, the publication date and each judgement. Only published inspections: nothing in a
draft, and no IRP follow-up narratives."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from inspectorate.imports.csvio import write_csv
from inspectorate.inspections.constants import Stage
from inspectorate.inspections.models import Inspection, Judgement

# (column, the (framework slug, aspect code) pairs it is read from), in the order Ofsted
# publishes them. Prison inspections from February 2020 are graded under the education
# inspection framework (eif-prisons), earlier ones and FE providers under the 2012 CIF.
JUDGEMENT_COLUMNS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("overall_effectiveness", (("eif-prisons", "OE"), ("cif-2012", "OE"))),
    ("quality_of_education", (("eif-prisons", "QE"),)),
    ("behaviour_and_attitudes", (("eif-prisons", "BA"),)),
    ("personal_development", (("eif-prisons", "PD"),)),
    ("capacity_to_improve", (("cif-2012", "CI"),)),
    ("outcomes", (("cif-2012", "A"),)),
    ("quality_of_provision", (("cif-2012", "B"),)),
    ("leadership_and_management", (("eif-prisons", "LM"), ("cif-2012", "C"))),
    ("safeguarding", (("eif-prisons", "SG"), ("cif-2012", "C3"))),
    ("equality_and_diversity", (("cif-2012", "C4"),)),
    ("hmip_safety", (("healthy-prison-tests", "S"),)),
    ("hmip_respect", (("healthy-prison-tests", "R"),)),
    ("hmip_purposeful_activity", (("healthy-prison-tests", "PA"),)),
    ("hmip_rehabilitation_and_release_planning", (("healthy-prison-tests", "RRP"),)),
)
COLUMNS = (
    "establishment_code",
    "establishment",
    "establishment_kind",
    "nation",
    "event_kind",
    "starts_on",
    "ends_on",
    "published_on",
    *(column for column, _ in JUDGEMENT_COLUMNS),
)


def published_judgements_csv() -> str:
    """Every published inspection with its judgements (two queries)."""
    inspections = list(
        Inspection.objects.filter(stage=Stage.PUBLISHED)
        .select_related("event__establishment")
        .order_by("event__starts_on", "event__establishment__name")
    )
    grades: dict[int, dict[tuple[str, str], str]] = defaultdict(dict)
    rows = Judgement.objects.filter(
        event__inspection__stage=Stage.PUBLISHED, follow_up__isnull=True
    ).values_list("event_id", "framework__slug", "aspect__code", "level__label")
    for event_id, framework, code, label in rows:
        grades[event_id][(framework, code)] = label
    return write_csv(COLUMNS, (_row(i, grades[i.event_id]) for i in inspections))


def _row(inspection: Inspection, grades: dict[tuple[str, str], str]) -> list[Any]:
    event = inspection.event
    place = event.establishment
    return [
        place.code,
        place.name,
        place.get_kind_display(),
        place.get_nation_display(),
        event.get_kind_display(),
        event.starts_on,
        event.ends_on,
        inspection.published_on,
        *(_first(grades, sources) for _, sources in JUDGEMENT_COLUMNS),
    ]


def _first(grades: dict[tuple[str, str], str], sources: tuple[tuple[str, str], ...]) -> str:
    """The grade of the first of `sources` recorded (an inspection uses one framework)."""
    return next((grades[source] for source in sources if source in grades), "")
