"""Keep Occurrence rows in step with the live version of a page (the one occurrence engine)."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import astuple, dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from wagtail.models import Page

from events.calendar import ical
from events.calendar.models import DateChange
from events.calendar.schedule import PARIS, PlannedOccurrence, Status
from events.calendar.schedule_fields import horizon_date, schedulable_models
from events.models import Occurrence, Registration, SchedulePageMixin, SeatCounter, SeriesVersion
from events.registrations import notices
from events.registrations.services import set_capacity
from portal.cache import bump_page
from residences.scopes import Scope

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

SYNCED_FIELDS = ["start", "end", "all_day", "status", "is_extra", "reason", "venue_note"]
SCOPE_FIELDS = ["residence", "sector", "kind", "listed"]
RETIRED_REASON = "Cette date a été retirée du programme."
UNPUBLISHED_REASON = "Cette animation a été retirée du programme."
NOTICES = {
    DateChange.Action.MOVED: "occurrence_moved",
    DateChange.Action.CANCELLED: "occurrence_cancelled",
    DateChange.Action.RESTORED: "occurrence_restored",
}


def is_public(page: Page) -> bool:
    """The one rule for what tenants may see: published, and no view restriction (login,
    password, groups) on the page or above it. Listings, feeds, downloads and sign-ups all read
    it through `Occurrence.listed`."""
    return page.live and not page.get_view_restrictions().exists()


@transaction.atomic
def relist_subtree(root: Page) -> int:
    """A view restriction was added or removed: dates below it follow the public rule again."""
    pages = Page.objects.descendant_of(root, inclusive=True).filter(
        pk__in=Occurrence.objects.values("page_id")
    )
    changed = 0
    for page in pages:
        public = is_public(page)
        changed += Occurrence.objects.filter(page=page).exclude(listed=public).update(listed=public)
    if changed:
        bump_page(root)
    return changed


@dataclass
class SyncResult:
    """What one sync did to the rows, for notices, the audit trail and the log line."""

    created: list[Occurrence] = field(default_factory=list)
    updated: list[Occurrence] = field(default_factory=list)
    removed: list[Occurrence] = field(default_factory=list)
    notify: dict[int, str] = field(default_factory=dict)  # occurrence id → notice template
    changes: list[DateChange] = field(default_factory=list)
    scope_listed: bool = True


def _local_day(moment: datetime) -> date:
    return timezone.localtime(moment, PARIS).date()


DayKey = tuple[date, bool]


def _day_key(row_or_plan: Occurrence | PlannedOccurrence) -> DayKey:
    """A date's place in its series: the local day it was planned for, and whether it is extra."""
    return _local_day(row_or_plan.original_start), row_or_plan.is_extra


def _pair(
    rows: list[Occurrence], plans: list[PlannedOccurrence]
) -> tuple[list[tuple[Occurrence, PlannedOccurrence]], list[PlannedOccurrence], list[Occurrence]]:
    """Match future rows to planned dates: same key first, then the same day of the series.

    A re-timed series (14:00 → 15:00) keeps each day's row, its registrations and its id.
    """
    by_key = {row.original_start: row for row in rows}
    pairs: list[tuple[Occurrence, PlannedOccurrence]] = []
    unmatched: list[PlannedOccurrence] = []
    for plan in plans:
        row = by_key.pop(plan.original_start, None)
        if row is None:
            unmatched.append(plan)
        else:
            pairs.append((row, plan))
    by_day: dict[DayKey, list[Occurrence]] = {}
    for row in by_key.values():
        by_day.setdefault(_day_key(row), []).append(row)
    new = []
    for plan in unmatched:
        candidates = by_day.get(_day_key(plan))
        if candidates:
            pairs.append((candidates.pop(0), plan))
        else:
            new.append(plan)
    left = [row for rows_of_day in by_day.values() for row in rows_of_day]
    return pairs, new, left


