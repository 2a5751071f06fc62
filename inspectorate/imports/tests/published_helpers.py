"""Parsed reports built by hand, in the structure HMI Prisons publishes (no tests here).

The full inspection of HMP Leeds ran from 7 to 18 March 2022; the IRP that follows it ran
on 13 and 14 February 2023. Each item carries the page and line a parser would give it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from inspectorate.imports.published.parsed import (
    Concern,
    FollowUp,
    HealthyPrisonScore,
    ParsedReport,
    Recommendation,
    Source,
    StatedCount,
)

FULL_STARTS_ON, FULL_ENDS_ON = date(2022, 3, 7), date(2022, 3, 18)
IRP_STARTS_ON, IRP_ENDS_ON = date(2023, 2, 13), date(2023, 2, 14)

# (reference, area, text, page, line, concern index)
RECOMMENDATIONS = [
    ("1.10", "Safety", "Leaders should reduce the use of force on new arrivals.", 12, 4, 0),
    ("1.11", "Safety", "Violence should be analysed and its causes tackled.", 12, 18, None),
    ("1.21", "Respect", "Prisoners should have clean, decent cells.", 15, 7, 1),
    ("1.20", "Respect", "Complaints should be answered within the target time.", 15, 30, None),
    ("1.32", "Purposeful activity", "Prisoners should spend more time out of cell.", 19, 2, None),
    (
        "1.40",
        "Rehabilitation and release planning",
        "Every prisoner should have an up-to-date sentence plan.",
        23,
        11,
        None,
    ),
]
SCORES = [
    ("Safety", 2),
    ("Respect", 3),
    ("Purposeful activity", 1),
    ("Rehabilitation and release planning", 2),
]
# (follows reference, judgement, page, line)
FOLLOW_UPS = [
    ("1.10", "reasonable progress", 6, 3),
    ("1.11", "insufficient progress", 7, 9),
    ("1.21", "good progress", 8, 1),
    ("1.20", "no meaningful progress", 8, 22),
    ("1.32", "insufficient progress", 9, 14),
    ("1.40", "reasonable progress", 10, 5),
]
THEMES = [
    (
        "2.1",
        "Leaders' actions to increase attendance at education, skills and work",
        "significant progress",
        12,
        2,
    ),
    (
        "2.7",
        "The quality of teaching in English and mathematics, and the support for prisoners "
        "with low levels of literacy",
        "insufficient progress",
        13,
        20,
    ),
]


def full_report(**changes: Any) -> ParsedReport:
    report = ParsedReport(
        kind="full",
        establishment="HMP Leeds",
        starts_on=FULL_STARTS_ON,
        ends_on=FULL_ENDS_ON,
        published_on=date(2022, 7, 5),
        title="Report on an unannounced inspection of HMP Leeds",
        concerns=[
            Concern("priority", "Too much force was used on new arrivals.", Source(5, 10, "1.5")),
            Concern("key", "Many cells were dirty and cramped.", Source(5, 22, "1.6")),
            Concern("ofsted_key", "Too few prisoners attended education.", Source(6, 3, "1.7")),
        ],
        recommendations=[
            Recommendation(text, reference, area, Source(page, line, reference), concern)
            for reference, area, text, page, line, concern in RECOMMENDATIONS
        ],
        healthy_prison_scores=[
            HealthyPrisonScore(test, score, Source(4, 5 + index))
            for index, (test, score) in enumerate(SCORES)
        ],
        positive_practice=[
            ("Peer mentors met every new arrival on their first night.", Source(13, 2, "3.14"))
        ],
        pages=40,
    )
    return replace(report, **changes)


def irp_report(**changes: Any) -> ParsedReport:
    follow_ups = [
        FollowUp(
            kind="recommendation",
            title=next(text for ref, _, text, *_ in RECOMMENDATIONS if ref == reference),
            judgement=judgement,
            source=Source(page, line, f"1.{index + 1}"),
            paragraph_reference=f"1.{index + 1}",
            follows_reference=reference,
            area=next(area for ref, area, *_ in RECOMMENDATIONS if ref == reference),
            narrative=[f"Narrative about {reference}.", "A second paragraph."],
        )
        for index, (reference, judgement, page, line) in enumerate(FOLLOW_UPS)
    ]
    themes = [
        FollowUp(
            kind="theme",
            title=title,
            judgement=judgement,
            source=Source(page, line, reference),
            paragraph_reference=reference,
            narrative=[f"Theme narrative {reference}."],
        )
        for reference, title, judgement, page, line in THEMES
    ]
    report = ParsedReport(
        kind="irp",
        establishment="HMP Leeds",
        starts_on=IRP_STARTS_ON,
        ends_on=IRP_ENDS_ON,
        published_on=date(2023, 4, 18),
        title="Report on an independent review of progress at HMP Leeds",
        follow_ups=[*follow_ups, *themes],
        positive_practice=[
            ("The new induction wing was calm and well run.", Source(11, 4, "1.40"))
        ],
        stated_counts=[
            StatedCount("hmip", "good progress", 1, Source(3, 12)),
            StatedCount("hmip", "reasonable progress", 2, Source(3, 13)),
            StatedCount("hmip", "insufficient progress", 2, Source(3, 14)),
            StatedCount("hmip", "no meaningful progress", 1, Source(3, 15)),
            StatedCount("ofsted", "significant progress", 1, Source(3, 20)),
            StatedCount("ofsted", "reasonable progress", 0, Source(3, 21)),
        ],
        follows_inspection_starts_on=FULL_STARTS_ON,
        follows_inspection_ends_on=FULL_ENDS_ON,
        pages=16,
    )
    return replace(report, **changes)


def as_file(report: ParsedReport) -> bytes:
    """A text file standing for the report: its content decides its hash."""
    import json

    return json.dumps(report.as_json(), sort_keys=True).encode()
