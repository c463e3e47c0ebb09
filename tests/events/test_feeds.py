"""The events feed: RFC 5545 shape, HTTP caching, and agreement with independent readers."""

from datetime import date, time

import icalendar
import pytest
import time_machine

from events.models import Occurrence

from .readers import as_set, ical_js, recurring_ical_events, site_set

pytestmark = [pytest.mark.django_db, pytest.mark.engine]

FEED = "/calendrier/evenements.ics"
WINDOW = ("2026-03-01T00:00:00+00:00", "2028-03-01T00:00:00+00:00")


@pytest.fixture(autouse=True)
def frozen(settings):
    settings.OCCURRENCE_HORIZON_DAYS = 2 * 366
    with time_machine.travel("2026-03-01 09:00 +01:00", tick=False):
        yield


@pytest.fixture
def tricky_series(publish_event, residence):
    """Weekly Tuesday 14–17h from 3 March 2026, open-ended, with every kind of particular date."""
    return publish_event(
        residence,
        title="Permanence tricot",
        frequency="weekly",
        exceptions=[
            {"kind": "cancelled", "date": date(2026, 3, 31), "reason": "Formation"},
            {
                "kind": "moved",
                "date": date(2026, 4, 7),
                "new_date": date(2026, 4, 8),
                "new_start_time": time(10),
                "new_end_time": time(12),
            },
            {
                "kind": "extra",
                "date": date(2026, 11, 5),
                "new_start_time": time(9, 30),
                "new_end_time": time(11),
            },
        ],
    )


def in_window(page):
    from datetime import datetime

    start, end = (datetime.fromisoformat(moment) for moment in WINDOW)
    return Occurrence.objects.filter(page=page, end__gt=start, start__lt=end)


def feed(client, **params) -> bytes:
    response = client.get(FEED, params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response.content


def test_two_independent_readers_expand_exactly_the_site_occurrences(client, tricky_series):
    body = feed(client)
    site = site_set(in_window(tricky_series))
    assert len(site) > 100  # two years of Tuesdays
    assert as_set(recurring_ical_events(body, *WINDOW)) == site
    assert as_set(ical_js(body, *WINDOW)) == site


@pytest.mark.parametrize(
    "fields",
    [
        {
            "first_date": date(2026, 10, 15),
            "start_time": time(9, 30),
            "end_time": time(11),
            "frequency": "weekly",
            "count": 5,
        },
        {
            "first_date": date(2026, 1, 13),
            "start_time": time(18),
            "end_time": time(20),
            "frequency": "monthly_weekday",
            "count": 6,
        },
        {
            "first_date": date(2026, 1, 31),
            "start_time": time(18),
            "end_time": time(19),
            "frequency": "monthly_date",
        },
        {
            "first_date": date(2026, 3, 3),
            "frequency": "weekly",
            "until": date(2026, 6, 23),
            "interval": 2,
        },
        {"first_date": date(2026, 5, 1), "start_time": None, "end_time": None},
        {
            "first_date": date(2026, 7, 6),
            "end_date": date(2026, 7, 8),
            "start_time": time(9),
            "end_time": time(17),
        },
    ],
    ids=["count-dst", "second-tuesday", "31st", "until-fortnightly", "all-day", "several-days"],
)
def test_readers_agree_on_every_rule_shape(client, publish_event, residence, fields):
    event = publish_event(residence, **fields)
    body = feed(client)
    site = site_set(in_window(event))
    assert site
    assert as_set(recurring_ical_events(body, *WINDOW)) == site
    assert as_set(ical_js(body, *WINDOW)) == site


def test_feed_shape_follows_rfc_5545_and_the_house_rules(client, tricky_series):
    body = feed(client)
    calendar = icalendar.Calendar.from_ical(body)
    assert calendar["VERSION"] == "2.0" and calendar["METHOD"] == "PUBLISH"
    assert calendar["X-WR-TIMEZONE"] == "Europe/Paris"
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT6H" in body
    assert b"X-PUBLISHED-TTL:PT6H" in body
    [zone] = calendar.walk("VTIMEZONE")
    assert [c.name for c in zone.subcomponents] == ["DAYLIGHT", "STANDARD"]
    events = calendar.walk("VEVENT")
    master = next(e for e in events if "RRULE" in e)
    assert b"DTSTART;TZID=Europe/Paris:20260303T140000" in body
    assert master["RRULE"]["FREQ"] == ["WEEKLY"] and master["RRULE"]["BYDAY"] == ["TU"]
    overrides = [e for e in events if "RECURRENCE-ID" in e]
    assert {str(e["STATUS"]) for e in overrides} == {"CANCELLED", "CONFIRMED"}
    assert b"RECURRENCE-ID;TZID=Europe/Paris:20260331T140000" in body
    extra = [e for e in events if "RRULE" not in e and "RECURRENCE-ID" not in e]
    assert len(extra) == 1 and extra[0]["UID"] != master["UID"]
    for event in events:
        assert "ORGANIZER" not in event
        assert str(event["URL"]) == "http://testserver/agence-nord/les-tilleuls/atelier-1/"
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))


