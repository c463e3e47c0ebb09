"""The agenda page: grouping by day in French, filters in the URL, pagination, bad input."""

from datetime import date, time, timedelta

import pytest
import time_machine

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.french import fr

pytestmark = [pytest.mark.django_db, pytest.mark.engine]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-03-03 09:00 +01:00", tick=False):
        yield


def get(client, **params):
    response = client.get("/agenda/", params)
    assert response.status_code == 200
    return response


def titles(response) -> list[str]:
    return [o.page.title for _, items in response.context["days"] for o in items]


def test_groups_by_day_in_french(client, agenda, publish_event, residence):
    publish_event(residence, title="Goûter", first_date=date(2026, 3, 3))
    publish_event(residence, title="Tricot", first_date=date(2026, 3, 4))
    publish_event(residence, title="Jardin", first_date=date(2026, 3, 12))
    response = get(client)
    assert [label for label, _ in response.context["days"]] == [
        "Aujourd'hui",
        "Demain",
        "jeudi 12 mars",
    ]
    html = response.content.decode()
    assert "mercredi 4 mars" not in html and "Demain" in html
    assert "3 dates à venir" in html


def test_past_occurrences_are_not_listed(client, agenda, publish_event, residence):
    publish_event(residence, title="Hier", first_date=date(2026, 3, 2))
    assert titles(get(client)) == []
    assert "Aucune animation ne correspond" in get(client).content.decode()


def test_cancelled_dates_show_with_their_reason(client, agenda, publish_event, residence):
    publish_event(
        residence,
        title="Tricot",
        frequency="weekly",
        count=3,
        first_date=date(2026, 3, 3),
        exceptions=[{"kind": "cancelled", "date": date(2026, 3, 10), "reason": "Formation"}],
    )
    html = get(client).content.decode()
    assert "Annulé" in html and fr("Motif : Formation") in html


def test_filters_by_residence_sector_category_and_audience(
    client, agenda, publish_event, residence, sector, home
):
    from events.models import EventCategory
    from tests.factories import ResidencePageFactory, SectorPageFactory

    outing = EventCategory.objects.create(name="Sortie", slug="sortie")
    south = SectorPageFactory(parent=home, slug="agence-sud")
    other = ResidencePageFactory(parent=south, slug="les-peupliers")
    publish_event(residence, title="Ici", audience="enfants")
    publish_event(other, title="Là-bas", category=outing)
    publish_event(home, title="Partout")
    assert titles(get(client, residence="les-tilleuls")) == ["Ici", "Partout"]
    assert sorted(titles(get(client, secteur="agence-sud"))) == ["Là-bas", "Partout"]
    assert titles(get(client, categorie="sortie")) == ["Là-bas"]
    assert titles(get(client, public="enfants")) == ["Ici"]


def test_period_filters(client, agenda, publish_event, residence):
    publish_event(residence, title="Aujourd'hui", first_date=date(2026, 3, 3))
    publish_event(residence, title="Dimanche", first_date=date(2026, 3, 8))
    publish_event(residence, title="Fin du mois", first_date=date(2026, 3, 31))
    publish_event(residence, title="Avril", first_date=date(2026, 4, 2))
    assert titles(get(client, periode="aujourdhui")) == ["Aujourd'hui"]
    assert titles(get(client, periode="semaine")) == ["Aujourd'hui", "Dimanche"]
    assert titles(get(client, periode="mois")) == ["Aujourd'hui", "Dimanche", "Fin du mois"]
    assert titles(get(client, periode="dates", du="2026-03-30", au="2026-04-02")) == [
        "Fin du mois",
        "Avril",
    ]
    assert titles(get(client, du="30/03/2026")) == ["Fin du mois", "Avril"]


