"""Keep Occurrence rows in step with the live version of a page (the one occurrence engine)."""

import hashlib
import json
import logging
from dataclasses import astuple

from django.db import transaction
from django.utils import timezone

from wagtail.models import Page

from events import notifications
from events.models import Occurrence, Registration, SchedulePageMixin, SeatCounter, SeriesVersion
from events.schedule import Status
from portal.cache import CONTENT, bump

logger = logging.getLogger(__name__)

SYNCED_FIELDS = ["start", "end", "all_day", "status", "is_extra", "reason", "venue_note"]


def place_in_tree(page: Page) -> tuple:
    """(residence, sector) the page sits under; None for what is landlord-wide."""
    from residences.models import ResidencePage, SectorPage

    ancestors = page.get_ancestors(inclusive=True)
    residence = ResidencePage.objects.filter(pk__in=ancestors.values("pk")).first()
    sector = SectorPage.objects.filter(pk__in=ancestors.values("pk")).first()
    return residence, sector


@transaction.atomic
def sync_occurrences(page: SchedulePageMixin) -> SeriesVersion:
    """Make the rows match the page's planned occurrences; keep rows whose date is unchanged.

    Call it with the live version of the page (on publish): a draft never reaches tenants.
    """
    planned = page.planned_occurrences()
    residence, sector = place_in_tree(page)
    existing = {o.original_start: o for o in Occurrence.objects.filter(page=page)}
    wanted = {o.original_start: o for o in planned}

    gone = [o for start, o in existing.items() if start not in wanted]
    booked = set(
        Registration.objects.filter(
            occurrence__in=gone, status__in=Registration.ACTIVE
        ).values_list("occurrence_id", flat=True)
    )
    stale = [o.pk for o in gone if o.pk not in booked]
    Occurrence.objects.filter(pk__in=stale).delete()
    # A date removed from the rule while people are registered stays, cancelled, so that they
    # are told and keep their history.
    retired = [o for o in gone if o.pk in booked and o.status != Status.CANCELLED]
    for row in retired:
        row.status, row.reason = Status.CANCELLED, "Cette date a été retirée du programme."
    Occurrence.objects.bulk_update(retired, ["status", "reason"])
    changed = [o.pk for o in retired]

    to_create, to_update = [], []
    for start, plan in wanted.items():
        values = {name: getattr(plan, name) for name in SYNCED_FIELDS}
        values.update(residence=residence, sector=sector, kind=page.occurrence_kind, listed=True)
        row = existing.get(start)
        if row is None:
            to_create.append(Occurrence(page_id=page.pk, original_start=start, **values))
        elif any(getattr(row, name) != value for name, value in values.items()):
            if (row.status, row.start) != (values["status"], values["start"]):
                changed.append(row.pk)
            for name, value in values.items():
                setattr(row, name, value)
            to_update.append(row)
    Occurrence.objects.bulk_create(to_create)
    Occurrence.objects.bulk_update(
        to_update, SYNCED_FIELDS + ["residence", "sector", "kind", "listed"], batch_size=500
    )
    sync_seat_counters(page)
    if changed:
        transaction.on_commit(lambda: notifications.occurrences_changed(changed))
    logger.info(
        "occurrences synced page=%s created=%s updated=%s deleted=%s",
        page.pk,
        len(to_create),
        len(to_update),
        len(stale),
    )
    bump(CONTENT)
    return bump_version(page, rows_changed=bool(to_create or to_update or stale or retired))


def sync_seat_counters(page) -> None:
    """Give every occurrence of a page that takes sign-ups a counter with the page's capacity."""
    if not hasattr(page, "capacity"):
        return
    from events.booking import set_capacity

    occurrences = Occurrence.objects.filter(page=page)
    existing = set(SeatCounter.objects.filter(occurrence__page=page).values_list("pk", flat=True))
    SeatCounter.objects.bulk_create(
        [
            SeatCounter(occurrence=o, capacity=page.capacity)
            for o in occurrences
            if o.pk not in existing
        ]
    )
    stale = SeatCounter.objects.filter(occurrence__page=page).exclude(capacity=page.capacity)
    if page.capacity is None:
        stale = SeatCounter.objects.filter(occurrence__page=page, capacity__isnull=False)
    for counter in stale.select_related("occurrence"):
        set_capacity(counter.occurrence, page.capacity)


def calendar_fingerprint(page: SchedulePageMixin) -> str:
    """What a calendar subscriber sees of the series; a change means a new SEQUENCE.

    Built from the rule and its particular dates, not from the expanded occurrences, so that
    the daily extension of the horizon does not count as a change.
    """
    data = {
        "title": page.title,
        "url": page.url_path,
        "summary": getattr(page, "summary", ""),
        "venue": getattr(page, "venue_label", ""),
        "address": getattr(page, "venue_full_address", ""),
        "rule": astuple(page.get_schedule()),
        "exceptions": [astuple(e) for e in page.get_schedule_exceptions()],
        "closures": page.closure_fingerprint(),
    }
    return hashlib.sha256(json.dumps(data, default=str, sort_keys=True).encode()).hexdigest()


def bump_version(page: SchedulePageMixin, rows_changed: bool) -> SeriesVersion:
    """A new SEQUENCE when what subscribers see changed; a new `modified` whenever rows did.

    `modified` feeds DTSTAMP and the feeds' ETag, so a horizon extension that materialises a
    holiday (a new EXDATE) changes the ETag without counting as an edit of the series.
    """
    fingerprint = calendar_fingerprint(page)
    version, created = SeriesVersion.objects.select_for_update().get_or_create(
        page_id=page.pk, defaults={"fingerprint": fingerprint}
    )
    if created:
        return version
    edited = version.fingerprint != fingerprint
    if edited:
        version.sequence += 1
        version.fingerprint = fingerprint
    if edited or rows_changed:
        version.modified = timezone.now()
        version.save()
    return version


@transaction.atomic
def clear_occurrences(page: Page) -> None:
    """Unpublished pages show nothing: drop their occurrences; the version stays for SEQUENCE.

    Upcoming dates with people registered are kept, cancelled, and those people are told.
    """
    rows = Occurrence.objects.filter(page_id=page.pk)
    booked = rows.filter(
        end__gt=timezone.now(), registrations__status__in=Registration.ACTIVE
    ).distinct()
    Occurrence.objects.filter(pk__in=booked.values("pk")).update(listed=False)
    kept = list(booked.exclude(status=Status.CANCELLED).values_list("pk", flat=True))
    Occurrence.objects.filter(pk__in=kept).update(
        status=Status.CANCELLED, reason="Cette animation a été retirée du programme."
    )
    if kept:
        transaction.on_commit(lambda: notifications.occurrences_changed(kept))
    deleted, _ = rows.exclude(pk__in=booked.values("pk")).delete()
    SeriesVersion.objects.filter(page_id=page.pk).update(modified=timezone.now())
    logger.info("occurrences cleared page=%s deleted=%s", page.pk, deleted)
    bump(CONTENT)


def schedulable_models() -> list[type]:
    from django.apps import apps

    return [
        model
        for model in apps.get_models()
        if issubclass(model, SchedulePageMixin) and issubclass(model, Page)
    ]


def extend_all() -> int:
    """Re-sync every live series, so the rolling horizon moves on (run daily)."""
    count = 0
    for model in schedulable_models():
        for page in model.objects.live().iterator():
            sync_occurrences(page)
            count += 1
    return count
