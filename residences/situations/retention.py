"""Personal details of situations erased a set time after closing (SITUATION_RETENTION_MONTHS).

What is erased: the households' door references and names or roles, the description, the next
step, every note of the journal, the building, and the tenant's request (message, first name,
contact, availability). What stays, anonymous, for the figures: the sector and residence, the
category, the intensity, the dates, the outcome and the kinds of action with their dates. A
request that never became a situation is erased the same time after it was received.

Run daily by `manage.py anonymise_registrations` (the scheduled purge), or on its own with
`manage.py erase_situations`.
"""

from __future__ import annotations

import calendar
import logging
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from residences.situations.audit import AuditEntry, record
from residences.situations.models import Action, HelpRequest, Household, Situation

logger = logging.getLogger(__name__)


def cutoff(today: date | None = None) -> date:
    """Situations closed before this day are past their retention period."""
    today = today or timezone.localdate()
    months = today.year * 12 + today.month - 1 - settings.SITUATION_RETENTION_MONTHS
    year, month = divmod(months, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(today.day, last_day))


def _erase_requests(queryset) -> int:
    return queryset.filter(erased_at__isnull=True).update(
        message="",
        first_name="",
        phone="",
        email="",
        availability="",
        building=None,
        erased_at=timezone.now(),
    )


@transaction.atomic
def erase(situation_ids: list[int]) -> int:
    """Erase the personal details of these situations (and of the requests they came from)."""
    situations = Situation.objects.filter(pk__in=situation_ids, erased_at__isnull=True)
    rows = list(situations.values_list("pk", "sector_id"))
    ids = [pk for pk, _ in rows]
    if not ids:
        return 0
    Household.objects.filter(situation_id__in=ids).update(door="", label="")
    Action.objects.filter(situation_id__in=ids).update(note="")
    _erase_requests(HelpRequest.objects.filter(situation_id__in=ids))
    Situation.objects.filter(pk__in=ids).update(
        description="", next_step="", next_step_on=None, building=None, erased_at=timezone.now()
    )
    for pk, sector_id in rows:
        record(None, AuditEntry.Verb.ERASE, sector_id=sector_id, situation_id=pk)
    return len(ids)


def erase_expired(today: date | None = None) -> tuple[int, int]:
    """Erase what is past its retention period; returns (situations, lone requests) erased."""
    limit = cutoff(today)
    situation_ids = list(
        Situation.objects.filter(erased_at__isnull=True, closed_on__lt=limit).values_list(
            "pk", flat=True
        )
    )
    situations = erase(situation_ids)
    lone = HelpRequest.objects.filter(
        situation__isnull=True,
        erased_at__isnull=True,
        received_at__date__lt=limit,
    )
    with transaction.atomic():
        rows = list(lone.values_list("pk", "sector_id"))
        requests = _erase_requests(HelpRequest.objects.filter(pk__in=[pk for pk, _ in rows]))
        for pk, sector_id in rows:
            record(None, AuditEntry.Verb.ERASE, sector_id=sector_id, help_request_id=pk)
    logger.info("situations erased=%s requests erased=%s", situations, requests)
    return situations, requests