@transaction.atomic
def sync_occurrences(
    page: SchedulePageMixin, *, user: User | None = None, now: datetime | None = None
) -> SeriesVersion:
    """Make the page's future rows follow its live version; never touch a date that has started.

    - A date that has started is history: it keeps its time, status, scope and registrations.
      Only its `listed` flag follows the page. A new rule never adds dates to the past (except
      at the first publish, which may record what already took place).
    - A future date is matched to the new plan by key, then by day: it moves in place, and the
      people registered are told of the change (or of the cancellation).
    - A future date the rule no longer gives is deleted if nobody ever registered, else kept,
      cancelled, and its registrants are told.
    """
    now = now or timezone.now()
    horizon = horizon_date(timezone.localdate(now))
    where = Scope.containing(page)
    rows = list(Occurrence.objects.select_for_update().filter(page=page))
    first_publish = not rows and not SeriesVersion.objects.filter(page_id=page.pk).exists()
    # A day whose date has started is settled: no new rule adds a second date to it.
    started = {_day_key(row) for row in rows if row.has_started(now)}
    future = [row for row in rows if not row.has_started(now)]
    plans = [
        plan
        for plan in page.planned_occurrences(horizon)
        if (first_publish or plan.start > now) and _day_key(plan) not in started
    ]
    registered = _registration_counts(future)
    pairs, new, left = _pair(future, plans)
    result = SyncResult()
    listed = is_public(page)
    scope = {
        "residence": where.residence,
        "sector": where.sector,
        "kind": page.occurrence_kind,
        "listed": listed,
    }
    result.scope_listed = listed
    for row, plan in pairs:
        _follow(row, plan, scope, registered.get(row.pk, (0, 0)), result)
    for plan in new:
        values = {name: getattr(plan, name) for name in SYNCED_FIELDS}
        result.created.append(
            Occurrence(page_id=page.pk, original_start=plan.original_start, **values, **scope)
        )
    for row in left:
        _retire(row, scope, registered.get(row.pk, (0, 0)), RETIRED_REASON, result)
    _save(page, rows, result, user)
    logger.info(
        "occurrences synced page=%s created=%s updated=%s removed=%s",
        page.pk,
        len(result.created),
        len(result.updated),
        len(result.removed),
    )
    bump_page(page)
    changed = bool(result.created or result.updated or result.removed)
    version = bump_version(page, rows_changed=changed, horizon=horizon)
    removed = {row.pk for row in result.removed}
    record_rule_fit(page, [row for row in rows if row.pk not in removed] + result.created, version)
    return version


def record_rule_fit(
    page: SchedulePageMixin, rows: list[Occurrence], version: SeriesVersion
) -> None:
    """Mark the rows the series' RRULE writes by itself, and keep the rule's missing instances.

    Feeds then read only the other rows (`Occurrence.follows_rule` false) and write the
    EXDATEs from `version.exdates`, for as long as the rule and horizon are those of the key.
    """
    fit = ical.rule_fit(page.get_schedule(), rows, version.horizon)
    for follows in (True, False):
        flip = [row.pk for row in rows if (row.pk in fit.follows) == follows != row.follows_rule]
        if flip:
            Occurrence.objects.filter(pk__in=flip).update(follows_rule=follows)
    exdates = [day.isoformat() for day in fit.exdates]
    if (version.feed_key, version.exdates) != (fit.key, exdates):
        version.feed_key, version.exdates = fit.key, exdates
        version.save(update_fields=["feed_key", "exdates"])


def _registration_counts(rows: Iterable[Occurrence]) -> dict[int, tuple[int, int]]:
    """Per row: (registrations ever, active registrations)."""
    counts = (
        Registration.objects.filter(occurrence__in=[row.pk for row in rows])
        .order_by()
        .values("occurrence_id")
        .annotate(total=Count("pk"), active=Count("pk", filter=Q(status__in=Registration.ACTIVE)))
    )
    return {c["occurrence_id"]: (c["total"], c["active"]) for c in counts}


def _follow(
    row: Occurrence,
    plan: PlannedOccurrence,
    scope: dict[str, Any],
    registered: tuple[int, int],
    result: SyncResult,
) -> None:
    """Move a future row onto its planned date, in place."""
    total, active = registered
    before = (row.start, row.end, row.status, row.venue_note)
    values = {name: getattr(plan, name) for name in SYNCED_FIELDS}
    values.update(scope, original_start=plan.original_start)
    if all(getattr(row, name) == value for name, value in values.items()):
        return
    for name, value in values.items():
        setattr(row, name, value)
    result.updated.append(row)
    moved = (row.start, row.end) != before[:2]
    if moved and total:
        if row.previous_start is None:
            row.previous_start, row.previous_end = before[0], before[1]
        elif (row.previous_start, row.previous_end) == (row.start, row.end):
            row.previous_start = row.previous_end = None  # back where it was first announced
    if row.status == Status.CANCELLED and before[2] != Status.CANCELLED:
        action = DateChange.Action.CANCELLED
    elif before[2] == Status.CANCELLED and row.status != Status.CANCELLED:
        action = DateChange.Action.RESTORED
    elif moved or row.venue_note != before[3]:
        action = DateChange.Action.MOVED
    else:
        return
    row.version += 1
    result.changes.append(
        DateChange(
            occurrence=row,
            page_id=row.page_id,
            action=action,
            start_before=before[0],
            start_after=row.start,
            reason=row.reason,
            active_registrations=active,
        )
    )
    if active:
        result.notify[row.pk] = NOTICES[action]


