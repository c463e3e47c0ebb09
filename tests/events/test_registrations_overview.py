"""« Inscriptions » (#20, point 2): every registration the user runs, filtered, searched, paged, with
the per-date page's actions; scoped by the one rule (events/registrations/access.py), with the
demo's real users: nadia (Agence Nord), sophie (Agence Sud), claire (manager of both)."""

import datetime as dt
import re
from datetime import timedelta

import pytest

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.models import EventPage, Notice, Occurrence, Registration, SeatCounter
from events.registrations.overview.views import PAGE_SIZE
from events.registrations.services import Party, register
from residences.models import ResidencePage, SectorPage

pytestmark = [pytest.mark.usefixtures("shared_demo"), pytest.mark.engine]

URL = reverse("registrations_overview")
OUTING = {"Awa", "Karim", "Josiane", "Mehdi", "Lucie", "Sylvie"}


def user(username):
    return get_user_model().objects.get(username=username)


def as_user(client, username):
    client.force_login(user(username) if isinstance(username, str) else username)
    return client


def names(response) -> set[str]:
    """The first names of the rows listed."""
    html = response.content.decode()
    return set(re.findall(r'<td data-label="Personne"><strong>([^<]+)</strong>', html))


@pytest.fixture
def outing():
    return Occurrence.objects.get(page__slug="sortie-a-la-mer")


@pytest.fixture
def south_only():
    """A registration on an Agence Sud event that concerns no other sector."""
    cooking = EventPage.objects.get(slug="atelier-cuisine")
    cooking.registration_enabled, cooking.capacity = True, 10
    cooking.save_revision().publish()
    occurrence = Occurrence.objects.filter(page=cooking).upcoming().first()
    return register(occurrence, Party(first_name="Bérénice", adults=1, phone="0320123456"))


@pytest.fixture
def south_mediator():
    other = get_user_model().objects.create_user("yannick", password="motdepasse-long")
    other.groups.add(SectorPage.objects.get(slug="agence-sud").team.mediators)
    return other


def test_the_menu_offers_it(client):
    as_user(client, "nadia")
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    # Wagtail's sidebar is drawn from JSON: the item's label and address.
    assert re.search(
        r"&quot;label&quot;: &quot;Inscriptions&quot;.*?&quot;url&quot;: &quot;/admin/inscriptions/&quot;",
        html,
    ) or ('"Inscriptions"' in html and '"/admin/inscriptions/"' in html)


def test_upcoming_by_default_with_the_landlord_wide_outing(client, outing):
    response = as_user(client, "nadia").get(URL)
    assert response.status_code == 200
    assert names(response) == OUTING | {"Mme Roux"}
    html = response.content.decode()
    assert "7 inscriptions à des dates à venir" in html
    awa = outing.registrations.get(first_name="Awa")
    assert awa.reference in html


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("waiting", {"Lucie", "Sylvie"}),
        ("confirmed", {"Awa", "Karim", "Josiane", "Mehdi", "Mme Roux"}),
        ("cancelled", set()),
    ],
)
def test_filter_by_status(client, status, expected):
    assert names(as_user(client, "claire").get(URL, {"statut": status})) == expected


def test_to_call_lists_the_households_no_message_reaches(client, outing):
    karim = outing.registrations.get(first_name="Karim")
    Notice.objects.create(
        registration=karim,
        kind=Notice.Kind.MOVED,
        date_version=outing.version,
        channel=Notice.Channel.CALL,
    )
    response = as_user(client, "nadia").get(URL, {"statut": "a_appeler"})
    assert names(response) == {"Karim"}
    assert "à appeler" in response.content.decode()


def test_search_by_reference_however_it_is_written_or_by_first_name(client, outing):
    lucie = outing.registrations.get(first_name="Lucie")
    spoken = "-".join(lucie.reference.lower()[i : i + 2] for i in (0, 2, 4))  # « k7-mx-3p »
    as_user(client, "sophie")
    assert names(client.get(URL, {"q": spoken})) == {"Lucie"}
    assert names(client.get(URL, {"q": "aWa"})) == {"Awa"}
    assert names(client.get(URL, {"q": "roux"})) == set()  # Les Tilleuls: not sophie's


