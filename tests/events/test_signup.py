"""The tenant's sign-up form, result page, manage link and e-mails; hostile input on every field."""

import html
from datetime import date, time
from io import StringIO

import icalendar
import pytest
import time_machine

from django.core.management import call_command
from django.urls import reverse

from events.models import ManageLink, Registration, SeatCounter
from tests.french import fr

pytestmark = [pytest.mark.django_db, pytest.mark.engine]


@pytest.fixture
def now_and_on_commit(django_capture_on_commit_callbacks):
    """Run the on-commit callbacks (e-mails) of what happens inside the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def form_data(**overrides) -> dict:
    data = {
        "first_name": "Awa",
        "adults": "2",
        "children": "1",
        "residence": "",
        "building": "",
        "email": "awa@example.fr",
        "phone": "",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def signup_url(occurrence) -> str:
    return reverse("events:signup", args=(occurrence.pk,))


def test_form_is_french_and_uncached(client, outing):
    response = client.get(signup_url(outing))
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    for text in (
        "Votre prénom",
        "Nombre d'adultes",
        "Nombre d'enfants",
        "Je m'inscris",
        "Places restantes : 50",
    ):
        assert fr(text) in page, text
    assert 'name="csrfmiddlewaretoken"' in page


def test_signup_confirms_mails_and_gives_a_private_link(client, outing, mailoutbox):
    response = client.post(signup_url(outing), form_data())
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert (registration.status, registration.seats, registration.first_name) == (
        "confirmed",
        3,
        "Awa",
    )
    assert registration.consent_at is not None
    page = client.get(response["Location"])
    assert "votre inscription est confirmée" in page.content.decode()
    [mail] = mailoutbox
    assert mail.subject == "Inscription confirmée : Sortie à la mer"
    assert "/inscription/gerer/" in mail.body and "Samedi 1er juin 2030, 8h–19h" in mail.body
    [(name, content, mimetype)] = mail.attachments
    assert (name, mimetype) == ("evenement.ics", "text/calendar")
    [event] = icalendar.Calendar.from_ical(content).walk("VEVENT")
    assert event["DTSTART"].dt.hour == 8 and str(event["SUMMARY"]) == "Sortie à la mer"
    # the link in the e-mail works too, and is different from the one on the result page
    mailed = mail.body.split("/inscription/gerer/")[1].split("/")[0]
    assert client.get(reverse("events:manage", args=(mailed,))).status_code == 200
    assert ManageLink.objects.count() == 2
    assert mailed not in response["Location"]


def test_tokens_are_stored_hashed(client, outing):
    response = client.post(signup_url(outing), form_data())
    token = response["Location"].split("/gerer/")[1].split("/")[0]
    assert len(token) >= 43  # 32 random bytes, base64
    assert not ManageLink.objects.filter(token_hash=token).exists()


def test_full_outing_puts_the_party_on_the_waiting_list(client, outing, mailoutbox):
    SeatCounter.objects.filter(occurrence=outing).update(capacity=3)
    client.post(signup_url(outing), form_data(email="a@example.fr", adults="2", children="0"))
    response = client.post(signup_url(outing), form_data(email="b@example.fr"))  # 3 people
    page = client.get(response["Location"]).content.decode()
    assert "liste d'attente, en position 1" in html.unescape(page)
    assert mailoutbox[-1].subject == "Liste d'attente : Sortie à la mer"


def test_manage_link_changes_cancels_and_promotes(client, outing, mailoutbox, now_and_on_commit):
    SeatCounter.objects.filter(occurrence=outing).update(capacity=3)
    first = client.post(
        signup_url(outing), form_data(email="a@example.fr", adults="2", children="0")
    )
    client.post(signup_url(outing), form_data(email="b@example.fr", adults="2", children="0"))
    manage = first["Location"].split("?")[0]
    waiting = Registration.objects.get(email="b@example.fr")
    assert waiting.status == "waiting"  # 1 free seat, a party of 2
    growing = client.post(manage, {"action": "modifier", "adults": "3", "children": "0"})
    assert growing.status_code == 302  # the one free seat fits
    refused = client.post(manage, {"action": "modifier", "adults": "4", "children": "0"})
    assert "plus grand que le nombre total de places (3)" in html.unescape(refused.content.decode())
    asked = client.post(manage, {"action": "annuler"})  # one step more: nothing cancelled yet
    assert "Oui, annuler mon inscription" in asked.content.decode()
    assert Registration.objects.get(email="a@example.fr").status == "confirmed"
    with now_and_on_commit():
        client.post(manage, {"action": "annuler_confirme"})
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert mailoutbox[-1].to == ["b@example.fr"] and "place s'est libérée" in mailoutbox[-1].subject
    assert "Votre inscription est annulée" in client.get(manage).content.decode()


def test_delete_my_registration_erases_and_kills_the_link(client, outing):
    response = client.post(signup_url(outing), form_data())
    manage = response["Location"].split("?")[0]
    deleted = client.post(manage, {"action": "supprimer"})
    assert "Inscription supprimée" in deleted.content.decode()
    registration = Registration.objects.get()
    assert (registration.status, registration.first_name, registration.email) == (
        "cancelled",
        "Anonyme",
        "",
    )
    assert client.get(manage).status_code == 404
    assert SeatCounter.objects.get(occurrence=outing).seats_taken == 0


@pytest.mark.parametrize("token", ["", "x", "a" * 43, "../../etc/passwd", "a" * 500])
def test_wrong_tokens_are_404(client, outing, token):
    assert client.get(f"/inscription/gerer/{token}/").status_code == 404


def test_manage_actions_need_csrf(outing):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(signup_url(outing), form_data())
    assert response.status_code == 403
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field_message"),
    [
        ({"adults": "-1"}, "supérieure ou égale à 0"),
        ({"adults": "999999"}, "inférieure ou égale à 10"),
        ({"adults": "0", "children": "0"}, "Indiquez au moins une personne."),
        ({"adults": "deux"}, "Saisissez un nombre entier."),
        ({"first_name": "x" * 10_000}, "au plus 60 caractères"),
        ({"first_name": "\x00\x01"}, "Le caractère nul"),
        ({"first_name": "\x01\x02"}, "Indiquez votre prénom."),
        ({"email": "", "phone": ""}, "Indiquez un e-mail ou un numéro de téléphone"),
        (
            {"email": "pas-un-email"},
            "Saisissez une adresse e-mail valide, par exemple nom@exemple.fr.",
        ),
        (
            {"phone": "<script>alert(1)</script>", "email": ""},
            "numéro de téléphone n'est pas valide",
        ),
        ({"consent": ""}, "Cochez cette case pour vous inscrire."),
        ({"website": "http://spam.example"}, "n'a pas pu être enregistrée"),
        ({"residence": "999999"}, "Sélectionnez un choix valide"),
    ],
)
def test_hostile_input_is_refused_with_a_french_message(client, outing, overrides, field_message):
    response = client.post(signup_url(outing), form_data(**overrides))
    assert response.status_code == 200
    page = response.content.decode()
    assert field_message in html.unescape(page)
    assert "<script>alert(1)</script>" not in page
    assert not Registration.objects.exists()
    assert SeatCounter.objects.get(occurrence=outing).seats_taken == 0


def test_html_in_names_is_escaped_everywhere(client, outing, mailoutbox):
    response = client.post(signup_url(outing), form_data(first_name="<b>Awa</b>"))
    page = client.get(response["Location"]).content.decode()
    assert "<b>Awa</b>" not in page and "&lt;b&gt;Awa&lt;/b&gt;" in page
    assert "<b>Awa</b>" not in mailoutbox[0].alternatives[0][0]


def test_double_submit_registers_once(client, outing):
    client.post(signup_url(outing), form_data())
    second = client.post(signup_url(outing), form_data())
    assert second.status_code == 200
    assert "existe déjà avec cette adresse e-mail" in second.content.decode()
    assert Registration.objects.count() == 1


def test_cancelled_past_and_closed_dates_refuse(client, outing, publish_event, residence):
    from events.models import Occurrence

    past = Occurrence.objects.get(
        page=publish_event(residence, first_date=date(2020, 1, 7), registration_enabled=True)
    )
    assert "Cette date est passée" in client.get(signup_url(past)).content.decode()
    assert client.post(signup_url(past), form_data()).status_code == 200
    Occurrence.objects.filter(pk=outing.pk).update(status="cancelled")
    assert "Cette date est annulée." in client.get(signup_url(outing)).content.decode()
    client.post(signup_url(outing), form_data())
    assert not Registration.objects.exists()
    no_signup = Occurrence.objects.get(page=publish_event(residence, first_date=date(2030, 1, 8)))
    assert client.get(signup_url(no_signup)).status_code == 404


def test_rate_limit_answers_429_in_french(client, outing, settings):
    settings.SIGNUP_RATE_LIMIT = 3
    for number in range(3):
        client.post(signup_url(outing), form_data(email=f"p{number}@example.fr"))
    response = client.post(signup_url(outing), form_data(email="p9@example.fr"))
    assert response.status_code == 429
    assert "Réessayez dans quelques minutes" in response.content.decode()
    assert Registration.objects.count() == 3


def test_cancelling_the_date_tells_everyone_registered(
    client, outing, mailoutbox, now_and_on_commit
):
    client.post(signup_url(outing), form_data())
    mailoutbox.clear()
    page = outing.page.specific
    from events.models import EventException

    page.exceptions.add(
        EventException(kind="cancelled", date=date(2030, 6, 1), reason="Tempête annoncée")
    )
    with now_and_on_commit():
        page.save_revision().publish()
    [mail] = mailoutbox
    assert mail.subject.startswith("Annulé : Sortie à la mer")
    assert "Motif : Tempête annoncée" in mail.body


def test_reminder_the_day_before(client, outing, mailoutbox):
    client.post(signup_url(outing), form_data())
    mailoutbox.clear()
    with time_machine.travel("2030-05-31 10:00 +02:00", tick=False):
        call_command("send_reminders", stdout=StringIO())
    [mail] = mailoutbox
    assert mail.subject == "Rappel : Sortie à la mer demain"


def test_anonymisation_after_the_retention_period(client, outing):
    client.post(signup_url(outing), form_data())
    with time_machine.travel("2030-06-20 10:00 +02:00", tick=False):
        call_command("anonymise_registrations", stdout=StringIO())
    assert Registration.objects.get().email == "awa@example.fr"
    with time_machine.travel("2030-07-03 10:00 +02:00", tick=False):
        call_command("anonymise_registrations", stdout=StringIO())
    registration = Registration.objects.get()
    assert (
        registration.first_name,
        registration.email,
        registration.anonymised_at is not None,
    ) == (
        "Anonyme",
        "",
        True,
    )
    assert registration.seats == 3  # head counts stay for the reports
    assert not ManageLink.objects.exists()


def test_event_page_offers_sign_up_with_seats_left(client, outing):
    content = client.get(outing.page.url).content.decode()
    assert "50 places restantes" in content
    assert signup_url(outing) in content
    assert time(8)  # keeps the import used


def test_moving_the_date_tells_everyone_registered(client, outing, mailoutbox, now_and_on_commit):
    from events.models import EventException

    client.post(signup_url(outing), form_data())
    mailoutbox.clear()
    page = outing.page.specific
    page.exceptions.add(
        EventException(
            kind="moved", date=date(2030, 6, 1), new_start_time=time(9), new_end_time=time(18)
        )
    )
    with now_and_on_commit():
        page.save_revision().publish()
    [mail] = mailoutbox
    assert mail.subject == "Changement : Sortie à la mer, désormais samedi 1er juin 2030, 9h–18h"
    [(_name, content, _type)] = mail.attachments
    [event] = icalendar.Calendar.from_ical(content).walk("VEVENT")
    assert event["DTSTART"].dt.hour == 9
    assert Registration.objects.get().status == "confirmed"


def test_signup_settings_refuse_closing_before_opening(outing):
    from datetime import datetime

    from django.core.exceptions import ValidationError

    from events.calendar.schedule import PARIS

    page = outing.page.specific
    page.registration_opens = datetime(2030, 5, 1, 9, tzinfo=PARIS)
    page.registration_closes = datetime(2030, 4, 1, 9, tzinfo=PARIS)
    with pytest.raises(ValidationError) as excinfo:
        page.full_clean()
    assert excinfo.value.message_dict["registration_closes"] == [
        "La clôture doit être après l'ouverture des inscriptions."
    ]


def test_help_texts_are_announced_with_their_field(client, outing):
    page = client.get(signup_url(outing)).content.decode()
    assert 'aria-describedby="id_email_helptext"' in page
    assert 'id="id_email_helptext"' in page


def test_an_unpublished_outing_keeps_booked_dates_out_of_every_listing(client, outing):
    from events.models import Occurrence
    from events.registrations import services as booking

    booking.register(outing, booking.Party(first_name="Awa", adults=1, email="awa@example.fr"))
    page = outing.page.specific
    page.unpublish()
    outing.refresh_from_db()
    assert (outing.status, outing.listed) == ("cancelled", False)  # kept for the people booked
    assert not Occurrence.objects.live().filter(pk=outing.pk).exists()
    assert client.get(signup_url(outing)).status_code == 404
    assert client.get(f"/calendrier/date/{outing.pk}.ics").status_code == 404
    page.save_revision().publish()
    outing.refresh_from_db()
    assert outing.listed and Occurrence.objects.live().filter(pk=outing.pk).exists()


def test_the_manage_page_of_a_cancelled_date_offers_only_to_erase(
    client, outing, mailoutbox, now_and_on_commit
):
    from events.models import EventException

    manage = client.post(signup_url(outing), form_data())["Location"].split("?")[0]
    page = outing.page.specific
    page.exceptions.add(
        EventException(kind="cancelled", date=date(2030, 6, 1), reason="Tempête annoncée")
    )
    with now_and_on_commit():
        page.save_revision().publish()
    text = client.get(manage).content.decode()
    assert "Cette date est annulée (Tempête annoncée)." in text
    assert "Changer le nombre de personnes" not in text
    assert "Annuler mon inscription" not in text
    assert "Supprimer mon inscription" in text
    # A hidden form field does not get round it.
    response = client.post(manage, {"action": "modifier", "adults": "4", "children": "0"})
    assert response.status_code == 302
    assert Registration.objects.get().seats == 3
    assert "seulement supprimer vos informations" in client.get(manage).content.decode()
