"""Programme screens: the list, the programme page (PG-2 warning, amendments), the calendar
(months and weeks, filters, fixed queries), the event page, the forms with GOV.UK errors,
the CSV export and the notifications page."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from inspectorate.accounts.roles import Role
from inspectorate.inspectors.models import Inspector
from inspectorate.programme import services
from inspectorate.programme.constants import EventKind, EventStatus, ProgrammeStatus, TeamRole
from inspectorate.programme.models import Amendment, Event, Notification, Programme, TeamMember
from inspectorate.programme.tests.test_programme_helpers import (
    NOON,
    date_post,
    make_establishment,
    make_event,
    make_programme,
)

CALENDAR = reverse("programme:calendar", kwargs={"year": 2026})
DETAIL = reverse("programme:detail", kwargs={"year": 2026})


@pytest.fixture(autouse=True)
def _on_22_november():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.HMIP_COORDINATOR, username="coordinator")


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def leeds(db):
    return make_establishment("LE", "HMP Leeds")


@pytest.fixture
def programme(db):
    return make_programme(2026, ProgrammeStatus.CONFIRMED)


# The list and the programme page --------------------------------------------------------


def test_the_list_shows_each_programme_and_its_status(signed_in, programme, leeds) -> None:
    make_programme(2025, ProgrammeStatus.DRAFT)
    make_event(programme, leeds)
    page = signed_in.get(reverse("programme:list"))
    assert page.status_code == 200
    assert [row.programme.year for row in page.context["rows"]] == [2026, 2025]
    for text in ("2026 to 2027", "Confirmed", "Draft"):
        assert text in page.text
    assert 'href="/programme/new/"' in page.text


def test_current_leads_to_the_calendar_of_the_running_programme(signed_in, programme) -> None:
    response = signed_in.get(reverse("programme:current"))
    assert response["Location"] == CALENDAR


@pytest.mark.rule("PG-1")
def test_drafting_a_programme_with_a_bad_year_shows_a_govuk_error(signed_in) -> None:
    response = signed_in.post(reverse("programme:create"), {"year": "next"})
    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert "Year must be a whole number, such as 2027" in response.text
    assert 'class="govuk-form-group govuk-form-group--error"' in response.text
    response = signed_in.post(reverse("programme:create"), {"year": "2027"})
    assert response["Location"] == "/programme/2027/"
    assert Programme.objects.get().status == ProgrammeStatus.DRAFT


@pytest.mark.rule("PG-1")
def test_the_programme_is_opened_to_consultation_then_confirmed_from_its_page(
    signed_in, coordinator
) -> None:
    programme = services.programme_create(actor=coordinator, year=2027)
    url = reverse("programme:detail", kwargs={"year": 2027})
    page = signed_in.get(url).text
    assert "Open to consultation" in page
    signed_in.post(reverse("programme:open-consultation", kwargs={"year": 2027}), {"version": 1})
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.CONSULTATION
    assert "Confirm the programme" in signed_in.get(url).text
    confirm = reverse("programme:confirm", kwargs={"year": 2027})
    bad = signed_in.post(confirm, {"version": 2, **date_post("confirmed_on", date(2026, 12, 25))})
    assert bad.status_code == 400
    assert "Confirmation date cannot be in the future" in bad.text
    stale = signed_in.post(confirm, {"version": 1, **date_post("confirmed_on", date(2026, 11, 22))})
    assert stale.status_code == 409
    assert "changed by someone else" in stale.text
    warned = signed_in.post(
        confirm, {"version": 2, **date_post("confirmed_on", date(2026, 11, 22))}
    )
    assert warned.status_code == 400
    assert "should hold between 15 and 20 (PG-2)" in warned.text
    done = signed_in.post(
        confirm,
        {
            "version": 2,
            "override_reason": "IRPs follow in January",
            **date_post("confirmed_on", date(2026, 11, 22)),
        },
    )
    assert done.status_code == 302
    programme.refresh_from_db()
    assert (programme.status, programme.confirmed_on) == (
        ProgrammeStatus.CONFIRMED,
        date(2026, 11, 22),
    )


@pytest.mark.rule("PG-2")
@pytest.mark.parametrize(("irps", "warned"), [(14, True), (15, False), (20, False), (21, True)])
def test_the_programme_page_warns_outside_15_to_20_irps(signed_in, programme, irps, warned):
    for number in range(irps):
        make_event(
            programme, make_establishment(f"I{number:02}"), kind=EventKind.IRP,
            starts_on=date(2026, 4, 13) + timedelta(weeks=number),
        )  # fmt: skip
    make_event(programme, make_establishment("FI"), starts_on=date(2026, 4, 13))
    page = signed_in.get(DETAIL)
    assert page.context["overview"].irp_count == irps
    warning = (
        f"The programme has {irps} independent reviews of progress: it should hold between "
        "15 and 20 (PG-2)."
    )
    assert (warning in page.text) is warned
    assert ("govuk-warning-text" in page.text) is warned


@pytest.mark.rule("PG-2")
def test_cancelled_irps_do_not_count(signed_in, programme) -> None:
    for number in range(16):
        make_event(
            programme, make_establishment(f"I{number:02}"), kind=EventKind.IRP,
            starts_on=date(2026, 4, 13) + timedelta(weeks=number),
            status="cancelled" if number < 2 else "planned",
        )  # fmt: skip
    page = signed_in.get(DETAIL)
    assert page.context["overview"].irp_count == 14
    assert "The programme has 14 independent reviews" in page.text


def test_the_irp_count_is_shown_only_to_those_who_see_the_whole_programme(
    client, make_user, programme
) -> None:
    client.force_login(make_user(Role.QUALITY_ASSURANCE))
    page = client.get(DETAIL)
    assert page.context["overview"].irp_count is None
    assert "PG-2" not in page.text


@pytest.mark.rule("PG-4")
def test_the_programme_page_lists_amendments(signed_in, coordinator, programme, leeds) -> None:
    event = make_event(programme, leeds)
    services.event_move(actor=coordinator, event=event, version=1, starts_on=date(2027, 2, 1))
    page = signed_in.get(DETAIL).text
    assert '<h2 class="govuk-heading-m">Amendments</h2>' in page
    assert "Moved: Full inspection of HMP Leeds from 11 January 2027" in page
    event_page = signed_in.get(reverse("programme:event-detail", kwargs={"pk": event.pk})).text
    assert "now from 1 February 2027 to 12 February 2027" in event_page


def test_counts_by_kind(signed_in, programme, leeds) -> None:
    make_event(programme, leeds)
    make_event(programme, make_establishment("WD"), kind=EventKind.IRP, starts_on=date(2026, 6, 1))
    make_event(programme, make_establishment("BL"), kind=EventKind.IRP, starts_on=date(2026, 7, 6))
    counts = {c.kind: c.count for c in signed_in.get(DETAIL).context["overview"].counts}
    assert counts == {
        "full_inspection": 1,
        "irp": 2,
        "ofsted_standalone": 0,
        "monitoring_visit": 0,
        "improvement_visit": 0,
    }


# The calendar ---------------------------------------------------------------------------


def test_the_calendar_is_a_year_of_months_and_weeks(signed_in, programme, leeds) -> None:
    event = make_event(programme, leeds, starts_on=date(2027, 1, 11))
    page = signed_in.get(CALENDAR)
    months = page.context["months"]
    assert (months[0].first, months[-1].first) == (date(2026, 4, 1), date(2027, 3, 1))
    assert len(months) == 12
    assert months[0].weeks[0].monday == date(2026, 3, 30)  # the week of 1 April
    assert months[-1].weeks[-1].monday == date(2027, 3, 29)
    january = next(m for m in months if m.first == date(2027, 1, 1))
    weeks = {w.monday: w for w in january.weeks}
    first, second = weeks[date(2027, 1, 11)].entries[0], weeks[date(2027, 1, 18)].entries[0]
    assert (first.event, first.week_number, first.weeks, first.education_week) == (
        event,
        1,
        2,
        False,
    )
    assert (second.week_number, second.education_week) == (2, True)  # Ofsted attends (PG-9)
    assert not weeks[date(2027, 1, 25)].entries
    text = page.text
    assert (
        '<caption class="govuk-table__caption govuk-table__caption--m">January 2027</caption>'
        in text
    )
    assert '<th scope="row" class="govuk-table__header">11 January' in text
    assert "week 2 of 2, Ofsted attends" in text
    assert "This week" in text  # 16 November 2026
    assert '<form method="get"' in text  # filters work without JavaScript


def test_the_calendar_filters_by_organisation(signed_in, programme, leeds) -> None:
    english = make_event(programme, leeds)
    welsh = make_event(programme, make_establishment("CF", "HMP Cardiff", nation="wales"))
    irp = make_event(
        programme, make_establishment("WD"), kind=EventKind.IRP, starts_on=date(2027, 2, 1)
    )
    standalone = make_event(
        programme, make_establishment("BL"), kind=EventKind.OFSTED_STANDALONE,
        starts_on=date(2027, 3, 2), education_inspectorate="ofsted",
    )  # fmt: skip
    specialist = Inspector.objects.create(
        name="Nadia Rahman", email="nadia@cqc.invalid", organisation="cqc", grade="specialist"
    )
    TeamMember.objects.create(
        event=irp, inspector=specialist, role=TeamRole.SPECIALIST,
        starts_on=irp.starts_on, ends_on=irp.ends_on,
    )  # fmt: skip

    def events(**query) -> set[Event]:
        return set(signed_in.get(CALENDAR, query).context["events"])

    assert events(organisation="ofsted") == {english, standalone}
    assert events(organisation="estyn") == {welsh}
    assert events(organisation="hmip") == {english, welsh, irp}
    assert events(organisation="cqc") == {irp}
    assert events(inspector=str(specialist.pk)) == {irp}
    assert events(kind="irp") == {irp}
    assert events(q="cardiff") == {welsh}
    assert events(q="CF") == {welsh}
    assert events(organisation="nonsense") == {english, welsh, irp, standalone}  # ignored
    page = signed_in.get(CALENDAR, {"organisation": "estyn"}).text
    assert "1 event matches your filters" in page
    assert "?organisation=estyn" in page  # the CSV link keeps the filters


def test_the_calendar_leaves_cancelled_events_out(signed_in, programme, leeds) -> None:
    make_event(programme, leeds, status="cancelled")
    assert signed_in.get(CALENDAR).context["events"] == []


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _fill(programme: Programme, count: int, start: int = 0) -> None:
    for number in range(start, start + count):
        establishment = make_establishment(f"Q{number:02}")
        event = make_event(
            programme, establishment, starts_on=date(2026, 4, 6) + timedelta(weeks=number % 50)
        )
        inspector = Inspector.objects.create(
            name=f"Inspector {number}", email=f"i{number}@x.invalid",
            organisation="ofsted", grade="ofsted_hmi",
        )  # fmt: skip
        TeamMember.objects.create(
            event=event, inspector=inspector, role=TeamRole.OFSTED_LEAD,
            starts_on=event.starts_on, ends_on=event.ends_on,
        )  # fmt: skip


@pytest.mark.parametrize(
    "url",
    [CALENDAR, f"{CALENDAR}?organisation=ofsted&kind=full_inspection&q=Q", DETAIL],
)
@pytest.mark.parametrize("role", [Role.HMIP_COORDINATOR, Role.HMIP_INSPECTOR])
def test_the_calendar_and_programme_page_make_a_fixed_number_of_queries(
    client, make_user, programme, url, role, django_assert_num_queries
) -> None:
    client.force_login(make_user(role))
    _fill(programme, 3)
    with_three = _queries(client, url)
    _fill(programme, 27, start=3)
    assert Event.objects.count() == 30
    with django_assert_num_queries(with_three):
        response = client.get(url)
    if role == Role.HMIP_COORDINATOR:
        assert (
            len(
                response.context["overview"].events if url == DETAIL else response.context["events"]
            )
            == 30
        )


# The event page -------------------------------------------------------------------------


def test_the_event_page_shows_the_event_and_its_panels(signed_in, programme, leeds) -> None:
    event = make_event(programme, leeds, starts_on=date(2027, 1, 11))
    page = signed_in.get(reverse("programme:event-detail", kwargs={"pk": event.pk})).text
    assert '<h1 class="govuk-heading-l">Full inspection of HMP Leeds</h1>' in page
    assert "Monday 11 January 2027 to Friday 22 January 2027" in page
    assert "Ofsted inspects education, skills and work" in page
    assert "From Monday 18 January 2027, the second week of the inspection (PG-9)" in page
    assert "Not announced" in page
    assert "Unannounced: these dates are confidential" in page
    assert "Team</h2>" in page  # the teams panel
    assert "Milestones</h2>" in page  # the milestones panel
    for action in ("move", "announce", "cancel"):
        assert f'href="/programme/events/{event.pk}/{action}/"' in page


def _state_shown(page: str) -> tuple[str, str]:
    """The event page's tag under the heading, and its Status row."""
    heading = page.split("</h1>")[1]
    tag = re.search(r'<strong class="govuk-tag[^"]*">([^<]*)</strong>', heading)
    row = page.split('<dt class="govuk-summary-list__key">Status</dt>')[1].split("</dd>")[0]
    assert tag is not None
    return tag.group(1).strip(), row.rsplit(">", 1)[1].strip()


