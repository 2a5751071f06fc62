"""The proposal drawn: a timeline (programme weeks across, events by region down) and each
inspector's weeks on site against the fair share.

Only geometry is computed here; templates/planner/_timeline.svg.html and _workload.svg.html
draw it with SVG attributes (the Content-Security-Policy refuses style attributes), and the
page puts a data table beside each chart, which is its text alternative.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from inspectorate.estate.constants import Region

LABEL_WIDTH = 170
WEEK_WIDTH = 14
LANE_HEIGHT = 16
REGION_GAP = 10
AXIS_HEIGHT = 22
NO_REGION = "Region not recorded"


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    kind: str
    moved: bool
    title: str
    education: tuple[tuple[int, int], ...]  # (x, width) of Ofsted's or Estyn's weeks


@dataclass(frozen=True)
class RegionBand:
    name: str
    y: int
    height: int
    label_y: int


@dataclass(frozen=True)
class Tick:
    x: int
    label: str


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    bands: tuple[RegionBand, ...]
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    rows: tuple[dict[str, Any], ...]  # the data table


def _lanes(rows: Sequence[Mapping[str, Any]]) -> list[list[Mapping[str, Any]]]:
    """Events packed into as few lanes as keep them from overlapping."""
    lanes: list[list[Mapping[str, Any]]] = []
    ends: list[int] = []
    for row in sorted(rows, key=lambda r: (r["week"], r["label"])):
        for index, end in enumerate(ends):
            if end <= row["week"]:
                lanes[index].append(row)
                ends[index] = row["week"] + row["span_weeks"]
                break
        else:
            lanes.append([row])
            ends.append(row["week"] + row["span_weeks"])
    return lanes


def _ticks(first_monday: date, weeks: int) -> list[Tick]:
    ticks, seen = [], set()
    for week in range(weeks):
        monday = first_monday + timedelta(weeks=week)
        month = (monday.year, monday.month)
        if month not in seen:
            seen.add(month)
            ticks.append(Tick(LABEL_WIDTH + week * WEEK_WIDTH, f"{monday:%b}"))
    return ticks


def _education_spans(weeks: Sequence[int]) -> tuple[tuple[int, int], ...]:
    return tuple((LABEL_WIDTH + w * WEEK_WIDTH, WEEK_WIDTH - 2) for w in weeks)


def _moved(row: Mapping[str, Any]) -> bool:
    current = row.get("current_starts_on")
    return bool(current) and current != row["starts_on"]


def timeline(result: Mapping[str, Any]) -> Timeline | None:
    """The proposal's events on the programme's weeks; None for a run kept before the
    planner recorded weeks and regions."""
    events = result.get("events") or []
    if not events or "weeks" not in result or any("week" not in row for row in events):
        return None
    first_monday = date.fromisoformat(result["first_monday"])
    by_region: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for row in events:
        by_region[_region_name(row.get("region", ""))].append(row)
    bands, bars, y = [], [], AXIS_HEIGHT
    for region in sorted(by_region, key=lambda name: (name == NO_REGION, name)):
        lanes = _lanes(by_region[region])
        height = len(lanes) * LANE_HEIGHT
        bands.append(RegionBand(region, y, height, y + min(height, LANE_HEIGHT) - 4))
        for lane_index, lane in enumerate(lanes):
            for row in lane:
                bars.append(
                    Bar(
                        x=LABEL_WIDTH + row["week"] * WEEK_WIDTH,
                        y=y + lane_index * LANE_HEIGHT + 2,
                        width=row["span_weeks"] * WEEK_WIDTH - 2,
                        height=LANE_HEIGHT - 4,
                        kind=row["kind"],
                        moved=_moved(row),
                        title=f"{row['label']}: {_span_text(row)}",
                        education=_education_spans(row.get("education_weeks", [])),
                    )
                )
        y += height + REGION_GAP
    table = tuple(
        {
            "region": region,
            "label": row["label"],
            "dates": _span_text(row),
            "education_week": _education_text(first_monday, row.get("education_weeks", [])),
            "moved": _moved(row),
        }
        for region in sorted(by_region, key=lambda name: (name == NO_REGION, name))
        for row in sorted(by_region[region], key=lambda r: (r["week"], r["label"]))
    )
    return Timeline(
        width=LABEL_WIDTH + result["weeks"] * WEEK_WIDTH,
        height=y,
        bands=tuple(bands),
        bars=tuple(bars),
        ticks=tuple(_ticks(first_monday, result["weeks"])),
        rows=table,
    )


def _region_name(code: str) -> str:
    return str(Region(code).label) if code in Region.values else code or NO_REGION


def _span_text(row: Mapping[str, Any]) -> str:
    start, end = date.fromisoformat(row["starts_on"]), date.fromisoformat(row["ends_on"])
    return f"{start:%-d %B} to {end:%-d %B %Y}"


def _education_text(first_monday: date, weeks: Sequence[int]) -> str:
    if not weeks:
        return ""
    monday = first_monday + timedelta(weeks=weeks[0])
    return f"Week of {monday:%-d %B %Y}"


@dataclass(frozen=True)
class WorkloadBar:
    y: int
    name: str
    weeks: int
    width: int
    share_x: int | None
    draft_weeks: int | None
    draft_x: int | None
    over: bool


@dataclass(frozen=True)
class OrganisationBand:
    name: str
    y: int


@dataclass(frozen=True)
class WorkloadChart:
    width: int
    height: int
    scale_x: int  # where weeks start
    unit: int  # pixels per week
    ticks: tuple[Tick, ...]
    bands: tuple[OrganisationBand, ...]
    bars: tuple[WorkloadBar, ...]
    rows: tuple[Mapping[str, Any], ...]


ORGANISATION_NAMES = {"hmip": "HMI Prisons", "ofsted": "Ofsted", "estyn": "Estyn"}
WORKLOAD_ROW = 14
WORKLOAD_UNIT = 30


def workload(result: Mapping[str, Any]) -> WorkloadChart | None:
    """Each inspector's weeks on site in the proposal, with the fair share marked."""
    rows = result.get("workload")
    if not rows:
        return None
    bars, bands, y = [], [], AXIS_HEIGHT
    most = max(max(r["weeks"], r["share"] or 0, r["draft_weeks"] or 0) for r in rows)
    organisation = None
    for row in rows:
        if row["organisation"] != organisation:
            organisation = row["organisation"]
            y += 6
            bands.append(OrganisationBand(ORGANISATION_NAMES.get(organisation, organisation), y))
            y += WORKLOAD_ROW
        share = row["share"]
        bars.append(
            WorkloadBar(
                y=y,
                name=row["name"],
                weeks=row["weeks"],
                width=row["weeks"] * WORKLOAD_UNIT,
                share_x=LABEL_WIDTH + share * WORKLOAD_UNIT if share is not None else None,
                draft_weeks=row["draft_weeks"],
                draft_x=(
                    LABEL_WIDTH + row["draft_weeks"] * WORKLOAD_UNIT
                    if row["draft_weeks"] is not None
                    else None
                ),
                over=share is not None and row["weeks"] > share,
            )
        )
        y += WORKLOAD_ROW
    ticks = tuple(Tick(LABEL_WIDTH + n * WORKLOAD_UNIT, str(n)) for n in range(most + 1))
    table = tuple(
        {
            "organisation": ORGANISATION_NAMES.get(r["organisation"], r["organisation"]),
            "name": r["name"],
            "weeks": r["weeks"],
            "draft_weeks": r["draft_weeks"],
            "share": r["share"],
        }
        for r in rows
    )
    return WorkloadChart(
        width=LABEL_WIDTH + (most + 1) * WORKLOAD_UNIT,
        height=y + 4,
        scale_x=LABEL_WIDTH,
        unit=WORKLOAD_UNIT,
        ticks=ticks,
        bands=tuple(bands),
        bars=tuple(bars),
        rows=table,
    )