def test_filter_by_event_and_residence(client, outing):
    gouter = EventPage.objects.get(slug="gouter-des-voisins")
    as_user(client, "nadia")
    assert names(client.get(URL, {"animation": gouter.pk})) == {"Mme Roux"}
    tilleuls = ResidencePage.objects.get(slug="les-tilleuls")
    # Mme Roux gave no residence: the goûter takes place at Les Tilleuls.
    assert names(client.get(URL, {"residence": tilleuls.pk})) == {"Mme Roux"}
    Registration.objects.filter(occurrence=outing, first_name="Awa").update(residence=tilleuls)
    assert names(client.get(URL, {"residence": tilleuls.pk})) == {"Mme Roux", "Awa"}


def test_past_and_custom_periods(client, outing):
    start = timezone.now() - timedelta(days=3)
    Occurrence.objects.filter(pk=outing.pk).update(start=start, end=start + timedelta(hours=10))
    as_user(client, "nadia")
    assert names(client.get(URL)) == {"Mme Roux"}
    past = client.get(URL, {"periode": "passees"})
    assert names(past) == OUTING
    local = timezone.localdate(start)
    chosen = {"periode": "dates", "du": local.isoformat(), "au": local.isoformat()}
    assert names(client.get(URL, chosen)) == OUTING
    before = {"periode": "dates", "au": (local - timedelta(days=1)).isoformat()}
    assert names(client.get(URL, before)) == set()


def test_dates_are_shown_in_paris_time(client):
    # 15:00 UTC on a winter day is 16h in Paris.
    gouter = Occurrence.objects.get(page__slug="gouter-des-voisins")
    start = dt.datetime(2031, 1, 11, 15, 0, tzinfo=dt.UTC)
    Occurrence.objects.filter(pk=gouter.pk).update(start=start, end=start + timedelta(hours=2))
    html = as_user(client, "nadia").get(URL).content.decode()
    assert '<td data-label="Date">Samedi 11 janvier 2031, 16h–18h</td>' in html


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"du": "2026-13-45"}, "du", "Saisissez une date valide."),
        ({"periode": "dates"}, "du", "Indiquez au moins une date de début ou de fin."),
        ({"du": "2030-02-02", "au": "2030-01-01"}, "au", "La date de fin doit être"),
        ({"animation": "' OR 1=1 --"}, "animation", "Choisissez une valeur de la liste."),
        ({"residence": "99999999999999999999999"}, "residence", "Choisissez une valeur"),
        ({"statut": "<script>"}, "statut", "Sélectionnez un choix valide"),
        ({"q": "x" * 500}, "q", "au plus 60 caractères"),
    ],
)
def test_hostile_filters_get_a_french_message_at_the_field(client, query, field, message):
    response = as_user(client, "nadia").get(URL, query)
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    assert "<script>" not in response.content.decode().split("</header>")[-1].replace(
        "&lt;script&gt;", ""
    )


@pytest.mark.parametrize("junk", ["abc", "-1", "0", "99999", "\x00"])
def test_junk_page_numbers_show_a_page(client, junk):
    assert as_user(client, "nadia").get(URL, {"page": junk}).status_code == 200


def test_a_mediator_of_one_sector_sees_nothing_of_the_other(client, south_only):
    as_user(client, "nadia")
    listed = names(client.get(URL, {"periode": "dates", "du": "2000-01-01"}))
    assert "Bérénice" not in listed and "Mme Roux" in listed
    assert names(client.get(URL, {"q": south_only.reference})) == set()
    cooking = south_only.occurrence.page_id
    refused = client.get(URL, {"animation": cooking})
    assert "Choisissez une valeur de la liste." in str(refused.context["form"].errors)
    assert "Atelier cuisine" not in refused.content.decode()
    louise = ResidencePage.objects.get(slug="residence-louise-michel")
    assert "Louise-Michel" not in client.get(URL).content.decode()
    refused = client.get(URL, {"residence": louise.pk})
    assert "Bérénice" not in refused.content.decode()
    as_user(client, "sophie")
    assert "Bérénice" in names(client.get(URL))