@pytest.mark.parametrize(
    ("starts_on", "status", "expected"),
    [
        (date(2026, 11, 16), EventStatus.PLANNED, "On site"),  # 22 November is a fieldwork day
        (date(2026, 10, 5), EventStatus.PLANNED, "Took place"),
        (date(2026, 10, 5), EventStatus.COMPLETED, "Took place"),
        (date(2027, 1, 11), EventStatus.PLANNED, "Unannounced"),
        (date(2026, 11, 16), EventStatus.CANCELLED, "Cancelled"),
    ],
)
def test_the_event_page_tag_and_status_say_the_same(
    signed_in, programme, leeds, starts_on, status, expected
) -> None:
    """Issue 22: the tag said 'On site' beside 'Status: Planned'."""
    event = make_event(programme, leeds, starts_on=starts_on, status=status)
    page = signed_in.get(reverse("programme:event-detail", kwargs={"pk": event.pk})).text
    assert _state_shown(page) == (expected, expected)
    assert event.state().label == expected


@pytest.mark.rule("PG-10")
def test_the_event_page_names_estyn_in_wales(signed_in, programme) -> None:
    event = make_event(programme, make_establishment("CF", "HMP Cardiff", nation="wales"))
    page = signed_in.get(reverse("programme:event-detail", kwargs={"pk": event.pk})).text
    assert (
        "Estyn inspects education, skills and work; Estyn is the education inspectorate in "
        "Wales (PG-10)" in page
    )


