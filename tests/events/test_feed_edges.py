"""Feeds at the edges: clock-change nights, escaped calendar names, downloads that match feeds."""

from datetime import UTC, date, datetime, time, timedelta

import icalendar
import pytest
import time_machine

from django.urls import reverse

from events.models import Occurrence

from .readers import as_set, ical_js, recurring_ical_events, site_set

pytestmark = [pytest.mark.django_db, pytest.mark.engine]

WINDOW = ("2026-03-01T00:00:00+00:00", "2027-04-01T00:00:00+00:00")


@pytest.fixture(autouse=True)
def frozen(settings):
    settings.OCCURRENCE_HORIZON_DAYS = 400
    with time_machine.travel("2026-03-01 09:00 +01:00", tick=False):
        yield


def test_a_night_series_across_both_clock_changes_reads_as_the_site_shows_it(
    client, publish_event, residence
):
    """01:30–03:30 on Sundays lasts 1 h on 29 March and 3 h on 25 October, wall clock."""
    page = publish_event(
        residence,
        title="Veille de nuit",
        first_date=date(2026, 3, 1),
        start_time=time(1, 30),
        end_time=time(3, 30),
        frequency="weekly",
    )
    rows = {o.local_start.date(): o for o in Occurrence.objects.filter(page=page)}
    spring, autumn = rows[date(2026, 3, 29)], rows[date(2026, 10, 25)]
    assert spring.end - spring.start == timedelta(hours=1)
    assert autumn.end - autumn.start == timedelta(hours=3)
    body = client.get(reverse("events:series_ics", args=(page.pk,))).content
    expected = site_set(
        Occurrence.objects.filter(page=page, start__lt=datetime(2027, 4, 1, tzinfo=UTC))
    )
    for reader in (recurring_ical_events, ical_js):
        assert as_set(reader(body, *WINDOW)) == expected, reader.__name__
    overrides = [
        e for e in icalendar.Calendar.from_ical(body).walk("VEVENT") if "RECURRENCE-ID" in e
    ]
    assert sorted(e["RECURRENCE-ID"].dt.date() for e in overrides) == [
        date(2026, 3, 29),
        date(2026, 10, 25),
        date(2027, 3, 28),
    ]


def test_the_calendar_name_is_escaped_and_read_whole(client, home, publish_event):
    from tests.factories import ResidencePageFactory, SectorPageFactory

    sector = SectorPageFactory(parent=home, title="Agence Est", slug="agence-est")
    residence = ResidencePageFactory(
        parent=sector, title="Résidence L'Horloge, bât. A–C ; côté 🌳", slug="horloge"
    )
    publish_event(residence, first_date=date(2026, 6, 2))
    body = client.get(reverse("events:residence_feed", args=("horloge",))).content
    assert b"X-WR-CALNAME:" in body and "L'Horloge\\, bât. A–C \\; côté".encode() in body
    # TEXT unescaping, as readers that know the property (vobject, Apple) do.
    raw = str(icalendar.Calendar.from_ical(body)["X-WR-CALNAME"])
    name = raw.replace("\\,", ",").replace("\\;", ";")
    assert name.startswith("Résidence L'Horloge, bât. A–C ; côté 🌳")


def test_a_downloaded_date_is_the_same_event_as_in_the_subscription(
    client, publish_event, residence
):
    page = publish_event(residence, title="Tricot", frequency="weekly", count=6)
    occurrence = Occurrence.objects.filter(page=page).order_by("start")[2]
    feed = icalendar.Calendar.from_ical(
        client.get(reverse("events:series_ics", args=(page.pk,))).content
    )
    [master] = [e for e in feed.walk("VEVENT") if "RRULE" in e]
    download = icalendar.Calendar.from_ical(
        client.get(reverse("events:occurrence_ics", args=(occurrence.pk,))).content
    )
    [event] = download.walk("VEVENT")
    assert str(event["UID"]) == str(master["UID"])
    assert event["RECURRENCE-ID"].dt == occurrence.original_start
    assert event["DTSTART"].dt == occurrence.start
    assert int(event["SEQUENCE"]) == int(master["SEQUENCE"])