@pytest.mark.parametrize(
    "params",
    [
        {"residence": "inconnue"},
        {"secteur": "<script>alert(1)</script>"},
        {"categorie": "' OR 1=1 --"},
        {"du": "2026-13-45"},
        {"du": "2026-03-01", "au": "2026-02-01"},
        {"periode": "hier"},
        {"public": "x" * 5000},
        {"page": "abc"},
        {"page": "-1"},
        {"page": "99999"},
        {"du": "\x00"},
    ],
)
def test_bad_parameters_are_ignored_with_a_french_message(
    client, agenda, publish_event, residence, params
):
    publish_event(residence, title="Goûter")
    response = get(client, **params)
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    if "page" not in params:
        assert "Certains filtres ne sont pas valables" in html
    assert titles(response) == ["Goûter"]


def test_reversed_dates_message(client, agenda):
    html = get(client, du="2026-04-10", au="2026-04-01").content.decode()
    assert "La date de fin doit être le même jour ou après la date de début." in html


def test_pagination_keeps_the_filters(client, agenda, publish_event, residence):
    publish_event(residence, title="Série", frequency="weekly", count=30)
    response = get(client, residence="les-tilleuls")
    html = response.content.decode()
    assert "Page 1 sur 2" in html
    assert "?residence=les-tilleuls&amp;page=2" in html
    assert len(titles(get(client, residence="les-tilleuls", page=2))) == 10


def test_the_count_stops_at_the_cap_and_says_so(client, agenda, publish_event, residence):
    """Past 200 dates the agenda counts no further: « Plus de 200 », pages without « sur N »."""
    for number in range(3):  # about 80 weekly dates each up to the horizon
        publish_event(residence, title=f"Série {number}", frequency="weekly")
    html = get(client).content.decode()
    assert fr("Plus de 200 dates à venir") in html
    assert "Page 1</li>" in html and "Page 1 sur" not in html
    assert "?page=2" in html
    eleventh = get(client, page=11)
    assert fr("Plus de 220 dates à venir") in eleventh.content.decode()  # still more after it
    assert len(titles(eleventh)) == 20
    total = sum(1 for _ in eleventh.context["page_obj"].paginator.object_list)
    last = get(client, page=(total + 19) // 20)
    html = last.content.decode()
    assert fr(f"{total} dates à venir") in html and "Plus de" not in html
    assert f"sur {(total + 19) // 20}</li>" in html and 'rel="next"' not in html


def test_subscribe_link_carries_the_filters(client, agenda, residence):
    html = get(client, residence="les-tilleuls", categorie="nope").content.decode()
    assert "webcal://testserver/calendrier/evenements.ics?residence=les-tilleuls" in html
    assert "https://" not in html or "http://testserver/calendrier/evenements.ics" in html


def test_query_count_does_not_grow_with_the_number_of_events(
    client, agenda, publish_event, residence, category
):
    """Measured at N events (half a page: a per-row query would show) and 3N (more than a page),
    uncached both times."""
    from events.calendar.occurrences import sync_occurrences
    from events.models import EventPage
    from events.models.agenda import PER_PAGE

    def add_events(count, start):
        for n in range(start, start + count):
            page = EventPage(
                title=f"Animation {n}",
                slug=f"animation-{n}",
                summary="Un moment convivial.",
                category=category,
                venue_residence=residence,
                first_date=date(2026, 3, 3) + timedelta(days=n % 60),
                start_time=time(14),
                end_time=time(16),
            )
            residence.add_child(instance=page)
            sync_occurrences(page)

    small_size = PER_PAGE // 2
    add_events(small_size, 0)
    get(client)
    cache.clear()  # the uncached cost, both times
    with CaptureQueriesContext(connection) as small:
        response = get(client, residence="les-tilleuls")
    assert response.context["page_obj"].paginator.count == len(titles(response)) == small_size
    add_events(2 * small_size, small_size)
    cache.clear()
    with CaptureQueriesContext(connection) as large:
        response = get(client, residence="les-tilleuls")
    assert response.context["page_obj"].paginator.count == 3 * small_size
    assert len(titles(response)) == PER_PAGE
    assert len(large) == len(small), [q["sql"][:120] for q in large.captured_queries]
