"""Two sectors with their teams, residences and buildings, built for each test (the demo takes
half a minute; the permission matrix uses it, the rest uses this)."""

from dataclasses import dataclass
from datetime import timedelta

import pytest

from django.contrib.auth import get_user_model
from django.utils import timezone

from residences.models import Building, Partner
from residences.situations import services
from residences.situations.models import Category, HelpRequest, IntensityLevel
from residences.teams import setup_sector_team
from tests.factories import ResidencePageFactory, SectorPageFactory

PASSWORD = "motdepasse-assez-long"


@dataclass
class World:
    north: object
    south: object
    tilleuls: object
    peupliers: object
    tilleuls_b: object
    peupliers_a: object
    mediator_a: object
    manager_a: object
    mediator_b: object
    outsider: object
    partner_a: object


def team_user(username, *groups, email=""):
    user = get_user_model().objects.create_user(username, password=PASSWORD, email=email)
    user.groups.add(*groups)
    return user


@pytest.fixture
def world(home):
    from django.contrib.auth.models import Group, Permission

    north = SectorPageFactory(parent=home, title="Agence Nord", slug="agence-nord")
    south = SectorPageFactory(parent=home, title="Agence Sud", slug="agence-sud")
    tilleuls = ResidencePageFactory(parent=north, title="Les Tilleuls", slug="les-tilleuls")
    peupliers = ResidencePageFactory(parent=south, title="Les Peupliers", slug="les-peupliers")
    for residence in (tilleuls, peupliers):
        for letter in "AB":
            Building.objects.create(residence=residence, name=f"Bâtiment {letter}")
    north_team = setup_sector_team(north, require_approval=False)
    south_team = setup_sector_team(south, require_approval=False)
    # Someone with admin access and page rights in Nord, but in neither team (an editor).
    editors = Group.objects.create(name="Rédaction")
    editors.permissions.add(Permission.objects.get(codename="access_admin"))
    partner = Partner.objects.create(name="Centre social du Pile", kind=Partner.Kind.SOCIAL_CENTRE)
    partner.sectors.add(north)
    IntensityLevel.objects.grid()
    return World(
        north=north,
        south=south,
        tilleuls=tilleuls,
        peupliers=peupliers,
        tilleuls_b=tilleuls.buildings.get(name="Bâtiment B"),
        peupliers_a=peupliers.buildings.get(name="Bâtiment A"),
        mediator_a=team_user("nadia", north_team.mediators, email="nadia@example.fr"),
        manager_a=team_user("claire", north_team.managers, email="claire@example.fr"),
        mediator_b=team_user("sophie", south_team.mediators, email="sophie@example.fr"),
        outsider=team_user("redacteur", editors),
        partner_a=partner,
    )


def level(number: int) -> IntensityLevel:
    return IntensityLevel.objects.grid().get(level=number)


def open_situation(residence, user, *, households=(("B 3e gauche", "voisin du dessus"),), **fields):
    values = {
        "residence": residence,
        "building": None,
        "category": Category.NOISE,
        "intensity": level(fields.pop("level", 2)),
        "opened_on": timezone.localdate() - timedelta(days=10),
        "description": "Musique forte après minuit.",
        "next_step": "",
        "next_step_on": None,
    }
    values.update(fields)
    return services.open_situation(fields=values, households=list(households), user=user)


def tenant_request(residence, **fields) -> HelpRequest:
    values = {
        "residence": residence,
        "building": None,
        "category": Category.NOISE,
        "message": "Mon voisin fait du bruit la nuit.",
        "first_name": "Fatou",
        "contact": HelpRequest.Contact.PHONE,
        "phone": "+33612345678",
        "email": "",
        "availability": "le soir",
    }
    values.update(fields)
    return services.receive_request(services.TenantRequest(**values))
