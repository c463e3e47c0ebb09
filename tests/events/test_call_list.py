"""Issue #18: a date cancelled with mixed households, and the mediator's « À appeler » list.

Each household is told once per channel it gave (e-mail; SMS on a consenting mobile); those no
message reaches (a landline, a mobile without SMS consent) are listed to call, with the number,
what to say and the reference. « Prévenu·e » records who called and when; « Pas de réponse »
counts and keeps the call. Only the mediators of the date's sector see or record it. Tasks run
at once (django-tasks' immediate backend in the test settings); the notices of a date change
are sent when its publication commits.
"""

import html
from datetime import date, time, timedelta
from io import StringIO
from types import SimpleNamespace

import pytest
import time_machine

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.calendar.formatting import former_time, when
from events.calendar.occurrences import sync_occurrences
from events.models import EventException, EventPage, Notice, Occurrence, Registration
from events.outreach.calls import waiting_calls
from events.registrations import notices
from events.registrations import services as booking
from events.registrations.texts import short_when, spelled
from portal import sms
from residences.teams import setup_sector_team
from tests.factories import ResidencePageFactory, SectorPageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.engine]

Kind = Notice.Kind

# Who gave what: the households of the cancelled date.
HOUSEHOLDS = {
    "Alice": {"email": "alice@example.fr"},  # e-mail only
    "Bakary": {"phone": "06 12 34 56 78", "sms_consent": True},  # SMS
    "Chantal": {"phone": "07 81 23 45 67"},  # a mobile, no SMS wanted
    "Denis": {"phone": "01 23 45 67 89"},  # a landline
    "Emma": {"email": "emma@example.fr", "phone": "06 98 76 54 32", "sms_consent": True},
    "Fatou": {"email": "fatou@example.fr", "phone": "03 20 12 34 56"},  # e-mail + landline
}
TOLD = {
    "Alice": {("email", "sent")},
    "Bakary": {("sms", "sent")},
    "Chantal": {("call", "pending")},
    "Denis": {("call", "pending")},
    "Emma": {("email", "sent"), ("sms", "sent")},
    "Fatou": {("email", "sent")},
}
TO_CALL = ["Chantal", "Denis"]


# Helpers and fixtures -------------------------------------------------------------------------


@pytest.fixture
def teams(client, home, sector, residence):
    """Nadia, mediator of Agence Nord (the outing's sector); Karim, of Agence Sud."""
    north = setup_sector_team(sector, require_approval=False)
    south_sector = SectorPageFactory(parent=home, title="Agence Sud", slug="agence-sud")
    south = setup_sector_team(south_sector, require_approval=False)
    users = get_user_model().objects
    nadia = users.create_user("nadia", password="motdepasse-long", first_name="Nadia")
    nadia.groups.add(north.mediators)
    karim = users.create_user("karim", password="motdepasse-long", first_name="Karim")
    karim.groups.add(south.mediators)
    return SimpleNamespace(
        nadia=nadia,
        karim=karim,
        south=ResidencePageFactory(parent=south_sector, title="Les Peupliers", slug="peupliers"),
    )


@pytest.fixture
def nadia(client, teams):
    client.force_login(teams.nadia)
    return client


@pytest.fixture
def karim(client, teams):
    client.force_login(teams.karim)
    return client


def register(occurrence, name, adults=1, **contact) -> Registration:
    return booking.register(occurrence, booking.Party(first_name=name, adults=adults, **contact))


@pytest.fixture
def households(outing, mailoutbox):
    people = {name: register(outing, name, **contact) for name, contact in HOUSEHOLDS.items()}
    mailoutbox.clear()
    sms.outbox.clear()
    return people


def publish(occurrence, capture, *exceptions, user=None) -> None:
    """The event with these particular dates, published as an editor does."""
    page = EventPage.objects.get(pk=occurrence.page_id)
    page.exceptions = list(exceptions)
    with capture(execute=True):
        page.save_revision(user=user).publish(user=user)


