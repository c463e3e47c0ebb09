"""Notices through a real SMTP server: refusals and outages retried, at most one message each.

The server (tests/events/smtp.py) runs on 127.0.0.1 and can accept, answer 550 to every
recipient, or be down (port closed). Tasks run immediately unless a test switches to the
database backend that production uses.
"""

import email
import email.policy
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import time, timedelta
from io import StringIO

import pytest
import time_machine

from django.core.management import call_command
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from events.models import ManageLink, Notice, Registration
from events.registrations import services as booking
from events.registrations.notices import notify, registration_confirmed
from events.registrations.privacy import anonymise
from events.registrations.tasks import BACKOFF, MAX_ATTEMPTS, send_notice
from tests.events.smtp import LocalSMTP

pytestmark = pytest.mark.engine

FIRST_NAME = "Zéphyrine"
EMAIL = "zephyrine.kouassi@example.fr"
FAILURES = {
    # mode of the server: what the notice keeps of the error (never the address)
    "refuse": "SMTPRecipientsRefused 550",
    "down": "ConnectionRefusedError",
}


@pytest.fixture
def smtp(settings):
    server = LocalSMTP()
    server.mode = "accept"
    server.use_with(settings)
    yield server
    server.stop()


def sign_up(client, occurrence, **overrides):
    data = {
        "first_name": FIRST_NAME,
        "adults": "2",
        "children": "0",
        "residence": "",
        "building": "",
        "email": EMAIL,
        "phone": "",
        "consent": "on",
        "website": "",
        **overrides,
    }
    response = client.post(reverse("events:signup", args=(occurrence.pk,)), data)
    assert response.status_code == 302, response.content.decode()[:500]
    return Registration.objects.get(email=data["email"])


def retry() -> None:
    call_command("retry_notices", stdout=StringIO())


def subject(received) -> str:
    parsed = email.message_from_bytes(received.data, policy=email.policy.default)
    return parsed["subject"].strip()  # a folded header parses with a leading space


def assert_no_personal_data(text: str) -> None:
    lowered = text.lower()
    for secret in (EMAIL, FIRST_NAME, "zephyrine", "kouassi"):
        assert secret.lower() not in lowered, (secret, text[:300])


# Failures, retries, recovery ----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("failure", ["refuse", "down"])
def test_a_failed_confirmation_is_retried_after_the_backoff_and_delivered_once(
    client, outing, smtp, failure
):
    smtp.mode = failure
    assert smtp.is_listening() == (failure != "down")
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        registration = sign_up(client, outing)
        [notice] = Notice.objects.filter(registration=registration)
        assert (notice.kind, notice.status, notice.attempts) == (
            "registration_confirmed",
            "pending",
            1,
        )
        assert notice.error == FAILURES[failure]
        assert notice.next_attempt_at == start + BACKOFF[0]
        assert_no_personal_data(notice.error)
        assert smtp.messages == []

        smtp.mode = "accept"
        clock.shift(BACKOFF[0] - timedelta(seconds=1))
        retry()  # too early: the notice waits for its time
        notice.refresh_from_db()
        assert (notice.status, notice.attempts) == ("pending", 1)
        assert smtp.messages == []

        clock.shift(timedelta(seconds=2))
        retry()
        notice.refresh_from_db()
        assert (notice.status, notice.attempts, notice.error) == ("sent", 2, "")
        assert notice.sent_at is not None
        [received] = smtp.messages
        assert received.recipients == [EMAIL]
        assert subject(received) == "Inscription confirmée : Sortie à la mer"

        clock.shift(timedelta(days=1))
        retry()  # a sent notice is never sent again
        assert len(smtp.messages) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("failure", ["refuse", "down"])
def test_after_the_last_attempt_the_notice_is_failed_for_good(outing, smtp, failure):
    registration = booking.register(
        outing, booking.Party(first_name=FIRST_NAME, adults=1, email=EMAIL)
    )
    smtp.mode = failure
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        registration_confirmed(registration.pk)
        notice = Notice.objects.get(registration=registration)
        for attempt in range(1, MAX_ATTEMPTS):
            assert (notice.status, notice.attempts) == ("pending", attempt)
            assert notice.next_attempt_at == timezone.now() + BACKOFF[attempt - 1]
            clock.shift(BACKOFF[attempt - 1])
            retry()
            notice.refresh_from_db()
        assert (notice.status, notice.attempts, notice.error) == (
            "failed",
            MAX_ATTEMPTS,
            FAILURES[failure],
        )
        smtp.mode = "accept"
        clock.shift(timedelta(days=2))
        retry()
        send_notice.call(notice.pk)
        notice.refresh_from_db()
        assert (notice.status, notice.attempts) == ("failed", MAX_ATTEMPTS)
        assert smtp.messages == []


