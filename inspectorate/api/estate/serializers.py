"""What the API shows of establishments, providers, contracts and inspectors, and what their
actions accept. Only types are checked here; every rule is the service's, with its own
messages naming the field.

Inspectors' vetting (DBS check and clearance) is shown as the screens show it: the list
gives each inspector's DBS status and clearance, as the inspectors list does; the dates and
level only come with one inspector's record, whose every read is logged (DP-1), as the
profile screen's is.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from inspectorate.api.serializers import (
    EstablishmentRefSerializer,
    EstablishmentSerializer,
    InspectorRefSerializer,
    InspectorSerializer,
    optional_id,
    optional_text,
)
from inspectorate.estate.constants import (
    EstablishmentKind,
    EstablishmentStatus,
    Nation,
    ProviderService,
    Region,
    SecurityCategory,
)
from inspectorate.estate.models import Establishment, Provider, ProviderContract
from inspectorate.estate.selectors import contract_state, provider_contracts
from inspectorate.inspectors.constants import (
    Clearance,
    DbsLevel,
    DbsStatus,
    UnavailabilityKind,
)
from inspectorate.inspectors.models import ConflictOfInterest, Inspector, Unavailability
from inspectorate.lib.csvio import ImportResult

CONTRACT_STATES = [("current", "Current"), ("future", "Starting later"), ("past", "Past")]

# Establishments ---------------------------------------------------------------------------


class EstablishmentDetailSerializer(EstablishmentSerializer):
    """Everything the establishment's page shows, which is everything its edit form edits."""

    education_inspectorate = serializers.SerializerMethodField(
        help_text="Who inspects education here: ofsted, estyn, or null (PG-10)."
    )

    class Meta(EstablishmentSerializer.Meta):
        fields = [
            *EstablishmentSerializer.Meta.fields,
            "max_inspectors_on_site",
            "probation_group",
            "operator_company_number",
            "education_inspectorate",
        ]

    @extend_schema_field(OpenApiTypes.STR)
    def get_education_inspectorate(self, establishment: Establishment) -> str | None:
        inspectorate = establishment.education_inspectorate
        return str(inspectorate) if inspectorate else None


def _text(**kwargs: Any) -> serializers.CharField:
    return serializers.CharField(required=False, allow_blank=True, max_length=1000, **kwargs)


class EstablishmentUpdateInput(serializers.Serializer):
    """The edit form's fields; each one left out keeps its saved value."""

    name = _text()
    kind = serializers.ChoiceField(choices=EstablishmentKind.choices, required=False)
    function = _text()
    nation = serializers.ChoiceField(choices=Nation.choices, required=False)
    region = serializers.ChoiceField(choices=Region.choices, required=False, allow_blank=True)
    security_category = serializers.ChoiceField(
        choices=SecurityCategory.choices, required=False, allow_blank=True
    )
    max_inspectors_on_site = serializers.IntegerField(required=False, allow_null=True)
    probation_group = serializers.IntegerField(required=False, allow_null=True)
    operator = _text()
    operator_company_number = _text()
    status = serializers.ChoiceField(choices=EstablishmentStatus.choices, required=False)
    opened_on = serializers.DateField(required=False, allow_null=True)
    closed_on = serializers.DateField(required=False, allow_null=True)


# Providers and contracts ------------------------------------------------------------------


class ProviderRefSerializer(serializers.ModelSerializer[Provider]):
    class Meta:
        model = Provider
        fields = ["id", "name"]


class ContractSerializer(serializers.ModelSerializer[ProviderContract]):
    establishment = EstablishmentRefSerializer(read_only=True)
    provider = ProviderRefSerializer(read_only=True)
    state = serializers.SerializerMethodField(help_text="current, future or past, as of today.")

    class Meta:
        model = ProviderContract
        fields = [
            "id",
            "establishment",
            "provider",
            "service",
            "contract_name",
            "starts_on",
            "ends_on",
            "state",
            "version",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=CONTRACT_STATES))
    def get_state(self, contract: ProviderContract) -> str:
        return contract_state(contract, timezone.localdate())


class ProviderSerializer(serializers.ModelSerializer[Provider]):
    """A provider with its contracts counted, at the establishments the reader may see."""

    contract_count = serializers.IntegerField(read_only=True)
    current_count = serializers.IntegerField(read_only=True)
    establishment_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Provider
        fields = [
            "id",
            "name",
            "ukprn",
            "contract_count",
            "current_count",
            "establishment_count",
            "version",
        ]


class ProviderContractSerializer(ContractSerializer):
    """A contract listed under its provider."""

    class Meta(ContractSerializer.Meta):
        fields = [name for name in ContractSerializer.Meta.fields if name != "provider"]


