"""'Find my residence' forgives accents, case and hyphens, and survives hostile input."""

import pytest

from residences.search import matches, normalise
from tests.factories import BuildingFactory, ResidencePageFactory
from tests.french import fr

pytestmark = pytest.mark.usefixtures("shared_demo")


def test_normalise_folds_accents_case_and_punctuation():
    assert normalise("Résidence Jean-Moulin") == "residence jean moulin"
    assert normalise("Allée de l'Église") == "allee de l eglise"


def test_matches_needs_every_word():
    assert matches("jean moulin", ["Résidence Jean-Moulin"])
    assert not matches("jean jaures", ["Résidence Jean-Moulin"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("jean moulin", ["Résidence Jean-Moulin"]),
        ("TILLEULS", ["Les Tilleuls"]),
        ("allee des roses", ["Le Clos Fleuri"]),
        ("louise michel lille", ["Résidence Louise-Michel"]),
    ],
)
def test_search_by_name_or_street(client, query, expected):
    response = client.get("/residences/", {"q": query})
    assert [r.title for _, group in response.context["groups"] for r in group] == expected


def test_search_by_building_address(client):
    from residences.models import SectorPage

    sector = SectorPage.objects.get(slug="agence-nord")
    residence = ResidencePageFactory(parent=sector, title="Les Acacias")
    BuildingFactory(residence=residence, address="7 impasse Zola")
    residence.save_revision().publish()
    response = client.get("/residences/", {"q": "impasse zola"})
    assert response.context["result_count"] == 1
    assert [r.title for _, group in response.context["groups"] for r in group] == ["Les Acacias"]


def test_no_result_reads_well(client):
    html = client.get("/residences/", {"q": "rue imaginaire"}).content.decode()
    assert fr("Aucune résidence ne correspond à « rue imaginaire »") in html


@pytest.mark.parametrize(
    "query",
    ["<script>alert(1)</script>", "' OR 1=1 --", "a" * 10_000, "\x00abc", "%00", "🏠", "é" * 300],
)
def test_hostile_queries_are_harmless(client, query):
    response = client.get("/residences/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert len(response.context["query"]) <= 100


@pytest.mark.engine
def test_index_query_count_does_not_grow_with_residences(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/residences/")  # warm-up: site root and settings caches
    with CaptureQueriesContext(connection) as small:
        client.get("/residences/")
    from residences.models import SectorPage

    sector = SectorPage.objects.get(slug="agence-nord")
    for n in range(40):
        residence = ResidencePageFactory(parent=sector, slug=f"extra-{n}")
        BuildingFactory(residence=residence)
    with CaptureQueriesContext(connection) as large:
        client.get("/residences/")
    assert len(large) == len(small)
