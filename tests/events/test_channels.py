"""Issue #18: phone numbers, the SMS channel and registration references.

Numbers are read as tenants write them (metropole, overseas, abroad) and stored in E.164; a
landline or a 09 box never gets an SMS; sign-up asks for SMS only on a mobile, with the error
at the field to change. Each SMS fits two GSM-7 segments and carries the reference and a short
link that opens the manage page, where SMS can be stopped. A provider that fails is tried again
with the notices' backoff; a number it refuses puts the household on the call list. No log
line or stored error ever holds the number.

SMS go to the locmem backend (`portal.sms.outbox`, emptied before each test by
tests/conftest.py), or to tests/sms_server.py, a local server answering as Brevo's API does.
"""

import logging
import re
from datetime import time, timedelta
from io import StringIO
from urllib.parse import urlsplit

import pytest
import time_machine

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from events.models import EventException, EventPage, Notice, Registration
from events.outreach.calls import waiting_calls
from events.registrations import services as booking
from events.registrations.admin_views import OnBehalfForm
from events.registrations.models import REFERENCE_ALPHABET, new_reference
from events.registrations.tasks import BACKOFF
from events.registrations.texts import short_when, sms_text
from portal import sms
from portal.phones import INVALID, parse_phone
from portal.sms.segments import GSM7, encoding, segments
from tests.sms_server import BrevoServer

pytestmark = pytest.mark.django_db

Kind = Notice.Kind
Channel = Notice.Channel

MOBILE = "06 12 34 56 78"
MOBILE_E164 = "+33612345678"
# Every way the number could leak: E.164, the digits Brevo gets, the national forms.
MOBILE_TRACES = ("612345678", "6 12 34 56 78", "06.12", "0612")
LANDLINE = "01 23 45 67 89"
FIXED_LINE_ERROR = "Ce numéro est un téléphone fixe"
NO_PHONE_FOR_SMS = "Indiquez un numéro de portable pour recevoir des SMS."


# Helpers --------------------------------------------------------------------------------------


def sign_up(client, occurrence, **fields):
    data = {
        "first_name": "Awa",
        "adults": "1",
        "children": "0",
        "residence": "",
        "building": "",
        "email": "",
        "phone": "",
        "consent": "on",
        "website": "",
        **fields,
    }
    return client.post(reverse("events:signup", args=(occurrence.pk,)), data)


def form_errors(response) -> dict:
    assert response.status_code == 200, response.status_code
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


def register(occurrence, name="Awa", **party):
    return booking.register(occurrence, booking.Party(first_name=name, adults=1, **party))


def change_date(occurrence, capture, **exception):
    """Publish the event with one particular date, as an editor does; notices go at commit."""
    page = EventPage.objects.get(pk=occurrence.page_id)
    page.exceptions = [EventException(date=occurrence.local_start.date(), **exception)]
    with capture(execute=True):
        page.save_revision().publish()


def retry() -> None:
    call_command("retry_notices", stdout=StringIO())


def manage_path(text: str) -> str:
    """The path of the short private link in a text message."""
    found = re.search(r"https?://\S+/i/[A-Za-z0-9_-]+/", text)
    assert found, text
    return urlsplit(found.group()).path


@pytest.fixture
def admin(db):
    return get_user_model().objects.create_superuser("chef", "chef@example.fr", "motdepasse-long")


@pytest.fixture
def brevo(settings):
    """The Brevo backend, talking to a local server that answers as Brevo does."""
    with BrevoServer() as server:
        settings.SMS_BACKEND = "portal.sms.backends.brevo.SmsBackend"
        settings.SMS_BREVO_URL = server.url
        settings.SMS_BREVO_API_KEY = server.api_key
        settings.SMS_TIMEOUT = 2
        yield server


