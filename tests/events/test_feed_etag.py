"""Feed ETags cover everything the body shows, and the subscribe box offers every phone a way."""

from datetime import date
from urllib.parse import quote

import pytest
import time_machine

from django.urls import reverse

from tests.factories import PartnerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.engine]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-03-01 09:00 +01:00", tick=False):
        yield


@pytest.fixture
def shown(publish_event, residence, sector):
    partner = PartnerFactory(name="Centre social Le Lien", address="3 rue des Lilas")
    page = publish_event(
        residence, first_date=date(2026, 4, 2), venue_name="", venue_partner=partner
    )
    # A second event in the residence's common room: the residence's name is its LOCATION.
    publish_event(residence, first_date=date(2026, 4, 9), venue_name="", venue_residence=residence)
    urls = [
        reverse("events:events_feed"),
        reverse("events:events_feed") + f"?residence={residence.slug}",
        reverse("events:residence_feed", args=(residence.slug,)),
        reverse("events:sector_feed", args=(sector.slug,)),
        reverse("events:series_ics", args=(page.pk,)),
    ]
    return {"partner": partner, "page": page, "urls": urls}


def etags(client, urls) -> dict[str, str]:
    found = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        found[url] = response["ETag"]
        # The one conditional path: the same ETag gets a 304, a weak form of it too.
        assert client.get(url, HTTP_IF_NONE_MATCH=found[url]).status_code == 304
        assert client.get(url, HTTP_IF_NONE_MATCH=f"W/{found[url]}").status_code == 304
    return found


def assert_all_changed(client, before, change_label):
    after = etags(client, before)
    for url, etag in before.items():
        assert after[url] != etag, (change_label, url)
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200, (change_label, url)


def test_a_partner_address_changes_the_etag_of_every_feed_showing_it(client, shown):
    before = etags(client, shown["urls"])
    partner = shown["partner"]
    partner.address = "5 avenue Jean Jaurès"
    partner.save()
    body = client.get(shown["urls"][0]).content.decode()
    assert "5 avenue Jean Jaurès" in body.replace("\r\n ", "")
    assert_all_changed(client, before, "partner")


def test_a_residence_title_changes_the_etag_of_every_feed_showing_it(client, shown, residence):
    before = etags(client, shown["urls"])
    residence.title = "Les Tilleuls (bâtiments A et B)"
    residence.save_revision().publish()
    body = client.get(shown["urls"][0]).content.decode().replace("\r\n ", "")
    assert "Salle commune\\, Les Tilleuls (bâtiments A et B)" in body
    # Every feed holding the common-room event (the partner's own download does not show it).
    showing = {url: etag for url, etag in before.items() if "/evenement/" not in url}
    assert_all_changed(client, showing, "residence")


def test_a_parent_page_slug_changes_the_urls_and_the_etags(client, shown, sector):
    before = etags(client, shown["urls"])
    sector.slug = "agence-nord-est"
    sector.save_revision().publish()
    urls = [u.replace("/secteur/agence-nord.ics", "/secteur/agence-nord-est.ics") for u in before]
    body = client.get(urls[-1]).content.decode().replace("\r\n ", "")
    assert "/agence-nord-est/" in body  # the event's URL, under its moved parent
    after = etags(client, urls)
    assert set(after.values()).isdisjoint(before.values())


def test_an_unchanged_feed_keeps_its_etag(client, shown, publish_event, home):
    before = etags(client, shown["urls"])
    assert etags(client, shown["urls"]) == before


def test_junk_parameters_are_answered_with_an_etag_too(client, shown):
    url = reverse("events:events_feed") + "?utm_source=lettre"
    response = client.get(url)
    assert response.status_code == 200 and response["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_the_subscribe_box_offers_webcal_google_and_a_link(client, shown, residence):
    html = client.get(residence.url).content.decode()
    https = f"http://testserver/calendrier/residence/{residence.slug}.ics"
    assert f'href="webcal://testserver/calendrier/residence/{residence.slug}.ics"' in html
    google = "https://calendar.google.com/calendar/render?cid=" + quote(https, safe="")
    assert f'href="{google}"' in html and "Ajouter à Agenda Google" in html
    assert f'value="{https}"' in html
    help_page = client.get(reverse("events:subscription_help")).content.decode()
    assert "Ajouter à Agenda Google" in help_page
