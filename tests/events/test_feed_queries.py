"""The whole-calendar feed reads its series in a fixed number of queries, however many dates."""

from datetime import date

import pytest
import time_machine

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = [pytest.mark.django_db, pytest.mark.engine]

FEED = "/calendrier/evenements.ics"


@pytest.fixture(autouse=True)
def frozen(settings):
    settings.OCCURRENCE_HORIZON_DAYS = 2 * 366
    with time_machine.travel("2026-03-01 09:00 +01:00", tick=False):
        yield


def cold_feed_queries(client) -> tuple[int, bytes]:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(FEED)
    assert response.status_code == 200
    return len(captured), response.content


def test_feed_query_count_does_not_follow_the_number_of_dates(client, publish_event, residence):
    publish_event(residence, title="Une date", first_date=date(2026, 3, 10))
    client.get(FEED)  # warm-up: site, settings
    few, body = cold_feed_queries(client)
    assert body.count(b"BEGIN:VEVENT") == 1
    # Three open-ended weekly series: about 300 more dates over two years.
    for number in range(3):
        publish_event(residence, title=f"Série {number}", frequency="weekly")
    many, body = cold_feed_queries(client)
    assert body.count(b"BEGIN:VEVENT") == 4
    assert body.count(b"RRULE:FREQ=WEEKLY") == 3
    assert many == few
