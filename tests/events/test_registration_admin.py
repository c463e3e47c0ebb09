"""Mediator tools: who is coming, on-behalf sign-ups, attendance, CSV, sign-in sheet, poster."""

import csv
import io

import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from wagtail.models import GroupPagePermission

from events.models import Registration, SeatCounter
from events.registrations.services import Party, register

pytestmark = [pytest.mark.django_db, pytest.mark.engine]


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("chef", "chef@example.fr", "motdepasse-long")
    client.force_login(user)
    return client


@pytest.fixture
def booked(outing):
    SeatCounter.objects.filter(occurrence=outing).update(capacity=4)
    register(outing, Party(first_name="Awa", adults=2, children=1, email="awa@example.fr"))
    register(outing, Party(first_name='=HYPERLINK("http://x")', adults=1, phone="0612345678"))
    register(outing, Party(first_name="Luc", adults=2, email="luc@example.fr"))  # waits
    return outing


def url(name, *args) -> str:
    return reverse(name, args=args)


def test_list_shows_confirmed_waiting_and_counts(admin_client, booked):
    html = admin_client.get(url("occurrence_registrations", booked.pk)).content.decode()
    assert "4 / 4 places prises" in html
    assert "Awa" in html and "Luc" in html
    assert "1 groupe en liste d'attente" in html


def test_event_overview_counts_per_date(admin_client, booked):
    html = admin_client.get(url("event_registrations", booked.page_id)).content.decode()
    assert "Voir les inscrits" in html and ">4<" in html.replace(" ", "")


def test_register_someone_without_contact(admin_client, outing):
    response = admin_client.post(
        url("occurrence_registrations", outing.pk),
        {
            "action": "ajouter",
            "first_name": "Mme Diallo",
            "adults": "1",
            "children": "0",
            "source": "telephone",
            "phone": "",
            "email": "",
        },
    )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert (registration.source, registration.status, registration.registered_by.username) == (
        "telephone",
        "confirmed",
        "chef",
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"first_name": "", "adults": "1"}, "Champ requis"),
        ({"first_name": "X", "adults": "-3"}, "supérieure ou égale à 0"),
        ({"first_name": "X", "adults": "0", "children": "0"}, "Indiquez au moins une personne."),
        (
            {"first_name": "X", "adults": "1", "phone": "abc"},
            "numéro de téléphone n'est pas valide",
        ),
    ],
)
def test_on_behalf_bad_input(admin_client, outing, data, message):
    post = {
        "action": "ajouter",
        "children": "0",
        "source": "telephone",
        "phone": "",
        "email": "",
    } | data
    response = admin_client.post(url("occurrence_registrations", outing.pk), post)
    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Registration.objects.exists()


def test_attendance_and_manual_confirmation(admin_client, booked):
    awa = Registration.objects.get(first_name="Awa")
    admin_client.post(
        url("occurrence_registrations", booked.pk),
        {"action": "presences", "present": [str(awa.pk)]},
    )
    assert dict(
        Registration.objects.filter(status="confirmed").values_list("first_name", "attended")
    ) == {
        "Awa": True,
        '=HYPERLINK("http://x")': False,
    }
    luc = Registration.objects.get(first_name="Luc")
    admin_client.post(
        url("occurrence_registrations", booked.pk),
        {"action": "confirmer", "registration": str(luc.pk)},
    )
    assert Registration.objects.get(pk=luc.pk).status == "waiting"  # does not fit
    admin_client.post(
        url("occurrence_registrations", booked.pk),
        {"action": "annuler", "registration": str(awa.pk)},
    )
    assert Registration.objects.get(pk=luc.pk).status == "confirmed"  # promoted automatically


def test_csv_export_is_complete_and_formula_safe(admin_client, booked):
    response = admin_client.get(url("occurrence_registrations_csv", booked.pk))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Statut", "Prénom", "Adultes"]
    names = [row[1] for row in rows[1:]]
    assert "Awa" in names and '\'=HYPERLINK("http://x")' in names


@pytest.mark.parametrize(
    ("utc", "paris"),
    [("2026-11-20 18:56", "20/11/2026 19:56"), ("2026-07-14 22:30", "15/07/2026 00:30")],
)
def test_csv_times_are_in_paris_time(admin_client, booked, utc, paris):
    import datetime as dt

    signed_up = dt.datetime.fromisoformat(utc).replace(tzinfo=dt.UTC)
    Registration.objects.filter(occurrence=booked, first_name="Awa").update(created_at=signed_up)
    response = admin_client.get(url("occurrence_registrations_csv", booked.pk))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    awa = next(row for row in rows if row[1] == "Awa")
    assert awa[rows[0].index("Inscrit le")] == paris


