"""Plan a programme from the command line, printing progress as the search goes.

    manage.py plan_programme 2027 --time-limit 60

Nothing is written: the proposal is printed (each event's week and team) for reading; the
coordinator asks for and accepts plans on the planner's pages.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from inspectorate.planner import checker
from inspectorate.planner.explain import explain
from inspectorate.planner.model import Progress, solve
from inspectorate.planner.selectors import PlanParameters, planning_data
from inspectorate.programme.models import Programme


class Command(BaseCommand):
    help = "Plan a programme (weeks and teams) and print the proposal; writes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", type=int, help="The April the programme starts in.")
        parser.add_argument("--time-limit", type=int, default=60)
        parser.add_argument(
            "--closed", nargs="*", default=[], help="Mondays of closed weeks (YYYY-MM-DD)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        programme = Programme.objects.filter(year=options["year"]).first()
        if programme is None:
            raise CommandError(f"There is no programme starting in April {options['year']}.")
        parameters = PlanParameters.from_json(
            {"time_limit": options["time_limit"], "closed_weeks": options["closed"]}
        )
        data = planning_data(programme, parameters)
        instance = data.instance
        self.stdout.write(
            f"{len(instance.events)} events, {len(instance.inspectors)} inspectors, "
            f"{instance.weeks} weeks"
        )
        for warning in data.warnings:
            self.stdout.write(self.style.WARNING(warning))

        def show(progress: Progress) -> None:
            gap = f"{progress.gap:.2%}" if progress.gap is not None else "-"
            self.stdout.write(
                f"  [{progress.phase}] {progress.elapsed:6.1f} s  best {progress.score}  "
                f"bound {progress.bound}  gap {gap}"
            )

        result = solve(
            instance, time_limit=parameters.time_limit, on_progress=show, hint=instance.draft
        )
        if result.plan is None:
            explanation = explain(instance)
            self.stdout.write(
                self.style.ERROR(explanation.as_text() if explanation else "No plan.")
            )
            return
        score = checker.score(instance, result.plan)
        self.stdout.write(self.style.SUCCESS(f"{result.status}: score {score.total} {score.parts}"))
        for placement in sorted(result.plan.placements, key=lambda p: p.week):
            names = ", ".join(instance.inspector_by_id[m.inspector].name for m in placement.members)
            self.stdout.write(
                f"  {instance.monday(placement.week):%d %b %Y}  "
                f"{instance.describe_event(placement.event)}: {names}"
            )
