"""Anonymous figures on situations for the landlord: per period and sectors, in three queries
whatever the amount of data; a pure CSV builder beside them.

Opened: opened in the period. Closed: closed in the period (its latest closing). Open at the
end: opened by the last day and not closed by then. The median time to close is over the
situations closed in the period. Requests: tenants' requests received in the period. Nothing
here names a person: erased situations count like the others.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from residences.situations.models import Category, HelpRequest, Situation

OUTCOMES = dict(Situation.Outcome.choices)
CATEGORIES = dict(Category.choices)


@dataclass
class Breakdown:
    """One table: per value, how many opened, closed and open at the end."""

    title: str
    rows: list[tuple[str, int, int, int]] = field(default_factory=list)


@dataclass
class Figures:
    first: date
    last: date
    opened: int = 0
    closed: int = 0
    open_at_end: int = 0
    median_days_to_close: float | None = None
    requests: int = 0
    requests_turned_into_situations: int = 0
    breakdowns: list[Breakdown] = field(default_factory=list)
    outcomes: list[tuple[str, int]] = field(default_factory=list)


def compute(sector_ids, first: date, last: date) -> Figures:
    """The figures of these sectors from `first` to `last` (both included)."""
    rows = list(
        Situation.objects.in_sectors(sector_ids)
        .filter(opened_on__lte=last)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=first))
        .values_list(
            "opened_on",
            "closed_on",
            "category",
            "intensity__level",
            "intensity__label",
            "residence__title",
            "outcome",
        )
        .order_by()
    )
    figures = Figures(first=first, last=last)
    tallies = {key: (Counter(), Counter(), Counter()) for key in ("category", "level", "place")}
    outcomes: Counter = Counter()
    durations = []
    for opened_on, closed_on, category, level, level_label, residence, outcome in rows:
        keys = {
            "category": CATEGORIES.get(category, category),
            "level": f"{level} – {level_label}",
            "place": residence,
        }
        was_opened = opened_on >= first
        was_closed = closed_on is not None and closed_on <= last
        still_open = closed_on is None or closed_on > last
        figures.opened += was_opened
        figures.closed += was_closed
        figures.open_at_end += still_open
        for name, key in keys.items():
            opened, closed, open_ = tallies[name]
            opened[key] += was_opened
            closed[key] += was_closed
            open_[key] += still_open
        if was_closed:
            outcomes[OUTCOMES.get(outcome, outcome)] += 1
            durations.append((closed_on - opened_on).days)
    if durations:
        figures.median_days_to_close = statistics.median(durations)
    for name, title, order in (
        ("category", _("Par catégorie"), list(CATEGORIES.values())),
        ("level", _("Par niveau d'intensité"), None),
        ("place", _("Par résidence"), None),
    ):
        opened, closed, open_ = tallies[name]
        keys = set(opened) | set(closed) | set(open_)
        ordered = [k for k in order if k in keys] if order else sorted(keys)
        figures.breakdowns.append(
            Breakdown(title, [(k, opened[k], closed[k], open_[k]) for k in ordered])
        )
    figures.outcomes = [(label, outcomes[label]) for label in OUTCOMES.values() if outcomes[label]]
    requests = HelpRequest.objects.in_sectors(sector_ids).filter(
        received_at__date__gte=first, received_at__date__lte=last
    )
    counts = requests.aggregate(received=_count(), turned=_count(situation__isnull=False))
    figures.requests = counts["received"]
    figures.requests_turned_into_situations = counts["turned"]
    return figures


def _count(**condition):
    return Count("pk", filter=Q(**condition)) if condition else Count("pk")


def last_month(today: date) -> tuple[date, date]:
    last = today.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


def csv_rows(figures: Figures, sector_label: str) -> list[list[str | int | float]]:
    """The figures as CSV rows (the view writes them), in the user's language: all anonymous
    counts."""
    median = figures.median_days_to_close
    rows: list[list[str | int | float]] = [
        [gettext("Secteur"), sector_label],
        [gettext("Période"), f"{figures.first:%d/%m/%Y}", f"{figures.last:%d/%m/%Y}"],
        [],
        [gettext("Situations ouvertes"), figures.opened],
        [gettext("Situations clôturées"), figures.closed],
        [gettext("Situations en cours à la fin de la période"), figures.open_at_end],
        [gettext("Durée médiane avant clôture (jours)"), "" if median is None else median],
        [gettext("Demandes reçues de locataires"), figures.requests],
        [gettext("dont transformées en situation"), figures.requests_turned_into_situations],
    ]
    for breakdown in figures.breakdowns:
        rows += [
            [],
            [
                str(breakdown.title),
                gettext("Ouvertes"),
                gettext("Clôturées"),
                gettext("En cours à la fin"),
            ],
        ]
        rows += [list(row) for row in breakdown.rows]
    rows += [[], [gettext("Issue des situations clôturées"), gettext("Nombre")]]
    rows += [list(row) for row in figures.outcomes]
    return rows
