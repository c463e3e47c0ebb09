"""Editing permanences in the admin, and the one-minute « Annuler une date »."""

import pytest
import time_machine

from django.contrib.auth import get_user_model
from django.urls import reverse

from wagtail.test.utils.form_data import inline_formset, nested_form_data

from events.models import Occurrence, PermanencePage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-03-03 09:00 +01:00", tick=False):
        yield


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("chef", "chef@example.fr", "motdepasse-long")
    client.force_login(user)
    return client


def permanence_form(closures=(), **overrides) -> dict:
    data = {
        "title": "Permanence des Tilleuls",
        "slug": "permanence-tilleuls",
        "public_note": "Sans rendez-vous",
        "venue_name": "Salle commune",
        "venue_address": "",
        "access_details": "",
        "skip_public_holidays": "on",
        "first_date": "2026-03-03",
        "start_time": "14:00",
        "end_time": "17:00",
        "end_date": "",
        "frequency": "weekly",
        "interval": "1",
        "until": "",
        "count": "",
        "exceptions": inline_formset([]),
        "closures": inline_formset(
            [
                {"first_day": first, "last_day": last, "reason": "Vacances"}
                for first, last in closures
            ]
        ),
        "action-publish": "publish",
    }
    data.update(overrides)
    return nested_form_data(data)


def add_url(parent) -> str:
    return reverse("wagtailadmin_pages:add", args=("events", "permanencepage", parent.pk))


def test_permanence_with_closures_is_published(admin_client, residence):
    response = admin_client.post(
        add_url(residence), permanence_form([("2026-04-11", "2026-04-26")])
    )
    assert response.status_code == 302
    page = PermanencePage.objects.get(slug="permanence-tilleuls")
    days = {o.local_start.date().isoformat() for o in Occurrence.objects.filter(page=page)}
    assert "2026-04-14" not in days and "2026-04-07" in days


@pytest.mark.parametrize(
    ("closures", "overrides", "message"),
    [
        ([], {"end_time": "13:00"}, "L'heure de fin doit être après l'heure de début."),
        (
            [],
            {"until": "2026-01-01"},
            "La date de fin de la série doit être après la première date.",
        ),
        ([("2026-04-20", "2026-04-11")], {}, "La fin de la fermeture doit être après son début."),
        (
            [("2026-04-11", "2026-04-26"), ("2026-04-20", "2026-05-03")],
            {},
            "Cette période chevauche une autre période de fermeture.",
        ),
    ],
)
def test_bad_input_is_refused_in_french(admin_client, residence, closures, overrides, message):
    response = admin_client.post(add_url(residence), permanence_form(closures, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not PermanencePage.objects.exists()


@pytest.fixture
def permanence(publish_permanence, residence):
    return publish_permanence(residence, first_date="2026-03-03")


def cancel_url(page) -> str:
    return reverse("cancel_date", args=(page.pk,))


def test_cancel_today_in_one_step(admin_client, permanence):
    form = admin_client.get(cancel_url(permanence))
    assert form.status_code == 200
    assert "Annuler une date" in form.content.decode()
    response = admin_client.post(
        cancel_url(permanence), {"date": "2026-03-03", "reason": "formation"}
    )
    assert response.status_code == 302
    today = Occurrence.objects.get(page=permanence, start__date="2026-03-03")
    assert (today.status, today.reason) == ("cancelled", "formation")
    permanence.refresh_from_db()
    assert not permanence.has_unpublished_changes


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"date": "2026-03-04", "reason": "x"}, "n'est pas une date de cette permanence"),
        ({"date": "2026-02-24", "reason": "x"}, "Cette date est passée."),
        ({"date": "2026-03-10", "reason": ""}, "Champ requis."),
        ({"date": "pas une date", "reason": "x"}, "Saisissez une date valide."),
        ({"date": "2026-03-10", "reason": "x" * 300}, "au plus 200 caractères"),
    ],
)
def test_cancel_refuses_bad_input(admin_client, permanence, data, message):
    response = admin_client.post(cancel_url(permanence), data)
    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Occurrence.objects.filter(page=permanence, status="cancelled").exists()


def test_cancel_twice_the_same_date_is_refused(admin_client, permanence):
    admin_client.post(cancel_url(permanence), {"date": "2026-03-10", "reason": "formation"})
    response = admin_client.post(cancel_url(permanence), {"date": "2026-03-10", "reason": "encore"})
    assert "déjà une modification" in response.content.decode()


def test_cancel_needs_edit_rights(client, permanence):
    user = get_user_model().objects.create_user("locataire", password="motdepasse-long")
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    # Wagtail turns PermissionDenied into a redirect to the dashboard with a message.
    assert client.get(cancel_url(permanence)).status_code in (302, 403)
    response = client.post(cancel_url(permanence), {"date": "2026-03-10", "reason": "x"})
    assert response.status_code in (302, 403)
    assert not Occurrence.objects.filter(page=permanence, status="cancelled").exists()


def test_cancel_button_on_the_page_header(admin_client, permanence):
    html = admin_client.get(
        reverse("wagtailadmin_pages:edit", args=(permanence.pk,))
    ).content.decode()
    assert cancel_url(permanence) in html


@pytest.fixture
def mediator_needing_approval(client, permanence, sector):
    from residences.teams import setup_sector_team

    team = setup_sector_team(sector, require_approval=True)
    user = get_user_model().objects.create_user("nadia", password="motdepasse-long")
    user.groups.add(team.mediators)
    client.force_login(user)
    return client, team


def test_a_quick_cancel_needing_approval_is_submitted_to_the_managers(
    mediator_needing_approval, permanence
):
    from wagtail.models import WorkflowState

    client, team = mediator_needing_approval
    response = client.post(cancel_url(permanence), {"date": "2026-03-10", "reason": "formation"})
    assert response.status_code == 302
    state = WorkflowState.objects.get(base_content_type__isnull=False, object_id=str(permanence.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.requested_by.username == "nadia"
    # Nothing public yet: the date is still planned until a manager approves.
    assert not Occurrence.objects.filter(page=permanence, status="cancelled").exists()
    # A second quick cancel while it waits is refused with an explanation, not a stray draft.
    again = client.post(
        cancel_url(permanence), {"date": "2026-03-17", "reason": "congés"}, follow=True
    )
    assert "attend déjà la validation" in again.content.decode()


def test_saving_the_approval_setting_applies_it_to_every_sector(
    sector, home, django_capture_on_commit_callbacks
):
    from wagtail.models import Site, WorkflowPage

    from portal.models import PortalSettings
    from residences.teams import setup_sector_team

    team = setup_sector_team(sector, require_approval=False)
    assert not WorkflowPage.objects.filter(page=sector).exists()
    settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    settings.require_approval = True
    with django_capture_on_commit_callbacks(execute=True):
        settings.save()
    assert WorkflowPage.objects.filter(page=sector).exists()
    assert not team.mediators.page_permissions.filter(permission__codename="publish_page").exists()


def test_a_permanence_that_has_started_cannot_be_cancelled_after_the_fact(admin_client, permanence):
    with time_machine.travel("2026-03-03 15:00 +01:00", tick=False):
        response = admin_client.post(
            cancel_url(permanence), {"date": "2026-03-03", "reason": "formation"}
        )
    assert response.status_code == 200
    assert "La permanence de ce jour a déjà commencé." in response.content.decode()
    assert not Occurrence.objects.filter(page=permanence, status="cancelled").exists()