class ProviderDetailSerializer(ProviderSerializer):
    """What the provider's page shows: its contracts at the establishments you may see,
    current, then starting later, then past (one query)."""

    contracts = serializers.SerializerMethodField()

    class Meta(ProviderSerializer.Meta):
        fields = [*ProviderSerializer.Meta.fields, "contracts"]

    @extend_schema_field(ProviderContractSerializer(many=True))
    def get_contracts(self, provider: Provider) -> list[dict[str, Any]]:
        groups = provider_contracts(provider, self.context["request"].user)
        contracts = [*groups.current, *groups.future, *groups.past]
        return list(ProviderContractSerializer(contracts, many=True, context=self.context).data)


class ContractUpdateInput(serializers.Serializer):
    """The contract form's fields; each one left out keeps its saved value."""

    provider_name = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=1000,
        help_text="The provider's name as on the contract; a provider not yet known is added.",
    )
    service = serializers.ChoiceField(choices=ProviderService.choices, required=False)
    contract_name = _text()
    starts_on = serializers.DateField(required=False)
    ends_on = serializers.DateField(required=False, allow_null=True)


class ContractCreateInput(serializers.Serializer):
    establishment = serializers.IntegerField(help_text="The establishment's id.")
    provider_name = serializers.CharField(
        allow_blank=True,
        max_length=1000,
        help_text="The provider's name as on the contract; a provider not yet known is added.",
    )
    service = serializers.ChoiceField(choices=ProviderService.choices)
    contract_name = optional_text(max_length=1000)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)


# Imports ----------------------------------------------------------------------------------


class ImportInput(serializers.Serializer):
    file = serializers.FileField(
        help_text="A CSV file (UTF-8, at most 5 MB) in the columns of the screen's import."
    )


class ImportResultSerializer(serializers.Serializer[ImportResult]):
    rows = serializers.IntegerField(read_only=True)
    created = serializers.IntegerField(read_only=True)
    updated = serializers.IntegerField(read_only=True)
    unchanged = serializers.IntegerField(read_only=True)
    notes = serializers.ListField(child=serializers.CharField(), read_only=True)
    summary = serializers.CharField(read_only=True)


# Inspectors -------------------------------------------------------------------------------


def _today_status(inspector: Inspector) -> str:
    return str(inspector.dbs_status(timezone.localdate()))


class InspectorListSerializer(InspectorSerializer):
    """What the inspectors list shows: DBS status today and clearance, not the check itself."""

    dbs_status = serializers.SerializerMethodField(
        help_text="The enhanced DBS check today: valid, expiring (renewal due within 90 "
        "days), expired or none (TM-1)."
    )

    class Meta(InspectorSerializer.Meta):
        fields = [*InspectorSerializer.Meta.fields, "dbs_status", "clearance"]

    @extend_schema_field(serializers.ChoiceField(choices=DbsStatus.choices))
    def get_dbs_status(self, inspector: Inspector) -> str:
        return _today_status(inspector)


class InspectorDetailSerializer(InspectorListSerializer):
    """What the inspector's profile shows: the DBS check and its dates too (TM-1)."""

    class Meta(InspectorListSerializer.Meta):
        fields = [
            *InspectorListSerializer.Meta.fields,
            "dbs_level",
            "dbs_checked_on",
            "dbs_renewal_due_on",
        ]


class VettingInput(serializers.Serializer):
    dbs_level = serializers.ChoiceField(choices=DbsLevel.choices)
    dbs_checked_on = serializers.DateField(allow_null=True, required=False, default=None)
    dbs_renewal_due_on = serializers.DateField(
        allow_null=True,
        required=False,
        default=None,
        help_text="The check is valid up to and including this day.",
    )
    clearance = serializers.ChoiceField(choices=Clearance.choices)


class UnavailabilitySerializer(serializers.ModelSerializer[Unavailability]):
    inspector = InspectorRefSerializer(read_only=True)

    class Meta:
        model = Unavailability
        fields = ["id", "inspector", "kind", "starts_on", "ends_on", "note", "version"]


class UnavailabilityInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=UnavailabilityKind.choices)
    starts_on = serializers.DateField(help_text="The first day.")
    ends_on = serializers.DateField(help_text="The last day.")
    note = optional_text(max_length=500)


class ConflictSerializer(serializers.ModelSerializer[ConflictOfInterest]):
    inspector = InspectorRefSerializer(read_only=True)
    establishment = EstablishmentRefSerializer(read_only=True, allow_null=True)
    provider = ProviderRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ConflictOfInterest
        fields = [
            "id",
            "inspector",
            "establishment",
            "provider",
            "starts_on",
            "ends_on",
            "reason",
            "version",
        ]


class ConflictInput(serializers.Serializer):
    """Exactly one of establishment and provider (TM-2)."""

    establishment = optional_id("The establishment's id.")
    provider = optional_id("The provider's id.")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Empty while it lasts."
    )
    reason = serializers.CharField(allow_blank=True, max_length=5000)
