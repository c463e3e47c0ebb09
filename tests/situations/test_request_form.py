"""« Demander l'aide d'un médiateur »: the tenant's form, its acknowledgement, the team's notice,
and hostile input (as for sign-ups: never a 500, never reflected, nothing stored half-way)."""

import html
from datetime import timedelta
from urllib.parse import urlencode

import pytest
import time_machine

from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wagtail.users.models import UserProfile

from residences.situations.models import HelpRequest, NoticePreference
from tests.security.conftest import new_address
from tests.security.test_hostile_input import RAW_PAYLOADS, TEXT_PAYLOADS, fetch

# PostgreSQL refuses NUL characters that SQLite stores: the engine decides what each payload does.
pytestmark = [pytest.mark.django_db, pytest.mark.engine]


def form_url(world):
    return reverse("residences:help_request_residence", args=(world.tilleuls.slug,))


def valid(world, **changes):
    data = {
        "residence": str(world.tilleuls.pk),
        "building": str(world.tilleuls_b.pk),
        "category": "bruit",
        "message": "Des cris tous les soirs au-dessus de chez moi.",
        "first_name": "Fatou",
        "contact": "telephone",
        "phone": "06 12 34 56 78",
        "email": "",
        "availability": "après 18h",
        "consent": "on",
        "website": "",
    }
    data.update(changes)
    return data


def send(client, world, **changes):
    return client.post(form_url(world), valid(world, **changes), REMOTE_ADDR=new_address())


def test_the_residence_page_and_the_permanences_pages_link_to_the_form(client, world):
    page = client.get(world.tilleuls.url).content.decode()
    assert form_url(world) in page and "Demander l'aide d'un médiateur" in page


def test_the_form_names_the_residence_and_offers_its_buildings_only(client, world):
    response = client.get(form_url(world))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Les Tilleuls" in text and "Les Peupliers" not in text
    assert f'value="{world.tilleuls_b.pk}"' in text
    assert f'value="{world.peupliers_a.pk}"' not in text
    assert "information de santé" in html.unescape(text)
    assert "csrfmiddlewaretoken" in text
    assert "no-store" in response["Cache-Control"]


def test_the_general_form_forwards_a_known_residence_and_lists_every_one(client, world):
    general = reverse("residences:help_request")
    response = client.get(general, {"residence": "les-tilleuls"})
    assert response.status_code == 302 and response["Location"] == form_url(world)
    text = client.get(general).content.decode()
    assert "Les Tilleuls" in text and "Les Peupliers" in text


def test_a_request_is_received_acknowledged_and_told_to_those_who_opted_in(
    client, world, django_capture_on_commit_callbacks
):
    NoticePreference.objects.create(user=world.manager_a, email_on_request=True)
    NoticePreference.objects.create(user=world.mediator_b, email_on_request=True)  # other sector
    NoticePreference.objects.create(user=world.mediator_a, email_on_request=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, world, email="fatou@example.fr")
    assert response.status_code == 302
    stored = HelpRequest.objects.get()
    assert (stored.sector, stored.residence, stored.building) == (
        world.north,
        world.tilleuls,
        world.tilleuls_b,
    )
    assert stored.phone == "+33612345678"
    assert stored.email == ""  # only the contact chosen is kept
    assert stored.consent_at is not None and stored.situation is None
    ack = client.get(response["Location"])
    assert ack.status_code == 200 and stored.reference in ack.content.decode()
    assert "no-store" in ack["Cache-Control"]
    [message] = mail.outbox
    assert message.bcc == ["claire@example.fr"]
    assert "claire@example.fr" not in message.to
    body = message.body + message.alternatives[0][0] + message.subject
    assert stored.reference in body and "Les Tilleuls" in body
    for private in ("Des cris", "Fatou", "06 12", "+33612345678", "après 18h"):
        assert private not in body


def test_each_member_is_told_in_the_admin_language_they_chose(
    client, world, django_capture_on_commit_callbacks
):
    for user in (world.manager_a, world.mediator_a):
        NoticePreference.objects.create(user=user, email_on_request=True)
    profile = UserProfile.get_for_user(world.mediator_a)
    profile.preferred_language = "en"
    profile.save()
    with django_capture_on_commit_callbacks(execute=True):
        send(client, world)
    reference = HelpRequest.objects.get().reference
    by_language = {tuple(m.bcc): m for m in mail.outbox}
    assert set(by_language) == {("claire@example.fr",), ("nadia@example.fr",)}
    french, english = by_language[("claire@example.fr",)], by_language[("nadia@example.fr",)]
    assert french.subject == f"Nouvelle demande d'aide {reference} – Les Tilleuls"
    assert "Une demande d'aide d'un locataire vient d'arriver" in french.body
    assert english.subject == f"New help request {reference} – Les Tilleuls"
    assert f"Reference: {reference}" in english.body
    assert 'lang="en"' in english.alternatives[0][0]
    for word in ("Bonjour", "Une demande", "Résidence", "connexion"):
        assert word not in english.body + english.alternatives[0][0]


