"""The milestone engine, without the database: due dates checked against dates worked out by
hand from a calendar, across Easter, Christmas and the one-off 2022 and 2023 bank holidays
(the Platinum Jubilee, 2-3 June 2022; the State Funeral, 19 September 2022; the Coronation,
8 May 2023), in England and Wales, with Scotland where it differs.

Every expected date below was counted on a calendar, never with the function under test.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest

from inspectorate.lib.workdays import Nation
from inspectorate.programme.milestones.deadlines import (
    ComputedMilestone,
    EventFacts,
    compute_milestones,
    load_rules,
    rules_by_code,
)

E, W, S = Nation.ENGLAND, Nation.WALES, Nation.SCOTLAND
ENGLAND_AND_WALES = (E, W)


def facts(
    kind: str = "full_inspection",
    starts_on: date = date(2026, 3, 30),
    ends_on: date | None = None,
    nation: Nation = E,
    **values: Any,
) -> EventFacts:
    values.setdefault("establishment_kind", "prison")
    values.setdefault("education_inspectorate", "ofsted")
    return EventFacts(
        kind=kind, nation=nation, starts_on=starts_on, ends_on=ends_on or starts_on, **values
    )


def milestone(code: str, event: EventFacts) -> ComputedMilestone:
    found = {item.rule.code: item for item in compute_milestones(event)}
    assert code in found, f"{code} not computed; got {sorted(found)}"
    return found[code]


def due(code: str, event: EventFacts) -> date:
    return milestone(code, event).due_on


# RP-1: 13 working days after a full inspection; the Friday of the week after an IRP --------


@pytest.mark.rule("RP-1")
@pytest.mark.rule("WD-1")
@pytest.mark.parametrize("nation", ENGLAND_AND_WALES)
@pytest.mark.parametrize(
    ("ends_on", "expected"),
    [
        # Ends Fri 27 May 2022; 2 and 3 June (Spring bank holiday, Platinum Jubilee) skipped.
        (date(2022, 5, 27), date(2022, 6, 17)),
        # Ends Fri 9 Sep 2022; Mon 19 Sep (State Funeral) skipped.
        (date(2022, 9, 9), date(2022, 9, 29)),
        # Ends Fri 28 Apr 2023; Mon 1 May (May Day) and Mon 8 May (Coronation) skipped.
        (date(2023, 4, 28), date(2023, 5, 19)),
        # Ends Fri 19 Dec 2025; 25, 26 Dec and 1 Jan skipped.
        (date(2025, 12, 19), date(2026, 1, 12)),
        # Ends Fri 27 Mar 2026; Good Friday 3 Apr and Easter Monday 6 Apr skipped.
        (date(2026, 3, 27), date(2026, 4, 17)),
    ],
)
def test_ofsted_report_13_working_days_after_a_full_inspection(
    nation: Nation, ends_on: date, expected: date
) -> None:
    event = facts(starts_on=date(2000, 1, 3), ends_on=ends_on, nation=nation)
    assert due("rp1_report_full_inspection", event) == expected


@pytest.mark.rule("RP-1")
@pytest.mark.rule("WD-1")
@pytest.mark.parametrize(
    ("ends_on", "expected"),
    [
        (date(2025, 12, 19), date(2026, 1, 13)),  # 2 January is a holiday in Scotland only
        (date(2026, 3, 27), date(2026, 4, 16)),  # Easter Monday is not a Scottish holiday
    ],
)
def test_ofsted_report_deadline_in_scotland_follows_scottish_holidays(
    ends_on: date, expected: date
) -> None:
    event = facts(starts_on=date(2000, 1, 3), ends_on=ends_on, nation=S)
    assert due("rp1_report_full_inspection", event) == expected


@pytest.mark.rule("RP-1")
@pytest.mark.parametrize("nation", ENGLAND_AND_WALES)
@pytest.mark.parametrize(
    ("starts_on", "ends_on", "expected"),
    [
        # Week after: Mon 19 to Fri 23 Dec 2022, no holiday: the Friday itself.
        (date(2022, 12, 12), date(2022, 12, 14), date(2022, 12, 23)),
        # Week after: 30 Mar to 3 Apr 2026; Fri 3 Apr is Good Friday: Thursday 2 April.
        (date(2026, 3, 23), date(2026, 3, 25), date(2026, 4, 2)),
        # Week after: 30 May to 3 Jun 2022; Fri 3 (Jubilee) and Thu 2 (Spring) off: Wed 1 June.
        (date(2022, 5, 24), date(2022, 5, 26), date(2022, 6, 1)),
        # Week after: 22 to 26 Dec 2025; Fri 26 (Boxing Day), Thu 25 (Christmas): Wed 24 Dec.
        (date(2025, 12, 15), date(2025, 12, 17), date(2025, 12, 24)),
    ],
)
def test_ofsted_report_by_the_friday_of_the_week_after_an_irp(
    nation: Nation, starts_on: date, ends_on: date, expected: date
) -> None:
    event = facts(kind="irp", starts_on=starts_on, ends_on=ends_on, nation=nation)
    assert due("rp1_report_irp", event) == expected
    assert "rp1_report_full_inspection" not in {m.rule.code for m in compute_milestones(event)}


# RP-4: probation and FE reports published within 25 working days -----------------------------


@pytest.mark.rule("RP-4")
@pytest.mark.rule("WD-1")
@pytest.mark.parametrize(
    ("nation", "ends_on", "expected"),
    [
        # Ends Fri 27 May 2022: Jubilee days skipped; 25th working day Tue 5 July 2022.
        (E, date(2022, 5, 27), date(2022, 7, 5)),
        (W, date(2022, 5, 27), date(2022, 7, 5)),
        # Ends Fri 28 Apr 2023: May Day, Coronation and Spring bank holiday skipped.
        (E, date(2023, 4, 28), date(2023, 6, 7)),
        (W, date(2023, 4, 28), date(2023, 6, 7)),
        # Ends Fri 20 Mar 2026: Good Friday and Easter Monday skipped.
        (E, date(2026, 3, 20), date(2026, 4, 28)),
        (W, date(2026, 3, 20), date(2026, 4, 28)),
        (S, date(2026, 3, 20), date(2026, 4, 27)),  # no Easter Monday in Scotland
        # Ends Fri 11 Dec 2026: 25 Dec, 28 Dec (Boxing Day observed), 1 Jan skipped.
        (E, date(2026, 12, 11), date(2027, 1, 20)),
        (W, date(2026, 12, 11), date(2027, 1, 20)),
        (S, date(2026, 12, 11), date(2027, 1, 21)),  # and 4 Jan 2027 in Scotland
    ],
)
def test_probation_report_published_within_25_working_days(
    nation: Nation, ends_on: date, expected: date
) -> None:
    event = facts(
        starts_on=date(2000, 1, 3),
        ends_on=ends_on,
        nation=nation,
        establishment_kind="probation_area",
    )
    assert due("rp4_report_published", event) == expected
    fe = facts(
        kind="ofsted_standalone",
        starts_on=date(2000, 1, 3),
        ends_on=ends_on,
        nation=nation,
        establishment_kind="fe_provider",
    )
    assert due("rp4_report_published", fe) == expected


# IN-2, IN-3, IN-4: the Thursday of Ofsted's week, and the final day ---------------------------


@pytest.mark.rule("IN-2")
@pytest.mark.rule("IN-3")
@pytest.mark.parametrize("nation", ENGLAND_AND_WALES)
@pytest.mark.parametrize(
    ("starts_on", "education_week", "expected"),
    [
        # Mon 30 Mar 2026; Ofsted's week (the second) starts on Easter Monday: Thu 9 April.
        (date(2026, 3, 30), None, date(2026, 4, 9)),
        # Tue 26 May 2026 after the Spring bank holiday: second week from Tue 2 June.
        (date(2026, 5, 26), None, date(2026, 6, 4)),
        # Tue 2 May 2023 after May Day; second week from Tue 9 May, after the Coronation.
        (date(2023, 5, 2), None, date(2023, 5, 11)),
        # The same inspection with Ofsted agreed to attend the first week (PG-9).
        (date(2023, 5, 2), date(2023, 5, 2), date(2023, 5, 4)),
        # Mon 23 May 2022: the second week's Thursday is 2 June, a bank holiday. Ofsted is
        # on site that week: the day is kept, not moved.
        (date(2022, 5, 23), None, date(2022, 6, 2)),
    ],
)
def test_bullet_points_by_noon_and_deliberation_on_the_thursday_of_ofsteds_week(
    nation: Nation, starts_on: date, education_week: date | None, expected: date
) -> None:
    event = facts(
        starts_on=starts_on,
        ends_on=date(starts_on.year, 12, 31),
        nation=nation,
        education_week_starts_on=education_week,
    )
    bullet_points = milestone("in2_bullet_points", event)
    assert (bullet_points.due_on, bullet_points.due.at) == (expected, time(12, 0))
    deliberation = milestone("in3_deliberation_meeting", event)
    assert (deliberation.due_on, deliberation.due.at) == (expected, None)


@pytest.mark.rule("IN-4")
def test_feedback_session_on_the_final_day_even_when_it_is_not_a_working_day() -> None:
    event = facts(starts_on=date(2026, 3, 30), ends_on=date(2026, 4, 10))
    assert due("in4_feedback_session", event) == date(2026, 4, 10)
    weekend = facts(starts_on=date(2026, 3, 30), ends_on=date(2026, 4, 11))  # a Saturday
    assert due("in4_feedback_session", weekend) == date(2026, 4, 11)


# PG-5, PG-6, PG-7, PG-12: notice before an event ------------------------------------------------


@pytest.mark.rule("PG-5")
@pytest.mark.parametrize("nation", ENGLAND_AND_WALES)
@pytest.mark.parametrize(
    ("kind", "starts_on", "expected"),
    [
        # Mon 7 Jun 2027: six months before is Mon 7 Dec 2026, a working day.
        ("full_inspection", date(2027, 6, 7), date(2026, 12, 7)),
        # Mon 5 Dec 2022: Sun 5 June 2022, back past the Jubilee and Spring bank holiday.
        ("full_inspection", date(2022, 12, 5), date(2022, 6, 1)),
        # Mon 28 Jun 2027: Mon 28 Dec 2026 (Boxing Day observed), back past Christmas.
        ("full_inspection", date(2027, 6, 28), date(2026, 12, 24)),
        # An IRP on Tue 6 Oct 2026: Easter Monday 6 April 2026, back past Good Friday.
        ("irp", date(2026, 10, 6), date(2026, 4, 2)),
        # An IRP on Wed 8 Nov 2023: the Coronation, 8 May 2023: Friday 5 May.
        ("irp", date(2023, 11, 8), date(2023, 5, 5)),
    ],
)
def test_ofsted_notified_six_months_ahead(
    nation: Nation, kind: str, starts_on: date, expected: date
) -> None:
    event = facts(kind=kind, starts_on=starts_on, nation=nation)
    found = milestone("pg5_ofsted_notified", event)
    assert found.due_on == expected
    assert found.rule.is_normally  # "normally": a warning that can be overridden


@pytest.mark.rule("PG-6")
@pytest.mark.parametrize("nation", ENGLAND_AND_WALES)
@pytest.mark.parametrize(
    ("starts_on", "expected"),
    [
        (date(2026, 4, 20), date(2026, 4, 2)),  # Easter Monday 6 April: back to Thursday
        (date(2023, 5, 22), date(2023, 5, 5)),  # the Coronation, 8 May: back to Friday
        (date(2022, 10, 3), date(2022, 9, 16)),  # the State Funeral, 19 September
        (date(2022, 6, 16), date(2022, 6, 1)),  # Thursday 2 June 2022 (Spring bank holiday)
        (date(2027, 1, 11), date(2026, 12, 24)),  # 28 Dec 2026 (Boxing Day observed), Christmas
        (date(2027, 6, 7), date(2027, 5, 24)),  # no holiday: two weeks to the day
    ],
)
def test_ofsted_lead_named_two_weeks_ahead(nation: Nation, starts_on: date, expected: date) -> None:
    event = facts(starts_on=starts_on, nation=nation)
    found = milestone("pg6_ofsted_lead_named", event)
    assert found.due_on == expected
    assert not found.rule.is_normally


@pytest.mark.rule("PG-7")
@pytest.mark.parametrize("nation", ENGLAND_AND_WALES)
def test_standalone_intention_four_months_and_dates_three_months_ahead(nation: Nation) -> None:
    # Mon 3 Oct 2022: four months before is Fri 3 June (Jubilee), Thu 2 June (Spring bank
    # holiday): Wed 1 June. Three months before is Sun 3 July: Fri 1 July.
    event = facts(kind="ofsted_standalone", starts_on=date(2022, 10, 3), nation=nation)
    assert due("pg7_standalone_intention", event) == date(2022, 6, 1)
    assert due("pg7_standalone_dates", event) == date(2022, 7, 1)
    assert milestone("pg7_standalone_intention", event).rule.is_normally


@pytest.mark.rule("PG-12")
@pytest.mark.parametrize("nation", ENGLAND_AND_WALES)
def test_probation_notice_16_weeks_and_planning_meeting_11_weeks_ahead(nation: Nation) -> None:
    # Mon 27 Jul 2026: 16 weeks before is Easter Monday, 6 April 2026: back to Thu 2 April.
    # 11 weeks before is Mon 11 May 2026.
    event = facts(starts_on=date(2026, 7, 27), nation=nation, establishment_kind="probation_area")
    assert due("pg12_probation_notice", event) == date(2026, 4, 2)
    assert due("pg12_planning_meeting", event) == date(2026, 5, 11)
    prison = facts(starts_on=date(2026, 7, 27), nation=nation)
    assert not {"pg12_probation_notice", "pg12_planning_meeting"} & {
        m.rule.code for m in compute_milestones(prison)
    }


# RP-3, RP-5 --------------------------------------------------------------------------------


@pytest.mark.rule("RP-3")
def test_factual_accuracy_check_needs_a_publication_date() -> None:
    event = facts(starts_on=date(2022, 5, 9), ends_on=date(2022, 5, 20))
    assert "rp3_factual_accuracy" not in {m.rule.code for m in compute_milestones(event)}
    # Published Mon 6 June 2022: the working day before is Wed 1 June (Jubilee days off).
    published = facts(
        starts_on=date(2022, 5, 9), ends_on=date(2022, 5, 20), report_published_on=date(2022, 6, 6)
    )
    assert due("rp3_factual_accuracy", published) == date(2022, 6, 1)
    probation = facts(
        starts_on=date(2022, 5, 9),
        ends_on=date(2022, 5, 20),
        establishment_kind="probation_area",
        report_published_on=date(2022, 6, 7),
    )
    assert due("rp3_probation_factual_check", probation) == date(2022, 6, 6)


@pytest.mark.rule("RP-5")
@pytest.mark.parametrize("nation", ENGLAND_AND_WALES)
@pytest.mark.parametrize(
    ("ends_on", "expected"),
    [
        (date(2025, 12, 18), date(2025, 12, 24)),  # a week later is Christmas Day
        (date(2022, 9, 12), date(2022, 9, 16)),  # a week later is the State Funeral
        (date(2027, 6, 10), date(2027, 6, 17)),  # no holiday
    ],
)
def test_provisional_grades_within_a_week_of_a_standalone_inspection(
    nation: Nation, ends_on: date, expected: date
) -> None:
    event = facts(kind="ofsted_standalone", starts_on=ends_on, ends_on=ends_on, nation=nation)
    assert due("rp5_provisional_grades", event) == expected


# The IRP window (WD-2) and announcement ---------------------------------------------------------


@pytest.mark.rule("WD-2")
@pytest.mark.parametrize("nation", ENGLAND_AND_WALES)
@pytest.mark.parametrize(
    ("followed_up_end", "opens", "closes"),
    [
        # Fri 27 May 2022: 12 months on is Sat 27 May 2023, moved back to Fri 26 May.
        (date(2022, 5, 27), date(2023, 1, 27), date(2023, 5, 26)),
        # Wed 2 Jun 2021: 12 months on is Thu 2 June 2022 (Spring bank holiday): Wed 1 June.
        (date(2021, 6, 2), date(2022, 2, 2), date(2022, 6, 1)),
        # Thu 8 Sep 2022: 8 months on is the Coronation: the window opens Tue 9 May 2023.
        (date(2022, 9, 8), date(2023, 5, 9), date(2023, 9, 8)),
        # Fri 27 Mar 2026: 12 months on is Sat 27 Mar 2027; Good Friday 26th: Thu 25 March.
        (date(2026, 3, 27), date(2026, 11, 27), date(2027, 3, 25)),
    ],
)
def test_irp_window_8_to_12_months_after_the_full_inspection(
    nation: Nation, followed_up_end: date, opens: date, closes: date
) -> None:
    event = facts(
        kind="irp",
        starts_on=date(2030, 1, 7),
        nation=nation,
        followed_up_ends_on=followed_up_end,
    )
    window = milestone("irp_window", event)
    assert (window.due.window_opens_on, window.due_on) == (opens, closes)
    assert window.title.endswith(f"from {opens.day} {opens:%B %Y}")


@pytest.mark.rule("WD-2")
def test_an_irp_with_no_inspection_to_follow_up_has_no_window() -> None:
    event = facts(kind="irp", starts_on=date(2027, 1, 11))
    assert "irp_window" not in {m.rule.code for m in compute_milestones(event)}


@pytest.mark.rule("PG-3")
@pytest.mark.rule("WD-2")
def test_irp_announced_three_months_ahead() -> None:
    event = facts(kind="irp", starts_on=date(2027, 7, 6), education_inspectorate="")
    assert due("irp_announced", event) == date(2027, 4, 6)
    # Three months before Mon 19 Dec 2022 is the State Funeral, a bank holiday: the latest
    # day to announce moves back to the working day before it, Friday 16 September (WD-2).
    assert due("irp_announced", facts(kind="irp", starts_on=date(2022, 12, 19))) == date(
        2022, 9, 16
    )
    # Three months before Mon 25 Jan 2027 is a Sunday: the Friday before.
    assert due("irp_announced", facts(kind="irp", starts_on=date(2027, 1, 25))) == date(
        2026, 10, 23
    )


# Which rules apply -------------------------------------------------------------------------


@pytest.mark.rule("PG-10")
def test_ofsted_milestones_only_where_ofsted_takes_part() -> None:
    english = facts(starts_on=date(2026, 3, 30), ends_on=date(2026, 4, 10))
    welsh = facts(
        starts_on=date(2026, 3, 30),
        ends_on=date(2026, 4, 10),
        nation=W,
        education_inspectorate="estyn",
    )
    assert {m.rule.rule_id for m in compute_milestones(english)} == {
        "PG-5",
        "PG-6",
        "IN-2",
        "IN-3",
        "IN-4",
        "RP-1",
    }
    assert compute_milestones(welsh) == []


def test_milestones_come_in_due_order_and_each_rule_is_named() -> None:
    event = facts(starts_on=date(2026, 3, 30), ends_on=date(2026, 4, 10))
    computed = compute_milestones(event)
    assert [m.due_on for m in computed] == sorted(m.due_on for m in computed)
    named = {rule.rule_id for rule in load_rules()}
    assert {"PG-5", "PG-6", "PG-7", "PG-12", "IN-2", "IN-3", "IN-4"} <= named
    assert {"RP-1", "RP-3", "RP-4", "RP-5", "WD-2"} <= named
    assert rules_by_code()["rp1_report_full_inspection"].when == (
        "13 working days after the last day of the event"
    )
    assert rules_by_code()["in2_bullet_points"].when == (
        "12:00 on the Thursday of Ofsted's week on site"
    )
