"""Plan a programme from the command line, showing progress as the search goes.

    inspectorate plan --year 2027-28 --time-limit 60

Nothing is written: the proposal is printed (each event's week and team) for reading; the
coordinator asks for and accepts plans on the planner's pages. The proposal goes to standard
output, the search's progress and warnings to standard error. Exit codes: 0 a plan was found;
1 none was (the reason on standard error); 2 no such programme.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from inspectorate.lib.command_options import add_year, programme_year_label
from inspectorate.planner import checker
from inspectorate.planner.explain import explain
from inspectorate.planner.model import Progress, solve
from inspectorate.planner.selectors import PlanParameters, planning_data
from inspectorate.programme.models import Programme

BAD_INPUT = 2  # the exit code for a command line that names something wrong


class Command(BaseCommand):
    help = (
        "Plan a programme's weeks and teams and print the proposal; writes nothing (accept "
        "plans on the planner's pages). Exit code 1 when no plan is found."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_year(parser, "which programme, such as 2027-28", required=True)
        parser.add_argument(
            "--time-limit", type=int, default=60, metavar="SECONDS", help="default %(default)s"
        )
        parser.add_argument(
            "--closed",
            nargs="*",
            default=[],
            metavar="YYYY-MM-DD",
            help="Mondays of closed weeks",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        programme = Programme.objects.filter(year=options["year"]).first()
        if programme is None:
            label = programme_year_label(options["year"])
            raise CommandError(f"There is no programme for {label}.", returncode=BAD_INPUT)
        parameters = PlanParameters.from_json(
            {"time_limit": options["time_limit"], "closed_weeks": options["closed"]}
        )
        data = planning_data(programme, parameters)
        instance = data.instance
        self.stderr.write(
            f"{len(instance.events)} events, {len(instance.inspectors)} inspectors, "
            f"{instance.weeks} weeks"
        )
        for warning in data.warnings:
            self.stderr.write(self.style.WARNING(warning))

        def show(progress: Progress) -> None:
            gap = f"{progress.gap:.2%}" if progress.gap is not None else "-"
            self.stderr.write(
                f"  [{progress.phase}] {progress.elapsed:6.1f} s  best {progress.score}  "
                f"bound {progress.bound}  gap {gap}"
            )

        result = solve(
            instance, time_limit=parameters.time_limit, on_progress=show, hint=instance.draft
        )
        if result.plan is None:
            explanation = explain(instance)
            raise CommandError(
                f"No plan found: {explanation.as_text()}" if explanation else "No plan found."
            )
        score = checker.score(instance, result.plan)
        self.stdout.write(self.style.SUCCESS(f"{result.status}: score {score.total} {score.parts}"))
        for placement in sorted(result.plan.placements, key=lambda p: p.week):
            names = ", ".join(instance.inspector_by_id[m.inspector].name for m in placement.members)
            self.stdout.write(
                f"  {instance.monday(placement.week):%d %b %Y}  "
                f"{instance.describe_event(placement.event)}: {names}"
            )
