"""The `inspectorate` command line: its refusals, imports and exports (PG-3 for the programme)."""

from __future__ import annotations

import argparse
import csv
import io
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import time_machine
from openpyxl import load_workbook

from inspectorate.accounts.operator import SYSTEM_USERNAME
from inspectorate.accounts.roles import Role
from inspectorate.audit.models import AccessEvent
from inspectorate.cli import build_parser, main, programme_year
from inspectorate.estate.models import Establishment
from inspectorate.inspectors.models import Inspector
from inspectorate.programme.tests.test_programme_helpers import (
    NOON,
    make_establishment,
    make_event,
    make_programme,
)

HEADER = "code,name,kind,function,nation,region,security_category,max_inspectors_on_site,"
HEADER += "probation_group,operator,operator_company_number,status,opened_on,closed_on\n"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def leeds(db):
    return make_establishment("LE", "HMP Leeds", max_inspectors_on_site=6, nation="england")


@pytest.fixture
def unannounced(leeds):
    """A full inspection of Leeds in January 2027, not yet announced: confidential (PG-3)."""
    return make_event(make_programme(2026), leeds, starts_on=date(2027, 1, 11))


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# Help ------------------------------------------------------------------------------------


def test_the_help_names_every_command_and_who_the_command_line_acts_as(capsys) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0
    for command in ("serve", "migrate", "load-demo", "import", "export", "plan", "report"):
        assert command in out
    for command in ("audit", "backup", "restore"):
        assert command in out
    assert "system administrators" in out
    assert "--as USERNAME" in out


def test_each_subcommand_has_its_own_help(capsys) -> None:
    parser = build_parser()
    subcommands = next(
        action.choices
        for action in parser._actions
        if isinstance(action, argparse._SubParsersAction)
    )
    for name in subcommands:
        code, out, _ = run(capsys, name, "--help")
        assert code == 0, name
        assert out.startswith(f"usage: inspectorate {name}"), name
    assert run(capsys, "report", "render", "--help")[0] == 0
    assert run(capsys, "audit", "verify", "--help")[0] == 0


def test_a_programme_year_is_read_as_its_april() -> None:
    assert programme_year("2027-28") == 2027
    assert programme_year("1999-00") == 1999


# Bad input: exit code 2, a message naming the problem, nothing written -----------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export", "widgets"], "invalid choice: 'widgets'"),
        (["import", "widgets", "x.csv"], "invalid choice: 'widgets'"),
        (["export", "establishments", "--format", "pdf"], "invalid choice: 'pdf'"),
        (["plan", "--year", "2027-29"], "'2027-29' is not a programme year"),
        (["export", "programme", "--year", "27-28"], "'27-28' is not a programme year"),
        (["export", "programme", "--year", "2031-32"], "There is no programme for 2031-32"),
        (["plan", "--year", "2031-32"], "There is no programme for 2031-32"),
        (["export", "establishments", "--as", "nobody"], "There is no user called 'nobody'"),
        (["export", "judgements", "--year", "2026-27"], "--year applies to the programme only"),
        (["report", "render", "999999", "--pdf"], "--output"),
    ],
)
def test_bad_input_exits_2_naming_the_problem_and_writes_nothing(
    capsys, tmp_path, unannounced, argv, message
) -> None:
    output = tmp_path / "out.csv"
    needs_output = argv[0] == "export"
    code, out, err = run(capsys, *argv, *(["--output", str(output)] if needs_output else []))
    assert code == 2
    assert message in err
    assert out == ""
    assert not output.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_missing_import_file_exits_2_and_imports_nothing(capsys, db, tmp_path) -> None:
    code, _, err = run(capsys, "import", "establishments", str(tmp_path / "nowhere.csv"))
    assert code == 2
    assert "nowhere.csv: no such file" in err
    assert not Establishment.objects.exists()


def test_an_output_folder_that_does_not_exist_is_refused_first(capsys, leeds, tmp_path) -> None:
    target = tmp_path / "missing" / "establishments.csv"
    code, _, err = run(capsys, "export", "establishments", "--output", str(target))
    assert code == 2
    assert "does not exist" in err
    assert not target.parent.exists()


def test_a_file_with_a_bad_row_is_listed_and_nothing_is_imported(capsys, db, tmp_path) -> None:
    bad = tmp_path / "establishments.csv"
    rows = "LE,HMP Leeds,prison,,england,,,,,,,open,,\nXX,HMP X,castle,,england,,,,,,,open,,\n"
    bad.write_text(HEADER + rows)
    code, _, err = run(capsys, "import", "establishments", str(bad))
    assert code == 2
    assert "nothing was written" in err
    assert "Line 3, kind: 'castle' is not one of" in err
    assert not Establishment.objects.exists()  # the good first row was not written either


