"""The support-and-challenge letter's stored wording (issue 22, SC-4, SC-6).

It opened "Dear {{ addressee }}," (the address line: "Dear The Governor, HMP/YOI
Pentonville,") and called every visit an "improvement visit". A template still holding the
first default wording gets the new default (a greeting by name or office, the kind of visit,
and at a follow-up visit the earlier actions' progress); an edited one keeps its wording with
only those two phrases corrected. Each changed template's version goes up, so an open edit
form is refused as stale; the previous wording stays in the audit history. (It lives in
the improvement app, whose letter it is, beside the case's new addressee name.)
"""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.utils import timezone

KIND = "support_and_challenge"
OLD_SUBJECT = "Improvement visit to {{ establishment }} on {{ visit_date }}"
OLD_BODY = (
    "Dear {{ addressee }},\n\n"
    "Thank you for the improvement visit on {{ visit_date }}. This letter confirms "
    "the priority actions and timescales we agreed, and the support and challenge "
    "arranged.\n\n"
    "Priority actions:\n"
    "{% for action in actions %}- {{ action.action }} (owner: {{ action.owner }}; "
    "by {{ action.due_on }})\n{% endfor %}"
    "{% if support %}\nSupport agreed:\n{% for item in support %}- {{ item }}\n"
    "{% endfor %}{% endif %}"
    "\nThis letter is not published.\n\n"
    "Yours sincerely,\n\n{{ improvement_hmi }}\nOfsted improvement HMI"
    "{% if copied_to %}\n\nCopied to: {{ copied_to }}{% endif %}"
)
NEW_SUBJECT = "Support and challenge: {{ visit_kind }} to {{ establishment }} on {{ visit_date }}"
NEW_BODY = (
    "Dear {{ salutation }},\n\n"
    "Thank you for the {{ visit_kind }} on {{ visit_date }}. This letter confirms "
    "the priority actions and timescales we agreed, and the support and challenge "
    "arranged.\n\n"
    "Priority actions:\n"
    "{% for action in actions %}- {{ action.action }} (owner: {{ action.owner }}; "
    "by {{ action.due_on }})\n{% endfor %}"
    "{% if earlier_actions %}\nActions agreed at earlier visits:\n"
    "{% for action in earlier_actions %}- {{ action.action }} (owner: {{ action.owner }}; "
    "by {{ action.due_on }}): {{ action.progress }}\n{% endfor %}{% endif %}"
    "{% if support %}\nSupport agreed:\n{% for item in support %}- {{ item }}\n"
    "{% endfor %}{% endif %}"
    "\nThis letter is not published.\n\n"
    "Yours sincerely,\n\n{{ improvement_hmi }}\nOfsted improvement HMI"
    "{% if copied_to %}\n\nCopied to: {{ copied_to }}{% endif %}"
)
PHRASES = (
    ("Dear {{ addressee }},", "Dear {{ salutation }},"),
    ("the improvement visit on {{ visit_date }}", "the {{ visit_kind }} on {{ visit_date }}"),
)


def reworded(body: str) -> str:
    if body.strip() == OLD_BODY.strip():
        return NEW_BODY
    for old, new in PHRASES:
        body = body.replace(old, new)
    return body


def reword(apps: Any, schema_editor: Any) -> None:
    template_model = apps.get_model("reports", "LetterTemplate")
    for template in template_model.objects.filter(kind=KIND):
        subject = NEW_SUBJECT if template.subject.strip() == OLD_SUBJECT else template.subject
        body = reworded(template.body)
        if (subject, body) == (template.subject, template.body):
            continue
        template.subject, template.body = subject, body
        template.version += 1
        template.updated_at = timezone.now()
        template.save(update_fields=["subject", "body", "version", "updated_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("improvement", "0002_action_tracking_and_addressee_name"),
        ("reports", "0003_letter_templates_jinja"),
    ]

    operations = [
        migrations.RunPython(reword, migrations.RunPython.noop),
    ]
