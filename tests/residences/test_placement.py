"""Issue #20, point 3: « Nouvelle animation » asks where it belongs, among the user's places.

Real demo users and groups (`seed_demo`): nadia (mediator, Agence Nord), claire (manager of
both sectors), admin (superuser). A forged parent of another sector is refused by our step and by
Wagtail's own add view, GET and POST, and the event form lists only the user's places.
"""

import html

import pytest

from django.contrib.auth import get_user_model
from django.urls import reverse

from wagtail.models import Page

from events.models import EventCategory, EventPage
from residences.models import MediatorProfile, Partner, ResidencePage, SectorPage
from tests.events.test_admin import event_form

pytestmark = [pytest.mark.usefixtures("shared_demo"), pytest.mark.engine]

NORTH = ["Les Tilleuls", "Le Clos Fleuri", "Résidence Jean-Moulin"]
SOUTH = ["Les Peupliers", "Le Hameau des Lilas", "Résidence Louise-Michel"]


def login(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    return client


def step(app="events", model="eventpage"):
    return reverse("choose_place", args=(app, model))


def page(slug):
    return Page.objects.get(slug=slug)


def offered(response) -> list[str]:
    """The places offered, as the radio buttons' values."""
    import re

    return re.findall(r'name="lieu" value="(\d+)"', response.content.decode())


def ids(*slugs) -> list[str]:
    return [str(page(slug).pk) for slug in slugs]


def test_nadia_is_offered_her_residences_and_her_sector_only(client):
    response = login(client, "nadia").get(step())
    assert response.status_code == 200
    text = html.unescape(response.content.decode())
    assert "Où a lieu l'animation ?" in text
    north = ResidencePage.objects.filter(title__in=NORTH)
    expected = {str(r.pk) for r in north} | set(ids("agence-nord"))
    assert set(offered(response)) == expected
    for title in SOUTH + ["Agence Sud", "Tout le bailleur"]:
        assert title not in text
    assert "Tout le secteur Agence Nord" in text


def test_claire_is_offered_both_sectors_grouped_but_not_the_landlord(client):
    response = login(client, "claire").get(step())
    text = html.unescape(response.content.decode())
    residences = ResidencePage.objects.filter(title__in=NORTH + SOUTH)
    assert set(offered(response)) == {str(r.pk) for r in residences} | set(
        ids("agence-nord", "agence-sud")
    )
    assert "Tout le bailleur" not in text
    # Grouped by sector: each sector's residences under its own legend.
    assert text.index("<legend>Agence Nord</legend>") < text.index("Les Tilleuls")
    assert text.index("Les Tilleuls") < text.index("<legend>Agence Sud</legend>")
    assert text.index("<legend>Agence Sud</legend>") < text.index("Les Peupliers")


def test_the_administrator_may_also_file_for_the_whole_landlord(client):
    response = login(client, "admin").get(step())
    home = SectorPage.objects.get(slug="agence-nord").get_parent()
    assert str(home.pk) in offered(response)
    assert "Tout le bailleur" in html.unescape(response.content.decode())


def test_a_permanence_is_never_offered_for_the_whole_landlord(client):
    response = login(client, "admin").get(step("events", "permanencepage"))
    home = SectorPage.objects.get(slug="agence-nord").get_parent()
    assert response.status_code == 200
    assert str(home.pk) not in offered(response)
    assert set(ids("agence-nord", "agence-sud")) <= set(offered(response))


def test_news_asks_the_same_question(client):
    response = login(client, "nadia").get(step("residences", "newspage"))
    assert response.status_code == 200
    assert set(ids("les-tilleuls", "agence-nord")) <= set(offered(response))
    assert ids("les-peupliers")[0] not in offered(response)


def test_choosing_a_residence_goes_to_wagtails_add_view_under_it(client):
    tilleuls = page("les-tilleuls")
    response = login(client, "nadia").post(step(), {"lieu": tilleuls.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "wagtailadmin_pages:add", args=("events", "eventpage", tilleuls.pk)
    )


@pytest.mark.parametrize(
    "value", ["peupliers", "", "abc", "<script>alert(1)</script>", "99999999", "1 OR 1=1", "\x00"]
)
def test_a_forged_or_missing_place_is_refused_in_french(client, value):
    if value == "peupliers":
        value = str(page("les-peupliers").pk)
    response = login(client, "nadia").post(step(), {"lieu": value})
    assert response.status_code == 200
    text = html.unescape(response.content.decode())
    assert (
        "Ce lieu ne fait pas partie des vôtres" in text
        or "Choisissez où la page sera publiée." in text
    )
    assert "<script>alert" not in response.content.decode()


def test_the_step_needs_a_csrf_token(client):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    login(csrf_client, "nadia")
    response = csrf_client.post(step(), {"lieu": page("les-tilleuls").pk})
    assert response.status_code == 403


@pytest.mark.parametrize(
    "app, model", [("residences", "residencepage"), ("auth", "user"), ("nope", "nope")]
)
def test_only_page_types_that_ask_where_they_belong(client, app, model):
    assert login(client, "admin").get(step(app, model)).status_code == 404


def test_a_user_with_no_place_is_refused(client):
    user = get_user_model().objects.create_user("personne", password="motdepasse-long")
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    response = client.get(step())
    assert response.status_code in (302, 403)
    assert "lieu" not in response.content.decode()


def test_the_step_costs_the_same_queries_with_more_residences(client, django_assert_num_queries):
    login(client, "claire").get(step())
    with django_assert_num_queries(count := _count(client)):
        client.get(step())
    north = SectorPage.objects.get(slug="agence-nord")
    for n in range(5):
        north.add_child(instance=ResidencePage(title=f"Résidence {n}", slug=f"residence-{n}"))
    with django_assert_num_queries(count):
        response = client.get(step())
    assert "Résidence 4" in response.content.decode()


def _count(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(step())
    return len(queries)


# Wagtail's own add view, for a parent of another sector -----------------------------------


def test_wagtails_add_view_refuses_a_parent_of_another_sector(client):
    peupliers = page("les-peupliers")
    category = EventCategory.objects.first()
    url = reverse("wagtailadmin_pages:add", args=("events", "eventpage", peupliers.pk))
    login(client, "nadia")
    before = EventPage.objects.count()
    got = client.get(url)
    assert got.status_code in (302, 403)
    assert "Les Peupliers" not in got.content.decode()
    posted = client.post(url, event_form(category, slug="forge", title="Forgé"))
    assert posted.status_code in (302, 403)
    assert EventPage.objects.count() == before
    assert not Page.objects.filter(slug="forge").exists()


def test_the_event_form_lists_only_nadias_places(client):
    tilleuls = page("les-tilleuls")
    url = reverse("wagtailadmin_pages:add", args=("events", "eventpage", tilleuls.pk))
    response = login(client, "nadia").get(url)
    assert response.status_code == 200
    form = response.context["form"]
    residences = set(form.fields["venue_residence"].queryset.values_list("title", flat=True))
    assert residences == set(NORTH)
    mediators = set(form.fields["organising_mediators"].queryset.values_list("slug", flat=True))
    assert mediators == {"nadia-benali", "julien-marchand"}
    partners = set(form.fields["organising_partners"].queryset.values_list("name", flat=True))
    assert "Mairie de quartier de Lille-Sud" not in partners
    assert "Amicale des locataires des Tilleuls" in partners
    # Under a residence, the event takes place in its common room unless told otherwise.
    assert form.initial["venue_residence"] == tilleuls.pk
    text = response.content.decode()
    assert "Les Peupliers" not in text and "Sophie" not in text


def test_a_forged_venue_or_mediator_of_another_sector_is_refused(client):
    tilleuls = page("les-tilleuls")
    category = EventCategory.objects.first()
    url = reverse("wagtailadmin_pages:add", args=("events", "eventpage", tilleuls.pk))
    login(client, "nadia")
    data = event_form(
        category,
        slug="cafe-forge",
        title="Café",
        venue_residence=str(page("les-peupliers").pk),
    )
    data["organising_mediators"] = [str(MediatorProfile.objects.get(slug="sophie-lefevre").pk)]
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "venue_residence" in errors and "organising_mediators" in errors
    assert not Page.objects.filter(slug="cafe-forge").exists()


def test_nadias_cafe_at_les_tilleuls_is_filed_under_les_tilleuls(client):
    tilleuls = page("les-tilleuls")
    category = EventCategory.objects.first()
    login(client, "nadia")
    location = client.post(step(), {"lieu": tilleuls.pk})["Location"]
    data = event_form(category, slug="cafe-tilleuls", title="Café des Tilleuls")
    data["venue_residence"] = str(tilleuls.pk)
    data["venue_name"] = ""
    response = client.post(location, data)
    assert response.status_code == 302, response.context["form"].errors
    cafe = EventPage.objects.get(slug="cafe-tilleuls")
    assert cafe.get_parent().pk == tilleuls.pk
    assert cafe.venue_residence_id == tilleuls.pk


def test_news_lists_only_the_buildings_of_its_residence(client):
    tilleuls = page("les-tilleuls")
    url = reverse("wagtailadmin_pages:add", args=("residences", "newspage", tilleuls.pk))
    form = login(client, "nadia").get(url).context["form"]
    residence_ids = set(form.fields["buildings"].queryset.values_list("residence_id", flat=True))
    assert residence_ids == {tilleuls.pk}
    sector_url = reverse(
        "wagtailadmin_pages:add", args=("residences", "newspage", page("agence-nord").pk)
    )
    assert not client.get(sector_url).context["form"].fields["buildings"].queryset.exists()


def test_the_administrator_keeps_every_place_in_the_form(client):
    tilleuls = page("les-tilleuls")
    url = reverse("wagtailadmin_pages:add", args=("events", "eventpage", tilleuls.pk))
    form = login(client, "admin").get(url).context["form"]
    assert form.fields["venue_residence"].queryset.count() == ResidencePage.objects.count()
    assert form.fields["organising_partners"].queryset.count() == Partner.objects.count()


def test_a_caretaker_with_one_residence_goes_straight_to_it(client):
    """A group with rights on one residence only: nothing to ask."""
    from django.contrib.auth.models import Group, Permission

    from wagtail.models import GroupPagePermission

    tilleuls = page("les-tilleuls")
    group = Group.objects.create(name="Gardiens – Les Tilleuls")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for kind in ("add", "change"):
        GroupPagePermission.objects.create(group=group, page=tilleuls, permission_type=kind)
    user = get_user_model().objects.create_user("gardien", password="motdepasse-long")
    user.groups.add(group)
    client.force_login(user)
    response = client.get(step())
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "wagtailadmin_pages:add", args=("events", "eventpage", tilleuls.pk)
    )
    form = client.get(response["Location"]).context["form"]
    assert list(form.fields["venue_residence"].queryset) == [tilleuls.specific]
