"""Turn series and occurrences into RFC 5545 bytes that Google, Apple, Outlook and Thunderbird read alike.

Pure: no request, no query of its own. UIDs are deterministic, DTSTAMP is the series' last
change, so the same data always gives the same bytes (and the same ETag).

A series is written as its rule, and only what differs from it is read. The sync, which sees
every row, asks `rule_fit` which rows the RRULE writes by itself (`Occurrence.follows_rule`)
and which instances of the rule have no row (`SeriesVersion.exdates`); a feed then reads the
other rows alone, so a series with a hundred plain dates costs what a single date costs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from typing import Protocol

from icalendar import (
    Calendar,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vText,
)

from django.conf import settings

from events.calendar.schedule import PARIS, Frequency, Schedule, Status, occurrence_bounds
from events.calendar.schedule_fields import horizon_date
from events.calendar.vevent import VEvent, rule_value

PRODID = "-//Trait d'union//Portail de mediation//FR"
# The DTSTAMP of a series with no recorded change (fixed, so that bytes and ETags stay put).
NEVER_MODIFIED = datetime(2026, 1, 1, tzinfo=UTC)
WEEKDAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


class OccurrenceRow(Protocol):
    """What an export reads of a date: an Occurrence row, or any object with these attributes."""

    @property
    def pk(self) -> object: ...
    @property
    def original_start(self) -> datetime: ...
    @property
    def start(self) -> datetime: ...
    @property
    def end(self) -> datetime: ...
    @property
    def is_extra(self) -> bool: ...
    @property
    def status(self) -> str: ...
    @property
    def reason(self) -> str: ...
    @property
    def venue_note(self) -> str: ...


@dataclass
class SeriesExport:
    """One page's calendar data: its rule, its occurrence rows and what describes it."""

    uid_base: str
    title: str
    url: str
    schedule: Schedule
    occurrences: Sequence[OccurrenceRow]  # in start order
    sequence: int = 0
    modified: datetime = field(default_factory=lambda: NEVER_MODIFIED)
    description: str = ""
    location: str = ""
    # The day the rows were computed up to (SeriesVersion.horizon): open rules end there.
    horizon: date | None = None
    # None: `occurrences` are all the rows of the series, and the export compares them with the
    # rule itself. Else `occurrences` are only the rows that differ from the rule, and these are
    # the local days of its instances without a row (`rule_fit`, recorded by the sync).
    exdates: Sequence[date] | None = None

    @cached_property
    def bound(self) -> date | None:
        """Where the feed ends a rule that goes on beyond the rows (None: it ends by itself)."""
        return self.schedule.bounded_at(self.horizon or horizon_date())

    @property
    def last_day(self) -> date:
        """The last day the exported rule can give (its bound, or where the rows stop)."""
        return self.bound or self.horizon or horizon_date()


@dataclass(frozen=True)
class RuleFit:
    """How the rows of a series stand against the rule a feed writes for it."""

    key: str  # the rule and the horizon this was worked out for (`rule_key`)
    follows: frozenset  # pks of the rows the RRULE writes by itself: nothing else to write
    exdates: tuple[date, ...]  # local days of the rule's instances without a row, in order


def rule_key(schedule: Schedule, horizon: date | None) -> str:
    """What a `RuleFit` depends on besides the rows: a feed trusts a fit only with this key.

    Each field as text (a frequency set as `Frequency.WEEKLY` and one read back as "weekly"
    are the same rule); a new field gives new keys, so fits made before it are not trusted
    (those series are read whole until their next sync).
    """
    parts = [str(getattr(schedule, f.name)) for f in fields(schedule)]
    return hashlib.sha256("|".join([*parts, str(horizon)]).encode()).hexdigest()[:32]


