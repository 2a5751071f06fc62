"""Establishments, providers and their contracts, and inspectors with their vetting, leave and
conflicts of interest, through the API: the same `visible_to(user)`, selectors and services
as the estate and inspectors screens, and the same CSV imports.

What may not be seen answers 404. Each write carries If-Match with the version (ETag) of the
record it acts on, or, for a record it creates, of the record it is created under:
428 without, 412 when stale. Imports take no If-Match: like the import screens, they create
or update records matched by their natural key (code, email, or establishment, provider,
service and start date), with no version check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Model, Q, QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from inspectorate.accounts.models import User
from inspectorate.accounts.signed_in import signed_in_user
from inspectorate.api.base import (
    Acting,
    DetailedReads,
    Patchable,
    ReadViewSet,
    Removable,
    Write,
    chosen,
    own_writes,
    record_action,
    require_version,
    valid_input,
)
from inspectorate.api.errors import body, error
from inspectorate.api.estate import serializers as se
from inspectorate.api.filters import Filter
from inspectorate.api.permissions import token_of
from inspectorate.audit.services import access_records
from inspectorate.estate import services as estate_services
from inspectorate.estate.models import Establishment, Provider, ProviderContract
from inspectorate.inspectors import services as inspector_services
from inspectorate.inspectors.models import ConflictOfInterest, Inspector, Unavailability
from inspectorate.lib.csv_views import Importer
from inspectorate.lib.csvio import MAX_IMPORT_BYTES, ImportRejected, RowError
from inspectorate.lib.models import attributes

# Shared helpers ---------------------------------------------------------------------------


def _row_problem(row: RowError) -> dict[str, Any]:
    """One rejected cell: `field` names the column, the message names the line."""
    message = str(row) if row.line else f"The file {row.message}"
    return error(message, row.field, "invalid_row")


def csv_import(request: Request, importer: Importer) -> Response:
    """Import the uploaded CSV file with the screen's import service: all rows or none."""
    upload = valid_input(se.ImportInput, request)["file"]
    # One byte past the limit is enough for the importer to refuse the file as too large.
    data = upload.read(MAX_IMPORT_BYTES + 1)
    try:
        result = importer(actor=request.user, data=data)
    except ImportRejected as rejected:
        return Response(body(map(_row_problem, rejected.errors)), status=400)
    return Response(se.ImportResultSerializer(result).data)


IMPORT_DESCRIPTION = (
    "Upload the CSV file the import screen takes, as multipart/form-data in `file`. All rows "
    "or none: any bad row answers 400 with one error per problem, `field` naming the column "
    "and the message its line (the header is line 1), and nothing is written. Records are "
    "matched by their natural key and only changed ones are written, so importing the same "
    "file again changes nothing. No If-Match: as on the import screen, records are created "
    "or updated by key, without a version check."
)


def _import_schema(what: str) -> Callable[[Any], Any]:
    return extend_schema(
        summary=f"Import {what} from a CSV file",
        description=IMPORT_DESCRIPTION,
        request={"multipart/form-data": se.ImportInput},
        responses=se.ImportResultSerializer,
    )


def _import_action() -> Callable[[Any], Any]:
    return action(
        detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser]
    )


# Establishments ---------------------------------------------------------------------------


@own_writes(
    se.EstablishmentDetailSerializer,
    partial_update=Write(
        "Change an establishment's details",
        se.EstablishmentUpdateInput,
        description="The edit screen's fields; those left out keep their saved values. "
        "Programme coordinators and system administrators only.",
    ),
)
class EstablishmentViewSet(ReadViewSet):
    """Prisons, young offender institutions and the other places inspected: staff see every
    one, an establishment user only their own."""

    serializer_class = se.EstablishmentDetailSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    query_filters = {
        "kind": Filter("kind"),
        "nation": Filter("nation"),
        "region": Filter("region"),
        "status": Filter("status"),
        "code": Filter("code__iexact"),
        "q": Filter("name__icontains", description="Part of the name."),
    }
    ordering_fields = ("name", "code", "kind")
    ordering = ("name",)

    def get_queryset(self) -> QuerySet[Establishment]:
        return Establishment.objects.visible_to(self.request.user)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # Written out rather than with Patchable: a test replaces this module's
        # require_version to race the service's own version check.
        establishment = self.get_object()
        changes = valid_input(se.EstablishmentUpdateInput, request)
        version = require_version(request, establishment)
        saved = attributes(establishment, *estate_services.EDITABLE_FIELDS)
        updated = estate_services.establishment_update(
            actor=signed_in_user(request),
            establishment=establishment,
            version=version,
            values={**saved, **changes},
        )
        return self.answer(updated, se.EstablishmentDetailSerializer)

    @_import_schema("establishments")
    @_import_action()
    def import_csv(self, request: Request) -> Response:
        return csv_import(request, estate_services.establishments_import)


# Providers and contracts ------------------------------------------------------------------