def test_an_establishment_user_may_not_import(capsys, leeds, make_user, tmp_path) -> None:
    make_user(Role.ESTABLISHMENT_USER, username="leeds-governor", establishment=leeds)
    good = tmp_path / "establishments.csv"
    good.write_text(HEADER + "HL,HMP Hull,prison,,england,,,,,,,open,,\n")
    code, _, err = run(capsys, "import", "establishments", str(good), "--as", "leeds-governor")
    assert code == 2
    assert "leeds-governor may not import establishments" in err
    assert not Establishment.objects.filter(code="HL").exists()


# Imports and exports ----------------------------------------------------------------------


def test_an_import_then_an_export_round_trips(capsys, db, tmp_path) -> None:
    source = tmp_path / "establishments.csv"
    source.write_text(HEADER + "HL,HMP Hull,prison,,england,,,5,,,,open,2001-02-03,\n")
    code, out, _ = run(capsys, "import", "establishments", str(source))
    assert code == 0
    assert "1 row read: 1 created, 0 updated, 0 unchanged." in out
    assert run(capsys, "import", "establishments", str(source))[1].endswith(
        "1 row read: 0 created, 0 updated, 1 unchanged.\n"
    )
    code, out, _ = run(capsys, "export", "establishments")
    assert code == 0
    # the same rows; identifiers (the code) are quoted, so spreadsheets keep them as text
    assert list(csv.reader(io.StringIO(out))) == list(csv.reader(io.StringIO(source.read_text())))
    assert out.splitlines()[1].startswith('"HL",HMP Hull,prison,')


def test_establishments_export_to_excel_with_numbers_and_dates(capsys, leeds, tmp_path) -> None:
    Establishment.objects.filter(pk=leeds.pk).update(opened_on=date(1847, 1, 1))
    target = tmp_path / "establishments.xlsx"
    argv = ["export", "establishments", "--format", "xlsx", "--output", str(target)]
    code, out, _ = run(capsys, *argv)
    assert code == 0
    assert out.startswith(f"Wrote {target} (")
    sheet = load_workbook(target).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Code", "Name", "Kind")
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Code"] == "LE"
    assert row["Name"] == "HMP Leeds"
    assert row["Kind"] == "Prison"  # the label, not the stored code
    assert row["Most inspectors on site"] == 6  # a number, not text
    assert row["Opened on"].date() == date(1847, 1, 1)  # a date, not text
    assert row["Function"] is None


def test_inspectors_export_as_csv_and_excel(capsys, db, tmp_path) -> None:
    Inspector.objects.create(
        name="Ann Jones", email="ann@example.gov.uk", organisation="ofsted", grade="ofsted_hmi"
    )
    code, out, _ = run(capsys, "export", "inspectors")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(row["email"], row["name"]) for row in rows] == [("ann@example.gov.uk", "Ann Jones")]
    target = tmp_path / "inspectors.xlsx"
    assert run(capsys, "export", "inspectors", "--format", "xlsx", "--output", str(target))[0] == 0
    values = list(load_workbook(target).active.iter_rows(values_only=True))
    assert values[1][:2] == ("ann@example.gov.uk", "Ann Jones")


def test_judgements_export_has_the_open_data_columns(capsys, db, tmp_path) -> None:
    code, out, _ = run(capsys, "export", "judgements")
    assert code == 0
    assert out.startswith("Provider UKPRN,URN,Establishment code,Establishment name,")
    target = tmp_path / "judgements.xlsx"
    assert run(capsys, "export", "judgements", "--format", "xlsx", "--output", str(target))[0] == 0
    header = next(load_workbook(target).active.iter_rows(values_only=True))
    assert header[:3] == ("Provider UKPRN", "URN", "Establishment code")


# The programme and its confidentiality (PG-3) ---------------------------------------------


@pytest.mark.rule("PG-3")
def test_the_system_export_includes_the_confidential_event_and_logs_it(
    capsys, unannounced, tmp_path
) -> None:
    target = tmp_path / "programme.xlsx"
    argv = ["export", "programme", "--year", "2026-27", "--format", "xlsx", "--output"]
    code, _, _ = run(capsys, *argv, str(target))
    assert code == 0
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("Event ID", "Programme", "Kind", "Establishment code")
    assert [(row[0], row[3]) for row in rows[1:]] == [(unannounced.pk, "LE")]
    assert rows[1][5].date() == date(2027, 1, 11)
    logged = AccessEvent.objects.get(record_id=str(unannounced.pk))
    assert logged.actor_label == SYSTEM_USERNAME
    assert logged.purpose == "export"


