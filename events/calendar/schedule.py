"""The one place that decides what a series' occurrences are.

A schedule is expanded in Europe/Paris wall-clock time: a naive local start is repeated by the
rule (django-recurrence builds the RRULE), then each date gets its local time and the zone.
So a Tuesday 14:00 stays 14:00 on both sides of a daylight-saving change. Pages, listings,
e-mails and feeds read the resulting Occurrence rows; nothing else expands rules.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import recurrence

from django.db import models
from django.utils.formats import date_format, time_format
from django.utils.translation import get_language, gettext, override
from django.utils.translation import gettext_lazy as _

PARIS = ZoneInfo("Europe/Paris")
MAX_COUNT = 500
MAX_INTERVAL = 12


class Frequency(models.TextChoices):
    NONE = "none", _("Une seule fois")
    WEEKLY = "weekly", _("Chaque semaine (ou toutes les N semaines)")
    MONTHLY_DATE = "monthly_date", _("Chaque mois, à la même date (ex. le 15)")
    MONTHLY_WEEKDAY = "monthly_weekday", _("Chaque mois, le même jour (ex. le 2e mardi)")


class ExceptionKind(models.TextChoices):
    CANCELLED = "cancelled", _("Date annulée")
    MOVED = "moved", _("Date déplacée")
    EXTRA = "extra", _("Date supplémentaire")


class Status(models.TextChoices):
    SCHEDULED = "scheduled", _("Prévue")
    CANCELLED = "cancelled", _("Annulée")
    MOVED = "moved", _("Déplacée")


WEEKDAY_NAMES = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
ORDINALS = {1: "1er", 2: "2e", 3: "3e", 4: "4e", -1: "dernier"}


@dataclass(frozen=True)
class Schedule:
    first_date: date
    start_time: time | None = None  # None: an all-day event
    end_time: time | None = None
    end_date: date | None = None  # last day of a single occurrence spanning several days
    frequency: str = Frequency.NONE
    interval: int = 1
    weekdays: tuple[int, ...] = ()  # 0 = Monday; empty: the first date's weekday
    until: date | None = None
    count: int | None = None

    @property
    def all_day(self) -> bool:
        return self.start_time is None

    @property
    def is_recurring(self) -> bool:
        return self.frequency != Frequency.NONE

    @property
    def span_days(self) -> int:
        return (self.end_date - self.first_date).days if self.end_date else 0

    @property
    def month_position(self) -> int:
        """Which weekday of its month the first date is: 1–4, or -1 for the last (5th)."""
        position = (self.first_date.day - 1) // 7 + 1
        return -1 if position == 5 else position

    def rule(self) -> recurrence.Rule | None:
        if not self.is_recurring:
            return None
        params: dict = {"interval": self.interval, "count": self.count}
        if self.until:
            params["until"] = datetime.combine(self.until, time.max)
        if self.frequency == Frequency.WEEKLY:
            days = self.weekdays or (self.first_date.weekday(),)
            return recurrence.Rule(
                recurrence.WEEKLY, byday=[recurrence.Weekday(d) for d in sorted(days)], **params
            )
        if self.frequency == Frequency.MONTHLY_DATE:
            return recurrence.Rule(recurrence.MONTHLY, bymonthday=[self.first_date.day], **params)
        weekday = recurrence.Weekday(self.first_date.weekday(), self.month_position)
        return recurrence.Rule(recurrence.MONTHLY, byday=[weekday], **params)

    def local_dates(self, horizon: date) -> list[date]:
        """Dates the rule gives, from the first date up to the horizon (both included)."""
        if self.frequency == Frequency.WEEKLY:
            return self._weekly_dates(horizon)
        rule = self.rule()
        if rule is None:
            return [self.first_date]  # a single date is always materialised, however far ahead
        start = datetime.combine(self.first_date, time(0))
        rrule = rule.to_dateutil_rrule(dtstart=start)
        stop = datetime.combine(horizon, time.max)
        return [moment.date() for moment in rrule.between(start, stop, inc=True)]

    def _weekly_dates(self, horizon: date) -> list[date]:
        """A weekly rule by date arithmetic: what dateutil gives, without its per-date cost.

        Weeks start on Monday (dateutil's WKST); every `interval`-th week from the first
        date's, the chosen weekdays, from the first date on, to `until` and within `count`.
        Feeds expand every series' rule; through dateutil that was about 15 µs a date.
        `tests/events/test_schedule_fast.py` compares both over many rules.
        """
        days = sorted(self.weekdays or (self.first_date.weekday(),))
        last = min(horizon, self.until) if self.until else horizon
        week = self.first_date - timedelta(days=self.first_date.weekday())
        step = timedelta(weeks=self.interval)
        dates: list[date] = []
        while week <= last:
            for weekday in days:
                day = week + timedelta(days=weekday)
                if day < self.first_date:
                    continue
                if day > last or (self.count is not None and len(dates) >= self.count):
                    return dates
                dates.append(day)
            week += step
        return dates

    # A weekly rule without walking it: its dates come in periods of `interval` weeks from the
    # first date's Monday, each with the chosen weekdays (the first period from the first date
    # on). A feed asks of every series where its rule stops, and of a few dates whether the
    # rule gives them; answering by position keeps that flat however long the series runs.

    def _period_dates(self, period: int) -> list[date]:
        monday = self.first_date - timedelta(days=self.first_date.weekday())
        monday += timedelta(weeks=period * self.interval)
        days = sorted(self.weekdays or (self.first_date.weekday(),))
        return [
            monday + timedelta(days=d)
            for d in days
            if monday + timedelta(days=d) >= self.first_date
        ]

    def _period_of(self, day: date) -> tuple[int, bool]:
        """The period a day falls in, and whether its week is one the rule uses."""
        monday = self.first_date - timedelta(days=self.first_date.weekday())
        weeks = (day - monday).days // 7
        return weeks // self.interval, weeks % self.interval == 0

    def _weekly_nth(self, index: int) -> date:
        """The rule's date of that position (0: the first date), with no end."""
        first = self._period_dates(0)
        if index < len(first):
            return first[index]
        per_period = len(self.weekdays or (self.first_date.weekday(),))
        period, position = divmod(index - len(first), per_period)
        return self._period_dates(period + 1)[position]

    def _weekly_on_or_before(self, day: date) -> date | None:
        """The rule's last date up to that day, with no end (None: none that early)."""
        if day < self.first_date:
            return None
        period, _ = self._period_of(day)
        for candidate in (period, period - 1):
            if candidate < 0:
                break
            found = [d for d in self._period_dates(candidate) if d <= day]
            if found:
                return found[-1]
        return None

    def _weekly_end(self) -> tuple[bool, date | None]:
        """Whether the rule ends (`until`, `count`), and its very last date (None: no date)."""
        lasts = []
        if self.count is not None:
            lasts.append(self._weekly_nth(self.count - 1) if self.count > 0 else None)
        if self.until is not None:
            lasts.append(self._weekly_on_or_before(self.until))
        if not lasts:
            return False, None
        if None in lasts:
            return True, None
        return True, min(d for d in lasts if d is not None)

    def gives(self, day: date, horizon: date) -> bool:
        """Whether `day` is one of `local_dates(horizon)`, without computing them all."""
        if not self.is_recurring:
            return day == self.first_date
        if not self.first_date <= day <= horizon:
            return False
        if self.frequency == Frequency.WEEKLY:
            ends, last = self._weekly_end()
            if ends and (last is None or day > last):
                return False
            period, used = self._period_of(day)
            return used and day in self._period_dates(period)
        rule = self.rule()
        assert rule is not None, "a recurring schedule has a rule"
        rrule = rule.to_dateutil_rrule(dtstart=datetime.combine(self.first_date, time(0)))
        found = rrule.between(
            datetime.combine(day, time(0)), datetime.combine(day, time.max), inc=True
        )
        return bool(found)

    def bounded_at(self, horizon: date) -> date | None:
        """The rule's last date up to the horizon, when it goes on beyond it; else None.

        Feeds end the rule there (UNTIL): beyond the horizon the site has computed no holiday
        and no closure, so a reader must not produce dates there. When the horizon moves and a
        new date enters, the bound moves with it (and the series gets a new SEQUENCE).
        """
        if self.frequency == Frequency.WEEKLY:
            ends, last = self._weekly_end()
            if ends and (last is None or last <= horizon):
                return None
            return self._weekly_on_or_before(horizon) or self.first_date
        rule = self.rule()
        if rule is None:
            return None
        start = datetime.combine(self.first_date, time(0))
        rrule = rule.to_dateutil_rrule(dtstart=start)
        stop = datetime.combine(horizon, time.max)
        if rrule.after(stop) is None:
            return None
        last = rrule.before(stop, inc=True)
        return last.date() if last else self.first_date

    def describe(self) -> str:
        """The rule in plain French: « Tous les mardis, de 14h à 17h »."""
        with override("fr"):
            when = self._describe_dates()
            if self.all_day:
                return when
            assert self.start_time is not None and self.end_time is not None, (
                "a timed schedule has both times"
            )
            return f"{when}, de {format_time(self.start_time)} à {format_time(self.end_time)}"

    def _describe_dates(self) -> str:
        if self.frequency == Frequency.NONE:
            return french_date(self.first_date)
        if self.frequency == Frequency.WEEKLY:
            days = sorted(self.weekdays or (self.first_date.weekday(),))
            names = " et ".join(WEEKDAY_NAMES[d] + "s" for d in days)
            if self.interval == 1:
                text = f"Tous les {names}"
            elif len(days) == 1:
                text = f"Un {WEEKDAY_NAMES[days[0]]} sur {in_words(self.interval)}"
            else:
                text = f"Les {names}, une semaine sur {in_words(self.interval)}"
        else:
            if self.frequency == Frequency.MONTHLY_DATE:
                text = "Le 1er" if self.first_date.day == 1 else f"Le {self.first_date.day}"
            else:
                weekday = WEEKDAY_NAMES[self.first_date.weekday()]
                text = f"Le {ORDINALS[self.month_position]} {weekday}"
            text += " du mois" if self.interval == 1 else f", tous les {self.interval} mois"
        if self.until:
            text += f", jusqu'au {french_date(self.until, weekday=False)}"
        elif self.count:
            text += f" ({self.count} dates)"
        return text


NUMBERS = {2: "deux", 3: "trois", 4: "quatre", 5: "cinq", 6: "six", 7: "sept", 8: "huit"}


def in_words(number: int) -> str:
    """« deux » for 2: French writes small numbers in words in running text."""
    return NUMBERS.get(number, str(number))


@dataclass(frozen=True)
class ScheduleException:
    # `dt.date`: in the class body, the field named `date` shadows the imported type.
    kind: str
    date: dt.date | None
    reason: str = ""
    new_date: dt.date | None = None
    new_start_time: time | None = None
    new_end_time: time | None = None
    venue_note: str = ""


@dataclass(frozen=True)
class PlannedOccurrence:
    original_start: datetime
    start: datetime
    end: datetime
    all_day: bool = False
    status: str = Status.SCHEDULED
    is_extra: bool = False
    reason: str = ""
    venue_note: str = ""


@dataclass
class ScheduleErrors:
    """Validation messages keyed by field, and by (row index, field) for exception rows."""

    fields: dict[str, list[str]] = field(default_factory=dict)
    rows: dict[tuple[int, str], list[str]] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.fields.setdefault(name, []).append(message)

    def add_row(self, index: int, name: str, message: str) -> None:
        self.rows.setdefault((index, name), []).append(message)

    def __bool__(self) -> bool:
        return bool(self.fields or self.rows)


def local(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=PARIS)


def french_date(day: date, weekday: bool = True) -> str:
    from portal.french import first_of_month

    with override("fr"):
        return first_of_month(date_format(day, "l j F Y" if weekday else "j F Y"))


def format_time(moment: time) -> str:
    return f"{moment.hour}h{moment.minute:02d}" if moment.minute else f"{moment.hour}h"


def shown_date(day: date) -> str:
    """A date in the active language, for messages to mediators (French: « mardi 1er décembre
    2026 »; English: « Tuesday, December 1, 2026 »)."""
    if (get_language() or "fr").startswith("fr"):
        return french_date(day)
    return date_format(day, "l, F j, Y")


def shown_time(moment: time) -> str:
    if (get_language() or "fr").startswith("fr"):
        return format_time(moment)
    return time_format(moment, "P")


def clock_problem(day: date, moment: time) -> str:
    """A message when this local time does not exist or exists twice on that day."""
    naive = datetime.combine(day, moment)
    first, second = naive.replace(tzinfo=PARIS, fold=0), naive.replace(tzinfo=PARIS, fold=1)
    if first.utcoffset() == second.utcoffset():
        return ""
    shown = {"day": shown_date(day), "time": shown_time(moment)}
    round_trip = first.astimezone(UTC).astimezone(PARIS).replace(tzinfo=None)
    if round_trip != naive:
        return (
            gettext(
                "L'heure du %(day)s à %(time)s n'existe pas (passage à l'heure d'été). "
                "Choisissez une autre heure."
            )
            % shown
        )
    return (
        gettext(
            "L'heure du %(day)s à %(time)s existe deux fois (passage à l'heure d'hiver). "
            "Choisissez une autre heure."
        )
        % shown
    )


def occurrence_bounds(
    schedule: Schedule, day: date, start: time | None, end: time | None
) -> tuple[datetime, datetime]:
    if schedule.all_day:
        last_day = day + timedelta(days=schedule.span_days)
        return local(day, time(0)), local(last_day + timedelta(days=1), time(0))
    assert start is not None and end is not None, "a timed occurrence has both times"
    return local(day, start), local(day + timedelta(days=schedule.span_days), end)


def plan(
    schedule: Schedule,
    exceptions: list[ScheduleException],
    horizon: date,
    closed: frozenset[date] = frozenset(),
) -> list[PlannedOccurrence]:
    """Every occurrence up to the horizon, with exceptions applied; `closed` dates are dropped."""
    by_date = {e.date: e for e in exceptions if e.kind != ExceptionKind.EXTRA and e.date}
    planned = []
    for day in schedule.local_dates(horizon):
        if day in closed:
            continue
        original_start, original_end = occurrence_bounds(
            schedule, day, schedule.start_time, schedule.end_time
        )
        change = by_date.get(day)
        if change is None:
            planned.append(
                PlannedOccurrence(original_start, original_start, original_end, schedule.all_day)
            )
        elif change.kind == ExceptionKind.CANCELLED:
            planned.append(
                PlannedOccurrence(
                    original_start,
                    original_start,
                    original_end,
                    schedule.all_day,
                    Status.CANCELLED,
                    reason=change.reason,
                )
            )
        else:
            start, end = occurrence_bounds(
                schedule,
                change.new_date or day,
                change.new_start_time or schedule.start_time,
                change.new_end_time or schedule.end_time,
            )
            planned.append(
                PlannedOccurrence(
                    original_start,
                    start,
                    end,
                    schedule.all_day,
                    Status.MOVED,
                    reason=change.reason,
                    venue_note=change.venue_note,
                )
            )
    for extra in exceptions:
        if extra.kind == ExceptionKind.EXTRA and extra.date and extra.date <= horizon:
            start, end = occurrence_bounds(
                schedule,
                extra.date,
                extra.new_start_time or schedule.start_time,
                extra.new_end_time or schedule.end_time,
            )
            planned.append(
                PlannedOccurrence(
                    start,
                    start,
                    end,
                    schedule.all_day,
                    is_extra=True,
                    reason=extra.reason,
                    venue_note=extra.venue_note,
                )
            )
    return sorted(planned, key=lambda o: o.start)


def validate(
    schedule: Schedule, exceptions: list[ScheduleException], horizon: date
) -> ScheduleErrors:
    """Refuse what would be impossible to show or to export faithfully, at the field, in the
    active language (the editor's)."""
    errors = ScheduleErrors()
    _validate_times(schedule, errors)
    _validate_rule(schedule, errors)
    if errors:
        return errors
    # Judge the rule on at least a year, even when it starts beyond the rolling horizon.
    dates = schedule.local_dates(max(horizon, schedule.first_date + timedelta(days=366)))
    if not dates:
        errors.add(
            "first_date",
            gettext("Cette série ne donne aucune date. Vérifiez la règle et ses limites."),
        )
        return errors
    if not schedule.all_day:
        for day in dates:
            for name, moment in (
                ("start_time", schedule.start_time),
                ("end_time", schedule.end_time),
            ):
                assert moment is not None, "_validate_times refused a missing time"
                problem = clock_problem(
                    day + timedelta(days=schedule.span_days if name == "end_time" else 0), moment
                )
                if problem:
                    errors.add(name, problem)
                    return errors
    _validate_exceptions(schedule, exceptions, dates, errors)
    return errors


def _validate_times(schedule: Schedule, errors: ScheduleErrors) -> None:
    if schedule.end_date and schedule.end_date < schedule.first_date:
        errors.add(
            "end_date", gettext("La date de fin doit être le même jour ou après la date de début.")
        )
    if schedule.start_time is None and schedule.end_time is not None:
        errors.add(
            "start_time",
            gettext(
                "Indiquez l'heure de début, ou effacez l'heure de fin pour une journée entière."
            ),
        )
    if schedule.start_time is not None:
        if schedule.end_time is None:
            errors.add("end_time", gettext("Indiquez l'heure de fin."))
        elif not schedule.span_days and schedule.end_time <= schedule.start_time:
            errors.add("end_time", gettext("L'heure de fin doit être après l'heure de début."))


def _validate_rule(schedule: Schedule, errors: ScheduleErrors) -> None:
    if not schedule.is_recurring:
        for name in ("until", "count"):
            if getattr(schedule, name):
                errors.add(name, gettext("Ce champ ne sert que pour une date qui se répète."))
        return
    if schedule.span_days:
        errors.add(
            "end_date", gettext("Une série qui se répète doit commencer et finir le même jour.")
        )
    if not 1 <= schedule.interval <= MAX_INTERVAL:
        errors.add(
            "interval",
            gettext("Choisissez un intervalle entre 1 et %(max)s.") % {"max": MAX_INTERVAL},
        )
    if schedule.until and schedule.count:
        errors.add(
            "count", gettext("Indiquez une date de fin ou un nombre de dates, pas les deux.")
        )
    if schedule.until and schedule.until < schedule.first_date:
        errors.add("until", gettext("La date de fin de la série doit être après la première date."))
    if schedule.count is not None and not 1 <= schedule.count <= MAX_COUNT:
        errors.add(
            "count",
            gettext("Choisissez un nombre de dates entre 1 et %(max)s.") % {"max": MAX_COUNT},
        )
    weekly = schedule.frequency == Frequency.WEEKLY
    if weekly and schedule.weekdays and schedule.first_date.weekday() not in schedule.weekdays:
        errors.add(
            "weekdays",
            gettext(
                "La première date est un %(day)s : cochez ce jour, ou changez la première date."
            )
            % {"day": date_format(schedule.first_date, "l")},
        )


def _validate_exceptions(
    schedule: Schedule,
    exceptions: list[ScheduleException],
    dates: list[date],
    errors: ScheduleErrors,
) -> None:
    rule_dates = set(dates)
    seen: set[date] = set()
    for index, exception in enumerate(exceptions):
        if exception.date is None:
            errors.add_row(index, "date", gettext("Indiquez la date concernée."))
            continue
        shown = {"day": shown_date(exception.date)}
        if exception.date in seen:
            errors.add_row(
                index, "date", gettext("Le %(day)s figure déjà dans une autre ligne.") % shown
            )
        seen.add(exception.date)
        if exception.kind == ExceptionKind.EXTRA:
            if exception.date in rule_dates:
                errors.add_row(
                    index, "date", gettext("Le %(day)s fait déjà partie de la série.") % shown
                )
            _check_row_clock(schedule, exception, exception.date, index, errors)
            continue
        if exception.date not in rule_dates:
            errors.add_row(
                index, "date", gettext("Le %(day)s n'est pas une date de la série.") % shown
            )
            continue
        if exception.kind == ExceptionKind.MOVED:
            _validate_move(schedule, exception, dates, index, errors)


def _validate_move(
    schedule: Schedule,
    exception: ScheduleException,
    dates: list[date],
    index: int,
    errors: ScheduleErrors,
) -> None:
    assert exception.date is not None, "_validate_exceptions skips rows without a date"
    if not (
        exception.new_date
        or exception.new_start_time
        or exception.new_end_time
        or exception.venue_note
    ):
        errors.add_row(
            index,
            "new_date",
            gettext("Indiquez la nouvelle date, le nouvel horaire ou le nouveau lieu."),
        )
        return
    new_day = exception.new_date or exception.date
    if not _check_row_clock(schedule, exception, new_day, index, errors):
        return
    start, end = occurrence_bounds(
        schedule,
        new_day,
        exception.new_start_time or schedule.start_time,
        exception.new_end_time or schedule.end_time,
    )
    if end <= start:
        errors.add_row(
            index, "new_end_time", gettext("L'heure de fin doit être après l'heure de début.")
        )
        return
    # Calendar readers disagree on overrides that jump over a neighbour: keep the order.
    position = dates.index(exception.date)
    before = dates[position - 1] if position else None
    after = dates[position + 1] if position + 1 < len(dates) else None
    if (before and new_day <= before) or (after and new_day >= after):
        limits = gettext(" et ").join(shown_date(d) for d in (before, after) if d)
        errors.add_row(
            index,
            "new_date",
            gettext(
                "Une date déplacée doit rester entre les dates voisines de la série (%(limits)s)."
            )
            % {"limits": limits},
        )


def _check_row_clock(
    schedule: Schedule,
    exception: ScheduleException,
    day: date,
    index: int,
    errors: ScheduleErrors,
) -> bool:
    if schedule.all_day:
        return True
    for name, moment in (
        ("new_start_time", exception.new_start_time or schedule.start_time),
        ("new_end_time", exception.new_end_time or schedule.end_time),
    ):
        assert moment is not None, "_validate_times refused a missing time"
        problem = clock_problem(day, moment)
        if problem:
            errors.add_row(index, name, problem)
            return False
    return True