def rule_fit(
    schedule: Schedule, occurrences: Iterable[OccurrenceRow], horizon: date | None
) -> RuleFit:
    """Which rows a feed need not read, and which rule instances it must exclude.

    Given every row of the series. A row follows the rule when it is one of the exported
    rule's instances (for a single date: the page's own date and times), scheduled, at the
    instance's own start and end, with no reason or place of its own: the feed writes it from
    the rule alone (the RRULE, or the single date's fields). Every other row is read and
    written as an override or apart (see `series_components`).
    """
    item = SeriesExport(
        uid_base="", title="", url="", schedule=schedule, occurrences=(), horizon=horizon
    )
    key = rule_key(schedule, horizon)
    instances = _rule_instances(item)  # a single date: the page's own date and times
    follows = set()
    given = set()
    for o in occurrences:
        if o.is_extra or o.original_start not in instances:
            continue
        given.add(o.original_start)
        plain = o.status == Status.SCHEDULED and not (o.reason or o.venue_note)
        if plain and (o.start, o.end) == (o.original_start, instances[o.original_start]):
            follows.add(o.pk)
    exdates = tuple(_local_day(start) for start in instances if start not in given)
    return RuleFit(key, frozenset(follows), exdates)


def paris_vtimezone() -> Timezone:
    """A fixed Europe/Paris VTIMEZONE with yearly rules (readers mishandle long RDATE lists)."""
    tz = Timezone()
    tz.add("tzid", "Europe/Paris")
    tz.add("x-lic-location", "Europe/Paris")
    summer = TimezoneDaylight()
    summer.add("tzname", "CEST")
    summer.add("dtstart", datetime(1970, 3, 29, 2, 0))
    summer.add("tzoffsetfrom", timedelta(hours=1))
    summer.add("tzoffsetto", timedelta(hours=2))
    summer.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1SU"})
    winter = TimezoneStandard()
    winter.add("tzname", "CET")
    winter.add("dtstart", datetime(1970, 10, 25, 3, 0))
    winter.add("tzoffsetfrom", timedelta(hours=2))
    winter.add("tzoffsetto", timedelta(hours=1))
    winter.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1SU"})
    tz.add_component(summer)
    tz.add_component(winter)
    return tz


