"""No reader ever shows a date the site does not hold: every feed kind, four readers, two years.

The landscape holds the edges where feeds go wrong: a rule whose `until` falls inside a
closure, a closure across the horizon, open rules that go on beyond the horizon, a holiday
after the last open date, a night series across both clock changes, a re-timed series with
registrations, and texts with commas, semicolons, apostrophes and emoji. Each feed is expanded
by ical.js (Thunderbird), node-ical (strict about durations), recurring-ical-events and vobject,
and each must give exactly the site's rows of the series the feed holds.
"""

from datetime import UTC, date, datetime, time, timedelta

import icalendar
import pytest
import time_machine

from django.urls import reverse

from events.calendar.occurrences import extend_all
from events.models import Occurrence
from events.registrations.services import Party, register
from tests.factories import MediatorProfileFactory, PartnerFactory, ResidencePageFactory

from .readers import ALL_READERS, as_set, site_set

pytestmark = [pytest.mark.django_db, pytest.mark.engine]

NOW = "2026-03-01 09:00 +01:00"
# Two years: both clock changes twice, and well beyond the 18-month horizon (10 Sept. 2027).
WINDOW = ("2026-03-01T00:00:00+00:00", "2028-03-01T00:00:00+00:00")
TRICKY = "Café, thé ; l'après-midi 🌳"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def landscape(home, sector, publish_event, publish_permanence):
    residence = ResidencePageFactory(
        parent=sector, title="Résidence L'Horloge, bât. A–C ; côté 🌳", slug="horloge"
    )
    partner = PartnerFactory(name="Centre social « Le Lien », Nord ; 🌳")
    pages = {
        # Tuesdays until 28 July 2026, closed from 1 July: nothing in July, in any reader.
        "until_in_closure": publish_permanence(
            residence,
            title=TRICKY,
            until=date(2026, 7, 28),
            closures=[(date(2026, 7, 1), date(2026, 8, 31), "Vacances d'été, fermeture ; 🌞")],
        ),
        # Mondays, open-ended, with a closure across the horizon.
        "closure_across_horizon": publish_permanence(
            sector,
            first_date=date(2026, 3, 2),
            start_time=time(9),
            end_time=time(12),
            closures=[(date(2027, 8, 16), date(2027, 10, 15), "Travaux")],
        ),
        # Mondays up to Whit Monday 2027: the last rule date is a holiday, the last open one not.
        "holiday_after_last_open": publish_permanence(
            residence,
            first_date=date(2026, 3, 2),
            until=date(2027, 5, 17),
        ),
        # Landlord-wide, first Saturday of the month, open-ended: beyond the horizon.
        "open_monthly": publish_event(
            home,
            title="Marché solidaire",
            first_date=date(2026, 3, 7),
            start_time=time(10),
            end_time=time(12),
            frequency="monthly_weekday",
            venue_partner=partner,
        ),
        # 01:30–03:30 on Sundays: 1 h and 3 h on the clock-change nights, wall clock.
        "night": publish_event(
            residence,
            title="Veille de nuit",
            first_date=date(2026, 3, 1),
            start_time=time(1, 30),
            end_time=time(3, 30),
            frequency="weekly",
            count=40,
        ),
        "retimed": publish_event(
            residence,
            title="Atelier cuisine",
            first_date=date(2026, 3, 5),
            start_time=time(18),
            end_time=time(20),
            frequency="weekly",
            count=10,
            registration_enabled=True,
            capacity=12,
        ),
        "single": publish_event(sector, title=TRICKY, first_date=date(2026, 9, 19)),
    }
    booked = Occurrence.objects.filter(page=pages["retimed"]).order_by("start")[2]
    register(booked, Party(first_name="Awa", email="awa@example.fr"))
    retimed = pages["retimed"]
    retimed.start_time, retimed.end_time = time(18, 30), time(20, 30)
    retimed.save_revision().publish()
    mediator = MediatorProfileFactory(slug="nadia")
    for key in ("until_in_closure", "closure_across_horizon"):
        pages[key].mediators.add(mediator)
        pages[key].save_revision().publish()
    return {"pages": pages, "residence": residence, "booked": booked}


def feeds(landscape) -> dict[str, str]:
    residence = landscape["residence"]
    urls = {
        "events": reverse("events:events_feed"),
        "events in the sector": reverse("events:events_feed") + "?secteur=agence-nord",
        "permanences": reverse("events:permanences_feed"),
        "residence": reverse("events:residence_feed", args=(residence.slug,)),
        "residence permanences": reverse(
            "events:residence_permanences_feed", args=(residence.slug,)
        ),
        "sector": reverse("events:sector_feed", args=("agence-nord",)),
        "mediator": reverse("events:mediator_feed", args=("nadia",)),
    }
    for key, page in landscape["pages"].items():
        urls[f"series {key}"] = reverse("events:series_ics", args=(page.pk,))
    return urls


