"""Every example in README.md's "Command line" section runs and does what it says."""

from __future__ import annotations

import csv
import io
import re
import shlex
from datetime import date
from pathlib import Path

import pytest
import time_machine
from openpyxl import load_workbook

from inspectorate.accounts.roles import Role
from inspectorate.cli import main
from inspectorate.inspectors.models import Inspector
from inspectorate.programme.tests.test_programme_helpers import (
    NOON,
    make_establishment,
    make_event,
    make_programme,
)

README = Path(__file__).resolve().parents[3] / "README.md"


def readme_examples() -> list[list[str]]:
    """The commands of the first ```sh block after the "## Command line" heading."""
    text = README.read_text()
    section = text.split("\n## Command line\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block is not None, "the Command line section has no ```sh block"
    return [shlex.split(line) for line in block.group(1).splitlines() if line.strip()]


def test_the_readme_has_examples_of_the_command_line() -> None:
    examples = readme_examples()
    assert len(examples) >= 5
    assert all(argv[0] == "inspectorate" for argv in examples)


@pytest.mark.rule("PG-3")
def test_the_readme_examples_run(capsys, db, make_user, tmp_path, monkeypatch) -> None:
    leeds = make_establishment("LE", "HMP Leeds", nation="england")
    with time_machine.travel(NOON, tick=False):
        unannounced = make_event(make_programme(2026), leeds, starts_on=date(2027, 1, 11))
    make_user(Role.ESTABLISHMENT_USER, username="leeds-governor", establishment=leeds)
    Inspector.objects.create(
        name="Ann Jones", email="ann@example.gov.uk", organisation="ofsted", grade="ofsted_hmi"
    )
    monkeypatch.chdir(tmp_path)
    outputs: dict[str, str] = {}
    with time_machine.travel(NOON, tick=False):
        for argv in readme_examples():
            code = main(argv[1:])
            captured = capsys.readouterr()
            assert code == 0, f"{shlex.join(argv)} exited {code}: {captured.err}"
            outputs[shlex.join(argv)] = captured.out

    assert "usage: inspectorate" in outputs["inspectorate --help"]
    assert (tmp_path / "establishments.csv").read_text().startswith("code,name,kind,")
    assert (
        "0 created, 0 updated, 1 unchanged"
        in (outputs["inspectorate import establishments establishments.csv"])
    )
    for name in ("establishments.xlsx", "inspectors.xlsx", "programme.xlsx"):
        rows = list(load_workbook(tmp_path / name).active.iter_rows(values_only=True))
        assert len(rows) == 2, name  # the header and one row
    programme = list(load_workbook(tmp_path / "programme.xlsx").active.iter_rows(values_only=True))
    assert programme[1][0] == unannounced.pk  # the system export includes it
    governor = outputs["inspectorate export programme --year 2026-27 --as leeds-governor"]
    assert list(csv.DictReader(io.StringIO(governor))) == []  # theirs does not
    assert (
        (tmp_path / "judgements.csv")
        .read_text()
        .startswith("Provider UKPRN,URN,Establishment code,")
    )
    assert "Audit chain intact" in outputs["inspectorate audit verify"]
    assert (tmp_path / "inspectorate.dump").stat().st_size > 0