@pytest.mark.django_db
def test_a_notice_left_sending_by_a_dead_worker_is_sent_once_later(outing, smtp):
    registration = booking.register(
        outing, booking.Party(first_name=FIRST_NAME, adults=1, email=EMAIL)
    )
    notice = Notice.objects.create(
        registration=registration,
        kind=Notice.Kind.CONFIRMED,
        date_version=outing.version,
        channel=Notice.Channel.EMAIL,
        status=Notice.Status.SENDING,
        attempts=1,
        claimed_at=timezone.now(),
    )
    retry()
    send_notice.call(notice.pk)
    assert smtp.messages == []  # still claimed: maybe the worker is only slow
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        retry()
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == ("sent", 2)
    assert len(smtp.messages) == 1


# At most once ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_duplicated_task_or_request_sends_one_message(outing, smtp):
    registration = booking.register(
        outing, booking.Party(first_name=FIRST_NAME, adults=1, email=EMAIL)
    )
    [notice] = notify([registration.pk], Notice.Kind.CONFIRMED)
    assert notify([registration.pk], Notice.Kind.CONFIRMED) == []
    registration_confirmed(registration.pk)
    send_notice.call(notice.pk)
    send_notice.call(notice.pk)
    send_notice.enqueue(notice.pk)
    retry()
    assert Notice.objects.filter(registration=registration).count() == 1
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == ("sent", 1)
    assert len(smtp.messages) == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_notice_taken_by_four_workers_at_once_is_sent_once(outing, smtp):
    registration = booking.register(
        outing, booking.Party(first_name=FIRST_NAME, adults=1, email=EMAIL)
    )
    notice = Notice.objects.create(
        registration=registration,
        kind=Notice.Kind.CONFIRMED,
        date_version=outing.version,
        channel=Notice.Channel.EMAIL,
    )
    barrier = threading.Barrier(4)

    def worker(_):
        try:
            barrier.wait()
            send_notice.call(notice.pk)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(worker, range(4)))
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == ("sent", 1)
    assert len(smtp.messages) == 1


@pytest.mark.django_db
def test_reminders_once_per_person_and_again_when_the_date_moves(outing, mailoutbox):
    people = [
        booking.register(
            outing, booking.Party(first_name=f"P{n}", adults=1, email=f"p{n}@example.fr")
        )
        for n in range(3)
    ]
    waiting = booking.Party(first_name="W", adults=1, email="w@example.fr")
    page = outing.page.specific
    page.capacity = 3  # as the mediator sets it: on the page, kept when it is published again
    page.save_revision().publish()
    assert booking.register(outing, waiting).status == "waiting"  # no reminder for them
    mailoutbox.clear()

    def reminders() -> list:
        return sorted(m.to[0] for m in mailoutbox if m.subject.startswith("Rappel"))

    everyone = sorted(f"p{n}@example.fr" for n in range(3))
    with time_machine.travel("2030-05-31 10:00 +02:00", tick=False):
        call_command("send_reminders", stdout=StringIO())
        out = StringIO()
        call_command("send_reminders", stdout=out)  # cron retried, or run by hand
        assert reminders() == everyone
        assert out.getvalue().startswith("0 rappel(s) à envoyer, 3 déjà prévu(s)")

        page = outing.page.specific
        page.start_time = time(9)
        page.save_revision().publish()
        outing.refresh_from_db()
        assert outing.version == 2 and timezone.localtime(outing.start).hour == 9
        call_command("send_reminders", stdout=StringIO())
        call_command("send_reminders", stdout=StringIO())
    assert reminders() == sorted(everyone * 2)
    new = [m for m in mailoutbox if m.subject.startswith("Rappel")][-3:]
    assert all("9h" in m.body for m in new)
    assert sorted(
        Notice.objects.filter(kind=Notice.Kind.REMINDER).values_list(
            "registration_id", "date_version"
        )
    ) == sorted((r.pk, version) for r in people for version in (1, 2))


# Privacy ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_pending_notice_of_an_anonymised_registration_is_dropped_unsent(client, outing, smtp):
    smtp.mode = "down"
    registration = sign_up(client, outing)
    notice = Notice.objects.get(registration=registration)
    assert notice.status == "pending"
    anonymise([registration.pk])
    smtp.mode = "accept"
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        retry()
        send_notice.call(notice.pk)
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == ("dropped", 2)
    assert smtp.messages == []
    assert notify([registration.pk], Notice.Kind.REMINDER) == []
    assert Notice.objects.filter(registration=registration).count() == 1


