"""The README's API examples run, in order, against the app, answering what they say."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from string import Template
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from inspectorate.accounts.roles import Role
from inspectorate.api.services import api_token_issue
from inspectorate.api.tests.helpers import World
from inspectorate.programme.milestones.deadlines import rule_for

README = Path(settings.BASE_DIR) / "README.md"


def api_examples() -> list[tuple[str, int]]:
    """(curl command, documented status) for each example of the "## API" section."""
    text = README.read_text()
    section = text[text.index("\n## API\n") :]
    following = section.find("\n## ", 1)
    section = section if following == -1 else section[:following]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block, "the API section has a shell example"
    examples = []
    for line in block.group(1).splitlines():
        if not line.startswith("curl "):
            continue
        command, _, comment = line.partition("  # ")
        examples.append((command, int(comment.split()[0].rstrip(":,"))))
    return examples


def run(client: Client, command: str) -> Any:
    words = shlex.split(command)[1:]
    method, headers, data, url = "GET", {}, None, ""
    while words:
        word = words.pop(0)
        if word == "-X":
            method = words.pop(0)
        elif word == "-H":
            name, _, value = words.pop(0).partition(": ")
            headers[name] = value
        elif word == "-d":
            data = words.pop(0)
        elif word.startswith("-"):
            continue  # -s, -si: how curl prints, not what it asks
        else:
            url = word
    content_type = headers.pop("Content-Type", "application/json")
    return client.generic(method, url, data or "", content_type=content_type, headers=headers)


@pytest.mark.django_db
def test_the_readme_api_examples_answer_as_documented(world: World) -> None:
    coordinator = world.users[Role.HMIP_COORDINATOR]
    milestone = next(
        m for m in world.secret.milestones.all() if (r := rule_for(m.rule_code)) and not r.met_when
    )
    values = {
        "API": "/api/v1",
        "TOKEN": api_token_issue(actor=coordinator, name="README", scope="write").secret,
        "READ_TOKEN": api_token_issue(actor=coordinator, name="README read").secret,
        "EVENT": str(world.secret.pk),
        "MILESTONE": str(milestone.pk),
        "ESTABLISHMENT": str(world.leeds.pk),
    }
    examples = api_examples()
    assert len(examples) >= 10
    client = Client()
    for command, expected in examples:
        response = run(client, Template(command).substitute(values))
        assert response.status_code == expected, (command, response.content)
        if expected >= 400:
            assert response.json()["errors"][0]["message"]