def cancel(occurrence, capture, reason="Car en panne", user=None) -> None:
    day = occurrence.local_start.date()
    cancelled = EventException(kind="cancelled", date=day, reason=reason)
    publish(occurrence, capture, cancelled, user=user)


def move(occurrence, capture, hour: int) -> None:
    day = date(2030, 6, 1)
    moved = EventException(
        kind="moved", date=day, new_start_time=time(hour), new_end_time=time(hour + 8)
    )
    publish(occurrence, capture, moved)


def names(calls) -> list[str]:
    return sorted(notice.registration.first_name for notice in calls)


def told(people) -> dict:
    return {
        name: set(registration.notices.values_list("channel", "status"))
        for name, registration in people.items()
    }


def call_list(client) -> str:
    response = client.get(reverse("call_list"))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def record(client, notice, outcome):
    return client.post(reverse("record_call", args=(notice.pk,)), {"outcome": outcome})


def dashboard(client) -> str:
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def retry() -> None:
    call_command("retry_notices", stdout=StringIO())


# A cancelled date with mixed households -------------------------------------------------------


def test_a_cancelled_date_tells_each_household_once_per_channel_or_lists_it_to_call(
    outing, households, teams, mailoutbox, django_capture_on_commit_callbacks
):
    cancel(outing, django_capture_on_commit_callbacks)
    assert sorted(mail.to[0] for mail in mailoutbox) == [
        "alice@example.fr",
        "emma@example.fr",
        "fatou@example.fr",
    ]
    assert {mail.subject for mail in mailoutbox} == {f"Annulé : Sortie à la mer, {when(outing)}"}
    assert sorted(message.to for message in sms.outbox) == ["+33612345678", "+33698765432"]
    assert all(m.text.startswith("ANNULÉ : Sortie à la mer") for m in sms.outbox)
    assert told(households) == TOLD
    assert set(Notice.objects.values_list("kind", flat=True)) == {Kind.CANCELLED}
    calls = list(waiting_calls(teams.nadia))
    assert names(calls) == TO_CALL
    assert {call.date_version for call in calls} == {Occurrence.objects.get().version} == {2}


def test_cancelling_again_or_syncing_again_sends_and_lists_nothing_twice(
    outing, households, teams, mailoutbox, django_capture_on_commit_callbacks
):
    cancel(outing, django_capture_on_commit_callbacks)
    counts = (len(mailoutbox), len(sms.outbox), Notice.objects.count())
    assert counts == (3, 2, 7)

    cancel(outing, django_capture_on_commit_callbacks)  # the same cancellation published again
    page = EventPage.objects.get(pk=outing.page_id)
    with django_capture_on_commit_callbacks(execute=True):
        sync_occurrences(page)  # a second sync (cron, a re-save)
    with django_capture_on_commit_callbacks(execute=True):
        notices.dates_changed({outing.pk: Kind.CANCELLED})  # a duplicated task
    retry()
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        retry()

    assert (len(mailoutbox), len(sms.outbox), Notice.objects.count()) == counts
    assert told(households) == TOLD
    assert names(waiting_calls(teams.nadia)) == TO_CALL
    assert Occurrence.objects.get().version == 2


def test_a_phone_only_household_promoted_from_the_waiting_list_is_listed_to_call(
    outing, teams, mailoutbox, django_capture_on_commit_callbacks
):
    page = EventPage.objects.get(pk=outing.page_id)
    page.capacity = 2
    page.save_revision().publish()
    alice = register(outing, "Alice", adults=2, email="alice@example.fr")
    denis = register(outing, "Denis", phone="01 23 45 67 89")
    bakary = register(outing, "Bakary", phone="06 12 34 56 78", sms_consent=True)
    assert (denis.status, bakary.status) == ("waiting", "waiting")
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        promoted = booking.cancel(alice)
    assert {r.pk for r in promoted} == {denis.pk, bakary.pk}

    [message] = sms.outbox  # Bakary is told by SMS
    assert message.to == "+33612345678"
    assert message.text.startswith(
        "Une place s'est libérée, votre inscription est confirmée : Sortie à la mer"
    )
    assert mailoutbox == []
    [call] = waiting_calls(teams.nadia)
    assert (call.registration, call.kind) == (denis, Kind.PROMOTED)
    denis.refresh_from_db()
    assert call.registration.status == "confirmed"


