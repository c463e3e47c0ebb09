"""Issue #15, items 4 and 5, on small trees built for each test: the page chooser's starting
point, the privacy of sector documents (setup and migration), and a residence-level group's
activity report and dashboard."""

from datetime import date

import pytest
import time_machine

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from wagtail.models import CollectionViewRestriction, GroupPagePermission

from events.models import Occurrence
from residences.teams import setup_sector_team
from tests.factories import ResidencePageFactory, SectorPageFactory
from tests.security.pages import MARK, event_page, publish

pytestmark = pytest.mark.django_db


def test_page_chooser_for_a_type_found_only_in_b_starts_from_own_pages(home, client):
    """Without a parent, Wagtail starts from the common ancestor of the type's pages: with all of
    them in B, that was B's residence, title included."""
    north = SectorPageFactory(parent=home, title="Agence Nord", slug="agence-nord")
    south = SectorPageFactory(parent=home, title="Agence Sud", slug="agence-sud")
    ResidencePageFactory(parent=north, title="Les Tilleuls", slug="les-tilleuls")
    peupliers = ResidencePageFactory(parent=south, title="Les Peupliers", slug="les-peupliers")
    peupliers.add_child(instance=event_page(title=f"Atelier {MARK}", slug="atelier"))
    team = setup_sector_team(north, require_approval=False)
    setup_sector_team(south, require_approval=False)
    user = get_user_model().objects.create_user("nadia", password="motdepasse-long")
    user.groups.add(team.mediators)
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_choose_page") + "?page_type=events.eventpage")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Les Peupliers" not in text and MARK not in text


def test_setup_keeps_the_collection_private_idempotently_and_respects_an_admin_choice(home):
    sector = SectorPageFactory(parent=home, title="Agence Est", slug="agence-est")
    team = setup_sector_team(sector, require_approval=False)
    setup_sector_team(sector, require_approval=True)
    (restriction,) = CollectionViewRestriction.objects.filter(collection=team.collection)
    assert restriction.restriction_type == CollectionViewRestriction.GROUPS
    assert set(restriction.groups.all()) == {team.mediators, team.managers}
    assert team.public_collection.name == "Documents publics – Agence Est"
    assert team.public_collection.depth == 2  # a sibling: restrictions reach sub-collections
    assert not team.public_collection.get_view_restrictions().exists()
    for collection in (team.collection, team.public_collection):
        assert team.mediators.collection_permissions.filter(
            collection=collection, permission__codename="add_document"
        ).exists()
    restriction.restriction_type = CollectionViewRestriction.LOGIN
    restriction.save()
    setup_sector_team(sector, require_approval=False)
    assert list(
        CollectionViewRestriction.objects.filter(collection=team.collection).values_list(
            "restriction_type", flat=True
        )
    ) == [CollectionViewRestriction.LOGIN]


def test_the_migration_makes_existing_sector_collections_private(home):
    from importlib import import_module

    from django.apps import apps

    sector = SectorPageFactory(parent=home, title="Agence Est", slug="agence-est")
    team = setup_sector_team(sector, require_approval=False)
    CollectionViewRestriction.objects.all().delete()  # a database from before #15
    migration = import_module("residences.migrations.0004_sector_documents_private")
    migration.keep_sector_documents_private(apps, None)
    migration.keep_sector_documents_private(apps, None)
    (restriction,) = CollectionViewRestriction.objects.filter(collection=team.collection)
    assert set(restriction.groups.all()) == {team.mediators, team.managers}


# Item 5: a group with rights on one residence reports on that residence only.


@pytest.fixture
def residence_world(home):
    """Agence Nord with two residences and an event of its own, one held date each in March."""
    from events.registrations.services import Party, register

    north = SectorPageFactory(parent=home, title="Agence Nord", slug="agence-nord")
    tilleuls = ResidencePageFactory(parent=north, title="Les Tilleuls", slug="les-tilleuls")
    clos = ResidencePageFactory(parent=north, title="Le Clos Fleuri", slug="le-clos-fleuri")
    with time_machine.travel("2026-03-01 09:00 +01:00", tick=False):
        for parent, day, slug in ((tilleuls, 3, "a"), (clos, 4, "b"), (north, 5, "c")):
            publish(
                parent,
                event_page(
                    title=f"Atelier {slug}",
                    slug=f"atelier-{slug}",
                    first_date=date(2026, 3, day),
                    registration_enabled=True,
                    capacity=10,
                ),
            )
        for occurrence in Occurrence.objects.exclude(page__slug="atelier-a"):
            register(
                occurrence,
                Party(first_name="Voisin", adults=3, email="v@exemple.org"),
                enforce_window=False,
            )
    team = setup_sector_team(north, require_approval=False)
    caretakers = Group.objects.create(name="Gardiens – Les Tilleuls")
    caretakers.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(group=caretakers, page=tilleuls, permission_type="change")
    user = get_user_model().objects.create_user("gardien", password="motdepasse-long")
    user.groups.add(caretakers)
    mediator = get_user_model().objects.create_user("nadia", password="motdepasse-long")
    mediator.groups.add(team.mediators)
    return {"north": north, "caretaker": user, "mediator": mediator}


MARCH = {"secteur": "agence-nord", "du": "2026-03-01", "au": "2026-03-31"}


@pytest.fixture
def april():
    with time_machine.travel("2026-04-15 09:00 +02:00", tick=False):
        yield


def test_a_residence_group_reports_on_its_residence_only(residence_world, client, april):
    client.force_login(residence_world["caretaker"])
    response = client.get(reverse("activity_report"), MARCH)
    assert response.status_code == 200
    rows = dict(response.context["rows"])
    assert rows["Animations tenues (dates)"] == 1
    assert rows["Inscriptions confirmées"] == 0  # the neighbours registered elsewhere
    assert response.context["sector"].title == "Agence Nord – Les Tilleuls"
    csv = client.get(reverse("activity_report"), MARCH | {"format": "csv"})
    assert "Agence Nord – Les Tilleuls" in csv.content.decode("utf-8-sig")


def test_the_sector_team_still_reports_on_the_whole_sector(residence_world, client, april):
    client.force_login(residence_world["mediator"])
    rows = dict(client.get(reverse("activity_report"), MARCH).context["rows"])
    assert rows["Animations tenues (dates)"] == 3
    assert rows["Inscriptions confirmées"] == 2


def test_a_residence_group_sees_its_residence_only_on_the_dashboard(residence_world, client):
    with time_machine.travel("2026-03-01 09:00 +01:00", tick=False):
        client.force_login(residence_world["caretaker"])
        text = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Atelier a" in text
    assert "Atelier b" not in text and "Atelier c" not in text
