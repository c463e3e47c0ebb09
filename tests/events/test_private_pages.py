"""A page with « connexion requise », a password or groups is private everywhere, not only at its URL."""

from datetime import date, time

import pytest

from django.urls import reverse

from wagtail.models import PageViewRestriction

from events.models import Occurrence
from tests.events.readers import as_set, recurring_ical_events

pytestmark = pytest.mark.django_db


@pytest.fixture
def outing(publish_event, residence, agenda):
    page = publish_event(
        residence,
        title="Sortie réservée",
        first_date=date(2030, 6, 1),
        start_time=time(8),
        end_time=time(19),
        registration_enabled=True,
        capacity=50,
    )
    return page


def everywhere(client, page, residence, sector) -> dict[str, str]:
    occurrence = Occurrence.objects.get(page=page)
    urls = {
        "home": "/",
        "agenda": "/agenda/",
        "sector": sector.url,
        "residence": residence.url,
        "events feed": reverse("events:events_feed"),
        "residence feed": reverse("events:residence_feed", args=(residence.slug,)),
        "sector feed": reverse("events:sector_feed", args=(sector.slug,)),
        "series download": reverse("events:series_ics", args=(page.pk,)),
        "date download": reverse("events:occurrence_ics", args=(occurrence.pk,)),
        "sign-up": reverse("events:signup", args=(occurrence.pk,)),
    }
    return {name: client.get(url) for name, url in urls.items()}


@pytest.mark.parametrize(
    "restriction",
    [
        {"restriction_type": PageViewRestriction.LOGIN},
        {"restriction_type": PageViewRestriction.PASSWORD, "password": "secret"},
    ],
    ids=["login", "password"],
)
def test_a_restricted_event_appears_nowhere_public(client, outing, residence, sector, restriction):
    before = everywhere(client, outing, residence, sector)
    assert "Sortie réservée" in before["agenda"].content.decode()
    assert before["sign-up"].status_code == 200
    PageViewRestriction.objects.create(page=outing, **restriction)
    after = everywhere(client, outing, residence, sector)
    for name, response in after.items():
        if response.status_code == 200:
            assert "Sortie réservée" not in response.content.decode(), name
            assert "Sortie r" not in response.content.decode(), name
        else:
            assert response.status_code == 404, name
    assert after["sign-up"].status_code == 404
    assert after["date download"].status_code == 404
    events = recurring_ical_events(after["events feed"].content, "2030-01-01", "2031-01-01")
    assert as_set(events) == set()
    # Lifting the restriction brings the dates back.
    PageViewRestriction.objects.filter(page=outing).delete()
    assert "Sortie réservée" in client.get("/agenda/").content.decode()


def test_a_restriction_on_a_parent_hides_the_dates_below(client, outing, residence, sector):
    PageViewRestriction.objects.create(page=residence, restriction_type=PageViewRestriction.LOGIN)
    assert not Occurrence.objects.filter(page=outing).live().exists()
    assert "Sortie réservée" not in client.get("/agenda/").content.decode()
    # A publish of the event does not bring it back while its parent is private.
    outing.specific.save_revision().publish()
    assert not Occurrence.objects.filter(page=outing).live().exists()