def test_a_household_without_any_contact_is_not_listed(outing, teams):
    nobody = Registration.objects.create(
        occurrence=outing, status="confirmed", first_name="Sans contact", seats=1
    )
    assert notices.notify([nobody.pk], Kind.CANCELLED) == []
    assert list(waiting_calls(teams.nadia)) == []


# The call list --------------------------------------------------------------------------------


def test_the_call_list_shows_the_number_what_to_say_and_the_reference(
    nadia, outing, households, django_capture_on_commit_callbacks
):
    cancel(outing, django_capture_on_commit_callbacks)
    page = call_list(nadia)
    denis, chantal = households["Denis"], households["Chantal"]
    for person, national, e164 in (
        (denis, "01 23 45 67 89", "+33123456789"),
        (chantal, "07 81 23 45 67", "+33781234567"),
    ):
        assert f'<a href="tel:{e164}">{national}</a>' in page
        assert f"Réf. {person.reference}" in page
        assert (
            f"Annulation : ANNULÉ : Sortie à la mer du {short_when(outing)} (Car en panne). "
            f"Référence {spelled(person.reference)}." in page
        )
        assert f'Prévenu·e<span class="visuallyhidden"> : {person.first_name}' in page
    assert reverse("occurrence_registrations", args=(outing.pk,)) in page
    for reached in ("Alice", "Bakary", "Emma", "Fatou"):
        assert reached not in page
    assert page.index("Chantal") < page.index("Denis")  # same date: in the order they were made


def test_the_call_list_is_for_the_admin_only(client, outing, households, teams):
    notices.notify([households["Denis"].pk], Kind.CANCELLED)
    [call] = waiting_calls(teams.nadia)
    response = client.get(reverse("call_list"))
    assert response.status_code == 302 and "/login/" in response["Location"]
    response = record(client, call, "prevenu")
    assert response.status_code == 302 and "/login/" in response["Location"]
    call.refresh_from_db()
    assert (call.status, call.called_by) == ("pending", None)


def test_prevenu_records_who_called_and_when_and_takes_the_call_off_the_list(
    nadia, teams, outing, households, django_capture_on_commit_callbacks
):
    cancel(outing, django_capture_on_commit_callbacks, user=teams.nadia)
    call = Notice.objects.get(registration=households["Denis"])
    moment = timezone.now().replace(microsecond=0) + timedelta(minutes=3)
    with time_machine.travel(moment, tick=False):
        response = record(nadia, call, "prevenu")
    assert response.status_code == 302 and response["Location"] == reverse("call_list")
    call.refresh_from_db()
    assert (call.status, call.called_by, call.sent_at) == ("sent", teams.nadia, moment)
    assert call.error == ""
    page = call_list(nadia)
    assert "Denis : prévenu·e, c'est noté." in page
    assert "Denis" not in page.split("Denis : prévenu·e")[1]  # no row left for him
    assert names(waiting_calls(teams.nadia)) == ["Chantal"]
    # Recorded once: a second click (another tab, a colleague) finds nothing to record.
    assert record(nadia, call, "prevenu").status_code == 404
    call.refresh_from_db()
    assert call.sent_at == moment
    # The registrations page says who told them, and when.
    registrations = html.unescape(
        nadia.get(reverse("occurrence_registrations", args=(outing.pk,))).content.decode()
    )
    local = timezone.localtime(moment)
    assert (
        f"Annulation, appel : prévenu·e par Nadia le {local.day}/{local:%m à %Hh%M}"
        in registrations
    )