def test_until_is_utc_and_keeps_its_last_day(client, publish_event, residence):
    publish_event(residence, frequency="weekly", until=date(2026, 6, 30))
    body = feed(client)
    assert b"UNTIL=20260630T120000Z" in body


def test_paris_vtimezone_matches_zoneinfo_for_thirty_years():
    from datetime import datetime, timedelta

    from events.calendar.ical import paris_vtimezone
    from events.calendar.schedule import PARIS

    zone = paris_vtimezone().to_tz()
    moment = datetime(2000, 1, 1, 12)
    while moment.year < 2030:
        assert (
            moment.replace(tzinfo=zone).utcoffset() == moment.replace(tzinfo=PARIS).utcoffset()
        ), moment
        moment += timedelta(days=3, hours=5)


def test_special_characters_round_trip(client, publish_event, residence):
    title = 'Fête « des voisins », ; \\ "🎉"\nsur deux lignes'
    publish_event(residence, title=title, venue_name="Cour Ø ; B, « C »")
    calendar = icalendar.Calendar.from_ical(feed(client))
    [event] = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == title
    assert str(event["LOCATION"]).startswith("Cour Ø ; B, « C »")


def test_editing_a_series_keeps_the_uid_and_raises_the_sequence(client, publish_event, residence):
    from events.models import EventException

    event = publish_event(residence, frequency="weekly", count=10)
    before = icalendar.Calendar.from_ical(feed(client)).walk("VEVENT")
    event.exceptions.add(EventException(kind="cancelled", date=date(2026, 3, 17), reason="Grève"))
    event.save_revision().publish()
    after = icalendar.Calendar.from_ical(feed(client)).walk("VEVENT")
    assert {str(e["UID"]) for e in after} == {str(e["UID"]) for e in before}
    assert [int(e["SEQUENCE"]) for e in before] == [0]
    assert {int(e["SEQUENCE"]) for e in after} == {1}
    assert len(after) == 2  # the series and one override, nothing duplicated


def test_same_data_gives_the_same_bytes_and_a_304(client, tricky_series):
    first = client.get(FEED)
    second = client.get(FEED)
    assert first.content == second.content
    etag = first["ETag"]
    conditional = client.get(FEED, HTTP_IF_NONE_MATCH=etag)
    assert conditional.status_code == 304


def test_conditional_request_builds_nothing(client, tricky_series, monkeypatch):
    etag = client.get(FEED)["ETag"]
    from events.calendar import ical

    def explode(*args, **kwargs):
        raise AssertionError("the calendar was rebuilt for a conditional request")

    monkeypatch.setattr(ical, "build_calendar", explode)
    assert client.get(FEED, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_etag_changes_when_the_series_changes(client, tricky_series):
    etag = client.get(FEED)["ETag"]
    tricky_series.title = "Tricot et thé"
    tricky_series.save_revision().publish()
    assert client.get(FEED, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_head_is_answered_and_post_refused(client, tricky_series):
    assert client.head(FEED).status_code == 200
    assert client.post(FEED).status_code == 405


def test_feed_filters_by_residence_and_category(client, publish_event, residence, home, category):
    from events.models import EventCategory
    from tests.factories import ResidencePageFactory, SectorPageFactory

    outing = EventCategory.objects.create(name="Sortie", slug="sortie")
    other = ResidencePageFactory(parent=SectorPageFactory(parent=home))
    publish_event(residence, title="Ici")
    publish_event(other, title="Là-bas", category=outing)

    def titles(**params):
        body = feed(client, **params)
        return {str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(body).walk("VEVENT")}

    assert titles(residence=residence.slug) == {"Ici"}
    assert titles(categorie="sortie") == {"Là-bas"}
    assert titles(residence="inconnue", categorie="<script>") == {"Ici", "Là-bas"}


def test_single_date_and_series_downloads(client, tricky_series):
    occurrence = Occurrence.objects.filter(page=tricky_series).order_by("start").first()
    response = client.get(f"/calendrier/date/{occurrence.pk}.ics")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    [event] = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert event["DTSTART"].dt.hour == 14
    series = client.get(f"/calendrier/evenement/{tricky_series.pk}.ics")
    assert series.status_code == 200
    assert client.get("/calendrier/evenement/999999.ics").status_code == 404
