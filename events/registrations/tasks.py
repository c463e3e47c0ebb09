"""E-mails and text messages to people who signed up, sent as tasks that take ids (never names,
addresses or numbers)."""

import logging
import smtplib
from datetime import datetime, timedelta

from django_tasks import task

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from events.calendar import ical
from events.calendar.feeds import export_for
from events.calendar.formatting import former_time, when
from events.models import ManageLink, Notice, Registration, SeriesVersion
from events.registrations.models import RegistrantMessage
from events.registrations.texts import sms_text
from portal.sms import SmsError, send_sms

logger = logging.getLogger(__name__)

WITH_CALENDAR = {
    "registration_confirmed",
    "registration_promoted",
    "occurrence_moved",
    "occurrence_restored",
}


def absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


MAX_ATTEMPTS = 5
# Delay before attempt 2, 3, 4 and 5: a mail server that is down for an hour loses nothing.
BACKOFF = [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2)]
STALE_CLAIM = timedelta(minutes=15)


@task()
def send_notice(notice_id: int) -> None:
    """Send one notice at most once; on failure, plan a retry or give up as « non remis ».

    The notice is claimed first (PENDING → SENDING in one UPDATE): a duplicated or retried task
    finds it claimed or sent and does nothing. The task never raises, so no task result keeps a
    traceback (whose text could name a recipient).
    """
    now = timezone.now()
    claimed = (
        Notice.objects.filter(pk=notice_id, status=Notice.Status.PENDING, next_attempt_at__lte=now)
        .exclude(channel=Notice.Channel.CALL)  # a call waits for a person, never for a worker
        .update(status=Notice.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return
    notice = Notice.objects.select_related(
        "registration", "registration__occurrence", "registration__occurrence__page", "message"
    ).get(pk=notice_id)
    registration = notice.registration
    if not still_relevant(notice):
        Notice.objects.filter(pk=notice_id).update(status=Notice.Status.DROPPED)
        if stopped_sms_only(notice):
            from events.registrations.notices import call_instead

            call_instead(notice)  # SMS stopped meanwhile: the news still has to reach them
        logger.info("notice dropped id=%s registration=%s", notice_id, registration.pk)
        return
    try:
        deliver(notice)
    except Exception as error:  # noqa: BLE001 - every failure is recorded, then retried
        _failed(notice, error, now)
        return
    Notice.objects.filter(pk=notice_id).update(
        status=Notice.Status.SENT, sent_at=timezone.now(), error=""
    )
    logger.info(
        "notice sent id=%s registration=%s kind=%s channel=%s",
        notice_id,
        registration.pk,
        notice.kind,
        notice.channel,
    )


def deliver(notice: Notice) -> None:
    registration = notice.registration
    if notice.channel == Notice.Channel.SMS:
        send_sms(registration.phone, sms_text(registration, notice.kind, notice.message))
    else:
        build_message(registration, notice.kind, notice.message).send()


# Notices that describe the date as it is: a newer version makes them wrong.
ABOUT_THE_DATE = {
    Notice.Kind.MOVED,
    Notice.Kind.CANCELLED,
    Notice.Kind.RESTORED,
    Notice.Kind.REMINDER,
}


def still_relevant(notice: Notice) -> bool:
    """A retried notice must still be true when it finally goes: the person is still registered
    (not cancelled, not erased) and, for news about the date, the date has not changed since."""
    registration = notice.registration
    if registration.anonymised_at is not None or not registration.is_active:
        return False
    if notice.channel == Notice.Channel.EMAIL and not registration.email:
        return False
    if notice.channel == Notice.Channel.SMS and not registration.textable:
        return False  # SMS stopped from the manage page meanwhile
    return not (
        notice.kind in ABOUT_THE_DATE and notice.date_version != registration.occurrence.version
    )


def stopped_sms_only(notice: Notice) -> bool:
    """An SMS dropped because the household stopped SMS, with no e-mail to tell them instead."""
    registration = notice.registration
    return (
        notice.channel == Notice.Channel.SMS
        and registration.is_active
        and registration.anonymised_at is None
        and not registration.email
        and not registration.textable
    )


def _failed(notice: Notice, error: Exception, now: datetime) -> None:
    """Retry later, or give up: then the household goes on the call list for news it needs."""
    from events.registrations.notices import call_instead

    attempts = notice.attempts
    permanent = isinstance(error, SmsError) and error.permanent  # an invalid number, say
    if attempts >= MAX_ATTEMPTS or permanent:
        status, next_attempt = Notice.Status.FAILED, now
    else:
        status, next_attempt = Notice.Status.PENDING, now + BACKOFF[attempts - 1]
    reason = redact(error)
    Notice.objects.filter(pk=notice.pk).update(
        status=status, next_attempt_at=next_attempt, error=reason
    )
    logger.warning(
        "notice failed id=%s registration=%s attempts=%s error=%s",
        notice.pk,
        notice.registration_id,
        attempts,
        reason,
    )
    if status == Notice.Status.FAILED:
        call_instead(notice)


def redact(error: Exception) -> str:
    """What went wrong, without the text of the error: SMTP errors name their recipients."""
    name = type(error).__name__
    if isinstance(error, SmsError):
        return f"{name} {error.code}"[:120]
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = sorted({code for code, _ in error.recipients.values()})
        return f"{name} {' '.join(map(str, codes))}"[:120]
    code = getattr(error, "smtp_code", None)
    return f"{name} {code}" if code else name


def build_message(
    registration: Registration, template: str, message: RegistrantMessage | None = None
) -> EmailMultiAlternatives:
    """One e-mail about one registration, with a fresh private link to manage it.

    `message` is the team's RegistrantMessage, for the template « message ».
    """
    occurrence = registration.occurrence
    page = occurrence.page.specific
    token = ManageLink.issue(registration)
    context = {
        "registration": registration,
        "occurrence": occurrence,
        "page": page,
        "when": when(occurrence),
        "former": former_time(occurrence),
        "manage_url": absolute(reverse("events:manage", args=(token,))),
        # A withdrawn page answers 404: point to the portal's home instead.
        "page_url": absolute(page.url or "/") if page.live else "",
        "home_url": absolute("/"),
        "site_name": settings.WAGTAIL_SITE_NAME,
        "message": message,
    }
    subject = " ".join(render_to_string(f"email/{template}/subject.txt", context).split())
    email = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"email/{template}/body.txt", context),
        to=[registration.email],
    )
    email.attach_alternative(render_to_string(f"email/{template}/body.html", context), "text/html")
    if template in WITH_CALENDAR:
        version = SeriesVersion.objects.filter(page_id=page.pk).first()
        item = export_for(page, [occurrence], version, None, base_url=absolute(""))
        email.attach(
            "evenement.ics", ical.build_single(page.title, item, occurrence), "text/calendar"
        )
    return email
