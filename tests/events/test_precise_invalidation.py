"""A change makes stale what shows it, and nothing else: the other sector stays warm.

Two sectors, North (residences Tilleuls and Lilas) and South (residence Cèdres), and the
agenda for landlord-wide events. Every page and feed is requested once (so it is cached), then
something changes in one place: what shows it must show it on the next request, and what does
not show it must still be answered from the cache, with no query at all.
"""

from datetime import date

import pytest
import time_machine

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.models import Page

from events.models import Occurrence, PermanenceException
from events.registrations import services as booking
from tests.factories import ResidencePageFactory, SectorPageFactory
from tests.french import fr

pytestmark = [pytest.mark.django_db, pytest.mark.engine]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-03-03 09:00 +01:00", tick=False):
        yield


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_TIMEOUT = 120


@pytest.fixture
def tree(home, agenda, publish_event):
    north = SectorPageFactory(parent=home, title="Agence Nord", slug="agence-nord")
    south = SectorPageFactory(parent=home, title="Agence Sud", slug="agence-sud")
    tilleuls = ResidencePageFactory(parent=north, title="Les Tilleuls", slug="les-tilleuls")
    lilas = ResidencePageFactory(parent=north, title="Les Lilas", slug="les-lilas")
    cedres = ResidencePageFactory(parent=south, title="Les Cèdres", slug="les-cedres")
    tricot = publish_event(
        tilleuls,
        title="Tricot",
        first_date=date(2026, 3, 10),
        registration_enabled=True,
        capacity=12,
    )
    petanque = publish_event(
        cedres,
        title="Pétanque",
        first_date=date(2026, 3, 11),
        registration_enabled=True,
        capacity=20,
    )
    return {
        "north": north,
        "south": south,
        "tilleuls": tilleuls,
        "lilas": lilas,
        "cedres": cedres,
        "tricot": tricot,
        "petanque": petanque,
    }


def south_urls(tree) -> list[str]:
    return [
        tree["south"].url,
        tree["cedres"].url,
        tree["petanque"].url,
        "/calendrier/secteur/agence-sud.ics",
        "/calendrier/residence/les-cedres.ics",
    ]


def lilas_urls(tree) -> list[str]:
    return [tree["lilas"].url, "/calendrier/residence/les-lilas.ics"]


def tilleuls_urls(tree) -> list[str]:
    return [
        tree["tilleuls"].url,
        tree["north"].url,
        "/",
        "/agenda/",
        "/calendrier/residence/les-tilleuls.ics",
        "/calendrier/secteur/agence-nord.ics",
    ]


def all_urls(tree) -> list[str]:
    return [*tilleuls_urls(tree), *lilas_urls(tree), *south_urls(tree), tree["tricot"].url]