@pytest.fixture
def every_log(caplog):
    for name in (None, "django_tasks", "events", "portal"):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def assert_number_kept_private(caplog, registration) -> None:
    written = [caplog.text]
    for record in caplog.records:
        written += [record.getMessage(), repr(record.args)]
    written += list(
        Notice.objects.filter(registration=registration).values_list("error", flat=True)
    )
    text = "\n".join(written)
    for trace in MOBILE_TRACES:
        assert trace not in text, (trace, text[:2000])
    assert "Invalid phone" not in text  # Brevo's own message quotes the number


# Phone numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written, e164, is_mobile, area, display",
    [
        # Metropole: mobiles, landlines, and the 09 of an internet box (no SMS).
        (MOBILE, MOBILE_E164, True, "FR", MOBILE),
        ("07 81 23 45 67", "+33781234567", True, "FR", "07 81 23 45 67"),
        ("06.12.34.56.78", MOBILE_E164, True, "FR", MOBILE),
        ("06-12-34-56-78", MOBILE_E164, True, "FR", MOBILE),
        ("+33 6 12 34 56 78", MOBILE_E164, True, "FR", MOBILE),
        ("+33 (0)6 12 34 56 78", MOBILE_E164, True, "FR", MOBILE),
        ("0033 6 12 34 56 78", MOBILE_E164, True, "FR", MOBILE),
        (LANDLINE, "+33123456789", False, "FR", LANDLINE),
        ("03 20 12 34 56", "+33320123456", False, "FR", "03 20 12 34 56"),
        ("09 51 23 45 67", "+33951234567", False, "FR", "09 51 23 45 67"),
        # Overseas, written nationally: each in its own area, with its own country code.
        ("0690 12 34 56", "+590690123456", True, "GP", "0690 12 34 56"),
        ("0696 12 34 56", "+596696123456", True, "MQ", "0696 12 34 56"),
        ("0694 12 34 56", "+594694123456", True, "GF", "0694 12 34 56"),
        ("0692 12 34 56", "+262692123456", True, "RE", "0692 12 34 56"),
        ("0639 69 12 34", "+262639691234", True, "YT", "0639 69 12 34"),
        ("0590 12 34 56", "+590590123456", False, "GP", "0590 12 34 56"),
        ("0262 12 34 56", "+262262123456", False, "RE", "0262 12 34 56"),
        # Overseas landlines that libphonenumber also lists as metropolitan numbers.
        ("0596 61 23 45", "+596596612345", False, "MQ", "0596 61 23 45"),
        ("0263 01 23 45", "+262263012345", False, "RE", "0263 01 23 45"),
        ("0269 61 12 34", "+262269611234", False, "YT", "0269 61 12 34"),
        ("+596 596 61 23 45", "+596596612345", False, "MQ", "0596 61 23 45"),
        ("+590 690 12 34 56", "+590690123456", True, "GP", "0690 12 34 56"),
        # National non-geographic numbers stay metropolitan.
        ("0806 12 34 56", "+33806123456", False, "FR", "0 806 12 34 56"),
        # Abroad, written with the country code.
        ("+44 7400 123456", "+447400123456", True, "GB", "+44 7400 123456"),
        ("+44 20 7946 0958", "+442079460958", False, "GB", "+44 20 7946 0958"),
    ],
)
def test_numbers_are_read_as_written_and_stored_in_e164(written, e164, is_mobile, area, display):
    number = parse_phone(written)
    assert (number.e164, number.is_mobile, number.area) == (e164, is_mobile, area)
    assert number.display == display
    assert parse_phone(number.e164) == number  # a stored number reads back the same


@pytest.mark.parametrize(
    "junk",
    [
        "",
        "   ",
        "abc",
        "12",
        "3949",
        "06 12 34 56",
        "06 12 34 56 78 90",
        "00 00 00 00 00",
        "+33 6",
        "+999 612345678",
        "06 12 AB CD EF",  # letters are not read as a keypad's digits
        "06 12 34 56 78 / 01 23 45 67 89",
        "0" * 31,
    ],
)
def test_what_is_not_a_number_is_refused_in_french(junk):
    with pytest.raises(ValidationError) as refused:
        parse_phone(junk)
    assert refused.value.messages == [str(INVALID)]
    assert refused.value.code == "invalid_phone"


