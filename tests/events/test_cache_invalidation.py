"""Cached agenda, pages and feeds show every change on the very next request."""

from datetime import date, time

import pytest
import time_machine

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.calendar import ical
from events.models import EventCategory, EventException, Occurrence
from events.registrations import services as booking
from tests.french import fr

pytestmark = [pytest.mark.django_db, pytest.mark.engine]

FEED = "/calendrier/residence/les-tilleuls.ics"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-03-03 09:00 +01:00", tick=False):
        yield


@pytest.fixture
def knitting(publish_event, residence):
    return publish_event(
        residence,
        title="Tricot",
        frequency="weekly",
        count=4,
        first_date=date(2026, 3, 10),
        registration_enabled=True,
        capacity=12,
        venue_residence=residence,
    )


def html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured)


def republish(page, **changes):
    page = page.specific.get_latest_revision_as_object()
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return page


def test_fragments_are_served_from_the_cache(client, agenda, knitting, residence):
    """Without this, the invalidation tests below would pass with no cache at all."""
    for url in ("/agenda/", knitting.url, residence.url):
        cold = queries(client, url)
        warm = queries(client, url)
        assert warm < cold, url


def test_an_edit_shows_on_agenda_event_and_residence_pages_and_feed(
    client, agenda, knitting, residence
):
    for url in ("/agenda/", residence.url, FEED):
        assert "Tricot" in html(client, url)
    republish(knitting, title="Tricot et couture")
    for url in ("/agenda/", residence.url, FEED):
        assert "Tricot et couture" in html(client, url), url


def test_a_cancelled_date_shows_everywhere(client, agenda, knitting, residence):
    for url in ("/agenda/", knitting.url, FEED):
        assert "Annul" not in html(client, url) and "CANCELLED" not in html(client, url)
    page = knitting.specific.get_latest_revision_as_object()
    page.exceptions.add(EventException(kind="cancelled", date=date(2026, 3, 17), reason="Grève"))
    page.save_revision().publish()
    assert fr("Motif : Grève") in html(client, "/agenda/")
    assert fr("Motif : Grève") in html(client, knitting.url)
    assert "STATUS:CANCELLED" in html(client, FEED)


def test_an_unpublished_event_leaves_agenda_residence_page_and_feed(
    client, agenda, knitting, residence
):
    for url in ("/agenda/", residence.url, FEED):
        assert "Tricot" in html(client, url)
    knitting.unpublish()
    for url in ("/agenda/", residence.url, FEED):
        assert "Tricot" not in html(client, url), url


def test_a_new_event_appears_on_the_next_request(client, agenda, publish_event, residence):
    assert "Jardinage" not in html(client, "/agenda/")
    assert "Jardinage" not in html(client, FEED)
    publish_event(residence, title="Jardinage", first_date=date(2026, 3, 20))
    assert "Jardinage" in html(client, "/agenda/")
    assert "Jardinage" in html(client, residence.url)
    assert "Jardinage" in html(client, FEED)


def test_a_registration_changes_the_seats_shown(client, knitting):
    assert "12 places restantes" in html(client, knitting.url)
    first = Occurrence.objects.filter(page=knitting).order_by("start").first()
    booking.register(first, booking.Party(first_name="Awa", adults=2, email="awa@example.fr"))
    assert "10 places restantes" in html(client, knitting.url)
    registration = first.registrations.get()
    booking.cancel(registration)
    assert "12 places restantes" in html(client, knitting.url)


def test_renaming_a_category_shows_on_the_agenda(client, agenda, knitting):
    assert "Atelier" in html(client, "/agenda/")
    category = EventCategory.objects.get(slug="atelier")
    category.name = "Loisirs créatifs"
    category.save()
    assert "Loisirs créatifs" in html(client, "/agenda/")


def test_the_next_day_is_not_served_yesterdays_labels(client, agenda, publish_event, residence):
    publish_event(residence, title="Goûter", first_date=date(2026, 3, 4))
    assert "Demain" in html(client, "/agenda/")
    with time_machine.travel("2026-03-04 09:00 +01:00", tick=False):
        page = html(client, "/agenda/")
    assert "Aujourd&#x27;hui" in page and "Demain" not in page


def test_a_feed_is_built_once_per_change(client, knitting, monkeypatch):
    built = []
    original = ical.build_calendar
    monkeypatch.setattr(
        ical, "build_calendar", lambda *a, **k: built.append(1) or original(*a, **k)
    )
    first = client.get(FEED)
    client.get(FEED)
    client.get(FEED)
    assert len(built) == 1
    republish(knitting, title="Tricot du mardi")
    second = client.get(FEED)
    assert len(built) == 2
    assert "Tricot du mardi" in second.content.decode()
    assert first["ETag"] != second["ETag"]


def test_a_conditional_feed_request_is_answered_without_a_query(client, knitting):
    etag = client.get(FEED)["ETag"]
    with CaptureQueriesContext(connection) as captured:
        response = client.get(FEED, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response["ETag"] == etag
    assert len(captured) == 0
    republish(knitting, start_time=time(15), end_time=time(17))
    changed = client.get(FEED, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_unknown_parameters_are_served_but_not_cached(client, knitting):
    url = "/calendrier/evenements.ics?utm_source=x"
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    assert len(captured) > 0


def test_building_a_feed_costs_the_same_queries_for_more_series(
    client, publish_event, residence, partner_venue
):
    def cold_queries() -> int:
        cache.clear()
        return queries(client, FEED)

    publish_event(residence, venue_residence=residence)
    publish_event(residence, venue_partner=partner_venue, venue_name="")
    few = cold_queries()
    for _ in range(4):
        publish_event(residence, venue_residence=residence, venue_name="")
        publish_event(residence, venue_partner=partner_venue, venue_name="")
    assert cold_queries() == few


@pytest.fixture
def partner_venue(db):
    from tests.factories import PartnerFactory

    return PartnerFactory()
