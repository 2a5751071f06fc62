"""The REST API under load: list and detail latency against a bare Django endpoint.

A scratch database holds ten years of national inspections, generated with a fixed seed:
120 establishments, and for each programme year from 2016 about 60 full inspections and
20 IRPs with their teams, milestones, judgements and recommendations (about 800 events). A
real server process (gunicorn, sync workers) serves the project on loopback, with one extra
URL, `/bench/constant/`, a Django view that returns a constant through the same middleware:
the baseline, measured in the same run. Each endpoint is requested by 1 and then by 20
concurrent clients (a programme coordinator's API token, who sees everything); printed are
the median and 95th percentile latency, and their ratio to the baseline's. The goal is a
95th percentile under 150 ms at 20 clients.

    .venv/bin/python bench/api.py [--requests 200] [--workers 4]

Served by gunicorn as `api:bench_app()` (bench/ on the Python path): then this module is
also the URLconf.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import statistics
import subprocess
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from typing import Any

from _setup import ROOT, answering, django_on_scratch_database, free_port

SEED = 2026
YEARS = range(2016, 2026)
ESTABLISHMENTS = 120
FULL_PER_YEAR, IRPS_PER_YEAR = 60, 20
GOAL_P95_MS = 150.0
CONCURRENCY = (1, 20)


# Served by gunicorn ----------------------------------------------------------------------


def _constant(request: Any) -> Any:
    from django.http import HttpResponse

    return HttpResponse(b'{"ok": true}', content_type="application/json")


def __getattr__(name: str) -> Any:
    """This module's `urlpatterns`, built once Django is set up (it is the URLconf)."""
    if name == "urlpatterns":
        from django.contrib.auth.decorators import login_not_required
        from django.urls import include, path

        return [
            path("bench/constant/", login_not_required(_constant)),
            path("", include("inspectorate.urls")),
        ]
    raise AttributeError(name)


def bench_app() -> Any:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inspectorate.settings")
    import django
    from django.conf import settings

    django.setup()
    settings.ROOT_URLCONF = __name__
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()


