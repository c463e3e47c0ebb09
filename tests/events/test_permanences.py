"""Permanences: holidays and closures on the site and in every feed, today's status, feeds, 304."""

import html
from datetime import UTC, date, datetime, time

import icalendar
import pytest
import time_machine

from django.core.cache import cache
from django.urls import reverse

from events.models import Occurrence
from tests.french import fr

from .readers import as_set, ical_js, recurring_ical_events, site_set

pytestmark = [pytest.mark.django_db, pytest.mark.engine]

WINDOW = ("2026-03-01T00:00:00+00:00", "2028-03-01T00:00:00+00:00")
FEEDS = [
    "/calendrier/permanences.ics",
    "/calendrier/residence/les-tilleuls.ics",
    "/calendrier/residence/les-tilleuls/permanences.ics",
    "/calendrier/secteur/agence-nord.ics",
]


@pytest.fixture(autouse=True)
def frozen(settings):
    settings.OCCURRENCE_HORIZON_DAYS = 2 * 366
    with time_machine.travel("2026-03-01 09:00 +01:00", tick=False):
        yield


def in_window(page):
    start, end = (datetime.fromisoformat(moment) for moment in WINDOW)
    return Occurrence.objects.filter(page=page, end__gt=start, start__lt=end)


def only(found, page) -> list[dict]:
    uid_prefix = f"permanence-{page.pk}"
    return [e for e in found if e["uid"].startswith(uid_prefix)]


@pytest.fixture
def tuesday(publish_permanence, residence):
    """Tuesday 14–17h from 3 March 2026, with school holidays, a cancelled and a moved date."""
    return publish_permanence(
        residence,
        title="Permanence des Tilleuls",
        closures=[
            (date(2026, 3, 31), date(2026, 3, 31), "Formation"),
            (date(2026, 4, 11), date(2026, 4, 26), "Vacances de printemps"),
        ],
        exceptions=[
            {"kind": "cancelled", "date": date(2026, 5, 5), "reason": "Congés"},
            {
                "kind": "moved",
                "date": date(2026, 6, 2),
                "new_date": date(2026, 6, 3),
                "new_start_time": time(10),
                "new_end_time": time(12),
            },
        ],
    )


def test_dst_and_closures_on_the_site(tuesday):
    days = {o.local_start.date(): o for o in Occurrence.objects.filter(page=tuesday)}
    assert {o.local_start.hour for o in days.values() if o.status == "scheduled"} == {14}
    assert days[date(2026, 3, 24)].start.astimezone(UTC).hour == 13
    assert days[date(2026, 4, 7)].start.astimezone(UTC).hour == 12
    assert days[date(2026, 10, 27)].start.astimezone(UTC).hour == 13
    assert date(2026, 3, 31) not in days
    assert date(2026, 4, 14) not in days and date(2026, 4, 21) not in days
    assert date(2026, 7, 14) not in days  # Fête nationale, a Tuesday
    assert days[date(2026, 5, 5)].status == "cancelled"
    assert date(2026, 6, 2) not in days and days[date(2026, 6, 3)].status == "moved"


@pytest.mark.parametrize("path", FEEDS)
def test_every_feed_agrees_with_the_site_for_two_independent_readers(client, tuesday, path):
    body = client.get(path).content
    site = site_set(in_window(tuesday))
    assert len(site) > 80
    assert as_set(only(recurring_ical_events(body, *WINDOW), tuesday)) == site
    assert as_set(only(ical_js(body, *WINDOW), tuesday)) == site


def test_public_holidays_are_excluded_from_site_and_feeds(client, publish_permanence, residence):
    monday = publish_permanence(residence, first_date=date(2026, 3, 2), title="Lundi")
    holidays = [
        date(2026, 4, 6),
        date(2026, 5, 25),
        date(2027, 3, 29),
        date(2027, 5, 17),
        date(2027, 11, 1),
    ]
    days = {o.local_start.date() for o in Occurrence.objects.filter(page=monday)}
    assert not days & set(holidays)
    assert date(2026, 4, 13) in days
    body = client.get("/calendrier/residence/les-tilleuls/permanences.ics").content
    assert b"EXDATE;TZID=Europe/Paris:20260406T140000" in body
    for reader in (recurring_ical_events, ical_js):
        starts = {e["start"][:10] for e in only(reader(body, *WINDOW), monday)}
        assert not starts & {d.isoformat() for d in holidays}


def test_holidays_can_be_kept_open(publish_permanence, residence):
    page = publish_permanence(
        residence, first_date=date(2026, 7, 7), skip_public_holidays=False, count=2
    )
    assert date(2026, 7, 14) in {o.local_start.date() for o in Occurrence.objects.filter(page=page)}


def test_residence_feed_answers_304_without_building(client, tuesday, monkeypatch):
    path = "/calendrier/residence/les-tilleuls.ics"
    first = client.get(path)
    assert first.status_code == 200 and first["ETag"]
    assert "max-age" in first["Cache-Control"]
    from events.calendar import ical

    def explode(*args, **kwargs):
        raise AssertionError("rebuilt for a conditional request")

    monkeypatch.setattr(ical, "build_calendar", explode)
    second = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 304


def test_etag_moves_when_the_horizon_materialises_a_new_holiday(
    client, publish_permanence, residence, settings
):
    settings.OCCURRENCE_HORIZON_DAYS = 30
    publish_permanence(residence, first_date=date(2026, 3, 2), title="Lundi")
    path = "/calendrier/residence/les-tilleuls/permanences.ics"
    first = client.get(path)
    assert b"20260406" not in first.content
    from events.calendar.occurrences import extend_all

    with time_machine.travel("2026-03-20 09:00 +01:00", tick=False):
        extend_all()
        second = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert b"EXDATE;TZID=Europe/Paris:20260406T140000" in second.content


