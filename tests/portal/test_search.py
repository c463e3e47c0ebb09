"""Header search finds events and residences, ignoring accents and case, on both databases."""

import pytest

pytestmark = [pytest.mark.usefixtures("shared_demo"), pytest.mark.engine]


def titles(client, query) -> list[str]:
    response = client.get("/recherche/", {"q": query})
    assert response.status_code == 200
    results = response.context["results"]
    return sorted(page.title for page in results) if results else []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("fete des voisins", "Fête des voisins"),
        ("FÊTE", "Fête des voisins"),
        ("gouter", "Goûter des voisins"),
        ("tricot", "Atelier tricot et papotage"),
        ("Malo", "Sortie à la mer à Malo-les-Bains"),
        ("tilleuls", "Les Tilleuls"),
    ],
)
def test_search_ignores_accents_and_case(client, query, expected):
    assert expected in titles(client, query)


def test_search_does_not_show_unpublished_pages(client):
    from events.models import EventPage

    EventPage.objects.get(slug="repair-cafe").unpublish()
    assert "Repair café" not in titles(client, "repair")


@pytest.mark.parametrize(
    "query", ["<script>alert(1)</script>", "' OR 1=1 --", "x" * 5000, "\x00", "%", "🎉", "&&&|||"]
)
def test_hostile_queries_are_harmless(client, query):
    response = client.get("/recherche/", {"q": query, "page": "abc"})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_header_has_a_labelled_search_box(client):
    html = client.get("/").content.decode()
    assert 'role="search"' in html and 'for="recherche-site"' in html