def _retire(
    row: Occurrence,
    scope: dict[str, Any],
    registered: tuple[int, int],
    reason: str,
    result: SyncResult,
) -> None:
    """A future date that is no longer planned: removed if nobody registered, else cancelled."""
    total, active = registered
    change = DateChange(
        occurrence=row,
        page_id=row.page_id,
        action=DateChange.Action.CANCELLED,
        start_before=row.start,
        reason=reason,
        active_registrations=active,
    )
    if not total:
        change.occurrence, change.action = None, DateChange.Action.REMOVED
        result.removed.append(row)
        result.changes.append(change)
        return
    values = dict(scope)
    if row.status != Status.CANCELLED:
        values.update(status=Status.CANCELLED, reason=reason, version=row.version + 1)
        result.changes.append(change)
        if active:
            result.notify[row.pk] = NOTICES[DateChange.Action.CANCELLED]
    if any(getattr(row, name) != value for name, value in values.items()):
        for name, value in values.items():
            setattr(row, name, value)
        result.updated.append(row)


def _save(
    page: SchedulePageMixin, rows: list[Occurrence], result: SyncResult, user: User | None
) -> None:
    Occurrence.objects.filter(pk__in=[row.pk for row in result.removed]).delete()
    Occurrence.objects.bulk_create(result.created)
    Occurrence.objects.bulk_update(
        result.updated,
        [
            *SYNCED_FIELDS,
            *SCOPE_FIELDS,
            "original_start",
            "previous_start",
            "previous_end",
            "version",
        ],
        batch_size=500,
    )
    # History stays as it happened; only whether the page is public is followed.
    updated = {row.pk for row in result.updated}
    listed = result.scope_listed
    Occurrence.objects.filter(
        pk__in=[row.pk for row in rows if row.listed != listed and row.pk not in updated]
    ).update(listed=listed)
    sync_seat_counters(page)
    _record(result, user)


def _record(result: SyncResult, user: User | None) -> None:
    """The audit trail of the changes, and the notices once the transaction has committed."""
    for change in result.changes:
        change.user = user
    DateChange.objects.bulk_create(result.changes)
    if result.notify:
        changes = dict(result.notify)
        transaction.on_commit(lambda: notices.dates_changed(changes))


def sync_seat_counters(page: Page, now: datetime | None = None) -> None:
    """Give every future date of a page that takes sign-ups a counter with the page's capacity.

    The counters of dates that have started keep the capacity they were held with.
    """
    if not hasattr(page, "capacity"):
        return
    future = Occurrence.objects.filter(page=page, start__gt=now or timezone.now())
    counters = SeatCounter.objects.filter(occurrence__in=future)
    existing = set(counters.values_list("pk", flat=True))
    SeatCounter.objects.bulk_create(
        [SeatCounter(occurrence=o, capacity=page.capacity) for o in future if o.pk not in existing]
    )
    if page.capacity is None:
        stale = counters.filter(capacity__isnull=False)
    else:
        stale = counters.exclude(capacity=page.capacity)
    for counter in stale.select_related("occurrence"):
        set_capacity(counter.occurrence, page.capacity)


def calendar_fingerprint(page: SchedulePageMixin, horizon: date) -> str:
    """What a calendar subscriber sees of the series; a change means a new SEQUENCE.

    Built from the rule, its particular dates and where feeds end the rule (the last date up to
    the horizon, for a rule that goes on): a day of horizon extension that brings no new date
    changes nothing; one that does moves the rule's UNTIL, which subscribers must re-read.
    """
    schedule = page.get_schedule()
    data = {
        "title": page.title,
        "url": page.url_path,
        "summary": getattr(page, "summary", ""),
        "venue": getattr(page, "venue_label", ""),
        "address": getattr(page, "venue_full_address", ""),
        "rule": astuple(schedule),
        "bound": schedule.bounded_at(horizon),
        "exceptions": [astuple(e) for e in page.get_schedule_exceptions()],
        "closures": page.closure_fingerprint(),
    }
    return hashlib.sha256(json.dumps(data, default=str, sort_keys=True).encode()).hexdigest()