def test_pas_de_reponse_counts_the_call_and_keeps_it_listed(
    nadia, teams, outing, households, django_capture_on_commit_callbacks
):
    cancel(outing, django_capture_on_commit_callbacks)
    call = Notice.objects.get(registration=households["Denis"])
    response = record(nadia, call, "sans_reponse")
    assert response.status_code == 302
    call.refresh_from_db()
    assert (call.status, call.attempts, call.called_by, call.sent_at) == ("pending", 1, None, None)
    page = call_list(nadia)
    assert "Denis : pas de réponse, l'appel reste sur la liste." in page
    assert "1 appel sans réponse" in page
    record(nadia, call, "sans_reponse")
    assert "2 appels sans réponse" in call_list(nadia)
    assert names(waiting_calls(teams.nadia)) == TO_CALL
    record(nadia, call, "prevenu")
    call.refresh_from_db()
    assert (call.status, call.attempts, call.called_by) == ("sent", 2, teams.nadia)


def test_a_mediator_of_another_sector_neither_sees_nor_records_the_call(
    karim, teams, outing, households, django_capture_on_commit_callbacks
):
    cancel(outing, django_capture_on_commit_callbacks)
    page = call_list(karim)
    assert "Personne à appeler." in page
    for name in TO_CALL:
        assert name not in page
    assert "à passer" not in dashboard(karim)
    for call in Notice.objects.filter(channel="call"):
        for outcome in ("prevenu", "sans_reponse"):
            assert record(karim, call, outcome).status_code == 404
        call.refresh_from_db()
        assert (call.status, call.attempts, call.called_by) == ("pending", 0, None)
    assert list(waiting_calls(teams.karim)) == []
    assert names(waiting_calls(teams.nadia)) == TO_CALL


def test_the_south_mediator_sees_the_calls_of_the_south_only(
    karim, teams, publish_event, outing, households
):
    page = publish_event(
        teams.south, title="Atelier du Sud", first_date=date(2030, 6, 2), registration_enabled=True
    )
    south_date = Occurrence.objects.get(page=page)
    south = register(south_date, "Gaston", phone="04 91 12 34 56")
    notices.notify([south.pk, households["Denis"].pk], Kind.CANCELLED)
    assert names(waiting_calls(teams.karim)) == ["Gaston"]
    assert names(waiting_calls(teams.nadia)) == ["Denis"]
    listed = call_list(karim)
    assert "Gaston" in listed and "04 91 12 34 56" in listed and "Denis" not in listed


def test_record_call_takes_a_post_only(nadia, outing, households):
    [call] = notices.notify([households["Denis"].pk], Kind.CANCELLED)
    assert nadia.get(reverse("record_call", args=(call.pk,))).status_code == 405
    call.refresh_from_db()
    assert call.status == "pending"


def test_the_dashboard_counts_the_calls_waiting(
    nadia, outing, households, django_capture_on_commit_callbacks
):
    assert "à passer" not in dashboard(nadia)
    cancel(outing, django_capture_on_commit_callbacks)
    page = dashboard(nadia)
    assert "2 appels à passer" in page
    assert f'<a href="{reverse("call_list")}">Voir la liste « À appeler »</a>' in page
    record(nadia, Notice.objects.get(registration=households["Denis"]), "prevenu")
    assert "1 appel à passer" in dashboard(nadia)
    record(nadia, Notice.objects.get(registration=households["Chantal"]), "sans_reponse")
    assert "1 appel à passer" in dashboard(nadia)  # still to make
    record(nadia, Notice.objects.get(registration=households["Chantal"]), "prevenu")
    assert "à passer" not in dashboard(nadia)


