"""A feed reads only the dates that differ from each series' rule, and writes the same bytes.

The sync records which rows the RRULE writes by itself (`Occurrence.follows_rule`) and which
instances of the rule have no row (`SeriesVersion.exdates`). A feed built from that alone must
be byte for byte the feed built from every row, on every shape the project has: cancelled,
moved and extra dates, holidays and closures, past dates held under an earlier rule, nights
across a clock change, monthly and counted rules, whole days and single dates.
"""

from datetime import date, time

import pytest
import time_machine

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.calendar import feeds, lines
from events.models import Occurrence, SeriesVersion

pytestmark = [pytest.mark.django_db, pytest.mark.engine]

FEEDS = ("events:events_feed", "events:permanences_feed")


@pytest.fixture(autouse=True)
def frozen(settings):
    settings.OCCURRENCE_HORIZON_DAYS = 400
    with time_machine.travel("2026-03-01 09:00 +01:00", tick=False):
        yield


@pytest.fixture
def shapes(residence, sector, publish_event, publish_permanence):
    moved = {"kind": "moved", "date": date(2026, 3, 24), "new_start_time": time(15)}
    pages = {
        "plain weekly": publish_event(residence, frequency="weekly"),
        "weekly with exceptions": publish_event(
            residence,
            frequency="weekly",
            exceptions=[
                {"kind": "cancelled", "date": date(2026, 3, 17), "reason": "Formation"},
                moved,
                {"kind": "moved", "date": date(2026, 4, 7), "venue_note": "Salle B"},
                {"kind": "extra", "date": date(2026, 3, 26)},
            ],
        ),
        "permanence with holidays and a closure": publish_permanence(
            residence,
            first_date=date(2026, 3, 2),
            closures=[(date(2026, 7, 1), date(2026, 8, 31), "Été")],
        ),
        "counted twice a week": publish_event(
            sector, frequency="weekly", weekdays=[1, 3], count=25, interval=2
        ),
        "monthly, second Tuesday, until": publish_event(
            residence,
            first_date=date(2026, 3, 10),
            frequency="monthly_weekday",
            until=date(2026, 12, 31),
        ),
        "night across both clock changes": publish_event(
            residence,
            first_date=date(2026, 3, 1),
            start_time=time(1, 30),
            end_time=time(3, 30),
            frequency="weekly",
        ),
        "whole days, monthly on the 31st": publish_event(
            residence,
            first_date=date(2026, 3, 31),
            start_time=None,
            end_time=None,
            frequency="monthly_date",
        ),
        "single date": publish_event(residence, first_date=date(2026, 5, 1)),
        "single date moved": publish_event(
            residence,
            first_date=date(2026, 5, 2),
            exceptions=[{"kind": "moved", "date": date(2026, 5, 2), "new_start_time": time(9)}],
        ),
    }
    # A rule changed after some of its dates were held: past Tuesdays stay (apart), the new
    # Thursdays before today have no row (EXDATEs).
    changed = pages["rule changed later"] = publish_event(
        residence, first_date=date(2026, 3, 3), frequency="weekly"
    )
    with time_machine.travel("2026-04-01 09:00 +02:00", tick=False):
        changed.first_date, changed.weekdays = date(2026, 3, 5), [3]
        changed.save_revision().publish()
    return pages


def body(client, url: str) -> bytes:
    cache.clear()
    response = client.get(url)
    assert response.status_code == 200
    return response.content


def every_url(pages) -> list[str]:
    urls = [reverse(name) for name in FEEDS]
    return urls + [reverse("events:series_ics", args=(page.pk,)) for page in pages.values()]


def test_the_feed_from_the_rule_fit_is_the_feed_from_every_row(client, shapes, monkeypatch):
    fitted = {url: body(client, url) for url in every_url(shapes)}
    monkeypatch.setattr(feeds, "fitted_exdates", lambda page, version: None)  # read every row
    for url in every_url(shapes):
        assert body(client, url) == fitted[url], url
    assert b"EXDATE" in fitted[reverse("events:permanences_feed")]
    assert fitted[reverse("events:events_feed")].count(b"RECURRENCE-ID") >= 6


