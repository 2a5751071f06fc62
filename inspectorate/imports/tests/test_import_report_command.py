"""`inspectorate import report FILE`: dry run, JSON, import, and folders or zips (HI-2)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from inspectorate.accounts.roles import Role
from inspectorate.cli import main
from inspectorate.frameworks.services import frameworks_load
from inspectorate.imports.models import SourceDocument
from inspectorate.imports.published import parse
from inspectorate.imports.tests import published_helpers as reports
from inspectorate.inspections.models import FollowUp, Recommendation
from inspectorate.programme.models import Event

pytestmark = [pytest.mark.django_db, pytest.mark.rule("HI-2")]

BY_NAME = {
    "leeds.txt": reports.full_report(),
    "leeds-irp.txt": reports.irp_report(),
    "leedz.txt": reports.full_report(establishment="HMP Leedz"),
}


@pytest.fixture(autouse=True)
def _register(establishment: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    frameworks_load(actor=None)

    def parse_report(data: bytes, filename: str) -> Any:
        if filename not in BY_NAME:
            raise parse.NotAReport("no title page was found")
        return BY_NAME[filename]

    monkeypatch.setattr(parse, "parse_report", parse_report)


def run(capsys: Any, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def write(folder: Path, *names: str) -> Path:
    folder.mkdir(exist_ok=True)
    for name in names:
        (folder / name).write_text(f"Report {name}\n")
    return folder


def test_dry_run_then_import(capsys: Any, tmp_path: Path) -> None:
    report = write(tmp_path, "leeds.txt") / "leeds.txt"
    code, out, _ = run(capsys, "import", "report", str(report), "--dry-run")
    assert code == 0
    assert "Create     Recommendation 1.21 (page 15, line 7)" in out
    assert "to import" in out
    assert not Event.objects.exists()

    code, out, _ = run(capsys, "import", "report", str(report))
    assert code == 0
    assert "imported" in out
    assert Recommendation.objects.count() == 6

    code, out, _ = run(capsys, "import", "report", str(report))
    assert code == 0
    assert "unchanged" in out
    assert SourceDocument.objects.count() == 1


def test_dry_run_as_json_prints_what_was_found(capsys: Any, tmp_path: Path) -> None:
    report = write(tmp_path, "leeds-irp.txt") / "leeds-irp.txt"
    code, out, err = run(capsys, "import", "report", str(report), "--dry-run", "--json")
    assert code == 0
    found = json.loads(out)
    parsed = found["plan"]["parsed"]
    assert (parsed["establishment"], parsed["kind"], parsed["starts_on"]) == (
        "HMP Leeds",
        "irp",
        "2023-02-13",
    )
    assert next(
        (f["follows_reference"], f["area"], f["judgement"])
        for f in parsed["follow_ups"]
        if f["kind"] == "recommendation"
    ) == ("1.10", "Safety", "reasonable progress")
    assert [f["paragraph_reference"] for f in parsed["follow_ups"] if f["kind"] == "theme"] == [
        "2.1",
        "2.7",
    ]
    assert parsed["stated_counts"][0]["count"] == 1
    assert found["plan"]["follows"]["action"] == "create"
    assert "Reports reviewed" in err
    assert not Event.objects.exists()


def test_a_folder_imports_each_report_and_sums_up(capsys: Any, tmp_path: Path) -> None:
    folder = write(tmp_path / "reports", "leeds.txt", "leeds-irp.txt", "leedz.txt", "notes.txt")
    (folder / "cover.png").write_bytes(b"\x89PNG")
    code, out, err = run(capsys, "import", "report", str(folder))
    assert code == 1
    assert "2 imported, 2 refused" in out
    assert "Closest names in the register: HMP Leeds" in out
    assert "notes.txt is not a published report" in out
    assert "2 reports were refused" in err
    assert FollowUp.objects.count() == 8
    assert SourceDocument.objects.count() == 2


def test_a_zip_of_reports(capsys: Any, tmp_path: Path) -> None:
    archive = tmp_path / "reports.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("2022/leeds.txt", "Report one\n")
        zipped.writestr("2023/leeds-irp.txt", "Report two\n")
        zipped.writestr("__MACOSX/2022/._leeds.txt", "junk")
    code, out, _ = run(capsys, "import", "report", str(archive))
    assert code == 0
    assert "2 imported" in out
    assert Event.objects.get(kind="irp").follows_up == Event.objects.get(kind="full_inspection")


def test_refusals_exit_2_and_write_nothing(capsys: Any, tmp_path: Path, make_user: Any) -> None:
    report = write(tmp_path, "leedz.txt") / "leedz.txt"
    code, _out, err = run(capsys, "import", "report", str(report))
    assert code == 2
    assert "1 report was refused" in err
    code, _, err = run(capsys, "import", "report", str(tmp_path / "missing.pdf"))
    assert (code, "no such file or folder" in err) == (2, True)
    make_user(Role.HMIP_TEAM_LEADER, username="leader")
    leeds = write(tmp_path, "leeds.txt") / "leeds.txt"
    code, _, err = run(capsys, "import", "report", str(leeds), "--as", "leader")
    assert code == 2
    assert "leader may not import reports" in err
    assert not Event.objects.exists()


def test_as_a_user_named_by_e_mail(capsys: Any, tmp_path: Path, make_user: Any) -> None:
    coordinator = make_user(Role.HMIP_COORDINATOR, username="coord")
    coordinator.email = "coordinator@justice.example"
    coordinator.save()
    leeds = write(tmp_path, "leeds.txt") / "leeds.txt"
    code, _, _ = run(capsys, "import", "report", str(leeds), "--as", "coordinator@justice.example")
    assert code == 0
    assert SourceDocument.objects.get().imported_by == coordinator


def test_the_csv_import_is_still_there(capsys: Any, tmp_path: Path) -> None:
    code, _, err = run(capsys, "import", "widgets", "x.csv")
    assert code == 2
    assert "invalid choice: 'widgets'" in err


def test_a_large_folder_is_read_by_worker_processes(make_user: Any, tmp_path: Path) -> None:
    """Workers read the files (they do not see this test's parser), in the folder's order."""
    from inspectorate.imports.published.bulk import PARALLEL_FROM, import_many

    names = [f"minutes-{number:02d}.txt" for number in range(PARALLEL_FROM)]
    folder = write(tmp_path / "many", *names)
    seen: list[str] = []
    outcomes = import_many(
        actor=make_user(Role.HMIP_COORDINATOR),
        path=folder,
        dry_run=False,
        done=lambda outcome: seen.append(outcome.name),
        workers=2,
    )
    assert seen == names
    assert {outcome.status for outcome in outcomes} == {"refused"}
    assert all("is not a published report" in outcome.reason for outcome in outcomes)
    assert not Event.objects.exists()