# Sign-up: which channels, and the errors at the right field ----------------------------------


def test_sign_up_with_an_email_only_is_confirmed_by_email_and_no_sms(client, outing, mailoutbox):
    response = sign_up(client, outing, email="awa@example.fr")
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert (registration.phone, registration.sms_consent, registration.textable) == (
        "",
        False,
        False,
    )
    [mail] = mailoutbox
    assert mail.to == ["awa@example.fr"]
    assert f"Votre référence : {registration.reference}" in mail.body
    assert registration.reference in mail.alternatives[0][0]
    assert sms.outbox == []
    assert list(registration.notices.values_list("channel", "status")) == [("email", "sent")]


def test_sign_up_with_a_mobile_and_sms_is_confirmed_by_one_sms(client, outing, mailoutbox):
    response = sign_up(client, outing, phone=MOBILE, sms="on")
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert (registration.phone, registration.sms_consent) == (MOBILE_E164, True)
    assert registration.textable and registration.contact_key == MOBILE_E164
    [message] = sms.outbox
    assert message.to == MOBILE_E164
    assert message.text.startswith(f"Inscription confirmée : Sortie à la mer, {short_when(outing)}")
    assert f"Réf. {registration.reference}" in message.text
    assert (message.encoding, message.segments) == (GSM7, 1)
    assert mailoutbox == []
    assert list(registration.notices.values_list("channel", "status")) == [("sms", "sent")]
    # The confirmation page shows the reference to note down.
    page = client.get(response["Location"]).content.decode()
    assert registration.reference in page and "votre inscription est confirmée" in page


def test_sign_up_with_an_email_and_sms_is_told_once_on_each(client, outing, mailoutbox):
    sign_up(client, outing, email="awa@example.fr", phone=MOBILE, sms="on")
    registration = Registration.objects.get()
    assert len(mailoutbox) == 1 and len(sms.outbox) == 1
    assert registration.contact_key == "awa@example.fr"
    assert sorted(registration.notices.values_list("channel", flat=True)) == ["email", "sms"]


def test_sign_up_with_a_mobile_without_consent_gets_no_sms(client, outing, mailoutbox):
    response = sign_up(client, outing, phone="07 81 23 45 67")
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert (registration.phone, registration.sms_consent) == ("+33781234567", False)
    assert not registration.textable
    assert sms.outbox == [] and mailoutbox == []
    # A confirmation is not news to call about: they saw the page.
    assert not registration.notices.exists()


@pytest.mark.parametrize("landline", [LANDLINE, "09 51 23 45 67", "0590 12 34 56"])
def test_sms_asked_on_a_landline_is_an_error_at_the_phone_field(client, outing, landline):
    errors = form_errors(sign_up(client, outing, phone=landline, sms="on"))
    assert list(errors) == ["phone"]
    [message] = errors["phone"]
    assert message.startswith(FIXED_LINE_ERROR) and "décochez la case SMS" in message
    assert not Registration.objects.exists()


def test_sms_asked_without_a_phone_is_an_error_at_the_sms_field(client, outing):
    errors = form_errors(sign_up(client, outing, email="awa@example.fr", sms="on"))
    assert errors == {"sms": [NO_PHONE_FOR_SMS]}
    assert not Registration.objects.exists()


def test_a_junk_number_gets_the_french_message_at_the_phone_field_only(client, outing):
    errors = form_errors(sign_up(client, outing, phone="06 12 AB CD", sms="on"))
    assert errors == {"phone": [str(INVALID)]}
    page = sign_up(client, outing, phone="n'importe quoi").content.decode()
    assert "Ce numéro de téléphone n&#x27;est pas valide" in page


