"""A mediator finds a registration by the reference read out on the phone, in their sectors only."""

import pytest

from django.contrib.auth import get_user_model
from django.urls import reverse

from events.registrations.services import Party, register
from residences.teams import setup_sector_team
from tests.factories import SectorPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def awa(outing):
    return register(outing, Party(first_name="Awa", phone="03 20 12 34 56"))


def mediator(client, sector, name):
    team = setup_sector_team(sector, require_approval=False)
    user = get_user_model().objects.create_user(name, password="motdepasse-long")
    user.groups.add(team.mediators)
    client.force_login(user)
    return client


def find(client, reference):
    return client.get(reverse("find_by_reference"), {"reference": reference})


def test_the_reference_leads_to_the_registration_however_it_is_written(client, sector, awa):
    mediator(client, sector, "nadia")
    spoken = " ".join(awa.reference.lower())  # « k 7 m x 3 p »
    response = find(client, spoken)
    expected = reverse("occurrence_registrations", args=(awa.occurrence_id,))
    assert response["Location"] == f"{expected}#inscription-{awa.pk}"
    page = client.get(expected).content.decode()
    assert f'id="inscription-{awa.pk}"' in page and awa.reference in page


def test_outside_ones_sectors_the_reference_finds_nothing(client, home, awa):
    south = SectorPageFactory(parent=home, title="Agence Sud", slug="agence-sud")
    mediator(client, south, "sud")
    response = find(client, awa.reference)
    assert response["Location"] == reverse("wagtailadmin_home")
    home_page = client.get(response["Location"]).content.decode()
    assert "Aucune inscription avec la référence" in home_page


@pytest.mark.parametrize("junk", ["", "ABC", "' OR 1=1 --", "\x00" * 20, "K" * 500])
def test_junk_gets_a_french_message(client, sector, awa, junk):
    mediator(client, sector, "nadia")
    response = find(client, junk)
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
