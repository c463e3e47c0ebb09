"""A mediator writes to the registrants of a date: preview, channels, records and the hourly guard."""

from datetime import date, time, timedelta

import pytest
import time_machine

from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from events.models import Notice, Occurrence, RegistrantMessage
from events.registrations.services import Party, register
from portal import sms
from residences.teams import setup_sector_team
from tests.factories import SectorPageFactory

pytestmark = pytest.mark.django_db

BODY = "Rendez-vous à 7h45 devant la loge ; prévoyez un pique-nique."


@pytest.fixture(autouse=True)
def empty_sms_outbox():
    sms.outbox.clear()


@pytest.fixture
def households(outing):
    people = [
        Party(first_name="Awa", email="awa@example.fr"),
        Party(first_name="Bernard", phone="06 12 34 56 78", sms_consent=True),
        Party(first_name="Chantal", phone="03 20 12 34 56"),  # a landline
        Party(first_name="Driss", phone="07 11 22 33 44"),  # a mobile, no SMS wanted
    ]
    return [register(outing, party) for party in people]


def post(client, outing, **fields):
    data = {"subject": "Départ avancé", "body": BODY, "action": "envoyer", **fields}
    return client.post(reverse("message_occurrence", args=(outing.pk,)), data)


def test_the_preview_counts_channels_and_shows_the_sms(admin_client, outing, households):
    response = admin_client.post(
        reverse("message_occurrence", args=(outing.pk,)),
        {"subject": "Départ avancé", "body": BODY, "action": "apercu"},
    )
    html = response.content.decode()
    assert "1 par e-mail, 1 par SMS" in html and "2 à appeler" in html
    assert "Départ avancé : Rendez-vous à 7h45" in html
    assert "<strong>1 SMS</strong> par personne (GSM-7)" in html  # « ; » and « é » fit GSM-7
    assert not RegistrantMessage.objects.exists() and not mail.outbox and not sms.outbox


def test_sending_reaches_each_household_once_by_its_channel(admin_client, outing, households):
    response = post(admin_client, outing)
    assert response.status_code == 302
    [message] = RegistrantMessage.objects.all()
    assert (message.subject, message.body, message.occurrence_id) == (
        "Départ avancé",
        BODY,
        outing.pk,
    )
    channels = sorted(
        (n.registration.first_name, n.channel, n.status)
        for n in Notice.objects.filter(message=message)
    )
    assert channels == [
        ("Awa", "email", "sent"),
        ("Bernard", "sms", "sent"),
        ("Chantal", "call", "pending"),
        ("Driss", "call", "pending"),
    ]
    [email] = mail.outbox
    assert email.to == ["awa@example.fr"] and BODY in email.body
    assert households[0].reference in email.body
    [text] = sms.outbox
    assert text.to == "+33612345678" and "Rendez-vous a 7h45" not in text.text  # à is GSM-7
    assert "Rendez-vous à 7h45" in text.text and households[1].reference in text.text
    calls = admin_client.get(reverse("call_list")).content.decode()
    assert "Chantal" in calls and BODY in calls


def test_a_second_message_within_the_hour_asks_for_confirmation(admin_client, outing, households):
    post(admin_client, outing)
    mail.outbox.clear()
    response = post(admin_client, outing, subject="Rappel")
    assert response.status_code == 200
    assert "Cochez cette case pour envoyer un deuxième message" in response.content.decode()
    assert RegistrantMessage.objects.count() == 1 and not mail.outbox
    assert post(admin_client, outing, subject="Rappel", again="on").status_code == 302
    assert RegistrantMessage.objects.count() == 2 and len(mail.outbox) == 1
    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        assert post(admin_client, outing, subject="Encore").status_code == 302  # an hour later


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"body": ""}, "body", "Champ requis"),
        ({"body": "x" * 1001}, "body", "au plus 1000 caractères"),
        ({"body": "\x00\x01"}, "body", "caractère nul"),
        ({"body": "\x01\x02 \u200b"}, "body", "Écrivez votre message"),
        ({"subject": "\u202e"}, "subject", "Indiquez un objet"),
        ({"body": "Bonjour,\n\n[Écrivez ici votre information…]"}, "body", "remplacez le texte"),
    ],
)
def test_bad_input_is_refused_at_the_field_and_nothing_sent(
    admin_client, outing, households, fields, field, message
):
    response = post(admin_client, outing, **fields)
    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not RegistrantMessage.objects.exists() and not mail.outbox


@time_machine.travel("2026-12-01 10:00 +01:00", tick=False)
def test_every_coming_date_of_an_event_in_one_batch(admin_client, publish_event, residence):
    page = publish_event(
        residence,
        title="Atelier couture",
        first_date=date(2027, 3, 2),  # within the horizon: its dates exist
        start_time=time(14),
        end_time=time(16),
        frequency="weekly",
        count=3,
        registration_enabled=True,
        capacity=10,
    )
    dates = list(Occurrence.objects.filter(page=page).order_by("start"))
    for number, occurrence in enumerate(dates[:2]):
        register(occurrence, Party(first_name=f"P{number}", email=f"p{number}@example.fr"))
    response = admin_client.post(
        reverse("message_event", args=(page.pk,)),
        {"subject": "Salle changée", "body": "Nous serons dans la salle B.", "action": "envoyer"},
    )
    assert response.status_code == 302, response.context["form"].errors
    messages = list(RegistrantMessage.objects.order_by("occurrence__start"))
    assert [m.occurrence_id for m in messages] == [dates[0].pk, dates[1].pk]  # nobody on the 3rd
    assert len({m.batch for m in messages}) == 1 and len(mail.outbox) == 2


def test_a_mediator_of_another_sector_cannot_write(client, outing, households, home):
    south = SectorPageFactory(parent=home, title="Agence Sud", slug="agence-sud")
    team = setup_sector_team(south, require_approval=False)
    user = get_user_model().objects.create_user("sud", password="motdepasse-long")
    user.groups.add(team.mediators)
    client.force_login(user)
    # Wagtail answers a refused admin view with a redirect to the admin home and a message.
    assert post(client, outing)["Location"] == reverse("wagtailadmin_home")
    assert client.get(reverse("message_occurrence", args=(outing.pk,))).status_code == 302
    assert not RegistrantMessage.objects.exists() and not mail.outbox