def providers_counted(user: Any) -> QuerySet[Provider]:
    """Providers `user` may see, each with its contracts counted as the providers list counts
    them, but only those at establishments `user` may see."""
    today = timezone.localdate()
    seen = Q(contracts__establishment__in=Establishment.objects.visible_to(user))
    current = Q(contracts__starts_on__lte=today) & (
        Q(contracts__ends_on__isnull=True) | Q(contracts__ends_on__gte=today)
    )
    return Provider.objects.visible_to(user).annotate(
        contract_count=Count("contracts", filter=seen, distinct=True),
        current_count=Count("contracts", filter=seen & current, distinct=True),
        establishment_count=Count("contracts__establishment", filter=seen, distinct=True),
    )


class ProviderViewSet(DetailedReads):
    """Education, skills and work providers: staff see every one, an establishment user
    those contracted at their establishment."""

    serializer_class = se.ProviderSerializer
    detail_serializer_class = se.ProviderDetailSerializer
    query_filters = {
        "q": Filter("name__icontains", description="Part of the name."),
        "ukprn": Filter("ukprn"),
    }
    ordering_fields = ("name",)
    ordering = ("name",)

    def get_queryset(self) -> QuerySet[Provider]:
        return providers_counted(self.request.user)


@own_writes(
    se.ContractSerializer,
    create=Write(
        "Add a provider's contract at an establishment",
        se.ContractCreateInput,
        description="If-Match: the establishment's version (the contract is new). A provider "
        "not yet known is added. Programme coordinators and system administrators only.",
    ),
    partial_update=Write(
        "Change a provider's contract",
        se.ContractUpdateInput,
        description="If-Match: the contract's version. Fields left out keep their saved "
        "values. Programme coordinators and system administrators only.",
    ),
)
class ContractViewSet(mixins.CreateModelMixin, Patchable):
    """Providers' contracts at the establishments the user may see."""

    serializer_class = se.ContractSerializer
    patch_input = se.ContractUpdateInput
    http_method_names = ["get", "post", "patch", "head", "options"]
    query_filters = {
        "establishment": Filter("establishment_id", int, "The establishment's id."),
        "provider": Filter("provider_id", int, "The provider's id."),
        "service": Filter("service"),
    }
    ordering_fields = ("starts_on", "ends_on")
    ordering = ("establishment__name", "-starts_on")

    def get_queryset(self) -> QuerySet[ProviderContract]:
        establishments = Establishment.objects.visible_to(self.request.user)
        return ProviderContract.objects.filter(establishment__in=establishments).select_related(
            "establishment", "provider"
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = valid_input(se.ContractCreateInput, request)
        establishment = chosen(
            Establishment.objects.visible_to(request.user),
            data.pop("establishment"),
            "establishment",
            "Select an establishment you can see",
        )
        require_version(request, establishment)
        contract = estate_services.contract_create(
            actor=signed_in_user(request), establishment=establishment, values=data
        )
        return self.answer(contract, se.ContractSerializer, status.HTTP_201_CREATED)

    def kept(self, record: ProviderContract) -> dict[str, Any]:
        """A contract's saved values, as its edit form shows them."""
        return {
            "provider_name": record.provider.name,
            "service": record.service,
            "contract_name": record.contract_name,
            "starts_on": record.starts_on,
            "ends_on": record.ends_on,
        }

    def patched(self, actor: User, record: Any, version: int, values: dict[str, Any]) -> Model:
        return estate_services.contract_update(
            actor=actor, contract=record, version=version, values=values
        )

    @_import_schema("provider contracts")
    @_import_action()
    def import_csv(self, request: Request) -> Response:
        return csv_import(request, estate_services.contracts_import)


# Inspectors -------------------------------------------------------------------------------


def inspectors_in_scope(request: Request) -> QuerySet[Inspector]:
    """The inspectors the user may see (staff only), narrowed to a token's organisations."""
    inspectors = Inspector.objects.visible_to(request.user)
    token = token_of(request)
    if token is not None and token.organisations:
        inspectors = inspectors.filter(organisation__in=token.organisations)
    return inspectors


class InspectorViewSet(DetailedReads):
    """Inspectors (staff only). The list shows each one's DBS status and clearance, as the
    inspectors list does; one inspector's record adds the DBS check and its dates, and every
    read of it is logged, as the profile screen's is (DP-1)."""

    serializer_class = se.InspectorListSerializer
    detail_serializer_class = se.InspectorDetailSerializer
    query_filters = {
        "organisation": Filter("organisation"),
        "grade": Filter("grade"),
        "active": Filter("active", bool),
        "q": Filter("name__icontains", description="Part of the name."),
    }
    ordering_fields = ("name", "organisation", "grade")
    ordering = ("name",)

    def get_queryset(self) -> QuerySet[Inspector]:
        return inspectors_in_scope(self.request)

    def record_reads(self, records: Sequence[Any]) -> None:
        if self.action == "retrieve":
            access_records(
                actor=signed_in_user(self.request), records=records, path=self.request.path
            )

    @record_action(
        summary="Record a DBS check or its renewal, and the security clearance held (TM-1)",
        description="Inspector managers only (programme coordinators, Ofsted schedulers, "
        "system administrators).",
        input=se.VettingInput,
        output=se.InspectorDetailSerializer,
    )
    def vetting(self, act: Acting) -> Inspector:
        return inspector_services.inspector_vetting_update(**act.service_args("inspector"))

    @record_action(
        summary="Record leave, training, sickness or other unavailability (TM-5)",
        description="If-Match: the inspector's version (the period is new). Refused, naming "
        "the clash, if the inspector is booked on any of those days. Inspector managers, or "
        "the inspector themselves. Read and remove periods at /api/v1/unavailability/.",
        input=se.UnavailabilityInput,
        output=se.UnavailabilitySerializer,
        created=True,
    )
    def unavailability(self, act: Acting) -> Unavailability:
        return inspector_services.unavailability_add(
            **act.service_args("inspector", versioned=False)
        )

    @record_action(
        summary="Record a conflict of interest with an establishment or a provider (TM-2)",
        description="If-Match: the inspector's version (the conflict is new). Name exactly "
        "one of establishment and provider. Inspector managers only. Read conflicts at "
        "/api/v1/conflicts/.",
        input=se.ConflictInput,
        output=se.ConflictSerializer,
        created=True,
    )
    def conflicts(self, act: Acting) -> ConflictOfInterest:
        data = act.data
        return inspector_services.conflict_declare(
            actor=act.actor,
            inspector=act.record,
            establishment=chosen(
                Establishment.objects.visible_to(act.actor),
                data.pop("establishment"),
                "establishment",
                "Select an establishment",
            ),
            provider=chosen(
                Provider.objects.visible_to(act.actor),
                data.pop("provider"),
                "provider",
                "Select a provider",
            ),
            **data,
        )

    @_import_schema("inspectors")
    @_import_action()
    def import_csv(self, request: Request) -> Response:
        token = token_of(request)
        if token is not None and token.organisations:
            # The file may name inspectors of any organisation: a narrowed token cannot vouch.
            raise PermissionDenied(
                "This API token is limited to some organisations, and an import may change "
                "inspectors of any: use a token without organisations."
            )
        return csv_import(request, inspector_services.inspectors_import)


def _inspectors_of(records: Iterable[Unavailability | ConflictOfInterest]) -> list[Inspector]:
    return list({record.inspector_id: record.inspector for record in records}.values())


class InspectorRecordReads(ReadViewSet):
    """Reads of inspectors' personal records, logged against the inspectors shown, as the
    profile screen logs its reads (DP-1)."""

    def record_reads(self, records: Sequence[Any]) -> None:
        access_records(
            actor=signed_in_user(self.request),
            records=_inspectors_of(records),
            path=self.request.path,
        )


@own_writes(
    se.UnavailabilitySerializer,
    destroy=Write(
        "Remove unavailability and free its days (TM-5)",
        description="If-Match: the unavailability's version. Inspector managers, or the "
        "inspector themselves.",
    ),
)
class UnavailabilityViewSet(Removable, InspectorRecordReads):
    """Inspectors' leave, training, sickness and other unavailability (staff only), as on
    each inspector's profile. Record it with POST /api/v1/inspectors/{id}/unavailability/."""

    serializer_class = se.UnavailabilitySerializer
    query_filters = {
        "inspector": Filter("inspector_id", int, "The inspector's id."),
        "kind": Filter("kind"),
        "ends_from": Filter("ends_on__gte", date, "Ending on or after this day."),
        "starts_to": Filter("starts_on__lte", date, "Starting on or before this day."),
    }
    ordering_fields = ("starts_on", "ends_on")
    ordering = ("starts_on",)

    def get_queryset(self) -> QuerySet[Unavailability]:
        periods = Unavailability.objects.visible_to(self.request.user)
        return periods.filter(inspector__in=inspectors_in_scope(self.request)).select_related(
            "inspector"
        )

    def removed(self, actor: User, record: Any, version: int) -> None:
        inspector_services.unavailability_remove(
            actor=actor, unavailability=record, version=version
        )


class ConflictViewSet(InspectorRecordReads):
    """Inspectors' declared conflicts of interest (TM-2), staff only, as on each inspector's
    profile. Record one with POST /api/v1/inspectors/{id}/conflicts/."""

    serializer_class = se.ConflictSerializer
    query_filters = {
        "inspector": Filter("inspector_id", int, "The inspector's id."),
        "establishment": Filter("establishment_id", int, "The establishment's id."),
        "provider": Filter("provider_id", int, "The provider's id."),
    }
    ordering_fields = ("starts_on",)
    ordering = ("inspector__name", "-starts_on")

    def get_queryset(self) -> QuerySet[ConflictOfInterest]:
        conflicts = ConflictOfInterest.objects.visible_to(self.request.user)
        return conflicts.filter(inspector__in=inspectors_in_scope(self.request)).select_related(
            "inspector", "establishment", "provider"
        )
