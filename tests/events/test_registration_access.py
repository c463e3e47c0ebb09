"""Who may run an event's registrations (#20, point 1): one rule, tried with the demo's real users
and groups on « Sortie à la mer » (landlord-wide, organised by nadia and sophie, full, two waiting).

nadia (mediator, Agence Nord), sophie (mediator, Agence Sud) and claire (manager of both) run it:
every page, action, export and print. A mediator who is neither an organiser nor a manager is
refused, GET and POST; and running registrations never lets anyone edit the page itself.
"""

import csv
import io

import pytest

from django.contrib.auth import get_user_model
from django.urls import reverse

from events.models import EventPage, Notice, Occurrence, RegistrantMessage, Registration
from events.registrations.access import can_run, runnable_events
from residences.models import SectorPage

pytestmark = [pytest.mark.usefixtures("shared_demo"), pytest.mark.engine]

RUNNERS = ["nadia", "sophie", "claire"]


def user(username):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def outing():
    return EventPage.objects.get(slug="sortie-a-la-mer")


@pytest.fixture
def date(outing):
    return Occurrence.objects.get(page=outing)


@pytest.fixture
def south_mediator():
    """A mediator of Agence Sud who neither organises the outing nor manages a sector."""
    other = get_user_model().objects.create_user("yannick", password="motdepasse-long")
    other.groups.add(SectorPage.objects.get(slug="agence-sud").team.mediators)
    return other