def new_calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # Unknown to icalendar, so not escaped by it: a comma would cut the name for some readers.
    calendar.add("x-wr-calname", vText(name))
    calendar.add("x-wr-timezone", "Europe/Paris")
    hours = settings.CALENDAR_REFRESH_HOURS
    calendar.add("refresh-interval", timedelta(hours=hours), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", f"PT{hours}H")
    calendar.add_component(paris_vtimezone())
    return calendar


END_CALENDAR = b"END:VCALENDAR\r\n"


def _with_events(calendar: Calendar, events: Iterable[VEvent]) -> bytes:
    """The calendar's own lines and time zone (icalendar), then the VEVENTs, then its end."""
    head = calendar.to_ical()
    assert head.endswith(END_CALENDAR)
    body = "".join(event.to_ical() for event in events).encode()
    return head[: -len(END_CALENDAR)] + body + END_CALENDAR


def build_calendar(name: str, series: list[SeriesExport]) -> bytes:
    return _with_events(
        new_calendar(name), (event for item in series for event in series_components(item))
    )


def build_single(name: str, item: SeriesExport, occurrence: OccurrenceRow) -> bytes:
    """One occurrence alone, for « Ajouter cette date à mon agenda ».

    Written exactly as the series writes it (same UID, and the date's RECURRENCE-ID), so that
    someone who also subscribed to the feed sees the date once, not twice.
    """
    calendar = new_calendar(name)
    component = next(
        (c for c, row in _components(item) if row is not None and row.pk == occurrence.pk),
        None,
    )
    if component is None:  # a date the rule gives at its own time: the instance, as an override
        component = _override(item, occurrence.original_start, occurrence)
    return _with_events(calendar, [component])


def series_components(item: SeriesExport) -> list[VEvent]:
    """The series as RFC 5545 components: the rule, its exceptions, and what stands apart.

    Rows that are instances of the current rule are the master (and its overrides, keyed by
    the instance's RECURRENCE-ID); rule instances without a row are EXDATEs. Rows the current
    rule does not give (extra dates, past dates held under an earlier rule, booked dates a new
    rule removed) are separate VEVENTs with their own UID, so that no override ever points to a
    date the series does not have.
    """
    return [component for component, _ in _components(item)]


def _components(item: SeriesExport) -> list[tuple[VEvent, OccurrenceRow | None]]:
    """Each component with the row it stands for (None for what the rule writes by itself:
    the master, or a single date that follows its page's fields)."""
    schedule = item.schedule
    uid = f"{item.uid_base}@{settings.CALENDAR_UID_DOMAIN}"
    in_rule, excluded = _against_rule(item)
    # Only the rows the rule does not give stand apart: build nothing for the others.
    apart: list[tuple[VEvent, OccurrenceRow | None]] = [
        (_apart_event(item, o), o)
        for o in item.occurrences
        if in_rule.get(o.original_start, (None,))[0] is not o
    ]
    if not schedule.is_recurring:
        single: list[tuple[VEvent, OccurrenceRow | None]] = [
            (_event(item, uid, o.start, o.end, o), o) for o, _ in in_rule.values()
        ]
        start = _instance_start(schedule, schedule.first_date)
        if item.exdates is not None and start not in in_rule and start not in excluded:
            # The date follows the page's own fields: not read, written from them.
            end = _instance_end(schedule, start)
            single.append((_event(item, uid, start, end, None), None))
        return single + apart
    master_start = _series_start(schedule)
    master = _event(item, uid, master_start, master_start + _duration(schedule), None)
    master.plain("RRULE", _rrule(schedule, item.bound))
    for start in excluded:
        master.moment("EXDATE", _value(start, schedule.all_day))
    components: list[tuple[VEvent, OccurrenceRow | None]] = [(master, None)]
    for start, (occurrence, end) in in_rule.items():
        # A reader gives every instance the master's exact duration (RFC 5545): a date whose
        # wall-clock hours last longer or shorter (a clock change at night) is an override.
        same = (occurrence.start, occurrence.end) == (start, end)
        if occurrence.status == Status.SCHEDULED and same:
            continue
        components.append((_override(item, start, occurrence), occurrence))
    return components + apart


def _against_rule(
    item: SeriesExport,
) -> tuple[dict[datetime, tuple[OccurrenceRow, datetime]], list[datetime]]:
    """The rows that are instances of the exported rule (by instance start, with the instance's
    end as a reader computes it), and the starts of the instances without a row (EXDATEs)."""
    schedule = item.schedule
    in_rule: dict[datetime, tuple[OccurrenceRow, datetime]] = {}
    if item.exdates is None:  # every row at hand: walk the rule's instances
        instances = _rule_instances(item)
        for o in item.occurrences:
            if not o.is_extra and o.original_start in instances:
                in_rule[o.original_start] = (o, instances[o.original_start])
        return in_rule, [start for start in instances if start not in in_rule]
    # Only the rows that differ: ask the rule about each of them, and take the EXDATEs as given.
    last = item.last_day
    for o in item.occurrences:
        if o.is_extra:
            continue
        day = _local_day(o.original_start)
        if schedule.gives(day, last) and _instance_start(schedule, day) == o.original_start:
            in_rule[o.original_start] = (o, _instance_end(schedule, o.original_start))
    starts = (_instance_start(schedule, day) for day in item.exdates)
    return in_rule, [start for start in starts if start not in in_rule]


def _override(item: SeriesExport, instance_start: datetime, occurrence: OccurrenceRow) -> VEvent:
    uid = f"{item.uid_base}@{settings.CALENDAR_UID_DOMAIN}"
    event = _event(item, uid, occurrence.start, occurrence.end, occurrence)
    if item.schedule.is_recurring:
        event.moment("RECURRENCE-ID", _value(instance_start, item.schedule.all_day))
    return event


def _apart_event(item: SeriesExport, o: OccurrenceRow) -> VEvent:
    """A date the rule does not give: its own VEVENT, with a UID of its own."""
    extra = "extra-" if o.is_extra else ""
    uid = f"{item.uid_base}-{extra}{_stamp(o.original_start)}@{settings.CALENDAR_UID_DOMAIN}"
    return _event(item, uid, o.start, o.end, o)


def _event(
    item: SeriesExport,
    uid: str,
    start: datetime,
    end: datetime,
    occurrence: OccurrenceRow | None,
) -> VEvent:
    all_day = item.schedule.all_day
    event = VEvent()
    event.text("UID", uid if "@" in uid else f"{uid}@{settings.CALENDAR_UID_DOMAIN}")
    modified = item.modified.astimezone(UTC)
    event.moment("DTSTAMP", modified)
    event.moment("LAST-MODIFIED", modified)
    event.plain("SEQUENCE", item.sequence)
    event.text("SUMMARY", item.title)
    event.moment("DTSTART", _value(start, all_day))
    event.moment("DTEND", _value(end, all_day))
    description = item.description
    location = item.location
    status = "CONFIRMED"
    if occurrence is not None:
        if occurrence.status == Status.CANCELLED:
            status = "CANCELLED"
            if occurrence.reason:
                description = f"Annulé : {occurrence.reason}\n\n{description}".strip()
        elif occurrence.reason:
            description = f"{occurrence.reason}\n\n{description}".strip()
        if occurrence.venue_note:
            location = occurrence.venue_note
    event.plain("STATUS", status)
    if description:
        event.text("DESCRIPTION", f"{description}\n\n{item.url}".strip())
    else:
        event.text("DESCRIPTION", item.url)
    if location:
        event.text("LOCATION", location)
    event.plain("URL", item.url)
    event.plain("TRANSP", "TRANSPARENT" if all_day else "OPAQUE")
    return event


def _value(moment: datetime, all_day: bool) -> date | datetime:
    local = moment.astimezone(PARIS)
    return local.date() if all_day else local


def _series_start(schedule: Schedule) -> datetime:
    return datetime.combine(schedule.first_date, schedule.start_time or time(0), tzinfo=PARIS)


def _duration(schedule: Schedule) -> timedelta:
    if schedule.all_day:
        return timedelta(days=schedule.span_days + 1)
    assert schedule.start_time is not None and schedule.end_time is not None, (
        "a timed schedule has both times"
    )
    start = datetime.combine(schedule.first_date, schedule.start_time)
    end = datetime.combine(
        schedule.first_date + timedelta(days=schedule.span_days), schedule.end_time
    )
    return end - start


def _rrule(schedule: Schedule, bound: date | None) -> str:
    rule: dict = {"FREQ": "WEEKLY" if schedule.frequency == Frequency.WEEKLY else "MONTHLY"}
    if schedule.interval > 1:
        rule["INTERVAL"] = schedule.interval
    if schedule.frequency == Frequency.WEEKLY:
        days = schedule.weekdays or (schedule.first_date.weekday(),)
        rule["BYDAY"] = [WEEKDAY_CODES[d] for d in sorted(days)]
    elif schedule.frequency == Frequency.MONTHLY_DATE:
        rule["BYMONTHDAY"] = schedule.first_date.day
    else:
        rule["BYDAY"] = f"{schedule.month_position}{WEEKDAY_CODES[schedule.first_date.weekday()]}"
    until = bound or schedule.until
    if until:
        # RFC 5545: with a TZID start, UNTIL is in UTC; use the last possible start itself.
        last = datetime.combine(until, schedule.start_time or time(0), tzinfo=PARIS)
        rule["UNTIL"] = until if schedule.all_day else last.astimezone(UTC)
    elif schedule.count:  # never both (RFC 5545): a bound replaces the count
        rule["COUNT"] = schedule.count
    return rule_value(rule)


def _rule_instances(item: SeriesExport) -> dict[datetime, datetime]:
    """Start → end of every instance of the exported rule, as a reader computes them.

    Over the rule's whole span, as the feed writes it (to its own end, or to the bound): an
    instance without a row (a holiday, a closure, a date before the first publish) becomes an
    EXDATE, whatever its date. The end is the start plus the master's exact duration (RFC
    5545), which differs from the wall-clock end on a night with a clock change.
    """
    schedule = item.schedule
    instances = {}
    # Unbounded, the rule ends by itself up to the horizon (its UNTIL or COUNT lies there).
    for day in schedule.local_dates(item.last_day):
        start = _instance_start(schedule, day)
        instances[start] = _instance_end(schedule, start)
    return instances


def _instance_start(schedule: Schedule, day: date) -> datetime:
    return occurrence_bounds(schedule, day, schedule.start_time, schedule.end_time)[0]


def _instance_end(schedule: Schedule, start: datetime) -> datetime:
    """A reader's end of the instance: the master's exact duration after its start."""
    if schedule.all_day:
        return start + _duration(schedule)  # whole days: wall-clock midnight to midnight
    return (start.astimezone(UTC) + _duration(schedule)).astimezone(PARIS)


def _local_day(moment: datetime) -> date:
    return moment.astimezone(PARIS).date()


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