def held(body: bytes):
    """The site's rows of the series the feed holds, within the window."""
    calendar = icalendar.Calendar.from_ical(body)
    page_ids = {int(str(e["UID"]).split("@")[0].split("-")[1]) for e in calendar.walk("VEVENT")}
    start, end = (datetime.fromisoformat(moment) for moment in WINDOW)
    rows = Occurrence.objects.live().filter(page_id__in=page_ids, end__gt=start, start__lt=end)
    return site_set(rows), page_ids


def test_every_feed_kind_reads_exactly_as_the_site_in_four_readers(client, landscape):
    pages = landscape["pages"]
    for name, url in feeds(landscape).items():
        body = client.get(url).content
        expected, page_ids = held(body)
        assert expected, name
        for reader in ALL_READERS:
            assert as_set(reader(body, *WINDOW)) == expected, (name, reader.__name__)
    # The scope rule is the same for the sector feed and the filtered events feed.
    _, in_sector_feed = held(
        client.get(reverse("events:sector_feed", args=("agence-nord",))).content
    )
    assert pages["open_monthly"].pk in in_sector_feed  # landlord-wide, like the sector page


def test_the_edges_hold_what_the_site_shows(client, landscape):
    pages = landscape["pages"]
    body = client.get(reverse("events:residence_feed", args=("horloge",))).content
    found = {reader.__name__: reader(body, *WINDOW) for reader in ALL_READERS}

    def days_of(events, key):
        uid = f"permanence-{pages[key].pk}@"
        return [e["start"][:10] for e in events if e["uid"].startswith(uid)]

    for name, events in found.items():
        tuesdays = days_of(events, "until_in_closure")
        assert tuesdays and max(tuesdays) == "2026-06-30", name  # nothing in the closure
        mondays = days_of(events, "holiday_after_last_open")
        assert "2027-05-17" not in mondays and "2027-05-10" in mondays, name
        # Texts come back whole: commas, semicolons, apostrophes and emoji.
        assert {e["summary"] for e in events} >= {TRICKY, "Veille de nuit"}, name
    for reader in ALL_READERS:
        body = client.get(reverse("events:series_ics", args=(pages["open_monthly"].pk,))).content
        last = max(e["start"] for e in reader(body, *WINDOW))
        assert last < "2027-09-11", reader.__name__  # nothing beyond the horizon


def test_a_closure_across_the_horizon_never_reads_as_open(client, landscape):
    page = landscape["pages"]["closure_across_horizon"]
    body = client.get(reverse("events:series_ics", args=(page.pk,))).content
    for reader in ALL_READERS:
        days = {e["start"][:10] for e in reader(body, *WINDOW)}
        assert "2027-08-09" in days and not {d for d in days if d >= "2027-08-16"}
    with time_machine.travel("2027-01-04 09:00 +01:00", tick=False):
        extend_all()  # the horizon moves to July 2028: the closure's end comes in
        body = client.get(reverse("events:series_ics", args=(page.pk,))).content
    [master] = [e for e in icalendar.Calendar.from_ical(body).walk("VEVENT") if "RRULE" in e]
    assert int(master["SEQUENCE"]) > 0  # the rule's end moved: subscribers re-read it
    for reader in ALL_READERS:
        days = {e["start"][:10] for e in reader(body, *WINDOW)}
        closed = {d for d in days if "2027-08-16" <= d <= "2027-10-15"}
        assert not closed and "2027-10-18" in days, reader.__name__
    expected, _ = held(body)
    for reader in ALL_READERS:
        assert as_set(reader(body, *WINDOW)) == expected, reader.__name__


def test_a_retimed_booked_date_moves_in_every_reader(client, landscape):
    booked = Occurrence.objects.get(pk=landscape["booked"].pk)
    assert booked.registrations.count() == 1
    assert booked.local_start.time() == time(18, 30)
    body = client.get(
        reverse("events:series_ics", args=(landscape["pages"]["retimed"].pk,))
    ).content
    start = booked.start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    for reader in ALL_READERS:
        assert [e for e in reader(body, *WINDOW) if e["start"] == start], reader.__name__


@pytest.mark.parametrize(
    ("region", "holiday"),
    [("guadeloupe", date(2026, 5, 27)), ("la-reunion", date(2026, 12, 20))],
)
def test_an_overseas_holiday_is_closed_in_every_reader(
    client, residence, settings, publish_permanence, region, holiday
):
    """A weekly permanence on the holiday's weekday: that day is missing, and only that one."""
    settings.PUBLIC_HOLIDAYS_REGION = region
    first = date(2026, 3, 2) + timedelta(days=(holiday.weekday() - 0) % 7)
    page = publish_permanence(residence, first_date=first)
    body = client.get(reverse("events:series_ics", args=(page.pk,))).content
    expected, _ = held(body)
    for reader in ALL_READERS:
        found = reader(body, *WINDOW)
        assert as_set(found) == expected, reader.__name__
        assert holiday.isoformat() not in {e["start"][:10] for e in found}, reader.__name__