@pytest.mark.rule("PG-8")
def test_the_event_page_explains_an_irp_without_ofsted(signed_in, programme, leeds) -> None:
    irp = make_event(programme, leeds, kind=EventKind.IRP, starts_on=date(2027, 2, 8))
    page = signed_in.get(reverse("programme:event-detail", kwargs={"pk": irp.pk})).text
    assert "takes part in an IRP only when the previous inspection" in page
    assert "by 6 November 2026" in page  # three months ahead, back from Sunday (WD-2)


def test_a_role_that_may_not_change_events_has_no_actions_and_gets_403(
    client, make_user, programme, leeds
) -> None:
    event = make_event(programme, leeds, announced_on=date(2026, 10, 1))
    client.force_login(make_user(Role.QUALITY_ASSURANCE))
    page = client.get(reverse("programme:event-detail", kwargs={"pk": event.pk})).text
    assert "/move/" not in page
    assert client.get(reverse("programme:event-move", kwargs={"pk": event.pk})).status_code == 403
    missing = reverse("programme:event-move", kwargs={"pk": event.pk + 99})
    assert client.get(missing).status_code == 404


# Forms ----------------------------------------------------------------------------------


def _schedule_post(**values) -> dict[str, str]:
    data = {
        "kind": EventKind.FULL_INSPECTION,
        "establishment": "LE",
        "education_week_reason": "",
        "follows_up": "",
        "previous_education_judgement": "",
        "notes": "",
        **date_post("starts_on", date(2027, 1, 11)),
        **date_post("ends_on", None),
        **date_post("education_week_starts_on", None),
    }
    data.update(values)
    return data


