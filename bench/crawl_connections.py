"""Database connections held while a crawler fetches the demo with many clients at once.

The penetration test's crawl ran the demo's development server out of database connections:
runserver answers each client connection in a thread of its own, and with persistent
connections (CONN_MAX_AGE) each thread keeps a database connection of its own, so the
connections held grow with the crawler's clients. `make run` now serves with gunicorn's sync
workers (serve_demo), which hold at most one connection each.

Both servers are started on loopback over the same database (migrated, with the demo loaded);
`--clients` crawlers each keep one HTTP/1.1 connection open and fetch public and signed-out
pages in turn. A sampler counts the server's connections in pg_stat_activity. Printed, per
server: the most connections held at once, failed requests, and the 95th percentile latency.

    DATABASE_URL=postgres://.../h_headers .venv/bin/python bench/crawl_connections.py \
        [--clients 30] [--requests 20] [--workers 3]

Keep --clients well under the server's max_connections when others share it.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from _setup import ROOT, answering, free_port

sys.path.insert(0, str(ROOT))

PATHS = ("/sign-in/", "/reports/published/", "/healthz", "/dashboard/", "/no-such-page/")


def _server(kind: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    from inspectorate.shell.management.commands.serve_demo import gunicorn_command

    addr = f"127.0.0.1:{port}"
    if kind == "runserver":  # as `make run` served the demo before
        command = [str(ROOT / "manage.py"), "runserver", "--noreload", addr]
    else:
        command = gunicorn_command(addr, workers)
        command[command.index("--access-logfile") + 1] = "/dev/null"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "inspectorate.settings"}
    server = subprocess.Popen(
        [sys.executable, *command], cwd=ROOT, env=env, stderr=subprocess.DEVNULL
    )
    return answering(server, port, f"{kind} did not start on {addr}")


def _connections(database: str) -> int:
    import psycopg

    url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(url, autocommit=True) as connection:
        row = connection.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [database],
        ).fetchone()
    return int(row[0]) if row else 0


def _settled(database: str) -> int:
    """The connections held before the server starts, once the last server's have closed."""
    counts = [_connections(database)]
    for _ in range(100):
        time.sleep(0.2)
        counts.append(_connections(database))
        if counts[-1] == counts[-2] == min(counts):
            break
    return counts[-1]


def _crawl(port: int, requests: int) -> tuple[list[float], int]:
    timings, failures = [], 0
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for i in range(requests):
        path = PATHS[i % len(PATHS)]
        start = time.perf_counter()
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            if response.status >= 500:
                failures += 1
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        except (OSError, http.client.HTTPException):
            failures += 1
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        timings.append(time.perf_counter() - start)
    connection.close()
    return timings, failures


def measure(kind: str, clients: int, requests: int, workers: int) -> None:
    database = os.environ["DATABASE_URL"].rsplit("/", 1)[1]
    baseline = _settled(database)
    port = free_port()
    server = _server(kind, port, workers)
    peak, done = 0, threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _connections(database) - baseline)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        with ThreadPoolExecutor(clients) as pool:
            results = list(pool.map(lambda _: _crawl(port, requests), range(clients)))
        time.sleep(0.5)  # connections still held after the crawl count too
    finally:
        done.set()
        sampler.join()
        server.terminate()
        server.wait(timeout=30)
    timings = sorted(t for run, _ in results for t in run)
    failures = sum(f for _, f in results)
    p95 = timings[int(len(timings) * 0.95) - 1] * 1000 if timings else 0.0
    print(
        f"{kind:<10} clients {clients:>3}  requests {len(timings):>5}  "
        f"peak database connections {peak:>3}  failed {failures:>3}  "
        f"median {statistics.median(timings) * 1000:6.1f} ms  p95 {p95:7.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=30)
    parser.add_argument("--requests", type=int, default=20, help="per client")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--servers", nargs="+", default=["runserver", "gunicorn"])
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        raise SystemExit("set DATABASE_URL to a database with the demo loaded")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inspectorate.settings")
    import django

    django.setup()
    for kind in args.servers:
        measure(kind, args.clients, args.requests, args.workers)


if __name__ == "__main__":
    main()