@pytest.mark.rule("PG-3")
def test_an_establishment_user_cannot_export_a_confidential_event(
    capsys, unannounced, leeds, make_user, tmp_path
) -> None:
    make_user(Role.ESTABLISHMENT_USER, username="leeds-governor", establishment=leeds)
    code, out, _ = run(capsys, "export", "programme", "--as", "leeds-governor")
    assert code == 0
    assert list(csv.DictReader(io.StringIO(out))) == []  # the header only
    target = tmp_path / "programme.xlsx"
    argv = ["export", "programme", "--format", "xlsx", "--as", "leeds-governor", "--output"]
    assert run(capsys, *argv, str(target))[0] == 0
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert rows[1:] == []
    # The coordinator, who may see it, gets it.
    make_user(Role.HMIP_COORDINATOR, username="coordinator")
    out = run(capsys, "export", "programme", "--as", "coordinator")[1]
    assert [row["id"] for row in csv.DictReader(io.StringIO(out))] == [str(unannounced.pk)]


@pytest.mark.rule("PG-3")
def test_reports_of_an_event_the_user_may_not_see_are_not_rendered(
    capsys, unannounced, leeds, make_user, tmp_path
) -> None:
    make_user(Role.ESTABLISHMENT_USER, username="leeds-governor", establishment=leeds)
    target = tmp_path / "report.pdf"
    argv = ["report", "render", str(unannounced.pk), "--pdf", "--output", str(target)]
    code, _, err = run(capsys, *argv, "--as", "leeds-governor")
    assert code == 2
    assert f"There is no event {unannounced.pk}." in err  # as if it did not exist
    assert not target.exists()


def test_audit_verify_reports_an_intact_chain(capsys, unannounced) -> None:
    code, out, _ = run(capsys, "audit", "verify")
    assert code == 0
    assert "Audit chain intact" in out


def test_commands_run_in_an_audit_context_naming_them(capsys, db, tmp_path) -> None:
    from pghistory.models import Context

    source = tmp_path / "establishments.csv"
    source.write_text(HEADER + "HL,HMP Hull,prison,,england,,,,,,,open,,\n")
    assert run(capsys, "import", "establishments", str(source))[0] == 0
    commands = [context.metadata.get("command") for context in Context.objects.all()]
    assert f"inspectorate import establishments {source}" in commands


def test_the_script_entry_point_is_main() -> None:
    text = (Path(__file__).resolve().parents[3] / "pyproject.toml").read_text()
    assert 'inspectorate = "inspectorate.cli:main"' in text


# Reports ---------------------------------------------------------------------------------


@pytest.fixture
def irp_report(db):
    pytest.importorskip("inspectorate.reports.pdf")
    from inspectorate.inspections.tests import findings_helpers as h
    from inspectorate.reports.tests import document_helpers as dh

    with time_machine.travel(h.NOON, tick=False):
        yield dh.irp_with_judgements().report


def test_a_report_renders_to_a_pdf_file(capsys, irp_report, tmp_path) -> None:
    target = tmp_path / "report.pdf"
    argv = ["report", "render", str(irp_report.event_id), "--pdf", "--output", str(target)]
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    assert target.read_bytes().startswith(b"%PDF")
    assert out.startswith(f"Wrote {target}: ")
    assert "pages." in out
    assert AccessEvent.objects.filter(
        record_id=str(irp_report.pk), actor_label=SYSTEM_USERNAME, purpose="export"
    ).exists()  # a draft is confidential: its export is logged


def test_a_report_of_a_kind_the_event_lacks_is_refused(capsys, irp_report, tmp_path) -> None:
    target = tmp_path / "report.pdf"
    argv = ["report", "render", str(irp_report.event_id), "--pdf", "--output", str(target)]
    code, _, err = run(capsys, *argv, "--kind", "ofsted_report")
    assert code == 2
    assert "has no report of kind 'ofsted_report' to render" in err
    assert not target.exists()


def test_the_module_runs_as_a_program_with_the_same_exit_codes() -> None:
    root = Path(__file__).resolve().parents[3]
    done = subprocess.run(
        [sys.executable, "-m", "inspectorate.cli", "export", "widgets"],
        capture_output=True,
        text=True,
        cwd=root,
        check=False,
    )
    assert done.returncode == 2
    assert "invalid choice: 'widgets'" in done.stderr