def test_the_mediators_form_asks_for_sms_the_same_way():
    base = {"first_name": "Awa", "adults": "1", "children": "0", "source": "telephone"}
    landline = OnBehalfForm({**base, "phone": LANDLINE, "sms": "on"})
    assert not landline.is_valid()
    assert list(landline.errors) == ["phone"]
    assert landline.errors["phone"][0].startswith(FIXED_LINE_ERROR)
    without = OnBehalfForm({**base, "sms": "on"})
    assert not without.is_valid() and without.errors == {"sms": [NO_PHONE_FOR_SMS]}
    junk = OnBehalfForm({**base, "phone": "123"})
    assert not junk.is_valid() and junk.errors == {"phone": [str(INVALID)]}
    mobile = OnBehalfForm({**base, "phone": "0692 12 34 56", "sms": "on"})
    assert mobile.is_valid(), mobile.errors
    assert (mobile.cleaned_data["phone"], mobile.cleaned_data["sms"]) == ("+262692123456", True)


@pytest.mark.parametrize(
    "first, second",
    [
        (MOBILE, "+33 6 12 34 56 78"),
        ("06.12.34.56.78", "0033612345678"),
        ("0596 61 23 45", "+596 596 61 23 45"),
        ("0692 12 34 56", "+262 692 12 34 56"),
    ],
)
def test_one_number_written_two_ways_is_one_contact(client, outing, first, second):
    assert sign_up(client, outing, phone=first).status_code == 302
    registration = Registration.objects.get()
    assert registration.phone == registration.contact_key == parse_phone(second).e164
    errors = form_errors(sign_up(client, outing, first_name="Awa bis", phone=second))
    [refusal] = errors["__all__"]
    assert "déjà" in refusal and "inscription" in refusal.lower()
    assert Registration.objects.count() == 1


# References -----------------------------------------------------------------------------------


def test_references_are_six_unambiguous_characters_and_unique(outing):
    assert len(set(REFERENCE_ALPHABET)) == len(REFERENCE_ALPHABET)
    # Nothing that reads or sounds like another letter or digit over the phone.
    assert not set(REFERENCE_ALPHABET) & set("0O1IL2Z5S8BQ")
    assert REFERENCE_ALPHABET.isupper()
    references = [register(outing, f"P{n}", email=f"p{n}@example.fr").reference for n in range(25)]
    pattern = re.compile(f"[{REFERENCE_ALPHABET}]{{6}}")
    assert all(pattern.fullmatch(reference) for reference in references), references
    assert len(set(references)) == len(references)
    assert Registration.objects.get(reference=references[3]).first_name == "P3"


def test_a_reference_already_taken_is_drawn_again(outing, monkeypatch):
    taken = register(outing, email="awa@example.fr").reference
    draws = iter(taken + "ACDEFG")
    monkeypatch.setattr("events.registrations.models.secrets.choice", lambda alphabet: next(draws))
    assert new_reference() == "ACDEFG"


def test_the_database_refuses_a_second_registration_with_the_same_reference(outing):
    first = register(outing, email="awa@example.fr")
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            occurrence=outing,
            status=Registration.Status.CONFIRMED,
            first_name="Bis",
            seats=1,
            reference=first.reference,
        )


