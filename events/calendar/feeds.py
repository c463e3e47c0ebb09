"""Calendar feeds and downloads: plain Django views (Wagtail routes cannot hold a dot).

Every feed is a set of live series (events and/or permanences) chosen through their occurrence
rows, so a feed holds exactly what the site shows for the same scope.
"""

from collections.abc import Sequence
from datetime import date

from django.conf import settings
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from wagtail.models import Page

from events.calendar import ical
from events.calendar.models import OccurrenceQuerySet
from events.calendar.schedule_fields import schedulable_models
from events.calendar.series import SeriesLine, VersionLine, lines_of, series_in, urls, with_venues
from events.filters import OccurrenceFilterForm
from events.models import Occurrence, SeriesVersion
from portal.cache import cached_response
from residences.models import MediatorProfile, ResidencePage, SectorPage
from residences.scopes import Scope

CONTENT_TYPE = "text/calendar; charset=utf-8"
MAX_AGE = 15 * 60


def export_for(
    page: Page | SeriesLine,
    occurrences: Sequence[ical.OccurrenceRow],
    version: SeriesVersion | VersionLine | None,
    request: HttpRequest | None,
    base_url: str = "",
    exdates: Sequence[date] | None = None,
    path: str | None = None,
) -> ical.SeriesExport:
    """Calendar data of one page; URLs from the request, or from `base_url` outside one.

    `occurrences` are all its rows, or (with `exdates`) only those that differ from its rule.
    A `SeriesLine` comes with its `path` (see `series.urls`); a page model finds its own.
    """
    location = ", ".join(part for part in (page.venue_label, page.venue_full_address) if part)
    if path is None:
        assert isinstance(page, Page), "a series line comes with its path"
        path = page.get_url(request)
    path = path or "/"
    url = request.build_absolute_uri(path) if request is not None else base_url + path
    modified = version.modified if version else page.last_published_at
    return ical.SeriesExport(
        uid_base=f"{page.occurrence_kind}-{page.pk}",
        title=page.title,
        url=url,
        schedule=page.get_schedule(),
        occurrences=occurrences,
        sequence=version.sequence if version else 0,
        modified=modified or ical.NEVER_MODIFIED,  # a live page has a publication time
        description=getattr(page, "summary", ""),
        location=location,
        horizon=version.horizon if version else None,
        exdates=exdates,
    )


def fitted_exdates(
    page: Page | SeriesLine, version: SeriesVersion | VersionLine | None
) -> list[date] | None:
    """The rule's missing instances the sync recorded, if they hold for the page as it is."""
    if version is None or not version.feed_key:
        return None
    if version.feed_key != ical.rule_key(page.get_schedule(), version.horizon):
        return None  # the rule changed since (not through a publish): read every date
    return [date.fromisoformat(day) for day in version.exdates]


def exports(lines: Sequence[SeriesLine], request: HttpRequest) -> list[ical.SeriesExport]:
    """One export per series line, reading only the dates that differ from its rule.

    The rows the rule writes by itself (`follows_rule`) stay in the database; a series whose
    recorded fit no longer holds (or was never made) has every row read, as it needs.
    """
    with_venues(lines)  # two queries for all the residences and partners named
    paths = urls(lines, request)
    exdates = {line.pk: fitted_exdates(line, line.series_version) for line in lines}
    unfitted = [pk for pk, days in exdates.items() if days is None]
    rows = Occurrence.objects.filter(page_id__in=list(exdates)).filter(
        Q(follows_rule=False) | Q(page_id__in=unfitted)
    )
    # Lean rows (tuples, not models).
    by_page: dict[int, list[ical.OccurrenceRow]] = {pk: [] for pk in exdates}
    for occurrence in rows.order_by("start", "pk").lines():
        by_page[occurrence.page_id].append(occurrence)
    return [
        export_for(
            line,
            by_page[line.pk],
            line.series_version,
            request,
            exdates=exdates[line.pk],
            path=paths[line.pk],
        )
        for line in lines
    ]


