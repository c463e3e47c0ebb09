"""Date lists a tenant reads right: what takes place, what was cancelled, where a moved date came
from, every date on request, today's permanence after hours, alerts that name their place."""

from datetime import date, datetime, time, timedelta
from html import unescape

import pytest
import time_machine

from django.urls import reverse
from django.utils import timezone

from events.calendar.schedule import PARIS
from events.models import Occurrence
from residences.models import NewsPage
from tests.french import fr

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-03-02 09:00 +01:00", tick=False):
        yield


def page_text(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_next_dates_of_a_permanence_leave_cancelled_ones_apart(
    client, residence, publish_permanence
):
    publish_permanence(
        residence,
        title="Permanence du mardi",
        exceptions=[
            {"kind": "cancelled", "date": date(2026, 3, 3), "reason": "Formation"},
            {"kind": "cancelled", "date": date(2026, 3, 10), "reason": "Grève"},
            {
                "kind": "moved",
                "date": date(2026, 3, 17),
                "new_date": date(2026, 3, 18),
                "new_start_time": time(9),
                "new_end_time": time(11),
            },
        ],
    )
    html = page_text(client, residence.url)
    block = html.split(fr("Prochaines dates :"))[1].split("</article>")[0]
    taking_place, cancelled = block.split(fr("Annulées :"))
    # Three dates that take place, the moved one saying where it came from.
    assert taking_place.count("<li") == 3
    assert (
        "Date modifiée" in taking_place
        and "initialement le mardi 17 mars 2026 à 14h" in taking_place
    )
    assert "Formation" in cancelled and "Grève" in cancelled and "3 mars" not in taking_place


@pytest.mark.parametrize(
    ("clock", "text"),
    [
        ("2026-03-03 10:00 +01:00", "Permanence aujourd'hui 14h–17h"),
        ("2026-03-03 15:00 +01:00", "Permanence en cours, jusqu'à 17h"),
        ("2026-03-03 19:52 +01:00", "Permanence terminée pour aujourd'hui (14h–17h)"),
    ],
)
def test_todays_permanence_says_whether_it_is_still_to_come(
    client, residence, publish_permanence, clock, text
):
    publish_permanence(residence)
    with time_machine.travel(clock, tick=False):
        assert text in page_text(client, residence.url)


def test_an_event_page_offers_every_date(client, publish_event, residence):
    page = publish_event(residence, title="Marche", frequency="weekly", until=date(2026, 9, 1))
    first = page_text(client, page.url)
    assert first.count('class="signup-link"') == 0  # no sign-up: the list itself
    shown = Occurrence.objects.filter(page=page).count()
    assert shown > 12 and "Voir toutes les dates" in first
    every = page_text(client, page.url + "?toutes=1")
    assert "Voir toutes les dates" not in every
    assert "mardi 1er septembre 2026" in every  # the last one, and « 1er »
    assert "mardi 1er septembre 2026" not in first


def test_alerts_name_their_residence_and_the_time_of_what_they_announce(
    client, residence, home, sector
):
    from residences.models import Building

    building = Building.objects.create(residence=residence, name="Bâtiment B")
    start = datetime(2026, 3, 5, 8, 0, tzinfo=PARIS)
    alert = NewsPage(
        title="Coupure d'eau",
        slug="coupure-eau",
        category="travaux",
        summary="Fermez vos robinets.",
        is_alert=True,
        alert_level="urgent",
        alert_from=timezone.now() - timedelta(hours=1),
        alert_until=timezone.now() + timedelta(days=5),
        happens_from=start,
        happens_until=start + timedelta(hours=4),
    )
    residence.add_child(instance=alert)
    alert.buildings.add(building)
    alert.save_revision().publish()
    for url in (residence.url, sector.url):
        html = page_text(client, url)
        if "Coupure d" not in html:
            continue  # a sector page lists only its own and landlord-wide alerts
        assert "Urgent – Les Tilleuls – Bâtiment B" in html, url
        assert "Le jeudi 5 mars 2026, de 8h à 12h" in html, url
    assert "Le jeudi 5 mars 2026, de 8h à 12h" in page_text(client, alert.url)


def test_an_alert_window_must_make_sense(residence):
    from django.core.exceptions import ValidationError

    news = NewsPage(
        title="Travaux",
        slug="travaux",
        category="travaux",
        summary="Ravalement.",
        happens_until=timezone.now(),
    )
    with pytest.raises(ValidationError) as error:
        news.full_clean()
    assert "Indiquez aussi quand cela commence" in str(error.value)


def test_a_residence_map_link_opens_everywhere(client, residence):
    residence.latitude, residence.longitude = "50.6292", "3.0573"
    residence.save_revision().publish()
    html = page_text(client, residence.url)
    assert "https://www.openstreetmap.org/?mlat=50.6292" in html and "&mlon=3.0573" in html
    assert "geo:" not in html


def test_the_site_has_a_favicon(client, residence):
    html = page_text(client, residence.url)
    assert 'rel="icon"' in html
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"].endswith("favicon.png")


def test_the_signup_link_for_a_date_is_reachable(client, outing):
    assert client.get(reverse("events:signup", args=(outing.pk,))).status_code == 200