# What an SMS says -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, news",
    [
        (Kind.CONFIRMED, "Inscription confirmée : Sortie à la mer, {when}, Salle commune."),
        (
            Kind.PROMOTED,
            "Une place s'est libérée, votre inscription est confirmée : Sortie à la mer, {when}",
        ),
        (Kind.MOVED, "Changement : Sortie à la mer a lieu le {when}, Salle commune."),
        (Kind.CANCELLED, "ANNULÉ : Sortie à la mer du {when}."),
        (Kind.RESTORED, "Maintenu : Sortie à la mer a bien lieu le {when}, Salle commune."),
        (Kind.REMINDER, "Rappel : Sortie à la mer demain, {when}, Salle commune."),
    ],
)
def test_each_sms_fits_two_gsm7_segments_with_the_reference_and_a_working_link(
    client, outing, kind, news
):
    registration = register(outing, phone=MOBILE, sms_consent=True)
    text = sms_text(registration, kind)
    assert text.startswith(news.format(when=short_when(outing))), text
    assert encoding(text) == GSM7 and segments(text) <= 2, (segments(text), text)
    assert f"Réf. {registration.reference}." in text
    if kind != Kind.CANCELLED:
        assert "Salle commune" in text  # the place
    page = client.get(manage_path(text))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Mon inscription" in content and registration.reference in content


def test_an_sms_writes_the_date_and_time_short(outing):
    assert re.fullmatch(r"sam\.? 1(er)? juin 8h", short_when(outing)), short_when(outing)


def test_french_typography_is_written_in_gsm7_and_long_news_stay_within_two_segments(
    publish_event, residence, client
):
    from datetime import date

    from events.models import Occurrence

    page = publish_event(
        residence,
        title="Fête de quartier : crêpes, goûter « solidaire » et jeux pour les enfants",
        venue_name="Salle polyvalente Émile-Zola, rez-de-chaussée du bâtiment C",
        first_date=date(2030, 9, 14),
        start_time=time(14, 30),
        end_time=time(18),
        registration_enabled=True,
        capacity=30,
    )
    occurrence = Occurrence.objects.get(page=page)
    registration = register(occurrence, phone="0692 12 34 56", sms_consent=True)
    occurrence.reason = "Chauffage en panne dans la salle ; l'équipe vous propose une autre date"
    for kind in (Kind.CONFIRMED, Kind.PROMOTED, Kind.CANCELLED, Kind.REMINDER):
        text = sms_text(registration, kind)
        assert encoding(text) == GSM7, text
        assert segments(text) <= 2, (kind, segments(text), len(text), text)
        assert "crepes" in text and '"solidaire"' in text
        assert "14h30" in text and f"Réf. {registration.reference}" in text
        assert client.get(manage_path(text)).status_code == 200


def test_the_longest_title_place_and_reason_are_cut_to_fit_two_segments(
    publish_event, residence, client, settings
):
    """Title 255, place 150, reason 200 characters, a long address: still two SMS, with the
    date, the time, the reference and a link that works."""
    from datetime import date

    from events.models import Occurrence

    settings.WAGTAILADMIN_BASE_URL = "https://inscriptions.office-public-habitat-exemple.fr"
    words = "Atelier participatif de quartier autour du jardin partagé et des économies "
    page = publish_event(
        residence,
        title=(words * 4)[:255],
        venue_name=("Maison des associations, " * 7)[:150],
        first_date=date(2030, 9, 14),
        start_time=time(14, 30),
        end_time=time(18),
        registration_enabled=True,
        capacity=30,
    )
    occurrence = Occurrence.objects.get(page=page)
    registration = register(occurrence, phone=MOBILE, sms_consent=True)
    occurrence.reason = ("La salle est indisponible à cause de travaux urgents. " * 4)[:200]
    for kind in (Kind.CONFIRMED, Kind.PROMOTED, Kind.MOVED, Kind.CANCELLED, Kind.REMINDER):
        text = sms_text(registration, kind)
        assert encoding(text) == GSM7 and segments(text) <= 2, (kind, len(text), text)
        assert short_when(occurrence) in text and "..." in text, text
        assert text.startswith("Atelier participatif", text.index(": ") + 2), text
        assert f"Réf. {registration.reference}. Gérer : https://inscriptions." in text
        assert client.get(manage_path(text)).status_code == 200
    # The call list keeps the whole story: the mediator reads, nobody pays per character.
    from events.registrations.texts import call_script

    assert occurrence.reason in call_script(registration, Kind.CANCELLED)


