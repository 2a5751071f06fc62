"""The planner in the coordinator's flow: found from the programme, progress polled by htmx
(no meta refresh), failures said as they happened, the proposal as a timeline and a workload
chart each with its data table, and the reason for every moved or restaffed event."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from django.urls import reverse

from inspectorate.accounts.roles import Role
from inspectorate.planner import charts
from inspectorate.planner.changes import change_reasons, workloads
from inspectorate.planner.constants import RunStatus
from inspectorate.planner.instance import Member, Placement, Plan
from inspectorate.planner.model import UNKNOWN, PhaseResult, SolveResult
from inspectorate.planner.models import PlanRun
from inspectorate.planner.services import no_plan_message
from inspectorate.planner.tests.builders import event, inspector, instance, leader, site
from inspectorate.planner.tests.db_helpers import planning_setup
from inspectorate.planner.tests.test_planner_web import solved_run
from inspectorate.programme.constants import ProgrammeStatus

LE_DUE = (date(2027, 6, 21), date(2027, 6, 25))  # due to start in week 2 only


def leeds_instance():
    """One full inspection at Leeds (Yorkshire), due in week 2, and four inspectors."""
    return instance(
        (event("full:LE", "LE", due=LE_DUE),),
        (leader(1), leader(2, region="london"), inspector(3), inspector(4, "ofsted")),
        sites=(site("LE"),),
    )


def placement(week: int, lead: int, member: int = 3) -> Placement:
    return Placement(
        "full:LE",
        week,
        (
            Member(lead, 0, (week, week + 1)),
            Member(member, 1, (week, week + 1)),
            Member(4, 2, (week + 1,)),
        ),
    )


# Reasons --------------------------------------------------------------------------------


def test_a_move_into_the_due_window_is_given_as_its_reason():
    inst = leeds_instance()
    inst = replace(inst, draft=Plan((placement(0, 1),)))
    reasons = change_reasons(inst, Plan((placement(2, 1),)), "full:LE")
    assert "Starts inside its due window: the draft's week was 2 weeks outside it." in reasons


def test_a_team_from_the_region_is_given_as_its_reason():
    inst = leeds_instance()
    inst = replace(inst, draft=Plan((placement(2, 2),)))  # the London team leader
    reasons = change_reasons(inst, Plan((placement(2, 1),)), "full:LE")
    assert reasons == ["1 fewer team place filled from outside the region."]


def test_a_change_that_betters_none_of_its_own_terms_says_it_makes_room():
    wide = (date(2027, 6, 14), date(2027, 7, 2))  # weeks 1 to 3
    inst = instance(
        (event("full:LE", "LE", due=wide),),
        (leader(1), inspector(3), inspector(4, "ofsted")),
        sites=(site("LE"),),
    )
    inst = replace(inst, draft=Plan((placement(1, 1),)))
    reasons = change_reasons(inst, Plan((placement(3, 1),)), "full:LE")
    assert len(reasons) == 1
    assert reasons[0].startswith("Its own terms of the score are no better")


def test_taking_someone_above_their_fair_share_off_is_given_as_the_reason():
    inst = leeds_instance()
    inst = replace(inst, inspectors=(*inst.inspectors, inspector(5)))
    inst = replace(inst, draft=Plan((placement(2, 1),)))
    reasons = change_reasons(inst, Plan((placement(2, 1, member=5),)), "full:LE")
    assert reasons == [
        "Takes Inspector 3 off: 2 weeks on site in the draft against a fair share of 1 "
        "(0 in the proposal)."
    ]


def test_an_event_kept_as_drafted_has_no_reasons():
    inst = replace(leeds_instance(), draft=Plan((placement(2, 1),)))
    assert change_reasons(inst, Plan((placement(2, 1),)), "full:LE") == []


def test_workloads_count_weeks_on_site_against_the_fair_share():
    inst = replace(leeds_instance(), draft=Plan((placement(0, 2),)))
    rows = {row.name: row for row in workloads(inst, Plan((placement(2, 1),)))}
    assert rows["Inspector 1"].weeks == 2
    assert rows["Inspector 1"].draft_weeks == 0
    assert rows["Inspector 2"].weeks == 0
    assert rows["Inspector 2"].draft_weeks == 2
    assert rows["Inspector 4"].weeks == 1
    # HMI Prisons: four weeks wanted among three inspectors, rounded up.
    assert rows["Inspector 1"].share == 2


# Failure words ----------------------------------------------------------------------------


def test_no_plan_says_how_long_it_searched_of_the_time_allowed_and_what_for():
    result = SolveResult(
        status=UNKNOWN,
        plan=None,
        score=None,
        bound=None,
        elapsed=6.84,
        first_feasible=None,
        phases=(PhaseResult("weeks", UNKNOWN, None, None, 6.8),),
    )
    message = no_plan_message(result, 15)
    assert "searched for weeks for the events for 6.8 seconds of the 15 allowed" in message
    assert "could not prove that none exists" in message
    stopped = no_plan_message(replace(result, stopped=True), 15)
    assert stopped.startswith("You stopped the planner after 6.8 seconds of the 15 allowed")


# Pages -----------------------------------------------------------------------------------


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.HMIP_COORDINATOR, username="coordinator")


@pytest.fixture
def setup(db):
    return planning_setup()


@pytest.mark.django_db
def test_the_programme_page_links_to_the_planner_for_the_coordinator_only(
    client, coordinator, make_user, setup
):
    programme = setup.programme
    url = reverse("programme:detail", kwargs={"year": programme.year})
    planner = reverse("planner:home", kwargs={"year": programme.year})
    client.force_login(coordinator)
    assert f'href="{planner}"' in client.get(url).text
    client.force_login(make_user(Role.HMIP_TEAM_LEADER))
    page = client.get(url)
    assert page.status_code == 200
    assert f'href="{planner}"' not in page.text


@pytest.mark.django_db
def test_a_running_plan_is_polled_by_htmx_not_refreshed(client, coordinator, setup):
    run = PlanRun.objects.create(
        programme=setup.programme,
        requested_by=coordinator,
        status=RunStatus.RUNNING,
        parameters={"time_limit": 60},
        phase="weeks",
        elapsed=3.2,
    )
    client.force_login(coordinator)
    page = client.get(reverse("planner:run", args=[run.pk])).text
    progress = reverse("planner:progress", args=[run.pk])
    assert f'hx-get="{progress}"' in page
    assert 'hx-trigger="every 2s"' in page
    # A refresh only for a browser without JavaScript (axe's meta-refresh: inside <noscript>).
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    fragment = client.get(progress)
    assert "Choosing the weeks" in fragment.text
    assert "HX-Refresh" not in fragment.headers
    run.status = RunStatus.FINISHED
    run.save()
    ended = client.get(progress)
    assert ended.headers["HX-Refresh"] == "true"
    assert "hx-get" not in ended.text


@pytest.mark.django_db
def test_the_progress_fragment_is_the_coordinators_only(client, coordinator, make_user, setup):
    run = PlanRun.objects.create(programme=setup.programme, requested_by=coordinator)
    client.force_login(make_user(Role.HMIP_TEAM_LEADER))
    assert client.get(reverse("planner:progress", args=[run.pk])).status_code == 403
    client.force_login(make_user(Role.ESTABLISHMENT_USER, establishment=setup.leeds))
    assert client.get(reverse("planner:progress", args=[run.pk])).status_code == 404


@pytest.mark.django_db
def test_the_proposal_shows_a_timeline_and_workload_each_with_its_table(client, coordinator, setup):
    run = solved_run(setup, coordinator)
    assert run.status == RunStatus.FINISHED
    client.force_login(coordinator)
    page = client.get(reverse("planner:run", args=[run.pk])).text
    timeline = charts.timeline(run.result)
    workload = charts.workload(run.result)
    assert timeline is not None
    assert workload is not None
    # Every event of the proposal is a bar, and a row of the timeline's table.
    assert len(timeline.bars) == len(run.result["events"]) == len(timeline.rows)
    assert 'aria-labelledby="timeline-heading"' in page
    assert "The timeline as a table" in page
    for row in run.result["events"]:
        assert f"<title>{row['label']}:" in page
    # Every inspector used is a bar and a table row, with the fair share.
    assert 'aria-labelledby="workload-heading"' in page
    assert "The workload as a table" in page
    used = {m["name"] for row in run.result["events"] for m in row["members"]}
    assert used <= {bar.name for bar in workload.bars}
    assert all(row["share"] is not None for row in run.result["workload"])


@pytest.mark.django_db
def test_a_restaffed_event_shows_why_its_team_changed(client, coordinator, setup):
    # Hull's draft team is its team leader alone: the proposal fills its places, and says so.
    hull = setup.hull_event
    run = solved_run(setup, coordinator)
    row = next(r for r in run.result["events"] if r["event_id"] == hull.pk)
    assert any(reason.endswith("more team places filled.") for reason in row["changes"])
    client.force_login(coordinator)
    page = client.get(reverse("planner:run", args=[run.pk])).text
    changed = page.index("What the proposal changes")
    for reason in row["changes"]:
        assert page.index(reason.replace("'", "&#x27;")) > changed


@pytest.mark.django_db
def test_a_run_kept_before_the_timeline_existed_still_shows_its_comparison(
    client, coordinator, setup
):
    run = solved_run(setup, coordinator)
    for row in run.result["events"]:
        for key in ("week", "region", "span_weeks", "education_weeks", "changes"):
            row.pop(key)
    run.result.pop("workload")
    run.save()
    client.force_login(coordinator)
    page = client.get(reverse("planner:run", args=[run.pk]))
    assert page.status_code == 200
    assert "The proposal beside the draft" in page.text
    assert "timeline-heading" not in page.text
    assert "workload-heading" not in page.text


@pytest.mark.django_db
def test_the_planner_is_not_offered_for_a_confirmed_programme_without_the_permission(
    client, make_user, setup
):
    setup.programme.status = ProgrammeStatus.CONFIRMED
    setup.programme.save()
    client.force_login(make_user(Role.OFSTED_SCHEDULER))
    url = reverse("programme:detail", kwargs={"year": setup.programme.year})
    planner = reverse("planner:home", kwargs={"year": setup.programme.year})
    page = client.get(url)
    assert page.status_code == 200
    assert planner not in page.text


def test_the_timeline_names_regions_and_packs_overlapping_events_into_lanes():
    def row(key: str, week: int, region: str) -> dict[str, object]:
        return {
            "key": key,
            "label": f"Full inspection of {key}",
            "kind": "full_inspection",
            "week": week,
            "span_weeks": 2,
            "region": region,
            "starts_on": "2027-04-05",
            "ends_on": "2027-04-16",
            "education_weeks": [week + 1],
        }

    result = {
        "first_monday": "2027-04-05",
        "weeks": 52,
        "events": [row("A", 0, "yorkshire"), row("B", 1, "yorkshire"), row("C", 2, "")],
    }
    drawn = charts.timeline(result)
    assert drawn is not None
    assert [band.name for band in drawn.bands] == [
        "Yorkshire and the Humber",
        "Region not recorded",
    ]
    # A and B overlap in week 1: two lanes in Yorkshire; C alone.
    assert drawn.bands[0].height == 2 * charts.LANE_HEIGHT
    assert drawn.bands[1].height == charts.LANE_HEIGHT
    assert [row["education_week"] for row in drawn.rows] == [
        "Week of 12 April 2027",
        "Week of 19 April 2027",
        "Week of 26 April 2027",
    ]