@pytest.mark.django_db(transaction=True)
def test_no_notice_task_result_or_log_line_keeps_who_signed_up(
    client, outing, smtp, settings, caplog
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    loggers = [logging.getLogger(name) for name in ("django_tasks", "django_tasks_db")]
    levels = [logger.level for logger in loggers]
    caplog.set_level(logging.DEBUG)
    for logger in loggers:
        logger.setLevel(logging.DEBUG)

    def work() -> None:
        call_command("db_worker", batch=True, queue_name="*", verbosity=2, startup_delay=False)

    try:
        registration = sign_up(client, outing)  # the confirmation is sent: « notice sent »
        work()
        confirmation = Notice.objects.get(registration=registration)
        assert confirmation.status == "sent"
        smtp.mode = "refuse"  # the server's answer names the address: « notice failed »
        [reminder] = notify([registration.pk], Notice.Kind.REMINDER)
        work()
        reminder.refresh_from_db()
        assert (reminder.status, reminder.attempts, reminder.error) == (
            "pending",
            1,
            "SMTPRecipientsRefused 550",
        )
        anonymise([registration.pk])
        smtp.mode = "accept"
        with time_machine.travel(timezone.now() + timedelta(hours=1)):
            retry()
            work()  # dropped, not sent
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)

    reminder.refresh_from_db()
    assert reminder.status == "dropped"
    assert [m.recipients for m in smtp.messages] == [[EMAIL]]  # the confirmation only
    registration.refresh_from_db()
    assert (registration.first_name, registration.email) == ("Anonyme", "")
    assert not ManageLink.objects.filter(registration=registration).exists()
    assert_no_personal_data(repr(list(Notice.objects.values())))
    results = list(DBTaskResult.objects.order_by("enqueued_at").values())
    assert len(results) == 3 and {r["status"] for r in results} == {"SUCCESSFUL"}
    assert [r["args_kwargs"]["args"] for r in results] == [
        [confirmation.pk],
        [reminder.pk],
        [reminder.pk],
    ]
    assert_no_personal_data(repr(results))
    ours = [r for r in caplog.records if not r.name.startswith("mail.log")]  # aiosmtpd's own
    messages = [r.getMessage() for r in ours if r.name == "events.registrations.tasks"]
    assert [m.split(" id=")[0] for m in messages] == [
        "notice sent",
        "notice failed",
        "notice dropped",
    ]
    assert any(r.name.startswith("django_tasks") for r in ours)
    for record in ours:
        assert_no_personal_data(f"{record.getMessage()} {record.args!r} {record.exc_text or ''}")


# Notices that lost their object ------------------------------------------------------------


@pytest.mark.django_db
def test_a_retried_reminder_is_not_sent_to_someone_who_cancelled_meanwhile(outing, smtp):
    registration = booking.register(
        outing, booking.Party(first_name=FIRST_NAME, adults=1, email=EMAIL)
    )
    smtp.mode = "down"
    with time_machine.travel("2030-05-31 10:00 +02:00", tick=False) as clock:
        call_command("send_reminders", stdout=StringIO())
        notice = Notice.objects.get(kind=Notice.Kind.REMINDER)
        assert (notice.status, notice.attempts) == ("pending", 1)
        clock.shift(timedelta(minutes=20))
        booking.cancel(registration)  # « Si vous ne pouvez plus venir, annulez »
        smtp.mode = "accept"
        clock.shift(timedelta(minutes=1))
        retry()
    notice.refresh_from_db()
    assert [subject(m) for m in smtp.messages] == []  # actual: ["Rappel : … demain"]
    assert notice.status == "dropped"


@pytest.mark.django_db
def test_a_retried_notice_about_an_older_version_of_the_date_is_not_sent(
    outing, smtp, django_capture_on_commit_callbacks
):
    from datetime import date

    from events.models import EventException, EventPage

    booking.register(outing, booking.Party(first_name=FIRST_NAME, adults=1, email=EMAIL))
    smtp.mode = "down"

    def publish(exception) -> None:
        page = EventPage.objects.get(pk=outing.page_id)
        page.exceptions = [exception]
        with django_capture_on_commit_callbacks(execute=True):
            page.save_revision().publish()

    with time_machine.travel(timezone.now(), tick=False) as clock:
        publish(
            EventException(
                kind="moved", date=date(2030, 6, 1), new_start_time=time(9), new_end_time=time(18)
            )
        )
        moved = Notice.objects.get(kind=Notice.Kind.MOVED, date_version=2)
        for delay in BACKOFF[:2]:  # the server stays down: next attempt in 30 minutes
            clock.shift(delay)
            retry()
        publish(EventException(kind="cancelled", date=date(2030, 6, 1), reason="Tempête"))
        Notice.objects.get(kind=Notice.Kind.CANCELLED, date_version=3)
        smtp.mode = "accept"
        clock.shift(timedelta(minutes=2))
        retry()  # the cancellation goes out
        clock.shift(timedelta(minutes=30))
        retry()  # the move that no longer holds must not follow it
    moved.refresh_from_db()
    # actual: [« Annulé : … », « Changement : …, désormais samedi 1er juin 2030, 8h–19h »]
    assert [subject(m).split(" :")[0] for m in smtp.messages] == ["Annulé"]
    assert moved.status == "dropped"
