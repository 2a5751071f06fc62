"""Letter templates move from Django's template language to sandboxed Jinja2 (issue 15).

Stored wording is converted: `|filter:arg` becomes `|filter(arg)`, `forloop.counter` and the
like become `loop.index` ..., `{% empty %}` becomes `{% else %}`, `{% with a as b %}` becomes
`{% with b = a %}`, `{% comment %}` blocks go, and `|date:`/`|time:` go (every date a letter
offers is already written out, '5 October 2026'). Wording the sandbox would still refuse
(`{% debug %}`, `{% load %}`, `{% cycle %}`, ...) is replaced by the letter's default, with a
line in the migration's output; the previous wording stays in the audit history
(LetterTemplateEvent). Every changed template's version goes up, so an open edit form is
refused as stale rather than saving Django syntax.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import migrations, models
from django.db.models import F
from django.utils import timezone

TAG = re.compile(r"{%.*?%}|{{.*?}}", re.S)
COMMENT_BLOCK = re.compile(r"{%\s*comment\b.*?%}.*?{%\s*endcomment\s*%}", re.S)
ARGUMENT = r"(\"[^\"]*\"|'[^']*'|[\w.]+)"
DATE_FILTER = re.compile(r"\|\s*(date|time)(\s*:\s*" + ARGUMENT + ")?")
FILTER_WITH_ARGUMENT = re.compile(r"\|\s*(\w+)\s*:\s*" + ARGUMENT)
FORLOOP = re.compile(r"\bforloop\.(counter0|counter|revcounter0|revcounter|first|last)\b")
LOOP_NAMES = {
    "counter0": "index0",
    "counter": "index",
    "revcounter0": "revindex0",
    "revcounter": "revindex",
    "first": "first",
    "last": "last",
}
EMPTY = re.compile(r"{%\s*empty\s*%}")
WITH_AS = re.compile(r"{%\s*with\s+(\S+)\s+as\s+(\w+)\s*%}")
WITH_ASSIGNMENTS = re.compile(r"{%\s*with\s+((?:\w+=\S+\s*)+)%}")


def django_to_jinja(text: str) -> str:
    """Django template text as the Jinja2 text that prints the same letter."""
    text = COMMENT_BLOCK.sub("", text)
    return TAG.sub(lambda found: _tag(found.group(0)), text)


def _tag(tag: str) -> str:
    tag = FORLOOP.sub(lambda found: "loop." + LOOP_NAMES[found.group(1)], tag)
    tag = DATE_FILTER.sub("", tag)
    tag = re.sub(r"\|\s*default_if_none\b", "|default", tag)
    tag = FILTER_WITH_ARGUMENT.sub(r"|\1(\2)", tag)
    tag = EMPTY.sub("{% else %}", tag)
    tag = WITH_AS.sub(r"{% with \2 = \1 %}", tag)
    return WITH_ASSIGNMENTS.sub(
        lambda found: "{% with " + ", ".join(found.group(1).split()) + " %}", tag
    )


def convert(apps: Any, schema_editor: Any) -> None:
    from django.core.exceptions import ValidationError

    from inspectorate.reports import letters

    templates = apps.get_model("reports", "LetterTemplate")
    for template in templates.objects.all():
        subject, body = django_to_jinja(template.subject), django_to_jinja(template.body)
        try:
            letters.template_check(template.kind, subject, body)
        except ValidationError as refused:
            default = letters.DEFAULTS[template.kind]
            subject, body = default.subject, default.body
            print(
                f"\n  Letter template {template.kind}: its wording could not be converted "
                f"({'; '.join(refused.messages)}); the default wording replaces it. The "
                "previous wording is in the audit history."
            )
        if (subject, body) != (template.subject, template.body):
            templates.objects.filter(pk=template.pk).update(
                subject=subject, body=body, version=F("version") + 1, updated_at=timezone.now()
            )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_render_attempts"),
    ]

    operations = [
        migrations.AlterField(
            model_name="lettertemplate",
            name="body",
            field=models.TextField(
                help_text="Jinja2 template text (sandboxed); see the variables listed."
            ),
        ),
        migrations.AlterField(
            model_name="lettertemplateevent",
            name="body",
            field=models.TextField(
                help_text="Jinja2 template text (sandboxed); see the variables listed."
            ),
        ),
        migrations.RunPython(convert, migrations.RunPython.noop),
    ]