def test_scheduling_an_event_from_the_form(signed_in, programme, leeds) -> None:
    url = reverse("programme:event-schedule", kwargs={"year": 2026})
    assert signed_in.get(url).status_code == 200
    response = signed_in.post(url, _schedule_post())
    event = Event.objects.get()
    assert response["Location"] == f"/programme/events/{event.pk}/"
    assert (event.starts_on, event.ends_on) == (date(2027, 1, 11), date(2027, 1, 22))


@pytest.mark.rule("PG-9")
def test_the_schedule_form_shows_each_problem_by_field(signed_in, programme, leeds) -> None:
    url = reverse("programme:event-schedule", kwargs={"year": 2026})
    response = signed_in.post(
        url,
        _schedule_post(
            **date_post("starts_on", date(2027, 1, 12)),
            **date_post("education_week_starts_on", date(2027, 1, 11)),
        ),
    )
    assert response.status_code == 400
    text = response.text
    assert "There is a problem" in text
    assert 'href="#id_starts_on_day">A full inspection starts on a Monday' in text
    assert "Error:</span> A full inspection starts on a Monday" in text
    assert not Event.objects.exists()
    response = signed_in.post(
        url, _schedule_post(**date_post("education_week_starts_on", date(2027, 1, 11)))
    )
    assert "give the reason for another week" in response.text
    response = signed_in.post(url, _schedule_post(establishment="", starts_on_month="13"))
    assert "Select the establishment" in response.text
    assert "Start date must be a real date" in response.text


