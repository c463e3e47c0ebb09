"""A series line answers as its page model does: URL, rule, venue, version."""

from datetime import date, time

import pytest
import time_machine

from django.test import RequestFactory

from events.calendar import series
from events.models import EventPage, Occurrence, PermanencePage, SeriesVersion
from tests.factories import PartnerFactory, ResidencePageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.engine]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-03-01 09:00 +01:00", tick=False):
        yield


@pytest.fixture
def pages(home, sector, residence, publish_event, publish_permanence):
    other = ResidencePageFactory(parent=sector, title="Résidence Été", slug="ete-ça-va")
    partner = PartnerFactory(name="Centre social « Le Lien »")
    return [
        publish_event(residence, venue_name="", venue_residence=residence, frequency="weekly"),
        publish_event(other, venue_name="", venue_partner=partner, slug="fête-des-voisins"),
        publish_event(sector, venue_name="Parc Barbieux", venue_address="Avenue du Peuple Belge"),
        publish_event(
            home, first_date=date(2026, 5, 1), start_time=None, end_time=None, count=None
        ),
        publish_permanence(other, first_date=date(2026, 3, 2), interval=2, weekdays=[0]),
        publish_permanence(
            sector, first_date=date(2026, 3, 4), start_time=time(9), end_time=time(12)
        ),
    ]


def test_lines_answer_as_the_pages_do(pages):
    request = RequestFactory(HTTP_HOST="testserver").get("/calendrier/evenements.ics")
    lines = series.series_in(Occurrence.objects.all())
    assert [line.pk for line in lines] == sorted(page.pk for page in pages)
    series.with_venues(lines)
    urls = series.urls(lines, request)
    for line in lines:
        model = EventPage if line.model is EventPage else PermanencePage
        page = model.objects.get(pk=line.pk)
        assert urls[line.pk] == page.get_url(request)
        assert line.get_schedule() == page.get_schedule()
        assert (line.venue_label, line.venue_full_address) == (
            page.venue_label,
            page.venue_full_address,
        )
        assert line.occurrence_kind == page.occurrence_kind
        assert (line.title, line.slug, line.summary) == (
            page.title,
            page.slug,
            getattr(page, "summary", ""),
        )
        version = SeriesVersion.objects.get(page_id=page.pk)
        assert line.series_version == series.VersionLine(
            version.sequence, version.modified, version.horizon, version.feed_key, version.exdates
        )
