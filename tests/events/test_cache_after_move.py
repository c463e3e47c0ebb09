"""Moving a residence with its events (a subtree) shows on cached pages at the next request."""

from datetime import date

import pytest
import time_machine

from django.urls import reverse

from wagtail.models import Page

from tests.factories import SectorPageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.engine]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-03-03 09:00 +01:00", tick=False):
        yield


@pytest.fixture
def south(home):
    return SectorPageFactory(parent=home, title="Agence Sud", slug="agence-sud")


def html(client, url: str, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


def move_with_the_orm(residence, south, client):
    Page.objects.get(pk=residence.pk).move(Page.objects.get(pk=south.pk), pos="last-child")


def move_in_the_admin(residence, south, client):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_superuser("chef", "chef@example.fr", "motdepasse-long")
    client.force_login(user)
    url = reverse("wagtailadmin_pages:move_confirm", args=(residence.pk, south.pk))
    assert client.post(url).status_code == 302
    client.logout()


@pytest.mark.parametrize("move", [move_with_the_orm, move_in_the_admin], ids=["orm", "admin"])
def test_the_agenda_and_sector_pages_follow_the_move(
    client, agenda, publish_event, residence, sector, south, move
):
    event = publish_event(residence, title="Goûter des voisins", first_date=date(2026, 3, 12))
    assert "Goûter des voisins" in html(client, "/agenda/", secteur="agence-nord")
    assert "Goûter des voisins" not in html(client, "/agenda/", secteur="agence-sud")
    assert "Les Tilleuls" in html(client, "/agence-nord/")
    assert "Les Tilleuls" not in html(client, "/agence-sud/")  # all four now cached

    move(residence, south, client)

    assert "Goûter des voisins" not in html(client, "/agenda/", secteur="agence-nord")
    assert "Goûter des voisins" in html(client, "/agenda/", secteur="agence-sud")
    assert "Les Tilleuls" not in html(client, "/agence-nord/")
    assert "Les Tilleuls" in html(client, "/agence-sud/")
    moved = Page.objects.get(pk=event.pk)
    assert moved.url.startswith("/agence-sud/les-tilleuls/")
    assert "Goûter des voisins" in html(client, moved.url)
