"""Every CSV import, on its screen and in the API, answers a malformed file with the problem
by line and column and writes nothing; none answers 500 (finding 6)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from inspectorate.accounts.roles import Role
from inspectorate.estate.models import Establishment, ProviderContract
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.inspectors.models import Inspector
from inspectorate.programme.tests.test_milestone_helpers import make_establishment

pytestmark = pytest.mark.django_db
LIMIT = csv.field_size_limit()
NUL_NAME = "Nov\x00us Una"


@dataclass(frozen=True)
class Import:
    screen: str
    api: str
    header: str
    row: str
    model: Any  # a model class with its default manager


IMPORTS = {
    "establishments": Import(
        "estate:establishment-import",
        "/api/v1/establishments/import/",
        "code,name,kind,nation,status",
        "WW,HMP Wandsworth,prison,england,open",
        Establishment,
    ),
    "contracts": Import(
        "estate:contract-import",
        "/api/v1/contracts/import/",
        "establishment_code,provider,service,starts_on",
        "LE,Novus,education,2019-04-01",
        ProviderContract,
    ),
    "inspectors": Import(
        "inspectors:import",
        "/api/v1/inspectors/import/",
        "email,name,organisation,grade",
        "una.reed@example.invalid,Una Reed,ofsted,ofsted_oi",
        Inspector,
    ),
}


def _second_cell(row: str, value: str) -> str:
    cells = row.split(",")
    return ",".join([cells[0], value, *cells[2:]])


@dataclass(frozen=True)
class Case:
    make: Callable[[Import], bytes]
    expected: tuple[str, ...]  # what the answer says; empty: the file imports


def _utf8(text: str) -> bytes:
    return text.encode()


CASES = {
    "non-UTF-8 bytes": Case(
        lambda i: _utf8(f"{i.header}\n") + b"\xff\xfe" + _utf8(f"{i.row}\n"),
        ("line 2", "file", "not UTF-8"),
    ),
    "a NUL byte": Case(
        lambda i: _utf8(f"{i.header}\n{_second_cell(i.row, NUL_NAME)}\n"),
        ("2", "NUL character"),
    ),
    "a byte-order mark": Case(lambda i: b"\xef\xbb\xbf" + _utf8(f"{i.header}\n{i.row}\n"), ()),
    "no header": Case(lambda i: _utf8(f"{i.row}\n"), ("1", "column is missing")),
    "a duplicated header": Case(
        lambda i: _utf8(f"{i.header},{i.header.split(',')[0]}\n{i.row},again\n"),
        ("1", "appears more than once"),
    ),
    "a cell over the csv field limit": Case(
        lambda i: _utf8(f"{i.header}\n{_second_cell(i.row, 'x' * (LIMIT + 10))}\n"),
        ("2", "file", f"longer than {LIMIT:,} characters"),
    ),
    "an empty file": Case(lambda i: b"", ("empty",)),
    "a binary file": Case(lambda i: bytes(range(256)) * 8, ("not UTF-8",)),
    "a very long line": Case(
        lambda i: _utf8(f"{i.header}\n{_second_cell(i.row, 'y' * 100_000)}\n"),
        ("2", "characters"),
    ),
    "carriage returns only": Case(lambda i: _utf8(f"{i.header}\r{i.row}\r"), ()),
    "more cells than the header": Case(
        lambda i: _utf8(f"{i.header}\n{i.row},surplus\n"), ("2", "row", "cells")
    ),
}


@pytest.fixture
def coordinator():
    make_establishment("LE", "HMP Leeds")
    return h.user(Role.HMIP_COORDINATOR)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("kind", list(IMPORTS))
@pytest.mark.parametrize("case", list(CASES))
def test_the_import_screen_answers_a_malformed_file_clearly(coordinator, kind, case) -> None:
    spec, how = IMPORTS[kind], CASES[case]
    before = spec.model.objects.count()
    upload = SimpleUploadedFile("file.csv", how.make(spec), content_type="text/csv")
    answer = _client(coordinator).post(reverse(spec.screen), {"file": upload})
    if not how.expected:
        assert answer.status_code == 302, answer.text[-2000:]
        assert spec.model.objects.count() == before + 1
        return
    assert answer.status_code in (200, 400)
    assert "There is a problem" in answer.text or "The file was not imported" in answer.text
    for words in how.expected:
        assert words in answer.text, (words, kind, case)
    assert spec.model.objects.count() == before


@pytest.mark.parametrize("kind", list(IMPORTS))
@pytest.mark.parametrize("case", list(CASES))
def test_the_import_api_answers_a_malformed_file_clearly(coordinator, kind, case) -> None:
    spec, how = IMPORTS[kind], CASES[case]
    before = spec.model.objects.count()
    upload = SimpleUploadedFile("file.csv", how.make(spec), content_type="text/csv")
    answer = _client(coordinator).post(spec.api, {"file": upload})
    if not how.expected:
        assert answer.status_code == 200, answer.content[-2000:]
        assert spec.model.objects.count() == before + 1
        return
    assert answer.status_code == 400, answer.content[-2000:]
    said = " ".join(f"{e['field']} {e['message']}" for e in answer.json()["errors"])
    for words in how.expected:
        assert words in said, (words, kind, case, said)
    assert spec.model.objects.count() == before