# The data set ----------------------------------------------------------------------------


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def generate() -> dict[str, Any]:
    """Ten years of inspections (skipped when already there); returns ids to request."""
    from django.db import transaction

    from inspectorate.accounts.models import User
    from inspectorate.accounts.roles import Role
    from inspectorate.api.services import api_token_issue
    from inspectorate.estate.models import Establishment
    from inspectorate.frameworks.models import Aspect, Framework, Level
    from inspectorate.frameworks.services import frameworks_load
    from inspectorate.inspections.constants import Stage
    from inspectorate.inspections.models import Inspection, Judgement, Recommendation
    from inspectorate.inspectors.constants import Grade, Organisation
    from inspectorate.inspectors.models import Inspector
    from inspectorate.programme.constants import EventKind, TeamRole
    from inspectorate.programme.milestones.services import milestones_recompute
    from inspectorate.programme.models import Event, Programme, TeamMember

    user = User.objects.filter(username="bench-coordinator").first()
    if not Programme.objects.filter(year=YEARS[-1]).exists():
        rng = random.Random(SEED)
        started = time.perf_counter()
        with transaction.atomic():
            frameworks_load(actor=None)
            user = User.objects.create(username="bench-coordinator", roles=[Role.HMIP_COORDINATOR])
            places = Establishment.objects.bulk_create(
                Establishment(code=f"B{n:03}", name=f"HMP Bench {n:03}", kind="prison")
                for n in range(ESTABLISHMENTS)
            )
            inspectors = Inspector.objects.bulk_create(
                Inspector(
                    name=f"Inspector {n:03}",
                    email=f"bench{n}@example.invalid",
                    organisation=Organisation.HMI_PRISONS if n % 3 else Organisation.OFSTED,
                    grade=Grade.HMIP_INSPECTOR if n % 3 else Grade.OFSTED_HMI,
                )
                for n in range(150)
            )
            framework = Framework.objects.filter(slug="cif-2012").order_by("-valid_from").first()
            assert framework is not None
            aspects = list(Aspect.objects.filter(framework=framework).order_by("position")[:8])
            levels = {
                a.pk: list(Level.objects.filter(scale=a.scale).order_by("position"))
                for a in aspects
            }
            events: list[Event] = []
            for year in YEARS:
                programme = Programme.objects.create(year=year, status="confirmed")
                first = _monday(date(year, 4, 7))
                for n in range(FULL_PER_YEAR + IRPS_PER_YEAR):
                    full = n < FULL_PER_YEAR
                    starts = first + timedelta(weeks=rng.randrange(48))
                    events.append(
                        Event(
                            programme=programme,
                            kind=EventKind.FULL_INSPECTION if full else EventKind.IRP,
                            establishment=places[rng.randrange(ESTABLISHMENTS)],
                            starts_on=starts,
                            ends_on=starts + timedelta(days=11 if full else 2),
                            announced_on=None if full else starts - timedelta(weeks=14),
                            education_inspectorate="ofsted",
                            education_week_starts_on=starts + timedelta(days=7) if full else None,
                            status="planned",
                        )
                    )
            Event.objects.bulk_create(events)
            members, judgements, recommendations, inspections = [], [], [], []
            for event in events:
                for place, inspector in enumerate(rng.sample(inspectors, 5)):
                    role = TeamRole.TEAM_LEADER if place == 0 else TeamRole.INSPECTOR
                    members.append(
                        TeamMember(
                            event=event,
                            inspector=inspector,
                            role=role,
                            starts_on=event.starts_on,
                            ends_on=event.ends_on,
                        )
                    )
                if event.kind != EventKind.FULL_INSPECTION:
                    continue
                inspections.append(Inspection(event=event, stage=Stage.PUBLISHED))
                for aspect in aspects:
                    judgements.append(
                        Judgement(
                            event=event,
                            framework=framework,
                            aspect=aspect,
                            level=rng.choice(levels[aspect.pk]),
                            decided_by=user,
                        )
                    )
                for r in range(rng.randrange(5, 15)):
                    recommendations.append(
                        Recommendation(
                            event=event,
                            text=f"Leaders should act on finding {r + 1}.",
                            paragraph_reference=f"1.{r + 10}",
                            position=r,
                        )
                    )
            TeamMember.objects.bulk_create(members)
            Inspection.objects.bulk_create(inspections)
            Judgement.objects.bulk_create(judgements)
            Recommendation.objects.bulk_create(recommendations)
            for event in events[-(FULL_PER_YEAR + IRPS_PER_YEAR) :]:  # the latest year's
                milestones_recompute(event=event)
        print(
            f"generated {len(events)} events, {len(members)} team places, {len(judgements)} "
            f"judgements, {len(recommendations)} recommendations in "
            f"{time.perf_counter() - started:.0f} s (seed {SEED})"
        )
    assert user is not None
    secret = api_token_issue(actor=user, name="bench", scope="read").secret
    sample = Event.objects.filter(programme__year=YEARS[-1]).order_by("pk").first()
    assert sample is not None
    return {"secret": secret, "event": sample.pk, "establishment": sample.establishment_id}


# Load ------------------------------------------------------------------------------------


def serve(port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DJANGO_DEBUG": "0"}
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "--pythonpath",
            f"{ROOT},{ROOT / 'bench'}",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "api:bench_app()",
        ],
        env=env,
        cwd=ROOT,
    )
    return answering(server, port, "gunicorn did not start")


def _get(port: int, path: str, headers: dict[str, str]) -> float:
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    if response.status != 200:
        raise SystemExit(f"{path} answered {response.status}")
    return time.perf_counter() - started


