"""Every public page renders in French for an anonymous visitor."""

import pytest

from tests.french import fr

pytestmark = pytest.mark.usefixtures("shared_demo")

PUBLIC_URLS = [
    "/",
    "/residences/",
    "/agence-nord/",
    "/agence-sud/",
    "/agence-nord/les-tilleuls/",
    "/agence-sud/residence-louise-michel/",
    "/accessibilite/",
    "/mentions-legales/",
    "/donnees-personnelles/",
    "/mediateurs/nadia-benali/",
    "/agenda/",
    "/agenda/?residence=les-tilleuls&periode=mois",
    "/agence-nord/les-tilleuls/atelier-tricot/",
    "/sortie-a-la-mer/",
    "/recherche/?q=tricot",
    "/permanences/",
    "/actualites/",
    "/agence-nord/les-tilleuls/coupure-eau-batiment-b/",
]


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_page_renders_in_french(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert 'href="#contenu"' in html and 'id="contenu"' in html
    assert "Habitat Solidaire" in html
    assert fr("Accessibilité : partiellement conforme") in html


def test_home_page_shows_sectors_and_next_events(client):
    html = client.get("/").content.decode()
    assert "Agence Nord" in html and "Les Tilleuls" in html
    assert "Atelier tricot et papotage" in html
    assert 'action="/residences/"' in html


def test_home_page_reads_well_without_events(client):
    from wagtail.models import Page

    from events.models import EventPage

    for page in EventPage.objects.live():
        page.unpublish()
    assert not Page.objects.live().type(EventPage).exists()
    html = client.get("/").content.decode()
    assert "Aucune animation n'est annoncée pour le moment" in html


def test_residence_page_shows_its_next_events_and_not_others(client):
    html = client.get("/agence-nord/les-tilleuls/").content.decode()
    assert "Atelier tricot et papotage" in html
    assert "Atelier cuisine du monde" not in html  # another sector
    assert "/agenda/?residence=les-tilleuls" in html


def test_event_page_shows_dates_place_and_calendar_links(client):
    html = client.get("/agence-nord/les-tilleuls/atelier-tricot/").content.decode()
    assert "Tous les jeudis" in html
    assert "Salle commune (LCR), Les Tilleuls" in html
    assert fr("Motif : Salle commune en travaux") in html
    assert "Date modifiée" in html
    assert "Ajouter toutes les dates à mon agenda" in html
    assert "Nadia Benali" in html


def test_navigation_lists_menu_pages_only(client):
    html = client.get("/agence-nord/").content.decode()
    nav = html.split('aria-label="Menu principal"')[1].split("</nav>")[0]
    assert ">Résidences<" in nav and ">Agenda<" in nav
    assert "Mentions légales" not in nav


def test_residence_page_shows_buildings_people_and_practical_details(client):
    html = client.get("/agence-nord/les-tilleuls/").content.decode()
    for text in (
        "3 rue des Tilleuls, 59100 Roubaix",
        "Bâtiment A",
        "Entrées 5 et 6",
        "Salle commune (LCR)",
        "Mme Rachida Haddad",
        "Nadia Benali",
        "Amicale des locataires des Tilleuls",
        'href="tel:0320701001"',
    ):
        assert text in html, text
    # A partner of the other sector is not shown here.
    assert "Mairie de quartier de Lille-Sud" not in html


def test_sector_page_lists_only_its_residences(client):
    html = client.get("/agence-sud/").content.decode()
    assert "Les Peupliers" in html
    assert "Les Tilleuls" not in html
    assert "Lundi, mardi, jeudi et vendredi" in html


def test_unknown_page_is_a_french_404(client):
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_unknown_mediator_is_404(client):
    assert client.get("/mediateurs/personne/").status_code == 404


def test_draft_residence_is_not_public(client):
    from residences.models import ResidencePage

    residence = ResidencePage.objects.get(slug="les-tilleuls")
    residence.unpublish()
    assert client.get("/agence-nord/les-tilleuls/").status_code == 404
    assert "Les Tilleuls" not in client.get("/residences/").content.decode()