@pytest.mark.rule("PG-8")
def test_scheduling_an_irp_with_the_previous_judgement(signed_in, leeds, programme) -> None:
    previous = make_programme(2025, ProgrammeStatus.CONFIRMED)
    inspection = make_event(previous, leeds, starts_on=date(2026, 2, 2))
    url = reverse("programme:event-schedule", kwargs={"year": 2026})
    assert (
        f'<option value="{inspection.pk}">HMP Leeds, from 2 February 2026</option>'
        in signed_in.get(url).text
    )
    signed_in.post(
        url,
        _schedule_post(
            kind=EventKind.IRP, follows_up=str(inspection.pk),
            previous_education_judgement="requires_improvement",
        ),
    )  # fmt: skip
    irp = Event.objects.get(kind=EventKind.IRP)
    assert (irp.follows_up, irp.education_inspectorate) == (inspection, "ofsted")


@pytest.mark.rule("PG-7")
def test_the_scheduler_is_offered_only_ofsteds_own_kinds(client, make_user, programme, leeds):
    client.force_login(make_user(Role.OFSTED_SCHEDULER))
    url = reverse("programme:event-schedule", kwargs={"year": 2026})
    form = client.get(url).context["form"]
    assert [value for value, _ in form.fields["kind"].choices] == [
        EventKind.OFSTED_STANDALONE,
        EventKind.MONITORING_VISIT,
    ]
    response = client.post(url, _schedule_post())  # a full inspection: not on offer
    assert response.status_code == 400
    assert "Select a kind of event from the list" in response.text
    assert not Event.objects.exists()


