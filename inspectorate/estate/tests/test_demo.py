"""The estate demo: real prisons filled in, providers and contracts, probation and FE kinds."""

from __future__ import annotations

from datetime import date

import pytest

from inspectorate.audit.models import ChainLink
from inspectorate.estate.constants import EstablishmentKind
from inspectorate.estate.demo import demo_estate_load
from inspectorate.estate.models import Establishment, ProviderContract
from inspectorate.estate.register import open_establishments
from inspectorate.estate.services import establishments_load_register


def _load() -> int:
    establishments_load_register(records=open_establishments())
    return demo_estate_load()


@pytest.mark.django_db
def test_the_demo_loads_once_and_then_writes_nothing() -> None:
    assert _load() > 100
    counts = (Establishment.objects.count(), ProviderContract.objects.count())
    links = ChainLink.objects.count()
    assert _load() == 0
    assert (Establishment.objects.count(), ProviderContract.objects.count()) == counts
    assert ChainLink.objects.count() == links, "a second load must write nothing"


@pytest.mark.django_db
def test_demo_prisons_have_their_category_region_and_maximum() -> None:
    _load()
    leeds = Establishment.objects.get(code="LE")
    assert (leeds.security_category, leeds.region) == ("b", "yorkshire")
    assert leeds.function == "Category B local prison for men"
    assert 12 <= (leeds.max_inspectors_on_site or 0) <= 20
    wakefield = Establishment.objects.get(code="WD")
    assert (wakefield.security_category, wakefield.region) == ("a", "yorkshire")
    assert Establishment.objects.get(code="CF").region == "wales"


@pytest.mark.django_db
def test_demo_contracts_run_from_the_prison_education_framework() -> None:
    _load()
    leeds = ProviderContract.objects.filter(establishment__code="LE", service="education")
    assert [(c.contract_name, c.starts_on, c.ends_on) for c in leeds.order_by("starts_on")] == [
        ("Prison Education Framework", date(2019, 4, 1), date(2025, 9, 30)),
        ("Prison Education Service", date(2025, 10, 1), None),
    ]
    assert leeds.first().provider.name == "Novus"  # type: ignore[union-attr]
    cardiff = ProviderContract.objects.get(establishment__code="CF")
    assert cardiff.provider.name == "Novus Cambria"
    # Contractors teach in their own prisons: no framework contract at HMP Oakwood.
    assert not ProviderContract.objects.filter(establishment__code="OW").exists()


@pytest.mark.rule("PG-13")
@pytest.mark.django_db
def test_the_demo_has_probation_areas_with_groups_and_a_college() -> None:
    _load()
    areas = Establishment.objects.filter(kind=EstablishmentKind.PROBATION_AREA)
    assert areas.count() >= 1
    assert all(area.probation_group in {1, 2, 3, 4} for area in areas)
    assert Establishment.objects.filter(kind=EstablishmentKind.FURTHER_EDUCATION_PROVIDER).exists()


@pytest.mark.django_db
def test_reloading_the_register_keeps_curated_functions_and_edits() -> None:
    _load()
    Establishment.objects.filter(code="LE").update(max_inspectors_on_site=9)
    links = ChainLink.objects.count()
    assert _load() == 0  # the demo fills only empty values: the edit stays
    leeds = Establishment.objects.get(code="LE")
    assert (leeds.function, leeds.max_inspectors_on_site) == ("Category B local prison for men", 9)
    assert ChainLink.objects.count() == links
