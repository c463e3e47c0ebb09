"""Series pages as a feed reads them: the few columns it writes, not the page models.

A whole-calendar feed holds thousands of series. Built as Wagtail page models (with their
SeriesVersion) each cost about 60 µs before anything was written, more than writing it;
`SeriesLine` holds the same columns and answers the same questions (`get_schedule`,
`venue_label`, `venue_full_address`, `get_url`) with the models' own code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, NamedTuple

from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from wagtail.models import Page

from events.calendar.models import Occurrence, OccurrenceQuerySet
from events.calendar.schedule import Schedule
from events.calendar.schedule_fields import schedulable_models, schedule_of
from events.models.venue import venue_address_of, venue_label_of
from residences.models import Partner, ResidencePage


class VersionLine(NamedTuple):
    """What a feed reads of a SeriesVersion."""

    sequence: int
    modified: datetime
    horizon: date | None
    feed_key: str
    exdates: list[str]


# The page's columns, in the order of SeriesLine's fields after `model`.
COLUMNS = (
    *("pk", "slug", "title", "url_path", "last_published_at", "summary"),
    *("first_date", "start_time", "end_time", "end_date", "frequency", "interval"),
    *("weekdays", "until", "count"),
    *("venue_name", "venue_address", "venue_partner_id", "venue_residence_id"),
)
VERSION_COLUMNS = tuple(f"series_version__{name}" for name in VersionLine._fields)


@dataclass(slots=True)
class SeriesLine:
    """A series page's columns, its version and its venue; no model instance behind it."""

    model: type[Page]  # a SchedulePageMixin and VenueMixin page model
    pk: int
    slug: str
    title: str
    url_path: str
    last_published_at: datetime | None
    summary: str
    first_date: date
    start_time: time | None
    end_time: time | None
    end_date: date | None
    frequency: str
    interval: int
    weekdays: list[int]
    until: date | None
    count: int | None
    venue_name: str
    venue_address: str
    venue_partner_id: int | None
    venue_residence_id: int | None
    series_version: VersionLine | None = None
    venue_partner: Partner | None = None
    venue_residence: ResidencePage | None = None

    # The models' own code (SchedulePageMixin, VenueMixin), which reads only these attributes.
    def get_schedule(self) -> Schedule:
        return schedule_of(self)

    @property
    def venue_label(self) -> str:
        return venue_label_of(self)

    @property
    def venue_full_address(self) -> str:
        return venue_address_of(self)

    @property
    def occurrence_kind(self) -> str:
        return self.model.occurrence_kind


def lines_of(pages: QuerySet) -> list[SeriesLine]:
    """The series pages of one model's queryset as lines, with their version."""
    model = pages.model
    names = {field.attname for field in model._meta.concrete_fields} | {"pk"}
    columns = {name: model.summary_column if name == "summary" else name for name in COLUMNS}
    present = [name for name in COLUMNS if columns[name] in names]
    found = []
    for row in pages.values_list(*[columns[n] for n in present], *VERSION_COLUMNS):
        values: dict[str, Any] = dict(zip(present, row, strict=False))
        version = row[len(present) :]
        found.append(
            SeriesLine(
                model=model,
                **{name: values.get(name, "") for name in COLUMNS},
                series_version=VersionLine(*version) if version[0] is not None else None,
            )
        )
    return found


def with_venues(lines: Iterable[SeriesLine]) -> None:
    """Attach the residences and partners the lines name as venues (two queries for all)."""
    lines = list(lines)
    partners = Partner.objects.in_bulk({x.venue_partner_id for x in lines} - {None})
    residences = ResidencePage.objects.in_bulk({x.venue_residence_id for x in lines} - {None})
    for line in lines:
        line.venue_partner = partners.get(line.venue_partner_id)
        line.venue_residence = residences.get(line.venue_residence_id)


def urls(lines: Iterable[SeriesLine], request: HttpRequest | None) -> dict[int, str | None]:
    """Each line's page URL as Wagtail's `Page.get_url` gives it.

    Wagtail 8 reads nothing of a page but its `url_path` to make its URL (and the request's
    cached site roots), so one unsaved page of each model stands in for all of them;
    `tests/events/test_feed_series_lines.py` checks it against every page's own `get_url`.
    """
    stand_ins: dict[type[Page], Page] = {}
    found = {}
    for line in lines:
        page = stand_ins.get(line.model)
        if page is None:
            page = stand_ins[line.model] = line.model()
        page.url_path = line.url_path
        found[line.pk] = page.get_url(request)
    return found


def series_in(occurrences: OccurrenceQuerySet) -> list[SeriesLine]:
    """The series with a listed date in `occurrences`, where they stand now, in id order.

    A series moved elsewhere keeps its past dates in its old scope (the reports count them
    there), but its calendar follows its future dates: it leaves the old scope's feeds.
    Asked of each page (one index probe each, `EXISTS`), not by collecting the page of every
    date: a whole-calendar feed has a hundred dates a series.
    """
    listed = occurrences.live().order_by()
    now = timezone.now()

    def has(rows: OccurrenceQuerySet) -> Exists:
        return Exists(rows.filter(page_id=OuterRef("pk")))

    future_anywhere = Occurrence.objects.live().filter(end__gt=now)
    found: list[SeriesLine] = []
    for model in schedulable_models():
        pages = model.objects.filter(has(listed)).filter(
            has(listed.filter(end__gt=now)) | ~has(future_anywhere)
        )
        found += lines_of(pages.order_by())
    return sorted(found, key=lambda line: line.pk)
