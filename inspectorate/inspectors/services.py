"""Every write about inspectors: bookings and leave (TM-5), conflicts (TM-2), vetting (TM-1),
and the CSV import and export."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict, Unpack

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction

from inspectorate.accounts.permissions import require
from inspectorate.audit.constants import AccessPurpose
from inspectorate.audit.services import access_record
from inspectorate.estate.models import Establishment, Provider
from inspectorate.inspectors.constants import (
    BookingKind,
    Clearance,
    DbsLevel,
    Grade,
    Organisation,
    Region,
    Specialism,
    UnavailabilityKind,
    ordered_specialisms,
)
from inspectorate.inspectors.models import (
    BOOKING_CLASH_CONSTRAINT,
    ConflictOfInterest,
    Inspector,
    InspectorBooking,
    Unavailability,
)
from inspectorate.inspectors.selectors import bookings_overlapping, inspectors_for_export
from inspectorate.lib.csvio import (
    CellError,
    Column,
    ImportRejected,
    ImportResult,
    ParsedRow,
    RowError,
    check_unique,
    choice_column,
    parse_bool,
    parse_choice,
    parse_date,
    parse_list,
    read_rows,
    write_csv,
)
from inspectorate.lib.versions import check_version, update_at_version
from inspectorate.lib.wording import lower_first

if TYPE_CHECKING:
    from inspectorate.accounts.models import User

SOURCE_CONSTRAINT = "one_booking_per_source_and_inspector"


def _stale_wording(what: str, record: models.Model) -> str:
    return (
        f"{what} was changed by someone else after you opened it ({record}). "
        "Nothing has been saved: reload the page to see the latest version, then try again."
    )


def _unavailability_wording(record: Unavailability) -> str:
    return _stale_wording("This unavailability", record)


def _inspector_wording(record: Inspector) -> str:
    return _stale_wording(f"{record.name}'s record", record)


def _check_dates(starts_on: date, ends_on: date, what: str) -> None:
    if ends_on < starts_on:
        raise ValidationError(
            {"ends_on": f"The end date of the {what} must be the same as or after its start date"}
        )


def _constraint_name(error: IntegrityError) -> str:
    diag = getattr(error.__cause__, "diag", None)
    return str(getattr(diag, "constraint_name", "") or "")


# Bookings (TM-5) ------------------------------------------------------------------------


def _book(
    *,
    inspector: Inspector,
    starts_on: date,
    ends_on: date,
    label: str,
    kind: BookingKind | str,
    source: models.Model | None,
) -> InspectorBooking:
    """Write a booking, or refuse with a message naming the clash. The exclusion constraint
    decides, so two requests racing for the same days cannot both succeed."""
    _check_dates(starts_on, ends_on, "booking")
    booking = InspectorBooking(
        inspector=inspector, starts_on=starts_on, ends_on=ends_on, label=label, kind=kind
    )
    if source is not None:
        booking.source_type = ContentType.objects.get_for_model(source)
        booking.source_id = source.pk
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction survives a clash
            booking.save()
    except IntegrityError as error:
        constraint = _constraint_name(error)
        if constraint == BOOKING_CLASH_CONSTRAINT:
            clashes = bookings_overlapping(inspector, starts_on, ends_on)
            if clashes:
                raise ValidationError(
                    " ".join(clash.clash_message(inspector.name) for clash in clashes),
                    code="booking_clash",
                ) from None
            raise ValidationError(  # the clash was removed in the meantime: say so plainly
                f"{inspector.name} was booked on one of these days by someone else at the "
                "same moment. Try again.",
                code="booking_clash",
            ) from None
        if constraint == SOURCE_CONSTRAINT:
            raise ValidationError(
                f"{inspector.name} is already booked for {source}.", code="already_booked"
            ) from None
        raise
    return booking


def inspector_book(
    *,
    actor: User,
    inspector: Inspector,
    starts_on: date,
    ends_on: date,
    label: str,
    source: models.Model | None = None,
) -> InspectorBooking:
    """Book `inspector` from `starts_on` to `ends_on` (inclusive) for `label`, optionally
    pointing at the record it is for (`source`, e.g. an event assignment).

    TM-5: refused with a ValidationError naming the clash when the inspector is already
    booked or unavailable on any of those days. Call it inside your own transaction.atomic()
    to book a whole team all or nothing.
    """
    require(actor, "inspectors.book_inspector", inspector, "You cannot book inspectors.")
    if not inspector.active:
        raise ValidationError(f"{inspector.name} is no longer an active inspector.")
    if not label.strip():
        raise ValidationError({"label": "Enter what the inspector is booked for"})
    with transaction.atomic():
        return _book(
            inspector=inspector,
            starts_on=starts_on,
            ends_on=ends_on,
            label=label.strip(),
            kind=BookingKind.BOOKING,
            source=source,
        )


def inspector_booking_release(*, actor: User, booking: InspectorBooking) -> None:
    """Cancel an assignment booking (unavailability is removed with unavailability_remove)."""
    require(actor, "inspectors.book_inspector", booking.inspector, "You cannot book inspectors.")
    if booking.kind != BookingKind.BOOKING:
        raise ValidationError("Remove unavailability from the inspector's page instead.")
    with transaction.atomic():
        InspectorBooking.objects.filter(pk=booking.pk).delete()


class UnavailabilityFields(TypedDict):
    """A period of unavailability, as `unavailability_add` takes it."""

    kind: UnavailabilityKind | str
    starts_on: date
    ends_on: date
    note: NotRequired[str]


def _unavailability_create(
    *,
    inspector: Inspector,
    kind: UnavailabilityKind | str,
    starts_on: date,
    ends_on: date,
    note: str = "",
) -> Unavailability:
    """Leave and its booking in one transaction: both or neither."""
    kind = UnavailabilityKind(kind)
    _check_dates(starts_on, ends_on, lower_first(kind.label))
    with transaction.atomic():
        booking = _book(
            inspector=inspector,
            starts_on=starts_on,
            ends_on=ends_on,
            label=lower_first(kind.label),
            kind=BookingKind.UNAVAILABILITY,
            source=None,
        )
        return Unavailability.objects.create(
            inspector=inspector,
            kind=kind,
            starts_on=starts_on,
            ends_on=ends_on,
            note=note.strip(),
            booking=booking,
        )


def unavailability_add(
    *, actor: User, inspector: Inspector, **fields: Unpack[UnavailabilityFields]
) -> Unavailability:
    """Record leave, training, sickness or other unavailability (TM-5); refused, naming the
    clash, if the inspector is booked on any of those days."""
    require(
        actor,
        "inspectors.add_unavailability",
        inspector,
        "Only inspector managers, or the inspector themselves, can record unavailability.",
    )
    return _unavailability_create(inspector=inspector, **fields)


def unavailability_remove(*, actor: User, unavailability: Unavailability, version: int) -> None:
    """Remove unavailability and free its days; refused if it changed since it was shown."""
    require(
        actor,
        "inspectors.add_unavailability",
        unavailability.inspector,
        "Only inspector managers, or the inspector themselves, can remove unavailability.",
    )
    with transaction.atomic():
        current = Unavailability.objects.select_for_update().filter(pk=unavailability.pk).first()
        if current is None:
            raise ValidationError("This unavailability has already been removed.")
        check_version(current, version, _unavailability_wording)
        booking_id = current.booking_id
        current.delete()
        InspectorBooking.objects.filter(pk=booking_id).delete()


# Conflicts of interest (TM-2) -----------------------------------------------------------


class ConflictFields(TypedDict):
    """A conflict of interest, as `conflict_declare` takes it."""

    starts_on: date
    reason: str
    establishment: NotRequired[Establishment | None]
    provider: NotRequired[Provider | None]
    ends_on: NotRequired[date | None]


def _conflict_create(
    *,
    inspector: Inspector,
    starts_on: date,
    reason: str,
    establishment: Establishment | None = None,
    provider: Provider | None = None,
    ends_on: date | None = None,
) -> ConflictOfInterest:
    if (establishment is None) == (provider is None):
        raise ValidationError(
            {"establishment": "Choose either an establishment or a provider, not both"}
            if establishment
            else {"establishment": "Choose the establishment or the provider"}
        )
    if ends_on is not None:
        _check_dates(starts_on, ends_on, "conflict of interest")
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for the conflict of interest"})
    with transaction.atomic():
        return ConflictOfInterest.objects.create(
            inspector=inspector,
            establishment=establishment,
            provider=provider,
            starts_on=starts_on,
            ends_on=ends_on,
            reason=reason.strip(),
        )


def conflict_declare(
    *, actor: User, inspector: Inspector, **fields: Unpack[ConflictFields]
) -> ConflictOfInterest:
    """Record that `inspector` has a conflict of interest with an establishment or a
    provider (exactly one) from `starts_on`, until `ends_on` if given (TM-2)."""
    require(
        actor, "inspectors.declare_conflict", inspector, "You cannot record conflicts of interest."
    )
    return _conflict_create(inspector=inspector, **fields)


# Vetting (TM-1) -------------------------------------------------------------------------


def _vetting_errors(
    dbs_level: str, checked_on: date | None, renewal_due_on: date | None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if dbs_level == DbsLevel.NONE:
        if checked_on is not None:
            errors["dbs_checked_on"] = "Leave the DBS check date empty when there is no check"
        if renewal_due_on is not None:
            errors["dbs_renewal_due_on"] = "Leave the DBS renewal date empty when there is no check"
        return errors
    if checked_on is None:
        errors["dbs_checked_on"] = "Enter the date of the DBS check"
    if renewal_due_on is None:
        errors["dbs_renewal_due_on"] = "Enter the DBS renewal date"
    if checked_on and renewal_due_on and renewal_due_on <= checked_on:
        errors["dbs_renewal_due_on"] = "The DBS renewal date must be after the check date"
    return errors


def inspector_vetting_update(
    *,
    actor: User,
    inspector: Inspector,
    version: int,
    dbs_level: DbsLevel | str,
    dbs_checked_on: date | None,
    dbs_renewal_due_on: date | None,
    clearance: Clearance | str,
) -> Inspector:
    """Record a DBS check (or its renewal) and the security clearance held (TM-1)."""
    require(actor, "inspectors.manage_inspectors", inspector, "You cannot change vetting.")
    errors = _vetting_errors(str(dbs_level), dbs_checked_on, dbs_renewal_due_on)
    if errors:
        raise ValidationError(errors)
    vetting = {
        "dbs_level": str(dbs_level),
        "dbs_checked_on": dbs_checked_on,
        "dbs_renewal_due_on": dbs_renewal_due_on,
        "clearance": str(clearance),
    }
    with transaction.atomic():
        return update_at_version(Inspector, inspector.pk, version, vetting, _inspector_wording)


# CSV import and export -------------------------------------------------------------------


def _parse_email(text: str) -> str:
    try:
        validate_email(text)
    except ValidationError:
        raise CellError(f"'{text}' is not an email address") from None
    return text.lower()


def _max_length(field: str) -> int | None:
    found = Inspector._meta.get_field(field)
    return found.max_length if isinstance(found, models.Field) else None


def _parse_specialisms(text: str) -> list[str]:
    parse = parse_choice(Specialism)
    return ordered_specialisms(parse(item) for item in parse_list(text))


COLUMNS = [
    Column(
        "email",
        _parse_email,
        help="The inspector's work email address: it names the record.",
        max_length=_max_length("email"),
    ),
    Column("name", help="Full name.", max_length=_max_length("name")),
    choice_column("organisation", Organisation, "hmip, ofsted, estyn, cqc or gphc."),
    choice_column("grade", Grade, ", ".join(Grade.values) + "."),
    choice_column("home_region", Region, "For example north_west, london, wales.", required=False),
    Column(
        "specialisms",
        _parse_specialisms,
        required=False,
        help="Separated by semicolons: " + ", ".join(Specialism.values) + ".",
    ),
    choice_column(
        "dbs_level",
        DbsLevel,
        "none, basic, standard, enhanced or enhanced_barred; empty means none.",
        required=False,
    ),
    Column("dbs_checked_on", parse_date, required=False, help="YYYY-MM-DD."),
    Column(
        "dbs_renewal_due_on",
        parse_date,
        required=False,
        help="YYYY-MM-DD: the check is valid up to and including this day.",
    ),
    choice_column("clearance", Clearance, "none, ctc, sc or dv; empty means none.", required=False),
    Column("active", parse_bool, required=False, help="yes or no; empty means yes."),
]
COLUMN_NAMES = [column.name for column in COLUMNS]


def _row_values(row: ParsedRow) -> dict[str, Any]:
    values = dict(row.values)
    values["home_region"] = values["home_region"] or ""
    values["specialisms"] = values["specialisms"] or []
    values["dbs_level"] = values["dbs_level"] or DbsLevel.NONE.value
    values["clearance"] = values["clearance"] or Clearance.NONE.value
    values["active"] = True if values["active"] is None else values["active"]
    return values


def inspectors_import(*, actor: User, data: bytes | str) -> ImportResult:
    """Create or update inspectors from CSV, matched by email. All or nothing: any bad row
    is reported by line and column and nothing is written; unchanged records are not
    written, so importing the same file twice changes nothing."""
    require(actor, "inspectors.manage_inspectors", None, "You cannot import inspectors.")
    rows = read_rows(data, COLUMNS)
    check_unique(rows, "email")
    prepared: list[tuple[int, dict[str, Any]]] = []
    errors: list[RowError] = []
    for row in rows:
        values = _row_values(row)
        for field, message in _vetting_errors(
            values["dbs_level"], values["dbs_checked_on"], values["dbs_renewal_due_on"]
        ).items():
            errors.append(RowError(row.line, field, message))
        prepared.append((row.line, values))
    if errors:
        raise ImportRejected(errors)

    result = ImportResult(rows=len(prepared))
    with transaction.atomic():
        existing = {
            inspector.email.lower(): inspector
            for inspector in Inspector.objects.select_for_update()
        }
        for _line, values in prepared:
            email = values.pop("email")
            result.upsert(
                existing.get(email),
                values,
                partial(Inspector.objects.create, email=email, **values),
            )
    return result


def inspectors_export(*, actor: User, path: str = "") -> str:
    """Every inspector `actor` may see, as CSV in the import's columns; the export is logged."""
    require(actor, "inspectors.manage_inspectors", None, "You cannot export inspectors.")
    inspectors = list(inspectors_for_export(user=actor))
    text = write_csv(
        COLUMN_NAMES,
        (
            [
                inspector.email,
                inspector.name,
                inspector.organisation,
                inspector.grade,
                inspector.home_region,
                list(inspector.specialisms),
                inspector.dbs_level,
                inspector.dbs_checked_on,
                inspector.dbs_renewal_due_on,
                inspector.clearance,
                inspector.active,
            ]
            for inspector in inspectors
        ),
    )
    with transaction.atomic():
        for inspector in inspectors:
            access_record(actor=actor, record=inspector, purpose=AccessPurpose.EXPORT, path=path)
    return text
