"""Which messages a booking change sends: one Notice row each, then a task that takes its id.

Asking twice for the same message (a duplicated task, a second cron run) finds the same row:
`notify` creates a notice once per registration, kind and version of the date.
"""

from collections.abc import Iterable
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from events.models import Notice, Registration
from events.registrations.tasks import STALE_CLAIM, send_notice

Kind = Notice.Kind


def notify(registration_ids: Iterable[int], kind: str) -> list[Notice]:
    """Record the notice for each registration that can receive it, and queue its sending."""
    registrations = (
        Registration.objects.filter(pk__in=list(registration_ids), anonymised_at__isnull=True)
        .exclude(email="")
        .select_related("occurrence")
    )
    made = []
    for registration in registrations:
        try:
            with transaction.atomic():
                notice, created = Notice.objects.get_or_create(
                    registration=registration,
                    kind=kind,
                    date_version=registration.occurrence.version,
                    channel=Notice.Channel.EMAIL,
                )
        except IntegrityError:  # the same notice, asked for at the same instant elsewhere
            continue
        if created:
            made.append(notice)
    # In the caller's transaction: the database task backend stores the task beside the notice,
    # both visible at commit (callers that change bookings already wait for their commit).
    for notice in made:
        send_notice.enqueue(notice.pk)
    return made


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
    Notice.objects.filter(status=Notice.Status.SENDING, claimed_at__lt=now - STALE_CLAIM).update(
        status=Notice.Status.PENDING
    )
    due = list(
        Notice.objects.filter(status=Notice.Status.PENDING, next_attempt_at__lte=now).values_list(
            "pk", flat=True
        )
    )
    for pk in due:
        send_notice.enqueue(pk)
    return len(due)
