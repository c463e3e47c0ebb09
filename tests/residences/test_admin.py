"""The admin speaks French and refuses bad input at the field, saving nothing."""

import re
from html import unescape

import pytest

from django.contrib.auth import get_user_model
from django.urls import reverse

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from residences.models import ResidencePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("chef", "chef@example.fr", "motdepasse-long")
    client.force_login(user)
    return client


def residence_form(**overrides) -> dict:
    data = {
        "title": "Les Acacias",
        "slug": "les-acacias",
        "intro": rich_text("<p>Bienvenue</p>"),
        "address": "4 rue des Acacias",
        "postcode": "59100",
        "town": "Roubaix",
        "buildings": inline_formset([{"name": "Bâtiment A", "entrances": "", "address": ""}]),
        "action-publish": "publish",
    }
    data.update(overrides)
    return nested_form_data(data)


def add_url(parent) -> str:
    return reverse("wagtailadmin_pages:add", args=("residences", "residencepage", parent.pk))


def test_admin_dashboard_is_in_french(admin_client, home):
    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'lang="fr"' in html
    assert "Tableau de bord" in html


def test_residence_edit_form_labels_are_french(admin_client, sector):
    html = admin_client.get(add_url(sector)).content.decode()
    for label in ("Code postal", "Commune", "Bâtiments", "Salle commune", "Loge du gardien"):
        assert label in html, label


def test_valid_residence_is_created_with_its_buildings(admin_client, sector):
    response = admin_client.post(add_url(sector), residence_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    residence = ResidencePage.objects.get(slug="les-acacias")
    assert residence.live
    assert [b.name for b in residence.buildings.all()] == ["Bâtiment A"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"postcode": "00000"}, "Saisissez un code postal français de 5 chiffres"),
        ({"latitude": "123", "longitude": "3"}, "La latitude doit être comprise entre -90 et 90"),
        ({"latitude": "50.6"}, "Indiquez la latitude et la longitude, ou aucune des deux."),
        ({"caretaker_phone": "<script>alert(1)</script>"}, "numéro de téléphone n'est pas valide"),
    ],
)
def test_bad_residence_input_is_refused_and_nothing_saved(admin_client, sector, overrides, message):
    response = admin_client.post(add_url(sector), residence_form(**overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in unescape(html)
    assert "<script>alert(1)</script>" not in html
    assert not ResidencePage.objects.filter(slug="les-acacias").exists()


def test_mediator_listing_is_french(admin_client, sector):
    from tests.factories import MediatorProfileFactory

    MediatorProfileFactory(first_name="Nadia", last_name="Benali")
    html = admin_client.get(
        reverse("wagtailsnippets_residences_mediatorprofile:list")
    ).content.decode()
    assert "Nadia Benali" in html
    headers = re.findall(r"<th[^>]*>\s*(?:<a[^>]*>)?\s*([^<]+?)\s*<", html.split("<thead>")[-1])
    assert [h for h in headers if h.strip()][:4] == [
        "Nom",
        "Fonction",
        "Téléphone",
        "Adresse e-mail",
    ]
