"""Wording across the service (issue 22): organisation names keep their capital, and the
'Error: ' prefix of a page title is added in one place."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from inspectorate.shell.tests import url_walk

TEMPLATES = Path(settings.BASE_DIR) / "templates"
CODE = Path(settings.BASE_DIR) / "inspectorate"
TITLE = re.compile(r"<title>(.*?)</title>", re.S)
SELF_POSTING = re.compile(r'<form[^>]*method="post"(?![^>]*action="(?!")[^"]+")', re.I)
ERROR_SUMMARY = "govuk-error-summary"
LABEL_LOWERED = re.compile(r"(_display\(\)|label|title)\.lower\(\)")


def _templates() -> list[Path]:
    return sorted(p for p in TEMPLATES.rglob("*") if p.suffix in {".html", ".txt"})


def test_no_template_lower_cases_a_label() -> None:
    """`|lower` made 'Ofsted report on …' read 'ofsted report on …'; labels go inside a
    sentence through `|inline`, which keeps names such as Ofsted and Estyn."""
    offenders = [str(p.relative_to(TEMPLATES)) for p in _templates() if "|lower" in p.read_text()]
    assert offenders == []


def test_no_code_lower_cases_a_label() -> None:
    offenders = [
        f"{path.relative_to(CODE)}:{number}"
        for path in CODE.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if LABEL_LOWERED.search(line)
    ]
    assert offenders == []


def test_only_the_base_template_adds_error_to_the_title() -> None:
    """Issue 22: pages titled 'Error: Error: …', the base and the page each adding it."""
    adding = [
        str(p.relative_to(TEMPLATES))
        for p in _templates()
        if "Error: {% endif %}" in p.read_text() and "{% block error_prefix %}" not in p.read_text()
    ]
    assert adding == []


def _title(response: Any) -> str:
    return html.unescape(TITLE.search(response.content.decode()).group(1))  # type: ignore[union-attr]


def _post_in_savepoint(client: Client, url: str) -> Any:
    """POST a form with none of its fields and undo what it wrote: the walk sees the demo."""
    savepoint = transaction.savepoint()
    try:
        return client.post(url, {"walk": "1"})  # not empty: `request.POST or None` binds it
    finally:
        transaction.savepoint_rollback(savepoint)


@pytest.mark.django_db
def test_every_form_page_with_errors_says_error_once_in_its_title(
    capsys: pytest.CaptureFixture,
) -> None:
    """Every page of the demo with a form posting to itself, sent empty by the first demo
    account that may open it: when it answers with its errors, the title starts 'Error: '
    once (issue 22: 'Error: Error: …'); a page without errors never says it."""
    call_command("load_demo", verbosity=0)
    capsys.readouterr()
    planned, _ = url_walk.plan(url_walk.samples())
    pages = [p for p in planned if not (p.pattern.is_api or p.pattern.is_admin)]
    clients = []
    for user in url_walk.iter_roles():
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients.append(client)
    with_errors, faults = 0, []
    for probe in pages:
        for client in clients:
            shown = client.get(probe.url)
            if shown.status_code != 200 or not shown["Content-Type"].startswith("text/html"):
                continue
            if SELF_POSTING.search(shown.content.decode()) is None:
                continue
            if "Error:" in _title(shown):
                faults.append(f"{probe.url}: 'Error:' before any error: {_title(shown)}")
            answer = _post_in_savepoint(client, probe.url)
            if answer.status_code in {200, 400, 409, 422} and ERROR_SUMMARY in answer.text:
                with_errors += 1
                title = _title(answer)
                if not title.startswith("Error: ") or title.count("Error:") != 1:
                    faults.append(f"{probe.url}: {title}")
            break
    assert faults == []
    assert with_errors >= 30  # the walk really reached the forms