def get(client, url: str) -> tuple[str, int]:
    """The body and the number of queries it took."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode(), len(captured)


def warm_up(client, urls):
    get(client, "/")  # the first request of a site creates its settings row (a site-wide save)
    for url in urls:
        get(client, url)
    for url in urls:  # each is now answered from the cache
        assert get(client, url)[1] == 0, url


def assert_warm(client, urls, absent: str = ""):
    for url in urls:
        body, queries = get(client, url)
        assert queries == 0, f"{url} was rebuilt"
        if absent:
            assert absent not in body, url


def assert_shows(client, urls, text: str):
    for url in urls:
        assert text in get(client, url)[0], url


def test_a_date_published_in_a_residence_leaves_the_other_sector_and_residence_warm(
    client, tree, publish_event
):
    warm_up(client, all_urls(tree))

    publish_event(tree["tilleuls"], title="Jardinage", first_date=date(2026, 3, 20))

    assert_warm(client, south_urls(tree) + lilas_urls(tree), absent="Jardinage")
    assert_shows(client, tilleuls_urls(tree), "Jardinage")


def test_a_sector_date_reaches_every_residence_of_that_sector_only(client, tree, publish_event):
    warm_up(client, all_urls(tree))

    publish_event(tree["north"], title="Réunion d'agence", first_date=date(2026, 3, 20))

    assert_warm(client, south_urls(tree), absent="Réunion d")
    assert_shows(client, tilleuls_urls(tree) + lilas_urls(tree), "Réunion d")


def test_a_landlord_wide_date_reaches_both_sectors(client, tree, agenda, publish_event):
    warm_up(client, all_urls(tree))

    publish_event(agenda, title="Fête des voisins", first_date=date(2026, 3, 20))

    event_pages = {tree["tricot"].url, tree["petanque"].url}
    everywhere = [url for url in all_urls(tree) if url not in event_pages]
    assert_shows(client, everywhere, "Fête des voisins")


def test_an_unpublished_date_leaves_its_residence_and_the_other_sector_stays_warm(client, tree):
    warm_up(client, all_urls(tree))

    tree["tricot"].unpublish()

    assert_warm(client, south_urls(tree) + lilas_urls(tree))
    for url in tilleuls_urls(tree):
        assert "Tricot" not in get(client, url)[0], url
    assert client.get(tree["tricot"].url).status_code == 404


def test_a_moved_event_leaves_its_old_residence_and_reaches_the_new_one(client, tree):
    old_url = tree["tricot"].url
    warm_up(client, all_urls(tree))

    Page.objects.get(pk=tree["tricot"].pk).move(
        Page.objects.get(pk=tree["cedres"].pk), pos="last-child"
    )
    tree["tricot"].refresh_from_db()

    assert_warm(client, lilas_urls(tree), absent="Tricot")
    for url in tilleuls_urls(tree)[:2] + ["/calendrier/residence/les-tilleuls.ics"]:
        assert "Tricot" not in get(client, url)[0], url
    assert_shows(client, [tree["cedres"].url, "/calendrier/residence/les-cedres.ics"], "Tricot")
    # Not the cached page at its old address: Wagtail's redirect to the new one.
    response = client.get(old_url)
    assert response.status_code == 301 and response["Location"] == tree["tricot"].url


def test_a_deleted_event_leaves_every_page_that_showed_it(client, tree, publish_event):
    draft_like = publish_event(
        tree["tilleuls"], title="Atelier cuisine", first_date=date(2026, 4, 2)
    )
    warm_up(client, all_urls(tree))
    assert "Atelier cuisine" in get(client, tree["tilleuls"].url)[0]

    Page.objects.get(pk=draft_like.pk).delete()

    assert_warm(client, south_urls(tree) + lilas_urls(tree))
    for url in tilleuls_urls(tree):
        assert "Atelier cuisine" not in get(client, url)[0], url


def test_a_cancelled_permanence_date_shows_where_the_permanence_shows(
    client, tree, publish_permanence
):
    from django.contrib.auth import get_user_model

    permanence = publish_permanence(tree["tilleuls"], title="Permanence des Tilleuls")
    urls = [
        permanence.url,
        tree["tilleuls"].url,
        "/calendrier/residence/les-tilleuls.ics",
    ]
    warm_up(client, all_urls(tree) + [permanence.url])
    assert "Formation" not in get(client, permanence.url)[0]

    admin = get_user_model().objects.create_superuser("chef", "chef@example.fr", "motdepasse-1")
    client.force_login(admin)
    response = client.post(
        reverse("cancel_date", args=(permanence.pk,)), {"date": "2026-03-10", "reason": "Formation"}
    )
    assert response.status_code == 302
    client.logout()

    assert PermanenceException.objects.filter(page=permanence, reason="Formation").exists()
    assert_warm(client, south_urls(tree) + lilas_urls(tree), absent="Formation")
    assert_shows(client, urls[:1], fr("Motif : Formation"))
    assert "STATUS:CANCELLED" in get(client, urls[2])[0]


def test_a_registration_changes_the_places_shown_on_that_event_page_only(client, tree):
    tricot = tree["tricot"].url
    warm_up(client, all_urls(tree))
    assert "12 places restantes" in get(client, tricot)[0]

    first = Occurrence.objects.filter(page=tree["tricot"]).order_by("start").first()
    booking.register(first, booking.Party(first_name="Awa", adults=2, email="awa@example.fr"))

    assert "10 places restantes" in get(client, tricot)[0]
    # The residence page does not show places; the other event's page has its own.
    assert_warm(client, [tree["tilleuls"].url, tree["petanque"].url, *south_urls(tree)])

    booking.cancel(first.registrations.get())
    assert "12 places restantes" in get(client, tricot)[0]


def test_a_snippet_shown_everywhere_makes_every_page_stale(client, tree, category):
    warm_up(client, all_urls(tree))

    category.name = "Atelier créatif"
    category.save()

    assert "Atelier créatif" in get(client, tree["petanque"].url)[0]
    assert "Atelier créatif" in get(client, tree["tricot"].url)[0]


def test_a_view_restriction_takes_a_date_out_of_the_cached_pages(client, tree):
    from wagtail.models import PageViewRestriction

    warm_up(client, all_urls(tree))

    PageViewRestriction.objects.create(
        page=tree["tricot"], restriction_type=PageViewRestriction.LOGIN
    )

    assert_warm(client, south_urls(tree) + lilas_urls(tree))
    for url in tilleuls_urls(tree):
        assert "Tricot" not in get(client, url)[0], url
    assert client.get(tree["tricot"].url).status_code == 302  # to the login, not the cache
