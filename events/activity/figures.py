"""The activity report's figures: totals, breakdowns by residence and by category, participation
per month and the cancelled dates, for a period and the same period a year before.

A cancelled date counts as cancelled, never as held: its registrations and attendance (a sheet
ticked before the cancellation) are left out of every « held » figure and listed apart.
A fixed number of queries, whatever the amount of data (pinned by tests/events/test_report.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.activity.dashboard import SectorScope
from events.calendar.schedule import PARIS, Status
from events.models import Occurrence, Registration

EVENT, PERMANENCE = Occurrence.Kind.EVENT, Occurrence.Kind.PERMANENCE
HELD = [Status.SCHEDULED, Status.MOVED]  # a date that took place, at its time or moved

# key -> label, in the report's order.
ROWS = [
    ("events_held", _("Animations tenues (dates)")),
    ("events_distinct", _("Animations différentes")),
    ("events_cancelled", _("Dates d'animation annulées")),
    ("registrations", _("Inscriptions confirmées")),
    ("people_registered", _("Personnes inscrites")),
    ("people_present", _("Personnes présentes (émargement)")),
    ("permanences_held", _("Permanences tenues")),
    ("permanences_cancelled", _("Permanences annulées")),
]
# The columns of the breakdowns: by residence, and by category (animations only).
BY_RESIDENCE = [
    ("events_held", _("Animations tenues")),
    ("events_cancelled", _("Dates annulées")),
    ("people_registered", _("Personnes inscrites")),
    ("people_present", _("Personnes présentes")),
    ("permanences_held", _("Permanences tenues")),
]
BY_CATEGORY = BY_RESIDENCE[:4]
LAST = "_last"


@dataclass(frozen=True)
class Period:
    first: date
    last: date

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(0), tzinfo=PARIS)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time(0), tzinfo=PARIS)

    def year_before(self) -> Period:
        return Period(_year_before(self.first), _year_before(self.last))

    def months(self) -> list[date]:
        """The first day of each month the period touches."""
        months, month = [], self.first.replace(day=1)
        while month <= self.last:
            months.append(month)
            month = (month + timedelta(days=32)).replace(day=1)
        return months

    def q(self, prefix: str = "") -> Q:
        return Q(**{f"{prefix}start__gte": self.start, f"{prefix}start__lt": self.end})


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


@dataclass(frozen=True)
class Line:
    """One figure, this period and the same period a year before."""

    key: str
    label: str
    value: int
    last_year: int


@dataclass
class Group:
    """A row of a breakdown: a residence (or the sector as a whole), or a category."""

    label: str
    values: dict[str, int] = field(default_factory=dict)
    # (column, this period, a year before), in the breakdown's column order
    cells: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(self.values.values())


@dataclass
class Breakdown:
    columns: list[str]
    groups: list[Group]


@dataclass(frozen=True)
class Month:
    month: date
    registered: int
    present: int
    registered_last_year: int
    present_last_year: int


@dataclass(frozen=True)
class CancelledDate:
    start: datetime
    title: str
    kind: str
    reason: str
    people: int  # people whose confirmed registration the cancellation undid


@dataclass
class Report:
    period: Period
    previous: Period
    lines: list[Line]
    residences: Breakdown
    categories: Breakdown
    months: list[Month]
    cancelled: list[CancelledDate]


def _scope(sector: Any) -> SectorScope:
    return sector if isinstance(sector, SectorScope) else SectorScope(sector)


Periods = tuple[Period, Period]  # this period, the same a year before


def _suffixed(periods: Periods) -> Iterator[tuple[str, Period]]:
    return zip(("", LAST), periods, strict=True)


def _date_counts(periods: Periods) -> dict:
    """Conditional counts of dates, per period (« _last »: the year before)."""
    held = Q(status__in=HELD, start__lt=timezone.now())
    counts: dict[str, Any] = {}
    for suffix, period in _suffixed(periods):
        event, within = Q(kind=EVENT) & period.q(), period.q()
        counts |= {
            "events_held" + suffix: Count("pk", filter=event & held),
            "events_distinct" + suffix: Count("page", filter=event & held, distinct=True),
            "events_cancelled" + suffix: Count("pk", filter=event & Q(status=Status.CANCELLED)),
            "permanences_held" + suffix: Count("pk", filter=Q(kind=PERMANENCE) & within & held),
            "permanences_cancelled" + suffix: Count(
                "pk", filter=Q(kind=PERMANENCE, status=Status.CANCELLED) & within
            ),
        }
    return counts


def _registration_sums(periods: Periods) -> dict:
    sums: dict[str, Any] = {}
    for suffix, period in _suffixed(periods):
        within = period.q("occurrence__")
        sums |= {
            "registrations" + suffix: Count("pk", filter=within),
            "people_registered" + suffix: Sum("seats", filter=within),
            "people_present" + suffix: Sum("seats", filter=within & Q(attended=True)),
        }
    return sums


def _dates(scope: SectorScope, periods: Periods) -> QuerySet:
    return Occurrence.objects.filter(scope.occurrences()).filter(periods[0].q() | periods[1].q())


def _standing_registrations(dates: QuerySet) -> QuerySet:
    """Confirmed registrations of animation dates that were not cancelled (held, or still to
    come in the period): never those of a cancelled date, even ticked present before."""
    standing = dates.filter(kind=EVENT, status__in=HELD)
    return Registration.objects.filter(
        occurrence__in=standing.values("pk"), status=Registration.Status.CONFIRMED
    )


def _zeros(row: dict, leave: tuple[str, ...] = ("key", "name")) -> dict[str, int]:
    return {key: value or 0 for key, value in row.items() if key not in leave}


def _totals(scope: SectorScope, periods: Periods) -> dict[str, int]:
    """Two queries: the dates, then the registrations of the dates not cancelled."""
    dates = _dates(scope, periods)
    totals = dates.aggregate(**_date_counts(periods))
    totals |= _standing_registrations(dates).aggregate(**_registration_sums(periods))
    return _zeros(totals)


def figures(sector: Any, period: Period) -> dict[str, int]:
    """This period's totals. `sector`: a SectorPage (all of it) or a SectorScope (what the user
    covers of it)."""
    totals = _totals(_scope(sector), (period, period.year_before()))
    return {key: totals[key] for key, _label in ROWS}


def _breakdown(
    dates: QuerySet, periods: Periods, by: str, name: str, unnamed: str, columns: list
) -> Breakdown:
    """Rows of a breakdown, `by` a field of the date (`name` its label): two grouped queries,
    the dates, then the registrations of the dates not cancelled."""
    groups: dict[object, Group] = {}
    kinds = (
        [EVENT, PERMANENCE]
        if any(key.startswith("permanences") for key, _label in columns)
        else [EVENT]
    )
    rows = dates.filter(kind__in=kinds).order_by().values(key=F(by), name=F(name))
    for row in rows.annotate(**_date_counts(periods)):
        groups[row["key"]] = Group(row["name"] or unnamed, _zeros(row))
    sums = _standing_registrations(dates).order_by().values(key=F(f"occurrence__{by}"))
    for row in sums.annotate(**_registration_sums(periods)):
        group = groups.setdefault(row["key"], Group(unnamed))
        group.values |= _zeros(row)
    kept = sorted(
        (group for group in groups.values() if not group.empty),
        key=lambda group: (group.label == unnamed, group.label.casefold()),
    )
    for group in kept:
        group.cells = [
            (str(label), group.values.get(k, 0), group.values.get(k + LAST, 0))
            for k, label in columns
        ]
    return Breakdown([str(label) for _key, label in columns], kept)


def _months(dates: QuerySet, periods: Periods) -> list[Month]:
    """People registered and present per month on dates not cancelled, and a year before
    (one query)."""
    current, previous = periods
    rows = (
        _standing_registrations(dates)
        .annotate(month=TruncMonth("occurrence__start", tzinfo=PARIS))
        .order_by()
        .values("month")
        .annotate(registered=Sum("seats"), present=Sum("seats", filter=Q(attended=True)))
    )
    found = {
        timezone.localtime(row["month"], PARIS).date(): (
            row["registered"] or 0,
            row["present"] or 0,
        )
        for row in rows
    }
    months = []
    for month in current.months():
        before = _year_before(month)
        registered, present = found.get(month, (0, 0))
        registered_last, present_last = found.get(before, (0, 0))
        months.append(Month(month, registered, present, registered_last, present_last))
    return months


def _cancelled(dates: QuerySet, period: Period) -> list[CancelledDate]:
    """The period's cancelled dates, with the people their cancellation concerned (one query)."""
    rows = (
        dates.filter(period.q(), status=Status.CANCELLED)
        .annotate(
            people=Sum(
                "registrations__seats",
                filter=Q(registrations__status=Registration.Status.CONFIRMED),
            )
        )
        .order_by("start", "pk")
        .values("start", "kind", "reason", "people", title=F("page__title"))
    )
    return [
        CancelledDate(
            start=row["start"],
            title=row["title"],
            kind=row["kind"],
            reason=row["reason"],
            people=row["people"] or 0,
        )
        for row in rows
    ]


def build_report(sector: Any, period: Period) -> Report:
    """Everything the report shows, in eight queries whatever the amount of data."""
    scope = _scope(sector)
    periods = (period, period.year_before())
    totals = _totals(scope, periods)
    dates = _dates(scope, periods)
    return Report(
        period=period,
        previous=periods[1],
        lines=[Line(key, str(label), totals[key], totals[key + LAST]) for key, label in ROWS],
        residences=_breakdown(
            dates,
            periods,
            "residence_id",
            "residence__title",
            str(_("Tout le secteur")),
            BY_RESIDENCE,
        ),
        categories=_breakdown(
            dates,
            periods,
            "page__eventpage__category_id",
            "page__eventpage__category__name",
            str(_("Sans catégorie")),
            BY_CATEGORY,
        ),
        months=_months(dates, periods),
        cancelled=_cancelled(dates, period),
    )
