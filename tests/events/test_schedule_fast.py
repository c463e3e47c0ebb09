"""The weekly rule by date arithmetic gives exactly what dateutil (through django-recurrence) gives.

Feeds ask where a rule stops (`bounded_at`) and whether it gives a date (`gives`) of every
series they write; both answer by position, without walking the dates, and must agree with
dateutil's full expansion on every rule shape.
"""

import random
from datetime import date, datetime, time, timedelta

import pytest

from events.calendar.schedule import Frequency, Schedule


def dateutil_dates(schedule: Schedule, horizon: date) -> list[date]:
    rrule = schedule.rule().to_dateutil_rrule(
        dtstart=datetime.combine(schedule.first_date, time(0))
    )
    stop = datetime.combine(horizon, time.max)
    start = datetime.combine(schedule.first_date, time(0))
    return [m.date() for m in rrule.between(start, stop, inc=True)]


def dateutil_bound(schedule: Schedule, horizon: date) -> date | None:
    rrule = schedule.rule().to_dateutil_rrule(
        dtstart=datetime.combine(schedule.first_date, time(0))
    )
    stop = datetime.combine(horizon, time.max)
    if rrule.after(stop) is None:
        return None
    last = rrule.before(stop, inc=True)
    return last.date() if last else schedule.first_date


def schedules(count: int):
    rng = random.Random(21)
    for _ in range(count):
        first = date(2026, 1, 1) + timedelta(days=rng.randint(0, 700))
        weekdays = tuple(sorted(rng.sample(range(7), rng.randint(0, 3))))
        if weekdays and first.weekday() not in weekdays:
            weekdays = tuple(sorted({*weekdays, first.weekday()}))
        ending = rng.choice(["none", "until", "count"])
        yield Schedule(
            first_date=first,
            start_time=time(14),
            end_time=time(17),
            frequency=Frequency.WEEKLY,
            interval=rng.choice([1, 1, 2, 3, 4, 12]),
            weekdays=weekdays,
            until=first + timedelta(days=rng.randint(0, 500)) if ending == "until" else None,
            count=rng.randint(1, 60) if ending == "count" else None,
        )


@pytest.mark.parametrize("schedule", list(schedules(400)), ids=lambda s: repr(s)[9:60])
def test_weekly_dates_and_bound_match_dateutil(schedule):
    for horizon in (
        schedule.first_date - timedelta(days=100),
        schedule.first_date - timedelta(days=3),
        schedule.first_date,
        schedule.first_date + timedelta(days=45),
        schedule.first_date + timedelta(days=548),
    ):
        assert schedule.local_dates(horizon) == dateutil_dates(schedule, horizon)
        assert schedule.bounded_at(horizon) == dateutil_bound(schedule, horizon)


def monthly_schedules(count: int):
    rng = random.Random(5545)
    for _ in range(count):
        first = date(2026, 1, 1) + timedelta(days=rng.randint(0, 700))
        ending = rng.choice(["none", "until", "count"])
        yield Schedule(
            first_date=first,
            start_time=time(18),
            end_time=time(20),
            frequency=rng.choice([Frequency.MONTHLY_DATE, Frequency.MONTHLY_WEEKDAY]),
            interval=rng.choice([1, 1, 2, 3]),
            until=first + timedelta(days=rng.randint(0, 500)) if ending == "until" else None,
            count=rng.randint(1, 20) if ending == "count" else None,
        )


@pytest.mark.parametrize(
    "schedule",
    [*list(schedules(150)), *list(monthly_schedules(40)), Schedule(first_date=date(2026, 5, 1))],
    ids=lambda s: repr(s)[9:60],
)
def test_gives_is_membership_of_the_expanded_dates(schedule):
    for horizon in (
        schedule.first_date + timedelta(days=45),
        schedule.first_date + timedelta(days=548),
    ):
        expanded = set(schedule.local_dates(horizon))
        for offset in range(-10, 560):
            day = schedule.first_date + timedelta(days=offset)
            assert schedule.gives(day, horizon) == (day in expanded), (day, horizon)