def test_nobody_opted_in_means_no_e_mail_but_the_dashboard_shows_it(
    client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send(client, world)
    assert mail.outbox == []
    client.force_login(world.mediator_a)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert HelpRequest.objects.get().reference in home


def test_the_acknowledgement_needs_a_valid_recent_token(client, world):
    location = send(client, world)["Location"]
    assert client.get(reverse("residences:help_request_sent") + "?r=D-AAAAAA").status_code == 404
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert client.get(location).status_code == 404


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"consent": ""}, "consent", "Cochez cette case pour envoyer votre demande."),
        ({"message": "   "}, "message", "Expliquez en quelques mots ce qui se passe."),
        ({"message": "a\x00b"}, "message", "Le caractère nul n’est pas autorisé."),
        ({"message": "x" * 2001}, "message", "2 000 caractères au plus"),
        ({"phone": ""}, "phone", "Indiquez un numéro pour que l'on vous rappelle."),
        ({"phone": "06 12 AB CD EF"}, "phone", "Ce numéro de téléphone n'est pas valide."),
        ({"contact": "email"}, "email", "Indiquez une adresse e-mail pour que l'on vous réponde."),
        ({"contact": "email", "email": "pas-une-adresse"}, "email", "adresse e-mail valide"),
        ({"category": "<script>"}, "category", "Sélectionnez un choix valide"),
        ({"contact": "fax"}, "contact", "Sélectionnez un choix valide"),
        ({"building": "99999999999999999999"}, "building", "Sélectionnez un choix valide"),
    ],
)
def test_errors_are_french_at_the_field_and_nothing_is_stored(
    client, world, changes, field, message
):
    response = send(client, world, **changes)
    assert response.status_code == 200
    text = html.unescape(response.content.decode())
    assert message in text
    assert f'id="id_{field}-erreur"' in response.content.decode()
    assert not HelpRequest.objects.exists()


def test_a_building_of_another_residence_or_another_residence_is_refused(client, world):
    response = send(client, world, building=str(world.peupliers_a.pk))
    assert "Sélectionnez un choix valide" in html.unescape(response.content.decode())
    response = send(client, world, residence=str(world.peupliers.pk))
    assert response.status_code == 200
    assert not HelpRequest.objects.exists()


def test_the_honeypot_refuses_the_whole_request(client, world):
    response = send(client, world, website="http://spam.example")
    assert response.status_code == 200
    assert "Votre demande n'a pas pu être enregistrée." in html.unescape(response.content.decode())
    assert not HelpRequest.objects.exists()


def test_control_characters_are_dropped_from_what_is_stored(client, world):
    send(client, world, message="Bruit\x7f la nuit\x1b[31m", first_name="Fa\u200btou\r\nBcc: x")
    stored = HelpRequest.objects.get()
    assert stored.message == "Bruit la nuit[31m"
    assert "\n" not in stored.first_name and "\r" not in stored.first_name


def test_rate_limit_answers_429_in_french(client, world, settings):
    settings.HELP_REQUEST_RATE_LIMIT = 2
    for _ in range(2):
        assert client.post(form_url(world), valid(world), REMOTE_ADDR="10.9.9.9").status_code == 302
    response = client.post(form_url(world), valid(world), REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 429
    assert "Réessayez" in response.content.decode() or "réessayez" in response.content.decode()
    assert HelpRequest.objects.count() == 2


def test_csrf_is_required(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post(form_url(world), valid(world))
    assert response.status_code == 403
    assert not HelpRequest.objects.exists()


def test_a_draft_or_unknown_residence_has_no_form(client, world):
    world.tilleuls.unpublish()
    assert client.get(form_url(world)).status_code == 404
    assert client.get("/mediation/demande/nulle-part/").status_code == 404


FIELDS = [
    "residence",
    "building",
    "category",
    "message",
    "first_name",
    "contact",
    "phone",
    "email",
    "availability",
    "consent",
    "website",
]


@pytest.mark.parametrize("field", FIELDS)
def test_hostile_values_in_each_field_never_fail_nor_half_store(client, world, field):
    problems = []
    payloads = list(TEXT_PAYLOADS.items()) + [(k, v) for k, v in RAW_PAYLOADS.items()]
    for key, payload in payloads:
        before = HelpRequest.objects.count()
        data = valid(world, **{field: payload})
        response, found = fetch(
            client,
            "post",
            form_url(world),
            data=urlencode(data, encoding="utf-8", errors="surrogateescape").encode()
            if key not in RAW_PAYLOADS
            else _raw_body(data, field, payload),
            content_type="application/x-www-form-urlencoded",
        )
        problems += [f"[{key}] {problem}" for problem in found]
        if response is None:
            continue
        stored = HelpRequest.objects.count() - before
        if response.status_code == 302:
            assert stored == 1, key
            request = HelpRequest.objects.order_by("-pk").first()
            for text in (request.message, request.first_name, request.availability):
                assert "\x00" not in text and "\x1b" not in text, key
        else:
            assert stored == 0, (key, response.status_code)
    assert not problems, "\n".join(problems)


def _raw_body(data, field, raw) -> bytes:
    """The form with one value as raw bytes (invalid UTF-8, %-escapes as sent)."""
    others = urlencode({k: v for k, v in data.items() if k != field}).encode()
    return others + b"&" + field.encode() + b"=" + raw.encode("latin-1")