def measure(port: int, path: str, headers: dict[str, str], clients: int, total: int) -> list[float]:
    for _ in range(min(10, total)):  # warm every worker
        _get(port, path, headers)
    with ThreadPoolExecutor(clients) as pool:
        return list(pool.map(lambda _: _get(port, path, headers), range(total)))


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="per endpoint and level")
    parser.add_argument("--workers", type=int, default=max(2, (os.cpu_count() or 1) * 2))
    options = parser.parse_args()
    if "DATABASE_URL" in os.environ:  # our own scratch database: <name>_api_bench
        os.environ["DATABASE_URL"] = os.environ["DATABASE_URL"].rstrip("/") + "_api"
    django_on_scratch_database()
    ids = generate()
    headers = {"Authorization": f"Bearer {ids['secret']}"}
    year = YEARS[-1]
    endpoints: list[tuple[str, str]] = [
        ("bare Django (constant)", "/bench/constant/"),
        ("events, one programme", f"/api/v1/events/?programme={year}"),
        ("events, all (page 1)", "/api/v1/events/"),
        ("event detail", f"/api/v1/events/{ids['event']}/"),
        ("team members", f"/api/v1/team-members/?event={ids['event']}"),
        ("milestones, one programme", "/api/v1/milestones/?due_from=2025-04-01"),
        ("judgements (page 1)", "/api/v1/judgements/"),
        ("recommendations", f"/api/v1/recommendations/?establishment={ids['establishment']}"),
        ("establishments", "/api/v1/establishments/"),
    ]
    port = free_port()
    server = serve(port, options.workers)
    try:
        results: dict[tuple[str, int], list[float]] = {}
        for clients in CONCURRENCY:
            for label, path in endpoints:
                total = options.requests * (1 if clients == 1 else 2)
                results[label, clients] = measure(port, path, headers, clients, total)
    finally:
        server.terminate()
        server.wait(timeout=30)
    report(endpoints, results, options)


def report(
    endpoints: list[tuple[str, str]],
    results: dict[tuple[str, int], list[float]],
    options: argparse.Namespace,
) -> None:
    ms: Callable[[float], str] = lambda seconds: f"{seconds * 1000:7.1f}"  # noqa: E731
    print(
        f"api: gunicorn with {options.workers} sync workers on loopback, {os.cpu_count()} CPUs; "
        f"{options.requests} requests per endpoint at 1 client, twice that at 20"
    )
    base = {c: results[endpoints[0][0], c] for c in CONCURRENCY}
    print(f"  {'endpoint':28} {'clients':>7} {'median ms':>10} {'p95 ms':>8} {'x base p95':>11}")
    worst = 0.0
    for label, _ in endpoints:
        for clients in CONCURRENCY:
            values = results[label, clients]
            ratio = p95(values) / p95(base[clients])
            print(
                f"  {label:28} {clients:7} {ms(statistics.median(values)):>10} "
                f"{ms(p95(values)):>8} {ratio:10.1f}x"
            )
            if clients == CONCURRENCY[-1] and label != endpoints[0][0]:
                worst = max(worst, p95(values) * 1000)
    verdict = "met" if worst < GOAL_P95_MS else "not met"
    print(
        f"  worst API p95 at {CONCURRENCY[-1]} clients: {worst:.1f} ms "
        f"(goal < {GOAL_P95_MS:.0f} ms: {verdict})"
    )
    print_cpu_floor(endpoints, results)


def print_cpu_floor(
    endpoints: list[tuple[str, str]], results: dict[tuple[str, int], list[float]]
) -> None:
    """What the machine allows: with every request busy on the CPU for about its 1-client
    median, N clients sharing C cores (with the load generator) cannot wait less, in the
    median, than N x that median / C. A 20-client median near this floor is CPU-bound, not
    waiting on queries or locks."""
    cpus = os.cpu_count() or 1
    clients = CONCURRENCY[-1]
    print(f"  CPU floor of the {clients}-client median ({clients} x 1-client median / {cpus}):")
    for label, _ in endpoints[1:]:
        floor = clients * statistics.median(results[label, 1]) / cpus
        measured = statistics.median(results[label, clients])
        print(f"    {label:28} floor {floor * 1000:7.1f} ms, measured {measured * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
