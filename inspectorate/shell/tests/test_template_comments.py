"""Django's `{# #}` comment ends at the end of its line: one spread over lines is not a
comment at all, and its text shows on the page (as a stale-save page once showed the error
summary's own description above the summary)."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

SHORT_COMMENT = re.compile(r"\{#(.*?)#\}", re.S)


def _templates() -> list[Path]:
    return sorted(Path(settings.BASE_DIR, "templates").rglob("*.html"))


def test_no_template_spreads_a_short_comment_over_lines() -> None:
    spread = [
        f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)[:60]!r}"
        for path in _templates()
        for match in SHORT_COMMENT.finditer(path.read_text())
        if "\n" in match.group(1)
    ]
    assert _templates(), "no templates found"
    assert not spread, "use {% comment %} for a comment of several lines:\n" + "\n".join(spread)


def test_the_error_summary_shows_no_comment_text() -> None:
    class FormWithErrors:
        errors = {"name": ["Enter a name"]}
        non_field_errors = ["Someone else saved first"]
        visible_fields: list[object] = []
        hidden_fields: list[object] = []

    html = render_to_string("govuk/error_summary.html", {"form": FormWithErrors()})
    assert "There is a problem" in html
    assert "Someone else saved first" in html
    assert "{#" not in html
    assert "GOV.UK error summary" not in html