def test_signin_sheet_and_poster(admin_client, booked):
    sheet = admin_client.get(url("occurrence_signin_sheet", booked.pk)).content.decode()
    assert "Feuille d'émargement" in sheet and "Awa" in sheet and "Signature" in sheet
    assert "Luc" in sheet.split("Liste d'attente</h2>")[1]  # waiting: listed apart
    poster = admin_client.get(url("event_poster", booked.page_id)).content.decode()
    assert "<svg" in poster and "Sortie à la mer" in poster and "sur inscription" in poster


def test_a_user_who_cannot_edit_the_event_sees_nothing(client, booked, home):
    from tests.factories import SectorPageFactory

    other_sector = SectorPageFactory(parent=home)
    group = Group.objects.create(name="Médiateurs ailleurs")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(group=group, page=other_sector, permission_type="change")
    user = get_user_model().objects.create_user("mediateur", password="motdepasse-long")
    user.groups.add(group)
    client.force_login(user)
    for path in (
        url("occurrence_registrations", booked.pk),
        url("occurrence_registrations_csv", booked.pk),
        url("occurrence_signin_sheet", booked.pk),
        url("event_registrations", booked.page_id),
        url("event_poster", booked.page_id),
    ):
        response = client.get(path)
        assert response.status_code in (302, 403), path
        assert b"Awa" not in response.content


def test_registrations_button_on_the_event_header(admin_client, outing):
    html = admin_client.get(
        reverse("wagtailadmin_pages:edit", args=(outing.page_id,))
    ).content.decode()
    assert url("event_registrations", outing.page_id) in html


@pytest.mark.parametrize("value", [str(2**63), "9" * 40, "²", "-1", "1 OR 1=1", "\x00"])
def test_hostile_ids_in_mediator_actions_are_ignored(admin_client, booked, value):
    for data in (
        {"action": "presences", "present": [value]},
        {"action": "confirmer", "registration": value},
        {"action": "annuler", "registration": value},
    ):
        response = admin_client.post(url("occurrence_registrations", booked.pk), data)
        assert response.status_code in (200, 302)
    assert Registration.objects.filter(status="cancelled").count() == 0


def test_a_full_date_offers_to_confirm_beyond_capacity_knowingly(admin_client, booked):
    """The grandmother who phones the day before: one more household, on purpose."""
    luc = Registration.objects.get(first_name="Luc")
    page_url = url("occurrence_registrations", booked.pk)
    response = admin_client.post(page_url, {"action": "confirmer", "registration": luc.pk})
    assert response["Location"] == f"{page_url}?au_dela={luc.pk}"
    assert Registration.objects.get(pk=luc.pk).status == "waiting"
    html = admin_client.get(response["Location"]).content.decode()
    assert "ne tient pas dans les places libres" in html
    assert "Inscrire au-delà du nombre de places" in html
    admin_client.post(
        page_url, {"action": "confirmer", "registration": luc.pk, "au_dela": "1"}, follow=True
    )
    luc.refresh_from_db()
    assert (luc.status, luc.beyond_capacity, luc.beyond_capacity_by.username) == (
        "confirmed",
        True,
        "chef",
    )
    counter = SeatCounter.objects.get(occurrence=booked)
    assert (counter.seats_taken, counter.capacity, counter.overbooking) == (6, 4, 2)
    html = admin_client.get(page_url).content.decode()
    assert "6 / 4 places prises" in html
    assert "2 personnes au-delà du nombre de places" in html
    assert "Au-delà du nombre de places</strong> (par chef)" in html


def test_on_behalf_sign_up_beyond_capacity_only_when_ticked(admin_client, booked):
    data = {
        "action": "ajouter",
        "first_name": "Mme Diallo",
        "adults": "1",
        "children": "0",
        "source": "telephone",
    }
    admin_client.post(url("occurrence_registrations", booked.pk), data)
    assert Registration.objects.get(first_name="Mme Diallo").status == "waiting"
    admin_client.post(
        url("occurrence_registrations", booked.pk),
        {**data, "first_name": "M. Diallo", "beyond_capacity": "on"},
    )
    diallo = Registration.objects.get(first_name="M. Diallo")
    assert (diallo.status, diallo.beyond_capacity) == ("confirmed", True)


def test_an_undelivered_notice_shows_as_non_remis(admin_client, booked):
    from events.models import Notice
    from events.registrations.notices import notify

    awa = Registration.objects.get(first_name="Awa")
    [notice] = notify([awa.pk], Notice.Kind.CONFIRMED)
    Notice.objects.filter(pk=notice.pk).update(status=Notice.Status.FAILED)
    html = admin_client.get(url("occurrence_registrations", booked.pk)).content.decode()
    assert "Confirmation d&#x27;inscription, e-mail : <strong>non remis</strong>" in html