# The manage page stops SMS ---------------------------------------------------------------------


def test_the_manage_page_stops_sms_and_a_pending_sms_is_then_dropped(
    client, outing, brevo, django_capture_on_commit_callbacks
):
    response = sign_up(client, outing, phone=MOBILE, sms="on")
    manage = response["Location"].split("?")[0]
    registration = Registration.objects.get()
    assert len(brevo.requests) == 1  # the confirmation
    assert "Ne plus recevoir de SMS" in client.get(manage).content.decode()

    brevo.fail_with = 500
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        change_date(
            outing,
            django_capture_on_commit_callbacks,
            kind="moved",
            new_start_time=time(9),
            new_end_time=time(18),
        )
        moved = Notice.objects.get(registration=registration, kind=Kind.MOVED)
        assert (moved.channel, moved.status, moved.attempts) == ("sms", "pending", 1)

        answer = client.post(manage, {"action": "sms_non"})
        assert answer.status_code == 302
        page = client.get(manage).content.decode()
        assert "Vous ne recevrez plus de SMS pour cette inscription." in page
        assert "Recevoir les SMS au 06 12 34 56 78" in page
        registration.refresh_from_db()
        assert not registration.sms_consent and not registration.textable

        brevo.fail_with = None
        clock.shift(BACKOFF[0])
        retry()
    moved.refresh_from_db()
    assert moved.status == "dropped"
    assert len(brevo.requests) == 2  # the confirmation, and the move's one failed attempt


def test_news_whose_sms_was_stopped_before_it_went_is_put_on_the_call_list(
    client, outing, brevo, admin, django_capture_on_commit_callbacks
):
    manage = sign_up(client, outing, phone=MOBILE, sms="on")["Location"].split("?")[0]
    brevo.fail_with = 500
    with time_machine.travel(timezone.now(), tick=False) as clock:
        change_date(outing, django_capture_on_commit_callbacks, kind="cancelled", reason="Pluie")
        client.post(manage, {"action": "sms_non"})
        brevo.fail_with = None
        clock.shift(BACKOFF[0])
        retry()
    [call] = waiting_calls(admin)
    assert (call.kind, call.registration.phone) == (Kind.CANCELLED, MOBILE_E164)


def test_after_stopping_sms_the_next_news_goes_on_the_call_list(
    client, outing, admin, django_capture_on_commit_callbacks
):
    manage = sign_up(client, outing, phone=MOBILE, sms="on")["Location"].split("?")[0]
    client.post(manage, {"action": "sms_non"})
    sms.outbox.clear()
    change_date(outing, django_capture_on_commit_callbacks, kind="cancelled", reason="Pluie")
    assert sms.outbox == []
    [call] = waiting_calls(admin)
    assert (call.kind, call.channel) == (Kind.CANCELLED, Channel.CALL)


def test_sms_cannot_be_asked_for_a_landline_from_the_manage_page(client, outing):
    manage = sign_up(client, outing, phone=LANDLINE)["Location"].split("?")[0]
    page = client.get(manage).content.decode()
    assert "Recevoir les SMS" not in page  # no SMS section for a landline
    response = client.post(manage, {"action": "sms_oui"})
    assert response.status_code == 200
    assert "Les SMS demandent un numéro de portable." in response.content.decode()
    assert not Registration.objects.get().sms_consent


def test_sms_can_be_asked_again_from_the_manage_page(client, outing):
    manage = sign_up(client, outing, phone=MOBILE)["Location"].split("?")[0]
    assert "Recevoir les SMS au 06 12 34 56 78" in client.get(manage).content.decode()
    assert client.post(manage, {"action": "sms_oui"}).status_code == 302
    assert Registration.objects.get().textable


# A provider that fails --------------------------------------------------------------------------