def refused(response) -> bool:
    """Wagtail's admin answers a PermissionDenied with a redirect to its home (« Désolé, vous
    n'avez pas les autorisations… »), a plain view with 403."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


def as_user(client, username):
    client.force_login(user(username))
    return client


def read_urls(outing, date):
    return {
        "event": reverse("event_registrations", args=(outing.pk,)),
        "date": reverse("occurrence_registrations", args=(date.pk,)),
        "csv": reverse("occurrence_registrations_csv", args=(date.pk,)),
        "sheet": reverse("occurrence_signin_sheet", args=(date.pk,)),
        "poster": reverse("event_poster", args=(outing.pk,)),
        "poster a5": reverse("event_poster", args=(outing.pk,)) + "?format=a5",
        "message date": reverse("message_occurrence", args=(date.pk,)),
        "message event": reverse("message_event", args=(outing.pk,)),
    }


def test_the_demo_outing_is_as_the_issue_describes(outing, date):
    assert outing.get_parent().specific_class.__name__ == "HomePage"  # landlord-wide
    assert {m.slug for m in outing.organising_mediators.all()} == {
        "nadia-benali",
        "sophie-lefevre",
    }
    assert date.seats.remaining == 0
    assert date.registrations.filter(status=Registration.Status.WAITING).count() == 2


@pytest.mark.parametrize("username", RUNNERS)
def test_organisers_and_the_manager_open_every_page_export_and_print(
    client, outing, date, username
):
    as_user(client, username)
    for name, url in read_urls(outing, date).items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
    page = client.get(read_urls(outing, date)["date"]).content.decode()
    assert "Awa" in page and "Lucie" in page and "12 / 12 places prises" in page
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(read_urls(outing, date)["csv"]).content.decode().lstrip("\ufeff")
            ),
            delimiter=";",
        )
    )
    assert {row[1] for row in rows[1:]} == {"Awa", "Karim", "Josiane", "Mehdi", "Lucie", "Sylvie"}


@pytest.mark.parametrize("username", RUNNERS)
def test_they_get_the_pdfs(client, outing, date, username):
    from portal import pdf

    if not pdf.pdf_available():
        pytest.skip(reason="WeasyPrint's system libraries are missing (see the README)")
    as_user(client, username)
    for url in (
        reverse("occurrence_signin_sheet", args=(date.pk,)) + "?pdf=1",
        reverse("event_poster", args=(outing.pk,)) + "?pdf=1",
    ):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize("username", RUNNERS)
def test_they_act_cancel_promote_mark_attendance_and_register(client, date, username):
    as_user(client, username)
    url = reverse("occurrence_registrations", args=(date.pk,))
    awa = date.registrations.get(first_name="Awa")
    response = client.post(url, {"action": "annuler", "registration": awa.pk})
    assert response.status_code == 302
    awa.refresh_from_db()
    assert awa.status == Registration.Status.CANCELLED
    # Awa's four seats go to Lucie (four people), first in line.
    assert date.registrations.get(first_name="Lucie").status == Registration.Status.CONFIRMED
    karim = date.registrations.get(first_name="Karim")
    client.post(url, {"action": "presences", "present": [karim.pk]})
    karim.refresh_from_db()
    assert karim.attended is True
    response = client.post(
        url,
        {
            "action": "ajouter",
            "first_name": "Mme Diallo",
            "adults": "1",
            "children": "0",
            "source": "telephone",
        },
    )
    assert response.status_code == 302
    walk_in = date.registrations.get(first_name="Mme Diallo")
    assert walk_in.registered_by.username == username


@pytest.mark.parametrize("username", RUNNERS)
def test_they_write_to_the_registrants(client, date, username):
    as_user(client, username)
    response = client.post(
        reverse("message_occurrence", args=(date.pk,)),
        {"action": "envoyer", "subject": "Départ", "body": "Le car part à 8h15."},
    )
    assert response.status_code == 302
    message = RegistrantMessage.objects.get(occurrence=date)
    assert message.author.username == username


@pytest.mark.parametrize("username", RUNNERS)
def test_the_call_list_and_the_reference_lookup_reach_the_outing(client, date, username):
    as_user(client, username)
    sylvie = date.registrations.get(first_name="Sylvie")
    Notice.objects.create(
        registration=sylvie,
        kind=Notice.Kind.MOVED,
        date_version=date.version,
        channel=Notice.Channel.CALL,
    )
    calls = client.get(reverse("call_list")).content.decode()
    assert "Sylvie" in calls and sylvie.reference in calls
    notice = Notice.objects.get(registration=sylvie, channel=Notice.Channel.CALL)
    client.post(reverse("record_call", args=(notice.pk,)), {"outcome": "prevenu"})
    notice.refresh_from_db()
    assert notice.status == Notice.Status.SENT and notice.called_by.username == username
    found = client.get(reverse("find_by_reference"), {"reference": sylvie.reference})
    assert found["Location"].startswith(reverse("occurrence_registrations", args=(date.pk,)))


@pytest.mark.parametrize("username", RUNNERS)
def test_the_dashboard_lists_and_links_the_outing(client, date, username):
    from datetime import timedelta

    from django.utils import timezone

    # Brought to three days from now, within the dashboard's two weeks.
    start = timezone.now() + timedelta(days=3)
    Occurrence.objects.filter(pk=date.pk).update(start=start, end=start + timedelta(hours=10))
    as_user(client, username)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    link = reverse("occurrence_registrations", args=(date.pk,))
    assert f'<a href="{link}">Sortie à la mer à Malo-les-Bains</a>' in html


def test_the_dashboard_does_not_list_it_for_another_mediator(client, date, south_mediator):
    from datetime import timedelta

    from django.utils import timezone

    start = timezone.now() + timedelta(days=3)
    Occurrence.objects.filter(pk=date.pk).update(start=start, end=start + timedelta(hours=10))
    client.force_login(south_mediator)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Sortie à la mer" not in html


def test_the_manager_runs_it_even_without_organisers_from_her_sectors(client, outing, date):
    # claire manages both sectors the outing concerns through its organisers.
    assert can_run(user("claire"), outing)


def test_a_mediator_who_neither_organises_nor_manages_is_refused(
    client, outing, date, south_mediator
):
    client.force_login(south_mediator)
    for name, url in read_urls(outing, date).items():
        assert refused(client.get(url)), name
    awa = date.registrations.get(first_name="Awa")
    for data in (
        {"action": "annuler", "registration": awa.pk},
        {"action": "presences", "present": [awa.pk]},
        {"action": "confirmer", "registration": date.registrations.get(first_name="Lucie").pk},
        {
            "action": "ajouter",
            "first_name": "Intrus",
            "adults": "1",
            "children": "0",
            "source": "telephone",
        },
    ):
        assert refused(client.post(read_urls(outing, date)["date"], data))
    assert refused(
        client.post(
            read_urls(outing, date)["message date"],
            {"action": "envoyer", "subject": "Intrus", "body": "Bonjour"},
        )
    )
    awa.refresh_from_db()
    assert awa.status == Registration.Status.CONFIRMED and awa.attended is None
    assert not date.registrations.filter(first_name="Intrus").exists()
    assert not RegistrantMessage.objects.exists()
    found = client.get(reverse("find_by_reference"), {"reference": awa.reference})
    assert found["Location"] == reverse("wagtailadmin_home")


def test_nadia_is_refused_on_an_event_of_agence_sud_alone(client):
    cooking = EventPage.objects.get(slug="atelier-cuisine")
    assert not can_run(user("nadia"), cooking)
    assert can_run(user("sophie"), cooking) and can_run(user("claire"), cooking)
    as_user(client, "nadia")
    url = reverse("event_registrations", args=(cooking.pk,))
    assert refused(client.get(url))
    assert refused(client.post(reverse("message_event", args=(cooking.pk,)), {}))


@pytest.mark.parametrize("username", ["nadia", "sophie"])
def test_running_registrations_gives_no_right_on_the_page(client, outing, username):
    as_user(client, username)
    assert not outing.permissions_for_user(user(username)).can_edit()
    title = outing.title
    edit = reverse("wagtailadmin_pages:edit", args=(outing.pk,))
    assert client.get(edit).status_code in (302, 403)
    client.post(edit, {"title": "Piraté", "slug": outing.slug})
    for action in ("unpublish", "delete"):
        assert client.get(
            reverse(f"wagtailadmin_pages:{action}", args=(outing.pk,))
        ).status_code in (302, 403)
        client.post(reverse(f"wagtailadmin_pages:{action}", args=(outing.pk,)))
    outing.refresh_from_db()
    assert outing.title == title and outing.live


def test_the_page_button_follows_the_rule(client, outing):
    from events.wagtail_hooks import page_buttons

    labels = {
        name: [str(b.label) for b in page_buttons(outing, user(name), priority=1)]
        for name in ("nadia", "sophie", "claire")
    }
    assert all(found == ["Inscriptions et affiche"] for found in labels.values()), labels
    stranger = get_user_model().objects.create_user("zoe", password="motdepasse-long")
    stranger.groups.add(SectorPage.objects.get(slug="agence-nord").team.mediators)
    assert list(page_buttons(outing, stranger, priority=1)) == []


def test_can_run_and_runnable_events_agree_for_every_user_and_event():
    users = list(get_user_model().objects.all())
    events = list(EventPage.objects.all())
    for person in users:
        runnable = set(runnable_events(person).values_list("pk", flat=True))
        for event in events:
            editable = event.permissions_for_user(person).can_edit()
            assert can_run(person, event) == (event.pk in runnable)
            if editable:  # page editors always run their events' registrations
                assert event.pk in runnable, (person.username, event.slug)


def test_a_cross_sector_event_is_run_by_its_organiser_from_the_other_sector():
    """sophie (Agence Sud) named on an Agence Nord event makes it cross-sector: she runs it, and
    so does claire; a Nord mediator runs it as an editor; a Sud mediator does not."""
    from residences.models import MediatorProfile

    north_event = (
        EventPage.objects.filter(path__startswith=SectorPage.objects.get(slug="agence-nord").path)
        .exclude(organising_mediators__slug="sophie-lefevre")
        .first()
    )
    assert not can_run(user("sophie"), north_event)
    north_event.organising_mediators.add(MediatorProfile.objects.get(slug="sophie-lefevre"))
    north_event.save_revision().publish()
    assert can_run(user("sophie"), north_event)
    assert can_run(user("nadia"), north_event)
    stranger = get_user_model().objects.create_user("zoe", password="motdepasse-long")
    stranger.groups.add(SectorPage.objects.get(slug="agence-sud").team.mediators)
    assert not can_run(stranger, north_event)


def test_anonymous_and_inactive_users_run_nothing(outing):
    from django.contrib.auth.models import AnonymousUser

    assert not runnable_events(AnonymousUser()).exists()
    nadia = user("nadia")
    nadia.is_active = False
    assert not can_run(nadia, outing)
