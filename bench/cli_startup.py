"""How long the command line takes to start: `inspectorate --help` and `--version` (which
must not start Django: the goal is under 1 s), and, for comparison, a command's own help,
which does (it reads the management command's options).

    .venv/bin/python bench/cli_startup.py [--runs 15]

Each is run as a fresh process (`python -m inspectorate.cli ...`, as the console script
runs it), `--runs` times; printed are the median and the slowest, in seconds.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASES = {
    "inspectorate --help": ["--help"],
    "inspectorate --version": ["--version"],
    "inspectorate export --help": ["export", "--help"],
}


def timed(arguments: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "inspectorate.cli", *arguments],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    for label, arguments in CASES.items():
        times = [timed(arguments) for _ in range(runs)]
        print(f"{label:30} median {statistics.median(times):.3f} s  max {max(times):.3f} s")


if __name__ == "__main__":
    main()