def test_only_the_dates_that_differ_are_read(client, shapes, monkeypatch):
    read = []
    original = lines.OccurrenceLineIterable.__iter__

    def counting(self):
        for line in original(self):
            read.append(line)
            yield line

    monkeypatch.setattr(lines.OccurrenceLineIterable, "__iter__", counting)
    body(client, reverse("events:series_ics", args=(shapes["plain weekly"].pk,)))
    assert read == []  # about sixty dates, all written by the RRULE alone
    body(client, reverse("events:series_ics", args=(shapes["weekly with exceptions"].pk,)))
    assert sorted((o.status, o.is_extra) for o in read) == [
        ("cancelled", False),
        ("moved", False),
        ("moved", False),
        ("scheduled", True),
    ]
    read.clear()
    body(client, reverse("events:series_ics", args=(shapes["night across both clock changes"].pk,)))
    # The clock-change nights alone: 1 h and 3 h by the wall clock, not the master's 2 h.
    assert sorted(o.local_start.date() for o in read) == [
        date(2026, 3, 29),
        date(2026, 10, 25),
        date(2027, 3, 28),
    ]
    read.clear()
    body(client, reverse("events:series_ics", args=(shapes["single date"].pk,)))
    assert read == []  # written from the page's own date and times
    body(client, reverse("events:series_ics", args=(shapes["single date moved"].pk,)))
    assert [o.status for o in read] == ["moved"]


def test_the_sync_records_the_holidays_and_the_past_of_an_earlier_rule(shapes):
    permanence = SeriesVersion.objects.get(page=shapes["permanence with holidays and a closure"])
    assert {"2026-04-06", "2026-05-25", "2026-07-06", "2026-08-31"} <= set(permanence.exdates)
    changed = SeriesVersion.objects.get(page=shapes["rule changed later"])
    assert changed.exdates[:4] == ["2026-03-05", "2026-03-12", "2026-03-19", "2026-03-26"]
    held = Occurrence.objects.filter(
        page=shapes["rule changed later"], start__month=3, start__year=2026
    )
    assert held.count() == 5 and not held.filter(follows_rule=True).exists()  # apart now


def test_a_rule_changed_behind_the_sync_is_read_whole(client, shapes, monkeypatch):
    """A fit holds for the rule and horizon it was made for; any other rule reads every row."""
    page = shapes["plain weekly"]
    url = reverse("events:series_ics", args=(page.pk,))
    type(page).objects.filter(pk=page.pk).update(start_time=time(15))  # no publish, no sync
    stale = body(client, url)
    monkeypatch.setattr(feeds, "fitted_exdates", lambda page, version: None)
    assert body(client, url) == stale
    # No row is an instance of the 15:00 rule: each stands apart, each instance is excluded.
    assert stale.count(b"EXDATE") > 50 and b"RECURRENCE-ID" not in stale


def test_series_never_synced_since_the_migration_are_read_whole(client, shapes):
    urls = every_url(shapes)
    fitted = {url: body(client, url) for url in urls}
    Occurrence.objects.update(follows_rule=False)
    SeriesVersion.objects.update(feed_key="", exdates=[])
    for url in urls:
        assert body(client, url) == fitted[url], url


def test_an_unpublished_series_leaves_no_fit_behind(shapes):
    page = shapes["weekly with exceptions"]
    page.unpublish()
    assert not Occurrence.objects.filter(page=page, follows_rule=True).exists()
    assert SeriesVersion.objects.get(page=page).feed_key == ""


def test_the_feed_queries_stay_the_same_as_series_and_dates_grow(
    client, shapes, residence, publish_event, publish_permanence
):
    def queries(url: str) -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    feeds_urls = [reverse(name) for name in FEEDS]
    for url in feeds_urls:
        body(client, url)  # warm-up: site, settings
    before = [queries(url) for url in feeds_urls]
    for number in range(5):
        publish_event(residence, frequency="weekly", first_date=date(2026, 3, 2 + number))
    publish_event(
        residence,
        frequency="weekly",
        exceptions=[{"kind": "cancelled", "date": date(2026, 3, 10), "reason": "Grève"}],
    )
    publish_permanence(residence, first_date=date(2026, 3, 5), weekdays=[3, 4])
    assert [queries(url) for url in feeds_urls] == before
    # One series: ten dates or sixty, the same queries.
    short = publish_event(residence, frequency="weekly", count=10)
    long = shapes["plain weekly"]
    assert queries(reverse("events:series_ics", args=(short.pk,))) == queries(
        reverse("events:series_ics", args=(long.pk,))
    )


def test_a_rule_set_with_choices_and_read_back_as_text_has_one_key():
    """Pages are saved with `Frequency.WEEKLY` and read back as "weekly": the same fit."""
    from events.calendar.ical import rule_key
    from events.calendar.schedule import Frequency, Schedule

    first = date(2026, 3, 3)
    as_set = Schedule(first_date=first, frequency=Frequency.WEEKLY, weekdays=(1,))
    read_back = Schedule(first_date=first, frequency="weekly", weekdays=(1,))
    assert rule_key(as_set, date(2027, 9, 1)) == rule_key(read_back, date(2027, 9, 1))
    assert rule_key(as_set, date(2027, 9, 1)) != rule_key(as_set, date(2027, 9, 2))
