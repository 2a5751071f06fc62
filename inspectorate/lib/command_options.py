"""Options that several management commands share, declared once here. Imports nothing of
Django, so the command line can name them without starting it."""

from __future__ import annotations

import argparse
import re
from typing import Any


def programme_year(text: str) -> int:
    """'2027-28' (April 2027 to March 2028) → 2027."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if match is None or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a programme year: write it as 2027-28 (April 2027 to March 2028)"
        )
    return int(match.group(1))


def programme_year_label(year: int) -> str:
    """2027 → '2027-28'."""
    return f"{year}-{(year + 1) % 100:02d}"


def add_as_user(parser: Any, what: str) -> None:
    parser.add_argument(
        "--as",
        dest="as_user",
        default=None,
        metavar="USERNAME",
        help=f"{what} as this user, seeing only what they may see (default: the system "
        "account, which sees everything)",
    )


def add_year(parser: Any, help_: str, *, required: bool = False) -> None:
    parser.add_argument(
        "--year",
        type=programme_year,
        default=None,
        required=required,
        metavar="YYYY-YY",
        help=help_,
    )
