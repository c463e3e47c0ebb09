"""Sector teams with real users and groups: mediators act in their sectors and nowhere else."""

import json

import pytest

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from wagtail.models import GroupPagePermission, Page, WorkflowState

from events.models import EventPage
from residences.teams import setup_sector_team
from tests.factories import ResidencePageFactory, SectorPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sectors(home):
    north = SectorPageFactory(parent=home, title="Agence Nord", slug="agence-nord")
    south = SectorPageFactory(parent=home, title="Agence Sud", slug="agence-sud")
    return {
        "north": north,
        "south": south,
        "tilleuls": ResidencePageFactory(parent=north, title="Les Tilleuls", slug="les-tilleuls"),
        "peupliers": ResidencePageFactory(
            parent=south, title="Les Peupliers", slug="les-peupliers"
        ),
    }


def member_of(group, username):
    user = get_user_model().objects.create_user(username, password="motdepasse-long")
    user.groups.add(group)
    return user


@pytest.fixture
def mediator(sectors):
    team = setup_sector_team(sectors["north"], require_approval=False)
    setup_sector_team(sectors["south"], require_approval=False)
    return member_of(team.mediators, "nadia")


def test_command_creates_groups_permissions_and_collection_idempotently(sectors):
    call_command("create_sector_team", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("create_sector_team", "agence-nord", stdout=open("/dev/null", "w"))  # noqa: SIM115
    permissions = set(
        GroupPagePermission.objects.filter(page=sectors["north"]).values_list(
            "group__name", "permission__codename"
        )
    )
    assert ("Médiateurs – Agence Nord", "publish_page") in permissions
    assert ("Responsables – Agence Nord", "publish_page") in permissions
    assert len([p for p in permissions if p[0] == "Médiateurs – Agence Nord"]) == 5
    ours = GroupPagePermission.objects.filter(page__in=[sectors["north"], sectors["south"]])
    assert ours.count() == 2 * 2 * 5


def test_mediator_works_in_their_sector_only(mediator, sectors):
    mine, theirs = sectors["tilleuls"], sectors["peupliers"]
    assert mine.permissions_for_user(mediator).can_edit()
    assert mine.permissions_for_user(mediator).can_publish()
    assert EventPage.can_create_at(mine) and mine.permissions_for_user(mediator).can_add_subpage()
    other = theirs.permissions_for_user(mediator)
    assert not any(
        (
            other.can_edit(),
            other.can_publish(),
            other.can_delete(),
            other.can_move(),
            other.can_add_subpage(),
            other.can_unpublish(),
        )
    )
    assert not theirs.permissions_for_user(mediator).can_copy_to(sectors["south"])


def test_admin_views_refuse_the_other_sector(client, mediator, sectors):
    client.force_login(mediator)
    mine, theirs = sectors["tilleuls"], sectors["peupliers"]
    assert client.get(reverse("wagtailadmin_pages:edit", args=(mine.pk,))).status_code == 200
    for name in ("edit", "delete", "unpublish", "copy", "move", "history"):
        response = client.get(reverse(f"wagtailadmin_pages:{name}", args=(theirs.pk,)))
        assert response.status_code in (302, 403), name
    add_there = reverse("wagtailadmin_pages:add", args=("events", "eventpage", theirs.pk))
    assert client.get(add_there).status_code in (302, 403)


def test_search_and_choosers_hide_the_other_sector(client, mediator, sectors):
    client.force_login(mediator)
    search = client.get(reverse("wagtailadmin_pages:search"), {"q": "Les"}).content.decode()
    assert "Les Tilleuls" in search and "Les Peupliers" not in search
    chooser = client.get(reverse("wagtailadmin_choose_page_search"), {"q": "Les"}).content.decode()
    assert "Les Tilleuls" in chooser and "Les Peupliers" not in chooser


@pytest.mark.parametrize(
    "url_name",
    ["wagtailusers_users:index", "wagtailusers_groups:index", "wagtailsites:index"],
)
def test_no_access_to_users_groups_or_sites(client, mediator, url_name):
    client.force_login(mediator)
    assert client.get(reverse(url_name)).status_code in (302, 403)


def test_no_access_to_site_settings(client, mediator):
    client.force_login(mediator)
    response = client.get("/admin/settings/portal/portalsettings/")
    assert response.status_code in (302, 403)


def test_with_approval_a_mediators_publish_becomes_a_submission(client, sectors):
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    team = setup_sector_team(sectors["north"], require_approval=True)
    mediator = member_of(team.mediators, "nadia")
    manager = member_of(team.managers, "claire")
    assert not sectors["tilleuls"].permissions_for_user(mediator).can_publish()

    client.force_login(mediator)
    from residences.models import NewsPage

    add = reverse("wagtailadmin_pages:add", args=("residences", "newspage", sectors["tilleuls"].pk))
    data = nested_form_data(
        {
            "title": "Réunion",
            "slug": "reunion",
            "date": "2026-03-10",
            "category": "reunion",
            "summary": "x",
            "image_alt": "",
            "body": streamfield([]),
            "alert_level": "info",
            "alert_from": "",
            "alert_until": "",
            "action-submit": "submit",
        }
    )
    response = client.post(add, data)
    assert response.status_code == 302, response.content.decode()[:500]
    news = NewsPage.objects.get(slug="reunion")
    assert not news.live
    state = WorkflowState.objects.get(base_content_type__isnull=False, object_id=str(news.pk))
    assert state.status == "in_progress"

    client.force_login(manager)
    task_state = state.current_task_state
    approve = reverse(
        "wagtailadmin_pages:workflow_action", args=(news.pk, "approve", task_state.pk)
    )
    response = client.post(approve, {"comment": ""})
    assert response.status_code in (200, 302)
    news.refresh_from_db()
    assert news.live
    assert Page.objects.get(pk=news.pk).live


def test_creating_a_sector_in_the_admin_creates_its_team(client, home):
    from django.contrib.auth.models import Group

    from wagtail.test.utils.form_data import nested_form_data

    user = get_user_model().objects.create_superuser("chef", "chef@example.fr", "motdepasse-long")
    client.force_login(user)
    url = reverse("wagtailadmin_pages:add", args=("residences", "sectorpage", home.pk))
    data = nested_form_data(
        {
            "title": "Agence Est",
            "slug": "agence-est",
            "kind": "agence",
            "intro": "",
            "address": "",
            "postcode": "",
            "town": "",
            "phone": "",
            "email": "",
            "opening_hours": "",
            "action-publish": "publish",
        }
    )
    assert client.post(url, data).status_code == 302
    assert set(
        Group.objects.filter(name__endswith="Agence Est").values_list("name", flat=True)
    ) == {
        "Médiateurs – Agence Est",
        "Responsables – Agence Est",
    }


def test_mediator_reaches_the_registrations_of_their_sector(client, mediator, sectors):
    from datetime import date

    from events.models import EventCategory, EventPage, Occurrence

    category = EventCategory.objects.create(name="Fête", slug="fete")
    event = EventPage(
        category=category,
        title="Goûter",
        slug="gouter",
        summary="x",
        venue_name="Salle",
        first_date=date(2030, 5, 1),
        registration_enabled=True,
    )
    sectors["tilleuls"].add_child(instance=event)
    event.save_revision().publish()
    occurrence = Occurrence.objects.get(page=event)
    client.force_login(mediator)
    assert client.get(reverse("occurrence_registrations", args=(occurrence.pk,))).status_code == 200
    assert (
        client.get(reverse("occurrence_registrations_csv", args=(occurrence.pk,))).status_code
        == 200
    )
    assert client.get(reverse("event_registrations", args=(event.pk,))).status_code == 200


def test_image_library_is_scoped_to_the_sector_collection(client, sectors):
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    north = setup_sector_team(sectors["north"], require_approval=False)
    south = setup_sector_team(sectors["south"], require_approval=False)
    Image = get_image_model()
    Image.objects.create(
        title="Façade Nord", file=get_test_image_file(), collection=north.collection
    )
    Image.objects.create(
        title="Façade Sud", file=get_test_image_file(), collection=south.collection
    )
    client.force_login(member_of(north.mediators, "nadia"))
    listing = client.get(reverse("wagtailimages:index")).content.decode()
    assert "Façade Nord" in listing and "Façade Sud" not in listing
    chooser = json.loads(client.get(reverse("wagtailimages_chooser:choose")).content)["html"]
    assert "Façade Nord" in chooser and "Façade Sud" not in chooser


# Renaming a sector: the team is found by page, its names follow the title.


def team_objects():
    from django.contrib.auth.models import Group

    from wagtail.models import Collection, GroupApprovalTask, Workflow

    return {
        model.__name__: model.objects.count()
        for model in (Group, Collection, Workflow, GroupApprovalTask)
    }


def page_permissions(sector):
    return set(
        GroupPagePermission.objects.filter(page=sector).values_list(
            "pk", "group_id", "permission_id"
        )
    )


def publish_title(sector, title):
    """What the editor's « Publier » does: a new revision of the page, published."""
    sector.title = title
    sector.save_revision().publish()
    sector.refresh_from_db()
    return sector


def edit_form(sector, title):
    from wagtail.test.utils.form_data import nested_form_data

    return nested_form_data(
        {
            "title": title,
            "slug": sector.slug,
            "kind": sector.kind,
            "intro": sector.intro,
            "address": sector.address,
            "postcode": sector.postcode,
            "town": sector.town,
            "phone": sector.phone,
            "email": sector.email,
            "opening_hours": sector.opening_hours,
            "action-publish": "publish",
        }
    )


def test_renaming_a_sector_in_the_admin_renames_its_team_in_place(client, sectors):
    from django.contrib.auth.models import Group

    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file
    from wagtail.models import Collection, GroupApprovalTask, Workflow, WorkflowPage

    north = sectors["north"]
    team = setup_sector_team(north, require_approval=True)
    nadia = member_of(team.mediators, "nadia")
    image = get_image_model().objects.create(
        title="Façade", file=get_test_image_file(), collection=team.collection
    )
    permissions, counts = page_permissions(north), team_objects()

    admin = get_user_model().objects.create_superuser("chef", "chef@example.fr", "motdepasse-long")
    client.force_login(admin)
    edit = reverse("wagtailadmin_pages:edit", args=(north.pk,))
    assert client.post(edit, edit_form(north, "Agence Nord-Est")).status_code == 302
    north.refresh_from_db()
    assert north.title == "Agence Nord-Est" and north.live

    assert Group.objects.get(pk=team.mediators.pk).name == "Médiateurs – Agence Nord-Est"
    assert Group.objects.get(pk=team.managers.pk).name == "Responsables – Agence Nord-Est"
    assert list(nadia.groups.values_list("pk", flat=True)) == [team.mediators.pk]
    assert page_permissions(north) == permissions
    image.refresh_from_db()
    assert image.collection_id == team.collection.pk
    assert Collection.objects.get(pk=team.collection.pk).name == "Agence Nord-Est"
    workflow = WorkflowPage.objects.get(page=north).workflow
    assert workflow.pk == team.workflow.pk and workflow.name == "Validation – Agence Nord-Est"
    task = GroupApprovalTask.objects.get(pk=team.approval_task.pk)
    assert task.name == "Validation par les responsables – Agence Nord-Est"
    assert list(Workflow.objects.get(pk=workflow.pk).tasks.values_list("pk", flat=True)) == [
        task.pk
    ]
    assert team_objects() == counts

    # Setting the team up again afterwards finds the same team and creates nothing.
    assert setup_sector_team(north, require_approval=True).pk == team.pk
    assert team_objects() == counts
    assert page_permissions(north) == permissions


def test_a_renamed_sectors_mediators_keep_their_rights_and_follow_its_settings(sectors):
    team = setup_sector_team(sectors["north"], require_approval=False)
    nadia = member_of(team.mediators, "nadia")
    publish_title(sectors["north"], "Agence Nord-Est")
    tilleuls = sectors["tilleuls"]
    assert tilleuls.permissions_for_user(nadia).can_edit()

    # Switching approval on after the rename reaches the people already in the team.
    again = setup_sector_team(sectors["north"], require_approval=True)
    assert again.mediators.pk == team.mediators.pk
    assert again.mediators.name == "Médiateurs – Agence Nord-Est"
    nadia = get_user_model().objects.get(pk=nadia.pk)  # permissions are cached per instance
    rights = tilleuls.permissions_for_user(nadia)
    assert rights.can_edit() and not rights.can_publish()


def test_groups_named_after_the_title_before_the_team_existed_are_adopted(sectors):
    from django.contrib.auth.models import Group

    from wagtail.models import Collection

    north = sectors["north"]
    # What the previous setup_sector_team left: objects known by their names only.
    mediators = Group.objects.create(name="Médiateurs – Agence Nord")
    managers = Group.objects.create(name="Responsables – Agence Nord")
    collection = Collection.get_first_root_node().add_child(name="Agence Nord")
    nadia = member_of(mediators, "nadia")
    counts = team_objects()

    team = setup_sector_team(north, require_approval=False)
    assert (team.mediators.pk, team.managers.pk, team.collection.pk) == (
        mediators.pk,
        managers.pk,
        collection.pk,
    )
    counts["Collection"] += 1  # only « Documents publics – Agence Nord » is new (#15)
    assert team_objects() == counts

    publish_title(north, "Agence Nord-Est")
    mediators.refresh_from_db()
    assert mediators.name == "Médiateurs – Agence Nord-Est"
    assert sectors["tilleuls"].permissions_for_user(nadia).can_edit()
    assert team_objects() == counts


def test_a_team_whose_sector_was_renamed_before_the_team_existed_is_adopted_by_its_page(
    sectors,
):
    from residences.models import SectorTeam

    north = sectors["north"]
    team = setup_sector_team(north, require_approval=True)
    SectorTeam.objects.filter(pk=team.pk).delete()  # a database from before SectorTeam
    north.title = "Agence Nord-Est"
    north.save()
    counts, permissions = team_objects(), page_permissions(north)

    adopted = setup_sector_team(north, require_approval=True)
    assert (adopted.mediators.pk, adopted.managers.pk, adopted.collection.pk) == (
        team.mediators.pk,
        team.managers.pk,
        team.collection.pk,
    )
    assert (adopted.workflow.pk, adopted.approval_task.pk) == (
        team.workflow.pk,
        team.approval_task.pk,
    )
    assert adopted.mediators.name == "Médiateurs – Agence Nord-Est"
    assert adopted.collection.name == "Agence Nord-Est"
    assert team_objects() == counts and page_permissions(north) == permissions


def test_the_migration_adopts_the_teams_named_after_their_sectors(sectors):
    from importlib import import_module

    from django.apps import apps

    from residences.models import SectorTeam

    north = setup_sector_team(sectors["north"], require_approval=True)
    south = setup_sector_team(sectors["south"], require_approval=False)
    SectorTeam.objects.all().delete()
    migration = import_module("residences.migrations.0003_sector_team")

    migration.adopt_existing_teams(apps, None)
    adopted = SectorTeam.objects.get(sector=sectors["north"])
    assert (adopted.mediators_id, adopted.managers_id, adopted.collection_id) == (
        north.mediators.pk,
        north.managers.pk,
        north.collection.pk,
    )
    assert (adopted.workflow_id, adopted.approval_task_id) == (
        north.workflow.pk,
        north.approval_task.pk,
    )
    assert SectorTeam.objects.get(sector=sectors["south"]).mediators_id == south.mediators.pk


def test_a_rename_onto_a_taken_name_keeps_the_old_names_without_failing(sectors, caplog):
    from django.contrib.auth.models import Group

    from wagtail.models import Collection

    north = setup_sector_team(sectors["north"], require_approval=False)
    south = setup_sector_team(sectors["south"], require_approval=False)
    unrelated = Group.objects.create(name="Médiateurs – Agence Nord-Est")

    with caplog.at_level("WARNING", logger="residences.teams"):
        publish_title(sectors["north"], "Agence Nord-Est")
        publish_title(sectors["south"], "Agence Nord-Est")
    assert Group.objects.get(pk=north.mediators.pk).name == "Médiateurs – Agence Nord"
    assert Group.objects.get(pk=north.managers.pk).name == "Responsables – Agence Nord-Est"
    assert Collection.objects.get(pk=north.collection.pk).name == "Agence Nord-Est"
    # South renamed onto North's new title keeps every one of its names.
    assert Group.objects.get(pk=south.managers.pk).name == "Responsables – Agence Sud"
    assert Collection.objects.get(pk=south.collection.pk).name == "Agence Sud"
    assert caplog.records and all("Agence" not in r.getMessage() for r in caplog.records)

    # The taken name is not adopted either: each team stays whole.
    again = setup_sector_team(sectors["north"], require_approval=False)
    assert again.mediators.pk == north.mediators.pk != unrelated.pk
    assert setup_sector_team(sectors["south"], require_approval=False).managers.pk == (
        south.managers.pk
    )


def test_two_sectors_with_one_title_do_not_share_a_team(home):
    first = SectorPageFactory(parent=home, title="Quartier Centre", slug="quartier-centre")
    second = SectorPageFactory(parent=home, title="Quartier Centre", slug="quartier-centre-2")
    one = setup_sector_team(first, require_approval=False)
    other = setup_sector_team(second, require_approval=False)
    assert one.mediators.pk != other.mediators.pk
    assert one.collection.pk != other.collection.pk
    assert other.mediators.name == f"Médiateurs – Quartier Centre ({second.pk})"