@pytest.mark.engine
def test_the_call_list_makes_as_many_queries_for_9_calls_as_for_3(nadia, publish_event, residence):
    """Each call on its own event and date: nothing is fetched row by row."""

    def calls_on_new_dates(count: int) -> None:
        for number in range(count):
            # Half of them held in the residence's common room: the place is read too.
            place = {"venue_name": "", "venue_residence": residence} if number % 2 else {}
            page = publish_event(
                residence, first_date=date(2030, 7, 1), registration_enabled=True, **place
            )
            occurrence = Occurrence.objects.get(page=page)
            registration = register(occurrence, "Denis", phone="01 23 45 67 89")
            notices.notify([registration.pk], Kind.PROMOTED)

    calls_on_new_dates(3)
    call_list(nadia)  # warm the caches (site, permissions)
    with CaptureQueriesContext(connection) as three:
        assert call_list(nadia).count("Prévenu·e<span") == 3
    calls_on_new_dates(6)
    with CaptureQueriesContext(connection) as nine:
        assert call_list(nadia).count("Prévenu·e<span") == 9
    assert len(nine) == len(three), "\n".join(q["sql"][:150] for q in nine.captured_queries)
    assert "Salle commune, Les Tilleuls" in call_list(nadia)


def test_the_registrations_page_of_a_date_changed_by_a_scheduled_publication_opens(
    nadia, outing, households, django_capture_on_commit_callbacks
):
    cancel(outing, django_capture_on_commit_callbacks)  # no user: as publish_scheduled does
    response = nadia.get(reverse("occurrence_registrations", args=(outing.pk,)))
    assert response.status_code == 200
    assert "Annulation, appel : <strong>à appeler</strong>" in response.content.decode()


# A call about a date that changed again ------------------------------------------------------


def test_a_call_about_a_date_that_changed_again_is_superseded(
    nadia, teams, outing, households, django_capture_on_commit_callbacks
):
    cancel(outing, django_capture_on_commit_callbacks)
    cancelled = Notice.objects.get(registration=households["Denis"], kind=Kind.CANCELLED)
    publish(outing, django_capture_on_commit_callbacks)  # the date takes place after all
    calls = list(waiting_calls(teams.nadia))
    assert names(calls) == TO_CALL
    assert {call.kind for call in calls} == {Kind.RESTORED}
    page = call_list(nadia)
    assert f"Maintenu : Sortie à la mer a bien lieu le {short_when(outing)}, Salle commune." in page
    assert "ANNULÉ" not in page
    # The cancellation's call is no longer on the list, and cannot be recorded from an old tab.
    assert record(nadia, cancelled, "prevenu").status_code == 404
    cancelled.refresh_from_db()
    assert cancelled.status == "pending" and cancelled.called_by is None


def test_only_the_latest_move_is_listed(
    nadia, teams, outing, households, django_capture_on_commit_callbacks
):
    move(outing, django_capture_on_commit_callbacks, 9)
    move(outing, django_capture_on_commit_callbacks, 10)
    calls = list(waiting_calls(teams.nadia))
    assert names(calls) == TO_CALL
    assert {(call.kind, call.date_version) for call in calls} == {(Kind.MOVED, 3)}
    page = call_list(nadia)
    outing.refresh_from_db()
    assert short_when(outing).endswith(" 10h")
    assert f"Changement : Sortie à la mer a lieu le {short_when(outing)}, Salle commune." in page
    assert " 9h" not in page
    former = former_time(outing)
    assert former.startswith("initialement le samedi 1") and former.endswith(" à 8h")
    assert f"({former.capitalize()}.)" in page


def test_a_household_that_cancelled_is_no_longer_listed(
    nadia, teams, outing, households, django_capture_on_commit_callbacks
):
    move(outing, django_capture_on_commit_callbacks, 9)
    booking.cancel(households["Denis"])
    assert names(waiting_calls(teams.nadia)) == ["Chantal"]
    assert "Denis" not in call_list(nadia)