@pytest.mark.parametrize("role", [Role.HMIP_INSPECTOR, Role.QUALITY_ASSURANCE])
def test_roles_without_permission_get_403_on_the_forms(client, make_user, programme, role):
    client.force_login(make_user(role))
    assert client.get(reverse("programme:event-schedule", kwargs={"year": 2026})).status_code == 403
    assert client.get(reverse("programme:create")).status_code == 403


def test_an_establishment_user_gets_403_on_the_forms(client, make_user, programme, leeds):
    client.force_login(make_user(Role.ESTABLISHMENT_USER, establishment=leeds))
    assert client.get(reverse("programme:event-schedule", kwargs={"year": 2026})).status_code == 403
    assert client.post(reverse("programme:create"), {"year": 2030}).status_code == 403
    assert not Programme.objects.filter(year=2030).exists()


def test_moving_from_the_form_and_a_stale_move(signed_in, coordinator, programme, leeds) -> None:
    event = make_event(programme, leeds)
    url = reverse("programme:event-move", kwargs={"pk": event.pk})
    assert 'name="version" value="1"' in signed_in.get(url).text
    post = {
        "version": "1", "reason": "", "education_week_reason": "",
        **date_post("starts_on", date(2027, 2, 1)), **date_post("ends_on", None),
        **date_post("education_week_starts_on", None),
    }  # fmt: skip
    assert signed_in.post(url, post).status_code == 302
    event.refresh_from_db()
    assert (event.starts_on, event.ends_on, event.version) == (
        date(2027, 2, 1),
        date(2027, 2, 12),
        2,
    )
    stale = signed_in.post(url, post)  # still version 1
    assert stale.status_code == 409
    assert "changed by someone else" in stale.text
    assert 'name="version" value="2"' in stale.text


def test_cancelling_from_the_form_needs_a_reason(signed_in, programme, leeds) -> None:
    event = make_event(programme, leeds)
    url = reverse("programme:event-cancel", kwargs={"pk": event.pk})
    response = signed_in.post(url, {"version": "1", "reason": ""})
    assert response.status_code == 400
    assert "Enter the reason for cancelling" in response.text
    assert signed_in.post(url, {"version": "1", "reason": "Outbreak"}).status_code == 302
    event.refresh_from_db()
    assert event.status == "cancelled"
    assert signed_in.get(url).status_code == 403  # nothing more to do with it


@pytest.mark.rule("PG-3")
def test_a_late_irp_announcement_asks_for_the_reason(signed_in, programme, leeds) -> None:
    irp = make_event(programme, leeds, kind=EventKind.IRP, starts_on=date(2027, 1, 11))
    url = reverse("programme:event-announce", kwargs={"pk": irp.pk})
    post = {"version": "1", "override_reason": "", **date_post("announced_on", None)}
    response = signed_in.post(url, post)
    assert response.status_code == 400
    assert (  # three months ahead is Sunday 11 October: the Friday before (WD-2)
        "An IRP is normally announced at least three months ahead: by 9 October 2026"
        in response.text
    )
    assert "Announce with this reason" in response.text
    irp.refresh_from_db()
    assert irp.announced_on is None
    post["override_reason"] = "Brought forward at the prison's request"
    assert signed_in.post(url, post).status_code == 302
    irp.refresh_from_db()
    assert irp.announced_on == date(2026, 11, 22)


# The CSV export -------------------------------------------------------------------------


def test_the_export_lists_the_visible_events(signed_in, programme, leeds) -> None:
    event = make_event(programme, leeds, notes="=HYPERLINK(evil)")
    response = signed_in.get(reverse("programme:export", kwargs={"year": 2026}))
    assert response["Content-Disposition"] == 'attachment; filename="programme-2026-2027.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows == [
        {
            "id": str(event.pk),
            "programme": "2026 to 2027",
            "kind": "full_inspection",
            "establishment_code": "LE",
            "establishment": "HMP Leeds",
            "starts_on": "2027-01-11",
            "ends_on": "2027-01-22",
            "status": "planned",
            "announced_on": "",
            "education_inspectorate": "ofsted",
            "education_week_starts_on": "2027-01-18",
            "follows_up_id": "",
        }
    ]