def test_a_mediator_of_the_other_sector_sees_nothing_of_the_outing(client, south_mediator):
    listed = names(as_user(client, south_mediator).get(URL))
    assert listed & OUTING == set()


@pytest.mark.parametrize("action", ["present", "absent", "annuler", "confirmer"])
def test_forged_posts_on_the_other_sectors_ids_change_nothing(client, south_only, action):
    as_user(client, "nadia")
    response = client.post(URL, {"action": action, "registration": south_only.pk})
    assert response.status_code == 302 and response["Location"] == URL
    south_only.refresh_from_db()
    assert (south_only.status, south_only.attended) == ("confirmed", None)
    page = client.get(URL).content.decode()
    assert "Inscription introuvable." in page and "Bérénice" not in page


def test_mark_present_then_absent_and_come_back_to_the_same_filters(client, outing):
    karim = outing.registrations.get(first_name="Karim")
    as_user(client, "nadia")
    response = client.post(
        URL,
        {
            "action": "present",
            "registration": karim.pk,
            "q": karim.reference,
            "statut": "confirmed",
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == f"{URL}?statut=confirmed&q={karim.reference}"
    karim.refresh_from_db()
    assert karim.attended is True
    page = client.get(response["Location"]).content.decode()
    assert "Karim : présent·e, c&#x27;est noté." in page or "Karim : présent·e, c'est noté." in page
    client.post(URL, {"action": "absent", "registration": karim.pk})
    karim.refresh_from_db()
    assert karim.attended is False


def test_a_waiting_party_cannot_be_marked_present(client, outing):
    lucie = outing.registrations.get(first_name="Lucie")
    as_user(client, "nadia").post(URL, {"action": "present", "registration": lucie.pk})
    lucie.refresh_from_db()
    assert lucie.attended is None
    assert "rien à pointer" in client.get(URL).content.decode()


def test_cancel_promotes_from_the_waiting_list(client, outing):
    awa = outing.registrations.get(first_name="Awa")
    as_user(client, "claire").post(URL, {"action": "annuler", "registration": awa.pk})
    statuses = dict(outing.registrations.values_list("first_name", "status"))
    assert statuses["Awa"] == "cancelled" and statuses["Lucie"] == "confirmed"
    assert names(client.get(URL, {"statut": "cancelled"})) == {"Awa"}


def test_confirm_from_the_waiting_list(client, outing):
    SeatCounter.objects.filter(occurrence=outing).update(capacity=13)
    sylvie = outing.registrations.get(first_name="Sylvie")
    as_user(client, "sophie").post(URL, {"action": "confirmer", "registration": sylvie.pk})
    sylvie.refresh_from_db()
    assert sylvie.status == "confirmed"


def test_a_party_that_does_not_fit_is_sent_to_the_date_to_decide(client, outing):
    lucie = outing.registrations.get(first_name="Lucie")
    response = as_user(client, "nadia").post(URL, {"action": "confirmer", "registration": lucie.pk})
    expected = reverse("occurrence_registrations", args=(outing.pk,))
    assert response["Location"] == f"{expected}?au_dela={lucie.pk}"
    lucie.refresh_from_db()
    assert lucie.status == "waiting"


def test_an_unknown_action_does_nothing(client, outing):
    awa = outing.registrations.get(first_name="Awa")
    as_user(client, "nadia").post(URL, {"action": "presences", "registration": awa.pk})
    awa.refresh_from_db()
    assert awa.attended is None and awa.status == "confirmed"


def test_posts_need_the_csrf_token(outing):
    checked = Client(enforce_csrf_checks=True)
    checked.force_login(user("nadia"))
    awa = outing.registrations.get(first_name="Awa")
    response = checked.post(URL, {"action": "annuler", "registration": awa.pk})
    assert response.status_code == 403
    awa.refresh_from_db()
    assert awa.status == "confirmed"


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_pages_of_results(client, outing):
    gouter = Occurrence.objects.get(page__slug="gouter-des-voisins")
    for number in range(PAGE_SIZE):
        register(gouter, Party(first_name=f"Voisin {number}", adults=1), enforce_window=False)
    as_user(client, "nadia")
    first = client.get(URL)
    assert len(names(first)) == PAGE_SIZE
    assert "Page 1 sur 2" in first.content.decode()
    second = client.get(URL, {"page": 2})
    assert len(names(second)) == 7 + PAGE_SIZE - PAGE_SIZE


def more_registrations(count: int) -> None:
    """`count` more registrations, on new dates of new events of Agence Nord, some waiting,
    some to call, with residences and buildings."""
    from tests.security.pages import event_page, publish

    tilleuls = ResidencePage.objects.get(slug="les-tilleuls")
    building = tilleuls.buildings.first()
    for number in range(count):
        day = timezone.localdate() + timedelta(days=5 + number)
        page = publish(
            tilleuls,
            event_page(
                title=f"Atelier {number}",
                slug=f"atelier-volume-{number}",
                first_date=day,
                registration_enabled=True,
                capacity=1,
            ),
        )
        occurrence = Occurrence.objects.get(page=page)
        for person in ("Ana", "Bob"):  # Bob waits
            registration = register(
                occurrence,
                Party(
                    first_name=f"{person} {number}",
                    adults=1,
                    residence_id=tilleuls.pk,
                    building_id=building.pk if building else None,
                ),
            )
            Notice.objects.create(
                registration=registration,
                kind=Notice.Kind.MOVED,
                date_version=occurrence.version,
                channel=Notice.Channel.CALL,
            )


def test_the_number_of_queries_does_not_grow_with_the_data(client, django_assert_num_queries):
    as_user(client, "nadia")
    query = {"statut": "", "q": ""}
    client.get(URL, query)  # warm-up: sessions, Wagtail's menus, content types
    with django_assert_num_queries(QUERIES):
        assert len(names(client.get(URL, query))) == 7
    more_registrations(8)
    client.get(URL, query)
    with django_assert_num_queries(QUERIES):
        assert len(names(client.get(URL, query))) == 7 + 16


# Of which 3 are the admin menu's « Situations » item asking which sector teams the user is in.
QUERIES = 22


def test_events_without_sign_up_show_a_dash_not_zero(client):
    """The cooking workshop takes no sign-up: its counts read « — » on the event's dates page
    and on the dashboard; the outing's read its figures."""
    cooking = Occurrence.objects.filter(page__slug="atelier-cuisine").upcoming().first()
    outing = Occurrence.objects.get(page__slug="sortie-a-la-mer")
    soon = timezone.now() + timedelta(days=2)
    for number, occurrence in enumerate((cooking, outing)):
        start = soon + timedelta(hours=number)
        Occurrence.objects.filter(pk=occurrence.pk).update(
            start=start, end=start + timedelta(hours=1)
        )
    as_user(client, "sophie")
    dates = client.get(reverse("event_registrations", args=(cooking.page_id,))).content.decode()
    assert '<td data-label="Inscrits">—</td>' in dates
    assert '<td data-label="Inscrits">0</td>' not in dates
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    row = dashboard.split("Atelier cuisine du monde")[1].split("</tr>")[0]
    assert row.count('">—</td>') == 2 and ">0<" not in row
    row = dashboard.split("Sortie à la mer à Malo-les-Bains")[1].split("</tr>")[0]
    assert '<td data-label="Inscrits / places">12 / 12</td>' in row
    assert '<td data-label="Attente">2</td>' in row
