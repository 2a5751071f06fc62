"""The schema as third-party tools read it: openapi-spec-validator finds it valid, and a client
generated from it by openapi-python-client (nobody on this project wrote either) makes real
calls against a live server and gets typed answers, the errors included: 200, 404, 412, 428."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from openapi_spec_validator import validate

from inspectorate.accounts.roles import Role
from inspectorate.api.schema import rendered_schema, schema_document
from inspectorate.api.tests.helpers import build_world, token_client
from inspectorate.programme.constants import MilestoneStatus
from inspectorate.programme.milestones.deadlines import rule_for
from inspectorate.programme.models import Milestone

PACKAGE = "inspectorate_api_client"
# The generator knows JSON, text and octet-stream bodies; a download's own media type (PDF,
# Word, CSV, XLSX) is read as bytes, as its documentation says to configure.
GENERATOR_CONFIG = {
    "project_name_override": "inspectorate-api-client",
    "package_name_override": PACKAGE,
    "post_hooks": [],
    "content_type_overrides": dict.fromkeys(
        (
            "application/pdf",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "text/csv",
        ),
        "application/octet-stream",
    ),
}


def test_the_schema_is_valid_openapi() -> None:
    validate(schema_document())


def test_every_operation_declares_its_errors_in_the_one_shape() -> None:
    schema = schema_document()
    error = {"$ref": "#/components/schemas/Error"}
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            for status in ("401", "403"):
                assert status in responses, (method, path, status)
            for status, answer in responses.items():
                if status.startswith(("4", "5")):
                    assert answer["content"]["application/json"]["schema"] == error
            headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
            if "If-Match" in headers:
                assert {"412", "428"} <= set(responses), (method, path)
            if "{" in path:
                assert "404" in responses, (method, path)


def test_downloads_are_declared_with_their_media_types() -> None:
    paths = schema_document()["paths"]
    assert set(paths["/api/v1/reports/{id}/pdf-file/"]["get"]["responses"]["200"]["content"]) == {
        "application/pdf"
    }
    word = paths["/api/v1/reports/{id}/word/"]["get"]["responses"]["200"]["content"]
    assert set(word) == {"application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
    export = paths["/api/v1/programmes/{year}/export/"]["get"]["responses"]["200"]["content"]
    assert {"text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"} <= set(
        export
    )


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The client package generated from the schema, importable for this module's tests."""
    folder = tmp_path_factory.mktemp("client")
    schema_file = folder / "schema.json"
    schema_file.write_bytes(rendered_schema("json")[0])
    config = folder / "config.json"
    config.write_text(json.dumps(GENERATOR_CONFIG))
    generator = Path(sys.executable).with_name("openapi-python-client")
    done = subprocess.run(
        [
            str(generator),
            "generate",
            "--path",
            str(schema_file),
            "--output-path",
            str(folder / PACKAGE),
            "--meta",
            "none",
            "--config",
            str(config),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "will be omitted" not in done.stdout, done.stdout  # every answer is understood
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(folder))
        for name in [n for n in sys.modules if n.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def _operation(module: str) -> Any:
    return importlib.import_module(f"{PACKAGE}.api.{module}")


@pytest.mark.django_db(transaction=True)
def test_a_generated_client_reads_and_is_told_its_errors(
    generated: ModuleType, live_server: Any
) -> None:
    world = build_world()
    _, secret = token_client(world.users[Role.HMIP_COORDINATOR], scope="write")
    client = generated.AuthenticatedClient(base_url=live_server.url, token=secret)
    Error = importlib.import_module(f"{PACKAGE}.models.error").Error

    read = _operation("events.events_retrieve").sync_detailed(world.secret.pk, client=client)
    assert read.status_code == 200
    assert read.parsed.id == world.secret.pk
    assert read.headers["ETag"] == f'"{world.secret.version}"'
    assert read.parsed.version == world.secret.version

    missing = _operation("events.events_retrieve").sync_detailed(999_999, client=client)
    assert missing.status_code == 404
    assert isinstance(missing.parsed, Error)
    assert missing.parsed.errors[0].code == "not_found"

    milestone = next(
        m
        for m in Milestone.objects.filter(event=world.secret, status=MilestoneStatus.DUE)
        if (rule := rule_for(m.rule_code)) is not None and rule.met_when is None
    )
    mark_met = _operation("milestones.milestones_mark_met_create")
    unversioned = mark_met.sync_detailed(milestone.pk, client=client)
    assert unversioned.status_code == 428
    assert unversioned.parsed.errors[0].code == "precondition_required"
    stale = mark_met.sync_detailed(
        milestone.pk, client=client, if_match=f'"{milestone.version + 5}"'
    )
    assert stale.status_code == 412
    assert isinstance(stale.parsed, Error)
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.DUE  # neither refused call changed it

    met = mark_met.sync_detailed(milestone.pk, client=client, if_match=f'"{milestone.version}"')
    assert met.status_code == 200, met.content
    assert met.parsed.status.value == MilestoneStatus.MET
    assert met.headers["ETag"] == f'"{milestone.version + 1}"'