@pytest.mark.rule("PG-3")
def test_the_excel_export_has_one_row_per_visible_event(
    signed_in, client, make_user, programme, leeds
) -> None:
    unannounced = make_event(programme, leeds)
    cardiff = make_establishment("CF", "HMP Cardiff", nation="wales")
    make_event(programme, cardiff, starts_on=date(2027, 2, 1))
    url = reverse("programme:export-xlsx", kwargs={"year": 2026})
    response = signed_in.get(url)
    assert response["Content-Disposition"] == 'attachment; filename="programme-2026-2027.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Event ID", "Programme", "Kind", "Establishment code")
    assert [row[3] for row in rows[1:]] == ["LE", "CF"]
    assert rows[1][2] == "Full inspection"  # the label, not the stored code
    assert rows[1][5].date() == date(2027, 1, 11)  # a date, not text
    local = make_user(Role.ESTABLISHMENT_USER, username="leeds-governor", establishment=leeds)
    client.force_login(local)
    theirs = load_workbook(io.BytesIO(client.get(url).content)).active
    assert list(theirs.iter_rows(values_only=True))[1:] == []  # unannounced: not exported
    assert unannounced.announced_on is None


# Notifications --------------------------------------------------------------------------


def test_the_notifications_page_lists_and_marks_as_read(client, make_user) -> None:
    me, other = make_user(Role.OFSTED_SCHEDULER), make_user(Role.HMIP_COORDINATOR)
    mine = Notification.objects.create(recipient=me, subject="Programme amended", body="Moved")
    Notification.objects.create(recipient=me, subject="Second", body="Added")
    theirs = Notification.objects.create(recipient=other, subject="Not yours", body="x")
    client.force_login(me)
    page = client.get(reverse("programme:notifications"))
    assert "2 unread" in page.text
    assert "Programme amended" in page.text
    assert "Not yours" not in page.text
    client.post(reverse("programme:notification-read", kwargs={"pk": mine.pk}))
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert "1 unread" in client.get(reverse("programme:notifications")).text
    # Someone else's notification: as if it did not exist.
    assert (
        client.post(reverse("programme:notification-read", kwargs={"pk": theirs.pk})).status_code
        == 404
    )
    theirs.refresh_from_db()
    assert theirs.read_at is None
    client.post(reverse("programme:notifications-read-all"))
    assert Notification.objects.filter(recipient=me, read_at__isnull=True).count() == 0
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).count() == 1


@pytest.mark.rule("PG-4")
def test_a_scheduler_finds_the_amendment_in_their_notifications(
    client, make_user, coordinator, programme, leeds
) -> None:
    scheduler = make_user(Role.OFSTED_SCHEDULER)
    event = make_event(programme, leeds)
    services.event_cancel(actor=coordinator, event=event, version=1, reason="Flooding")
    client.force_login(scheduler)
    page = client.get(reverse("programme:notifications")).text
    assert "Programme 2026 to 2027 amended" in page
    assert "Reason: Flooding" in page
    assert f'href="/programme/events/{event.pk}/"' in page
    assert Amendment.objects.count() == 1