def test_feeds_have_french_names_and_links_back(client, tuesday):
    calendar = icalendar.Calendar.from_ical(
        client.get("/calendrier/residence/les-tilleuls.ics").content
    )
    assert str(calendar["X-WR-CALNAME"]).startswith("Les Tilleuls")
    for event in calendar.walk("VEVENT"):
        assert str(event["URL"]).startswith("http://testserver/agence-nord/les-tilleuls/")


def test_residence_feed_holds_events_and_permanences(client, tuesday, publish_event, residence):
    publish_event(residence, title="Goûter")
    calendar = icalendar.Calendar.from_ical(
        client.get("/calendrier/residence/les-tilleuls.ics").content
    )
    assert {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")} == {
        "Goûter",
        "Permanence des Tilleuls",
    }
    only_permanences = client.get("/calendrier/residence/les-tilleuls/permanences.ics").content
    assert b"Go\xc3\xbbter" not in only_permanences


def test_mediator_feed(client, publish_permanence, residence):
    from tests.factories import MediatorProfileFactory

    nadia = MediatorProfileFactory(slug="nadia")
    page = publish_permanence(residence, title="Avec Nadia")
    page.mediators = [nadia]
    page.save_revision().publish()
    publish_permanence(residence, title="Sans Nadia")
    body = client.get("/calendrier/mediateur/nadia.ics").content
    summaries = {str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(body).walk("VEVENT")}
    assert summaries == {"Avec Nadia"}


@pytest.mark.parametrize(
    "path",
    [
        "/calendrier/residence/inconnue.ics",
        "/calendrier/residence/inconnue/permanences.ics",
        "/calendrier/secteur/inconnu.ics",
        "/calendrier/mediateur/personne.ics",
        "/permanences/imprimer/inconnue/",
    ],
)
def test_unknown_slugs_are_404(client, residence, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    ("now", "text"),
    [
        ("2026-03-03 09:00 +01:00", "Permanence aujourd'hui 14h–17h"),
        ("2026-05-05 09:00 +02:00", "Annulée aujourd'hui : Congés"),
        ("2026-04-14 09:00 +02:00", "Pas de permanence aujourd'hui : Vacances de printemps"),
        ("2026-07-14 09:00 +02:00", "Pas de permanence aujourd'hui : Fête nationale"),
        ("2026-06-02 09:00 +02:00", "Déplacée, pas de permanence aujourd'hui"),
    ],
)
def test_todays_status_in_words_on_residence_and_sector_pages(client, tuesday, now, text):
    with time_machine.travel(now, tick=False):
        for path in ("/agence-nord/les-tilleuls/", "/agence-nord/"):
            assert fr(text) in html.unescape(client.get(path).content.decode()), path


def test_no_status_line_on_a_day_without_permanence(client, tuesday):
    with time_machine.travel("2026-03-04 09:00 +01:00", tick=False):
        html = client.get("/agence-nord/les-tilleuls/").content.decode()
    assert (
        "aujourd'hui"
        not in html.split("Prochaines permanences")[1].split("Prochaines animations")[0]
    )


def test_printable_month(client, tuesday):
    response = client.get(
        reverse("events:printable_permanences", args=("les-tilleuls",)), {"mois": "2026-05"}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Mai 2026" in content and "Mardi 12 mai" in content
    assert "ANNULÉE" in content and "Congés" in content
    for garbage in ("zz", "2026-13", "9999-01", "<script>"):
        assert (
            client.get(
                reverse("events:printable_permanences", args=("les-tilleuls",)), {"mois": garbage}
            ).status_code
            == 200
        )


def test_permanences_page_groups_by_sector_and_residence(client, tuesday, home):
    from events.models import PermanenceIndexPage

    index = home.add_child(instance=PermanenceIndexPage(title="Permanences", slug="permanences"))
    index.save_revision().publish()
    content = client.get("/permanences/").content.decode()
    assert "Agence Nord" in content and "Les Tilleuls" in content
    assert "Permanence des Tilleuls" in content
    assert "webcal://testserver/calendrier/permanences.ics" in content


def test_residence_page_queries_stay_constant(
    client, publish_permanence, residence, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    publish_permanence(residence)
    client.get("/agence-nord/les-tilleuls/")
    cache.clear()  # the uncached cost: fragments are rebuilt after any publish
    with CaptureQueriesContext(connection) as small:
        client.get("/agence-nord/les-tilleuls/")
    for _ in range(8):
        publish_permanence(residence)
    cache.clear()
    with CaptureQueriesContext(connection) as large:
        client.get("/agence-nord/les-tilleuls/")
    assert len(large) == len(small)


def test_queries_stay_constant_on_a_closed_day(client, publish_permanence, residence):
    """On a holiday every permanence explains its closure: still no query per permanence."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    closure = [(date(2026, 7, 14), date(2026, 7, 14), "Fête nationale")]
    publish_permanence(residence, closures=closure)
    with time_machine.travel("2026-07-14 09:00 +02:00", tick=False):
        client.get("/agence-nord/les-tilleuls/")
        cache.clear()
        with CaptureQueriesContext(connection) as small:
            client.get("/agence-nord/les-tilleuls/")
        for _ in range(6):
            publish_permanence(residence, closures=closure)
        cache.clear()
        with CaptureQueriesContext(connection) as large:
            page = client.get("/agence-nord/les-tilleuls/").content.decode()
    assert html.unescape(page).count(fr("Pas de permanence aujourd'hui : Fête nationale")) == 7
    assert len(large) == len(small)