def bump_version(page: SchedulePageMixin, rows_changed: bool, horizon: date) -> SeriesVersion:
    """A new SEQUENCE when what subscribers see changed; a new `modified` whenever rows did.

    `modified` is the DTSTAMP: a horizon extension that materialises a holiday (a new EXDATE)
    gives a new stamp without counting as an edit of the series. `horizon` is kept for the
    feeds, which end open rules at the last date the rows were computed for.
    """
    fingerprint = calendar_fingerprint(page, horizon)
    version, created = SeriesVersion.objects.select_for_update().get_or_create(
        page_id=page.pk, defaults={"fingerprint": fingerprint, "horizon": horizon}
    )
    if created:
        return version
    edited = version.fingerprint != fingerprint
    if edited:
        version.sequence += 1
        version.fingerprint = fingerprint
    if edited or rows_changed:
        version.modified = timezone.now()
    if edited or rows_changed or version.horizon != horizon:
        version.horizon = horizon
        version.save()
    return version


@transaction.atomic
def clear_occurrences(page: Page, *, user: User | None = None, now: datetime | None = None) -> None:
    """An unpublished page leaves every listing, feed and sign-up; its past stays for the reports.

    Future dates nobody registered for are deleted (a republish plans them again); booked ones
    are kept, cancelled, and the people registered are told. The version stays for SEQUENCE.
    """
    now = now or timezone.now()
    rows = Occurrence.objects.select_for_update().filter(page_id=page.pk)
    future = [row for row in rows if not row.has_started(now)]
    registered = _registration_counts(future)
    result = SyncResult()
    for row in future:
        _retire(row, {"listed": False}, registered.get(row.pk, (0, 0)), UNPUBLISHED_REASON, result)
    Occurrence.objects.filter(pk__in=[row.pk for row in result.removed]).delete()
    Occurrence.objects.bulk_update(
        result.updated, ["status", "reason", "listed", "version"], batch_size=500
    )
    # Unlisted, the page is in no feed; its next publish works out its rule fit again.
    Occurrence.objects.filter(page_id=page.pk).update(listed=False, follows_rule=False)
    _record(result, user)
    SeriesVersion.objects.filter(page_id=page.pk).update(modified=timezone.now(), feed_key="")
    logger.info("occurrences cleared page=%s removed=%s", page.pk, len(result.removed))
    bump_page(page)


@transaction.atomic
def rescope_subtree(root: Page, *, user: User | None = None, now: datetime | None = None) -> int:
    """After a move, the future dates below `root` belong where their page now sits.

    Dates that have started keep the residence and sector where they took place, so the
    reports of past periods do not change.
    """
    now = now or timezone.now()
    pages = Page.objects.descendant_of(root, inclusive=True).filter(
        pk__in=Occurrence.objects.values("page_id")
    )
    changes = []
    for page in pages:
        where = Scope.containing(page)
        moved = (
            Occurrence.objects.filter(page=page, start__gt=now)
            .exclude(residence=where.residence, sector=where.sector)
            .annotate(
                active=Count(
                    "registrations", filter=Q(registrations__status__in=Registration.ACTIVE)
                )
            )
        )
        rescoped = [
            DateChange(
                occurrence=row,
                page_id=page.pk,
                action=DateChange.Action.RESCOPED,
                start_before=row.start,
                start_after=row.start,
                active_registrations=row.active,
                user=user,
            )
            for row in moved
        ]
        Occurrence.objects.filter(pk__in=[c.occurrence_id for c in rescoped]).update(
            residence=where.residence, sector=where.sector
        )
        changes += rescoped
    DateChange.objects.bulk_create(changes)
    if changes:
        bump_page(root)
    return len(changes)


def extend_all() -> int:
    """Re-sync every live series, so the rolling horizon moves on (run daily)."""
    count = 0
    for model in schedulable_models():
        for page in model.objects.live().iterator():
            sync_occurrences(page)
            count += 1
    return count