@pytest.mark.parametrize("lead", ["=", "+", "-", "@", "\t", "\r"])
def test_both_programme_exports_neutralise_every_formula_start(signed_in, programme, lead) -> None:
    # Issue 15, finding 6: a leading tab or carriage return ran as a formula too.
    name = f"{lead}cmd|' /C calc'!A0"
    make_event(programme, make_establishment("ZZ", name))
    text = signed_in.get(reverse("programme:export", kwargs={"year": 2026})).content.decode()
    exported = "'" + name.replace("\r", "\n")  # a line break inside a cell is written '\n'
    assert next(csv.DictReader(io.StringIO(text, newline="")))["establishment"] == exported
    url = reverse("programme:export-xlsx", kwargs={"year": 2026})
    sheet = load_workbook(io.BytesIO(signed_in.get(url).content)).active
    cell = sheet.cell(row=2, column=5)
    assert cell.value == exported
    assert cell.data_type == "s"


# Issue 22: the move form keeps its promise; a blank confirmation date is an error ----------


def test_the_move_form_leaves_the_end_and_education_week_empty_as_its_hints_say(
    signed_in, programme, leeds
) -> None:
    event = make_event(programme, leeds, starts_on=date(2027, 1, 11))
    page = signed_in.get(reverse("programme:event-move", kwargs={"pk": event.pk})).text
    assert "Leave empty to keep the event&#x27;s length." in page
    assert re.search(r'name="starts_on_day"[^>]*value="11"', page)
    for prefix in ("ends_on", "education_week_starts_on"):
        for part in ("day", "month", "year"):
            assert re.search(rf'name="{prefix}_{part}"[^>]*value=""', page), (prefix, part)


@pytest.mark.rule("PG-9")
def test_changing_only_the_start_keeps_the_length_and_the_education_week_offset(
    signed_in, programme, leeds
) -> None:
    # A full inspection agreed at nine days, its education week in the first week.
    event = make_event(
        programme,
        leeds,
        starts_on=date(2027, 1, 11),
        ends_on=date(2027, 1, 19),
        education_week_starts_on=date(2027, 1, 11),
        education_week_reason="Agreed with HMI Prisons",
    )
    url = reverse("programme:event-move", kwargs={"pk": event.pk})
    post = {
        "version": "1", "reason": "", "education_week_reason": "",
        **date_post("starts_on", date(2027, 3, 1)), **date_post("ends_on", None),
        **date_post("education_week_starts_on", None),
    }  # fmt: skip
    response = signed_in.post(url, post)
    assert response.status_code == 302, response.text
    event.refresh_from_db()
    assert (event.starts_on, event.ends_on, event.education_week_starts_on) == (
        date(2027, 3, 1),
        date(2027, 3, 9),
        date(2027, 3, 1),
    )
    assert event.education_week_reason == "Agreed with HMI Prisons"


@pytest.mark.rule("PG-1")
def test_a_blank_confirmation_date_is_an_error_naming_the_field(signed_in, coordinator) -> None:
    programme = services.programme_create(actor=coordinator, year=2027)
    programme = services.programme_open_consultation(
        actor=coordinator, programme=programme, version=1
    )
    url = reverse("programme:confirm", kwargs={"year": 2027})
    response = signed_in.post(url, {"version": "2", **date_post("confirmed_on", None)})
    assert response.status_code == 400
    assert "Enter the date the programme was confirmed" in response.text
    programme.refresh_from_db()
    assert (programme.status, programme.confirmed_on) == (ProgrammeStatus.CONSULTATION, None)


@pytest.mark.rule("HI-2")
@pytest.mark.parametrize(
    "role",
    [
        Role.HMIP_COORDINATOR,
        Role.SYSTEM_ADMINISTRATOR,
        Role.HMIP_TEAM_LEADER,
        Role.OFSTED_SCHEDULER,
    ],
)
def test_the_calendar_leads_who_records_history_to_the_import_and_the_past_event_form(
    client, make_user, programme, role
) -> None:
    """The journey test's finding: the coordinator's Programme menu item opens the calendar,
    and the import was three pages away from it."""
    client.force_login(make_user(role))
    page = client.get(CALENDAR).text
    may = role in (Role.HMIP_COORDINATOR, Role.SYSTEM_ADMINISTRATOR)
    assert (reverse("imports:reports") in page) == may
    assert (reverse("programme:history-record") in page) == may
