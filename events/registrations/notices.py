"""Which messages a booking change sends: one Notice row each, then a task that takes its id.

Asking twice for the same message (a duplicated task, a second cron run) finds the same row:
`notify` creates a notice once per registration, kind, version of the date and channel.

Each notice goes through every channel the household gave (e-mail; SMS when it asked for them
on a mobile). A household that none reaches (a landline, no SMS consent) lands on the
mediator's « À appeler » list instead, for the news that matters: a place freed, a date moved,
cancelled or restored, a message from the team.
"""

from collections.abc import Iterable
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from events.models import Notice, Registration
from events.registrations.models import RegistrantMessage
from events.registrations.tasks import STALE_CLAIM, send_notice

Kind = Notice.Kind
Channel = Notice.Channel

# News a household must not miss: whoever cannot be written to is called.
CALL_KINDS = {Kind.PROMOTED, Kind.MOVED, Kind.CANCELLED, Kind.RESTORED, Kind.MESSAGE}


def channels_for(registration: Registration, kind: str) -> list[str]:
    channels: list[str] = []
    if registration.email:
        channels.append(Channel.EMAIL)
    if registration.textable:
        channels.append(Channel.SMS)
    if not channels and registration.phone and kind in CALL_KINDS:
        channels.append(Channel.CALL)
    return channels


def notify(
    registration_ids: Iterable[int], kind: str, message: RegistrantMessage | None = None
) -> list[Notice]:
    """Record the notices for each registration, by its channels, and queue their sending.

    Call notices are not sent: they wait on the call list. `message` is a RegistrantMessage,
    for kind MESSAGE.
    """
    registrations = Registration.objects.filter(
        pk__in=list(registration_ids), anonymised_at__isnull=True
    ).select_related("occurrence")
    made = []
    for registration in registrations:
        for channel in channels_for(registration, kind):
            notice = _record(registration, kind, channel, message)
            if notice is not None:
                made.append(notice)
    # In the caller's transaction: the database task backend stores the task beside the notice,
    # both visible at commit (callers that change bookings already wait for their commit).
    for notice in made:
        if notice.channel != Channel.CALL:
            send_notice.enqueue(notice.pk)
    return made


def _record(
    registration: Registration,
    kind: str,
    channel: str,
    message: RegistrantMessage | None = None,
) -> Notice | None:
    """The notice, made once; None when it already existed."""
    try:
        with transaction.atomic():
            notice, created = Notice.objects.get_or_create(
                registration=registration,
                kind=kind,
                date_version=registration.occurrence.version,
                channel=channel,
                message=message,
            )
    except IntegrityError:  # the same notice, asked for at the same instant elsewhere
        return None
    return notice if created else None


def call_instead(notice: Notice) -> Notice | None:
    """A message that could not be delivered: the household goes on the call list for it."""
    registration = notice.registration
    if notice.kind not in CALL_KINDS or not registration.phone:
        return None
    return _record(registration, notice.kind, Channel.CALL, notice.message)


def registration_confirmed(registration_id: int) -> None:
    notify([registration_id], Kind.CONFIRMED)


def registrations_promoted(registration_ids: list[int]) -> None:
    notify(registration_ids, Kind.PROMOTED)


def dates_changed(changes: dict[int, str]) -> None:
    """Tell everyone registered that their date moved, was cancelled or takes place again.

    `changes` maps an occurrence id to the kind of notice that describes what happened.
    """
    by_kind: dict[str, list[int]] = {}
    registrations = Registration.objects.filter(
        occurrence_id__in=list(changes), status__in=Registration.ACTIVE
    ).values_list("pk", "occurrence_id")
    for registration_id, occurrence_id in registrations:
        by_kind.setdefault(changes[occurrence_id], []).append(registration_id)
    for kind, ids in by_kind.items():
        notify(ids, kind)


def retry_due(now: datetime | None = None) -> int:
    """Queue again every notice whose retry time has come (run every few minutes by cron).

    A notice left « en cours d'envoi » by a worker that died is given back after a while.
    """
    now = now or timezone.now()
    sent = Notice.objects.exclude(channel=Channel.CALL)
    sent.filter(status=Notice.Status.SENDING, claimed_at__lt=now - STALE_CLAIM).update(
        status=Notice.Status.PENDING
    )
    due = list(
        sent.filter(status=Notice.Status.PENDING, next_attempt_at__lte=now).values_list(
            "pk", flat=True
        )
    )
    for pk in due:
        send_notice.enqueue(pk)
    return len(due)