def test_a_provider_error_is_retried_with_the_backoff_then_delivered_once(
    outing, brevo, admin, every_log, django_capture_on_commit_callbacks
):
    registration = register(outing, phone=MOBILE, sms_consent=True)
    brevo.fail_with = 500
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        change_date(outing, django_capture_on_commit_callbacks, kind="cancelled", reason="Pluie")
        notice = Notice.objects.get(registration=registration)
        assert (notice.kind, notice.channel, notice.status) == (Kind.CANCELLED, "sms", "pending")
        assert (notice.attempts, notice.error) == (1, "SmsError 500")
        assert notice.next_attempt_at == start + BACKOFF[0]

        clock.shift(BACKOFF[0])
        retry()
        notice.refresh_from_db()
        assert (notice.status, notice.attempts) == ("pending", 2)
        assert notice.next_attempt_at == timezone.now() + BACKOFF[1]

        brevo.fail_with = None
        clock.shift(BACKOFF[1] - timedelta(seconds=1))
        retry()  # too early: the notice waits for its time
        assert len(brevo.requests) == 2
        clock.shift(timedelta(seconds=2))
        retry()
        notice.refresh_from_db()
        assert (notice.status, notice.attempts, notice.error) == ("sent", 3, "")
        clock.shift(timedelta(days=1))
        retry()  # never sent twice

    assert len(brevo.requests) == 3
    sent = brevo.requests[-1].json
    assert (sent["recipient"], sent["sender"], sent["type"]) == (
        "33612345678",
        "TraitUnion",
        "transactional",
    )
    assert sent["content"].startswith(f"ANNULÉ : Sortie à la mer du {short_when(outing)} (Pluie).")
    assert f"Réf. {registration.reference}" in sent["content"]
    assert sent["unicodeEnabled"] is False
    assert not Notice.objects.filter(channel=Channel.CALL).exists()
    assert list(waiting_calls(admin)) == []
    assert_number_kept_private(every_log, registration)


def test_a_number_the_provider_refuses_fails_at_once_and_goes_on_the_call_list(
    outing, brevo, admin, every_log, django_capture_on_commit_callbacks
):
    registration = register(outing, phone=MOBILE, sms_consent=True)
    brevo.refused = {"33612345678"}
    with time_machine.travel(timezone.now(), tick=False) as clock:
        change_date(outing, django_capture_on_commit_callbacks, kind="cancelled", reason="Pluie")
        notice = Notice.objects.get(registration=registration, channel=Channel.SMS)
        assert (notice.status, notice.attempts) == ("failed", 1)
        assert notice.error == "SmsError 400 invalid_parameter"
        clock.shift(timedelta(days=1))
        retry()
    assert len(brevo.requests) == 1  # a refused number is not tried again
    [call] = waiting_calls(admin)
    assert (call.registration, call.kind, call.status) == (registration, Kind.CANCELLED, "pending")
    assert_number_kept_private(every_log, registration)


@pytest.mark.parametrize(
    "trouble, error",
    [
        ({"fail_with": 429}, "SmsError 429 too_many_requests"),
        ({"credits": 0}, "SmsError 402 not_enough_credits"),
        ({"api_key": "a-key-brevo-does-not-know"}, "SmsError 401 unauthorized"),
        ({"delay": 5}, "SmsError timeout"),
    ],
)
def test_trouble_with_the_account_or_the_provider_is_temporary(
    outing, brevo, admin, every_log, settings, django_capture_on_commit_callbacks, trouble, error
):
    registration = register(outing, phone=MOBILE, sms_consent=True)
    for name, value in trouble.items():
        setattr(brevo, name, value)
    settings.SMS_TIMEOUT = 0.3
    change_date(outing, django_capture_on_commit_callbacks, kind="cancelled", reason="Pluie")
    notice = Notice.objects.get(registration=registration)
    assert (notice.status, notice.attempts, notice.error) == ("pending", 1, error)
    assert list(waiting_calls(admin)) == []  # not yet: the SMS will be tried again
    assert_number_kept_private(every_log, registration)