def series_line(page_id: int) -> SeriesLine:
    """One live, public series as `exports` takes it (404 for anything else)."""
    page = get_object_or_404(Page.objects.live().public(), pk=page_id)
    model = page.specific_class
    if model is None or model not in schedulable_models():
        raise Http404
    return lines_of(model.objects.filter(pk=page.pk))[0]


def calendar_response(body: bytes, filename: str, inline: bool = True) -> HttpResponse:
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def feed_response(
    request: HttpRequest, occurrences: OccurrenceQuerySet, name: str, filename: str
) -> HttpResponse:
    """The calendar of every series with an occurrence in `occurrences`.

    Its ETag (a hash of the body) and the 304 answers come from `cached_response`.
    """
    title = f"{name} – {settings.WAGTAIL_SITE_NAME}"
    body = ical.build_calendar(title, exports(series_in(occurrences), request))
    return calendar_response(body, filename)


@require_safe
@cached_response(frozenset(OccurrenceFilterForm.base_fields))
def events_feed(request: HttpRequest) -> HttpResponse:
    form = OccurrenceFilterForm(request.GET or None)
    filters = form.valid_filters()
    scope = filters.get("residence") or filters.get("secteur")
    name = f"Animations – {scope.title}" if scope else "Animations"
    if "categorie" in filters:
        name += f" ({filters['categorie'].name})"
    return feed_response(request, form.apply(Occurrence.objects.events()), name, "evenements.ics")


@require_safe
@cached_response()
def permanences_feed(request: HttpRequest) -> HttpResponse:
    return feed_response(
        request, Occurrence.objects.permanences(), "Permanences de médiation", "permanences.ics"
    )


@require_safe
@cached_response()
def residence_feed(request: HttpRequest, slug: str) -> HttpResponse:
    residence = get_object_or_404(ResidencePage.objects.listed(), slug=slug)
    occurrences = Scope.of(residence).narrow(Occurrence.objects.all())
    return feed_response(request, occurrences, residence.title, f"{slug}.ics")


@require_safe
@cached_response()
def residence_permanences_feed(request: HttpRequest, slug: str) -> HttpResponse:
    residence = get_object_or_404(ResidencePage.objects.listed(), slug=slug)
    occurrences = Scope.of(residence).narrow(Occurrence.objects.permanences())
    return feed_response(
        request, occurrences, f"Permanences – {residence.title}", f"{slug}-permanences.ics"
    )


@require_safe
@cached_response()
def sector_feed(request: HttpRequest, slug: str) -> HttpResponse:
    sector = get_object_or_404(SectorPage.objects.listed(), slug=slug)
    # The same scope as the sector page and `evenements.ics?secteur=`: landlord-wide included.
    occurrences = Scope.of(sector).narrow(Occurrence.objects.all())
    return feed_response(request, occurrences, sector.title, f"{slug}.ics")


@require_safe
@cached_response()
def mediator_feed(request: HttpRequest, slug: str) -> HttpResponse:
    mediator = get_object_or_404(MediatorProfile, slug=slug)
    occurrences = Occurrence.objects.filter(
        page__in=mediator.permanences.values("pk")
    ) | Occurrence.objects.filter(page__in=mediator.events.values("pk"))
    return feed_response(request, occurrences, mediator.full_name, f"{slug}.ics")


@require_safe
@cached_response()
def series_ics(request: HttpRequest, page_id: int) -> HttpResponse:
    page = series_line(page_id)
    body = ical.build_calendar(page.title, exports([page], request))
    return calendar_response(body, f"{page.slug}.ics", inline=False)


@require_safe
@cached_response()
def occurrence_ics(request: HttpRequest, pk: int) -> HttpResponse:
    occurrence = get_object_or_404(Occurrence.objects.live(), pk=pk)
    page = series_line(occurrence.page_id)
    item = exports([page], request)[0]
    body = ical.build_single(page.title, item, occurrence)
    filename = f"{page.slug}-{occurrence.local_start:%Y-%m-%d}.ics"
    return calendar_response(body, filename, inline=False)
